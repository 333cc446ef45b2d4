package io.sundial.server;

import io.sundial.ingest.FormatRegistry;
import io.sundial.server.http.ApiHandler;
import io.sundial.server.http.JsonErrorHandler;
import io.sundial.server.metrics.ServerMetrics;
import io.sundial.server.pgwire.PgWireListener;
import io.sundial.server.pgwire.PgWireOptions;
import io.sundial.server.tcp.LineProtocolListener;
import io.sundial.storage.Databases;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.logging.Logger;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Sundial's network front: the HTTP API (Jetty 12, a virtual thread per request), the TCP
 * line-protocol listener and the PostgreSQL wire-protocol listener (docs/PGWIRE.md), over databases the caller opened and closes. {@link #start} binds
 * every listener or none; port 0 binds a free port and {@link #httpAddress()} tells which.
 */
public final class SundialServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SundialServer.class.getName());
    /** Time in-flight HTTP requests get to finish on stop. */
    private static final long STOP_TIMEOUT_MILLIS = 10_000;

    private final Server jetty;
    private final ServerConnector connector;
    private final LineProtocolListener lineProtocol;
    private final PgWireListener pgWire;
    private final ServerMetrics metrics;
    private final InetSocketAddress httpAddress;
    private volatile boolean isRunning;

    private SundialServer(Databases databases, ServerOptions options, PgWireOptions pgWireOptions) throws IOException {
        this.metrics = new ServerMetrics();
        FormatRegistry formats = FormatRegistry.withBuiltins();
        QueuedThreadPool threads = new QueuedThreadPool(64, 4);
        threads.setName("sundial-http");
        // Handlers block (reading bodies, waiting for the WAL fsync): virtual threads make that cheap.
        threads.setVirtualThreadsExecutor(Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("sundial-http-", 0).factory()));
        this.jetty = new Server(threads);
        jetty.setStopTimeout(STOP_TIMEOUT_MILLIS);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        this.connector = new ServerConnector(jetty, new HttpConnectionFactory(http));
        connector.setHost(options.httpAddress().getHostString());
        connector.setPort(options.httpAddress().getPort());
        connector.setIdleTimeout(options.httpIdleTimeout().toMillis());
        // On stop, idle keep-alive connections are closed after this; requests in flight still get STOP_TIMEOUT_MILLIS.
        connector.setShutdownIdleTimeout(100);
        jetty.addConnector(connector);
        jetty.addBean(new NetworkConnectionLimit(options.httpConnectionsMax(), connector));
        jetty.setErrorHandler(new JsonErrorHandler());
        jetty.setHandler(new ApiHandler(databases, formats, options, metrics, () -> isRunning, version()));
        try {
            jetty.start();
        } catch (Exception e) {
            stopQuietly(jetty);
            throw new IOException("cannot start the HTTP server on " + options.httpAddress() + ": " + e.getMessage(), e);
        }
        this.httpAddress = new InetSocketAddress(options.httpAddress().getAddress(), connector.getLocalPort());
        if (options.lineProtocolAddress() == null) {
            this.lineProtocol = null;
        } else {
            try {
                this.lineProtocol = LineProtocolListener.start(databases, formats, options, metrics);
            } catch (IOException | RuntimeException e) {
                stopQuietly(jetty);
                throw e;
            }
        }
        try {
            this.pgWire = pgWireOptions == null ? null : PgWireListener.start(databases, pgWireOptions, options.queryTimeout());
        } catch (IOException | RuntimeException e) {
            closeQuietly(lineProtocol);
            stopQuietly(jetty);
            throw e;
        }
        isRunning = true;
    }

    /** Starts every listener of {@code options} over {@code databases} (which stay the caller's to close). */
    public static SundialServer start(Databases databases, ServerOptions options) throws IOException {
        return new SundialServer(databases, options, null);
    }

    /**
     * Starts every listener of {@code options} and the PostgreSQL wire-protocol listener of
     * {@code pgWire} (null: no PostgreSQL listener).
     */
    public static SundialServer start(Databases databases, ServerOptions options, PgWireOptions pgWire) throws IOException {
        return new SundialServer(databases, options, pgWire);
    }

    /** The bound HTTP address (the real port when port 0 was asked for). */
    public InetSocketAddress httpAddress() {
        return httpAddress;
    }

    /** {@code http://host:port} of the HTTP API. */
    public URI httpUri() {
        String host = httpAddress.getAddress() == null || httpAddress.getAddress().isAnyLocalAddress()
                ? "127.0.0.1" : httpAddress.getAddress().getHostAddress();
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + httpAddress.getPort());
    }

    /** The bound line-protocol address, empty when the listener is off. */
    public Optional<InetSocketAddress> lineProtocolAddress() {
        return lineProtocol == null ? Optional.empty() : Optional.of(lineProtocol.address());
    }

    /** The bound PostgreSQL wire-protocol address, empty when that listener is off. */
    public Optional<InetSocketAddress> pgWireAddress() {
        return pgWire == null ? Optional.empty() : Optional.of(pgWire.address());
    }

    public ServerMetrics metrics() {
        return metrics;
    }

    /** Whether /ready answers 200. */
    public boolean isRunning() {
        return isRunning;
    }

    /**
     * Stops accepting, lets in-flight requests finish (bounded), ends line-protocol connections
     * after they wrote the lines they received. The databases stay open.
     */
    @Override
    public void close() throws IOException {
        if (!isRunning) {
            return;
        }
        isRunning = false;
        IOException failure = null;
        if (pgWire != null) {
            try {
                pgWire.close();
            } catch (IOException e) {
                failure = e;
            }
        }
        if (lineProtocol != null) {
            try {
                lineProtocol.close();
            } catch (IOException e) {
                failure = e;
            }
        }
        try {
            jetty.stop();
        } catch (Exception e) {
            if (failure == null) {
                failure = new IOException("stopping the HTTP server failed: " + e.getMessage(), e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static void closeQuietly(LineProtocolListener listener) {
        if (listener == null) {
            return;
        }
        try {
            listener.close();
        } catch (IOException e) {
            LOG.warning(() -> "stopping a half-started line protocol listener failed: " + e.getMessage());
        }
    }

    private static void stopQuietly(Server jetty) {
        try {
            jetty.stop();
        } catch (Exception e) {
            LOG.warning(() -> "stopping a half-started HTTP server failed: " + e.getMessage());
        }
    }

    /** The jar's version, or "development" when run from classes. */
    public static String version() {
        String v = SundialServer.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }
}
