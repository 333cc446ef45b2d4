package io.sundial.server;

import io.sundial.storage.Databases;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link SundialServer} listens and what it accepts. Immutable; start from
 * {@link #defaults()} and change with the {@code with...} methods. Every limit has a bound so one
 * client cannot exhaust the heap or the threads.
 *
 * @param httpAddress where the HTTP API listens; port 0 picks a free port
 * @param lineProtocolAddress where the TCP line-protocol listener listens, or null for none
 * @param bodyBytesMax largest request body, counted after gzip decompression (413 beyond it)
 * @param batchPointsMax most points parsed and handed to the engine in one write
 * @param lineBytesMax longest line-protocol line (HTTP and TCP)
 * @param lineProtocolDatabase database the TCP listener writes into
 * @param lineProtocolBatchDelayMax longest a TCP batch collects lines before it is written
 * @param lineProtocolIdleTimeout a TCP connection that sends nothing for this long is closed
 * @param lineProtocolConnectionsMax most TCP connections at once; more are refused
 * @param httpIdleTimeout an HTTP connection idle this long is closed; a request being served is not idle,
 *     only its stalled body read or answer write is
 * @param httpConnectionsMax most HTTP connections at once; beyond it Jetty stops accepting until one closes
 * @param queryTimeout longest one /query or /api/v1/sql request may run; its statements past it fail
 */
public record ServerOptions(InetSocketAddress httpAddress, InetSocketAddress lineProtocolAddress, long bodyBytesMax,
                            int batchPointsMax, int lineBytesMax, String lineProtocolDatabase,
                            Duration lineProtocolBatchDelayMax, Duration lineProtocolIdleTimeout,
                            int lineProtocolConnectionsMax, Duration httpIdleTimeout, int httpConnectionsMax,
                            Duration queryTimeout) {
    /** InfluxDB's HTTP port: clients and tools find Sundial where they look for InfluxDB. */
    public static final int HTTP_PORT_DEFAULT = 8086;
    /** InfluxDB 1.x's conventional UDP/TCP line-protocol port. */
    public static final int LINE_PROTOCOL_PORT_DEFAULT = 8089;
    public static final long BODY_BYTES_MAX_DEFAULT = 25L << 20;
    public static final int BATCH_POINTS_MAX_DEFAULT = 5_000;
    public static final int LINE_BYTES_MAX_DEFAULT = 1 << 20;
    /** Upper bound of batchPointsMax: one batch is one WAL record and one list in memory. */
    public static final int BATCH_POINTS_MAX_UPPER = 1_000_000;
    public static final Duration QUERY_TIMEOUT_DEFAULT = Duration.ofMinutes(1);

    public ServerOptions {
        Objects.requireNonNull(httpAddress, "httpAddress");
        Objects.requireNonNull(lineProtocolDatabase, "lineProtocolDatabase");
        Objects.requireNonNull(lineProtocolBatchDelayMax, "lineProtocolBatchDelayMax");
        Objects.requireNonNull(lineProtocolIdleTimeout, "lineProtocolIdleTimeout");
        Objects.requireNonNull(httpIdleTimeout, "httpIdleTimeout");
        Objects.requireNonNull(queryTimeout, "queryTimeout");
        if (queryTimeout.isNegative() || queryTimeout.isZero()) {
            throw new IllegalArgumentException("queryTimeout must be positive, got " + queryTimeout);
        }
        if (bodyBytesMax < 1) {
            throw new IllegalArgumentException("bodyBytesMax must be positive, got " + bodyBytesMax);
        }
        if (batchPointsMax < 1 || batchPointsMax > BATCH_POINTS_MAX_UPPER) {
            throw new IllegalArgumentException("batchPointsMax " + batchPointsMax + " is outside [1, " + BATCH_POINTS_MAX_UPPER + "]");
        }
        if (lineBytesMax < 64 || lineBytesMax > (1 << 30)) {
            throw new IllegalArgumentException("lineBytesMax " + lineBytesMax + " is outside [64, 2^30]");
        }
        if (httpConnectionsMax < 1) {
            throw new IllegalArgumentException("httpConnectionsMax must be positive, got " + httpConnectionsMax);
        }
        if (lineProtocolConnectionsMax < 1) {
            throw new IllegalArgumentException("lineProtocolConnectionsMax must be positive, got " + lineProtocolConnectionsMax);
        }
        if (lineProtocolBatchDelayMax.isNegative() || lineProtocolIdleTimeout.isNegative() || lineProtocolIdleTimeout.isZero()
                || httpIdleTimeout.isNegative() || httpIdleTimeout.isZero()) {
            throw new IllegalArgumentException("durations must be positive (batch delay may be zero)");
        }
    }

    /** HTTP on 127.0.0.1:8086, line protocol on 127.0.0.1:8089, 25 MiB bodies, batches of 5,000 points. */
    public static ServerOptions defaults() {
        return new ServerOptions(new InetSocketAddress("127.0.0.1", HTTP_PORT_DEFAULT),
                new InetSocketAddress("127.0.0.1", LINE_PROTOCOL_PORT_DEFAULT), BODY_BYTES_MAX_DEFAULT,
                BATCH_POINTS_MAX_DEFAULT, LINE_BYTES_MAX_DEFAULT, Databases.DEFAULT, Duration.ofMillis(100),
                Duration.ofMinutes(5), 1_024, Duration.ofSeconds(30), 1_024, QUERY_TIMEOUT_DEFAULT);
    }

    public ServerOptions withHttpAddress(InetSocketAddress address) {
        return new ServerOptions(address, lineProtocolAddress, bodyBytesMax, batchPointsMax, lineBytesMax,
                lineProtocolDatabase, lineProtocolBatchDelayMax, lineProtocolIdleTimeout, lineProtocolConnectionsMax, httpIdleTimeout, httpConnectionsMax, queryTimeout);
    }

    /** Null turns the TCP listener off. */
    public ServerOptions withLineProtocolAddress(InetSocketAddress address) {
        return new ServerOptions(httpAddress, address, bodyBytesMax, batchPointsMax, lineBytesMax,
                lineProtocolDatabase, lineProtocolBatchDelayMax, lineProtocolIdleTimeout, lineProtocolConnectionsMax, httpIdleTimeout, httpConnectionsMax, queryTimeout);
    }

    public ServerOptions withBodyBytesMax(long bytes) {
        return new ServerOptions(httpAddress, lineProtocolAddress, bytes, batchPointsMax, lineBytesMax,
                lineProtocolDatabase, lineProtocolBatchDelayMax, lineProtocolIdleTimeout, lineProtocolConnectionsMax, httpIdleTimeout, httpConnectionsMax, queryTimeout);
    }

    public ServerOptions withBatchPointsMax(int points) {
        return new ServerOptions(httpAddress, lineProtocolAddress, bodyBytesMax, points, lineBytesMax,
                lineProtocolDatabase, lineProtocolBatchDelayMax, lineProtocolIdleTimeout, lineProtocolConnectionsMax, httpIdleTimeout, httpConnectionsMax, queryTimeout);
    }

    public ServerOptions withLineBytesMax(int bytes) {
        return new ServerOptions(httpAddress, lineProtocolAddress, bodyBytesMax, batchPointsMax, bytes,
                lineProtocolDatabase, lineProtocolBatchDelayMax, lineProtocolIdleTimeout, lineProtocolConnectionsMax, httpIdleTimeout, httpConnectionsMax, queryTimeout);
    }

    public ServerOptions withLineProtocolDatabase(String database) {
        return new ServerOptions(httpAddress, lineProtocolAddress, bodyBytesMax, batchPointsMax, lineBytesMax,
                database, lineProtocolBatchDelayMax, lineProtocolIdleTimeout, lineProtocolConnectionsMax, httpIdleTimeout, httpConnectionsMax, queryTimeout);
    }

    public ServerOptions withLineProtocolBatchDelayMax(Duration delay) {
        return new ServerOptions(httpAddress, lineProtocolAddress, bodyBytesMax, batchPointsMax, lineBytesMax,
                lineProtocolDatabase, delay, lineProtocolIdleTimeout, lineProtocolConnectionsMax, httpIdleTimeout, httpConnectionsMax, queryTimeout);
    }

    public ServerOptions withLineProtocolIdleTimeout(Duration timeout) {
        return new ServerOptions(httpAddress, lineProtocolAddress, bodyBytesMax, batchPointsMax, lineBytesMax,
                lineProtocolDatabase, lineProtocolBatchDelayMax, timeout, lineProtocolConnectionsMax, httpIdleTimeout, httpConnectionsMax, queryTimeout);
    }

    public ServerOptions withLineProtocolConnectionsMax(int connections) {
        return new ServerOptions(httpAddress, lineProtocolAddress, bodyBytesMax, batchPointsMax, lineBytesMax,
                lineProtocolDatabase, lineProtocolBatchDelayMax, lineProtocolIdleTimeout, connections, httpIdleTimeout, httpConnectionsMax, queryTimeout);
    }

    public ServerOptions withHttpConnectionsMax(int connections) {
        return new ServerOptions(httpAddress, lineProtocolAddress, bodyBytesMax, batchPointsMax, lineBytesMax,
                lineProtocolDatabase, lineProtocolBatchDelayMax, lineProtocolIdleTimeout, lineProtocolConnectionsMax,
                httpIdleTimeout, connections, queryTimeout);
    }

    public ServerOptions withHttpIdleTimeout(Duration timeout) {
        return new ServerOptions(httpAddress, lineProtocolAddress, bodyBytesMax, batchPointsMax, lineBytesMax,
                lineProtocolDatabase, lineProtocolBatchDelayMax, lineProtocolIdleTimeout, lineProtocolConnectionsMax,
                timeout, httpConnectionsMax, queryTimeout);
    }

    public ServerOptions withQueryTimeout(Duration timeout) {
        return new ServerOptions(httpAddress, lineProtocolAddress, bodyBytesMax, batchPointsMax, lineBytesMax,
                lineProtocolDatabase, lineProtocolBatchDelayMax, lineProtocolIdleTimeout, lineProtocolConnectionsMax,
                httpIdleTimeout, httpConnectionsMax, timeout);
    }

    /**
     * Parses {@code HOST:PORT} ({@code [::1]:8086} for IPv6; {@code :8086} means all interfaces).
     *
     * @throws IllegalArgumentException naming what is wrong with {@code text}
     */
    public static InetSocketAddress parseAddress(String text) {
        String value = text.trim();
        int colon = value.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("address '" + text + "' has no port: write HOST:PORT, e.g. 127.0.0.1:8086");
        }
        String host = value.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(value.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("address '" + text + "' has no numeric port: write HOST:PORT, e.g. 127.0.0.1:8086");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port " + port + " of '" + text + "' is outside [0, 65535] (0 picks a free port)");
        }
        if (host.isEmpty()) {
            return new InetSocketAddress(port);
        }
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("host '" + host + "' of '" + text + "' cannot be resolved");
        }
        return address;
    }
}
