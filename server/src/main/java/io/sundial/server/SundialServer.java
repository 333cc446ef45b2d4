package io.sundial.server;

import io.sundial.ingest.FormatRegistry;
import io.sundial.server.auth.AuthMode;
import io.sundial.server.auth.PemKeyStore;
import io.sundial.server.auth.RateLimiter;
import io.sundial.server.auth.SecurityOptions;
import io.sundial.server.auth.UserStore;
import io.sundial.server.http.AccessGate;
import io.sundial.server.http.ApiHandler;
import io.sundial.server.http.JsonErrorHandler;
import io.sundial.query.QueryRegistry;
import io.sundial.server.metrics.ServerMetrics;
import io.sundial.server.status.ObservabilityOptions;
import io.sundial.server.status.SelfReport;
import io.sundial.server.pgwire.PgWireListener;
import io.sundial.server.pgwire.PgWireOptions;
import io.sundial.server.tcp.LineProtocolListener;
import io.sundial.server.warmup.QueryWarmup;
import io.sundial.storage.Databases;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Optional;
import java.util.logging.Logger;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Sundial's network front: the HTTP API (Jetty 12: queries on a bounded platform pool, blocking requests on virtual threads), the TCP
 * line-protocol listener and the PostgreSQL wire-protocol listener (docs/PGWIRE.md), over databases the caller opened and closes. {@link #start} binds
 * every listener or none; port 0 binds a free port and {@link #httpAddress()} tells which.
 */
public final class SundialServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SundialServer.class.getName());
    /** Time in-flight HTTP requests get to finish on stop. */
    private static final long STOP_TIMEOUT_MILLIS = 10_000;
    /**
     * HTTP platform threads beyond the queries that may run on them: the acceptor, the selectors,
     * the reserved threads that take over selecting while a query runs where it was read, and the
     * short jobs that hand a request to a virtual thread.
     */
    private static final int HTTP_THREADS_SPARE = 16;
    private static final int HTTP_THREADS_MIN = 4;
    /**
     * Bytes Jetty reads from a connection at a time (its default is 8 KiB). A write body arrives as
     * chunks of at most this, and each chunk costs a socket read, Jetty's parse and chunk handling
     * and a refill of the line reader: a set-A load (419 MB) was 51,000 of them at 8 KiB. Held only
     * while a connection has unread bytes, so idle keep-alive connections do not pin it.
     */
    static final int HTTP_INPUT_BUFFER_BYTES = 64 * 1024;

    private final Server jetty;
    private final ServerConnector connector;
    private final LineProtocolListener lineProtocol;
    private final PgWireListener pgWire;
    private final ServerMetrics metrics;
    private final SelfReport selfReport;
    private final InetSocketAddress httpAddress;
    private volatile boolean isRunning;
    private final boolean isTls;
    private QueryWarmup queryWarmup;

    private SundialServer(Databases databases, ServerOptions options, SecurityOptions security, PgWireOptions pgWireOptions,
            ObservabilityOptions observability) throws IOException {
        UserStore users = security.users();
        AuthMode authMode = AuthMode.decide(options.httpAddress(), users != null && !users.isEmpty(), security.isInsecureNoAuth());
        if (!authMode.isEnforced()) {
            LOG.warning("AUTHENTICATION IS OFF: no users exist, so every HTTP client on " + options.httpAddress()
                    + (authMode == AuthMode.OFF_INSECURE ? " (--insecure-no-auth) " : " (loopback only) ")
                    + "can read, write and delete all data. Create an admin with 'sundial user create --admin NAME'");
        }
        checkLineProtocolExposure(options, authMode, security.isInsecureNoAuth());
        RateLimiter rateLimiter = security.rateLimit() == null ? null
                : new RateLimiter(security.rateLimit().requestsPerSecond(), security.rateLimit().burst(),
                        security.rateLimitNanoClock());
        AccessGate gate = new AccessGate(authMode, users, rateLimiter, security.backupRoot(), security.rateLimitNanoClock());
        this.isTls = security.tls() != null;
        this.metrics = new ServerMetrics(observability);
        FormatRegistry formats = FormatRegistry.withBuiltins();
        // Platform threads: queries that start at once run on the thread that read them (ApiHandler);
        // everything that may block for long goes on to a virtual thread, so this pool stays small.
        int queriesMax = ResourcePlan.derive(ResourcePlan.Machine.current(databases.directory())).queriesConcurrentMax();
        QueuedThreadPool threads = new QueuedThreadPool(queriesMax + HTTP_THREADS_SPARE, HTTP_THREADS_MIN);
        threads.setName("sundial-http");
        this.jetty = new Server(threads);
        jetty.setStopTimeout(STOP_TIMEOUT_MILLIS);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        this.connector = isTls ? tlsConnector(jetty, http, security.tls())
                : new ServerConnector(jetty, httpConnections(http));
        connector.setHost(options.httpAddress().getHostString());
        connector.setPort(options.httpAddress().getPort());
        connector.setIdleTimeout(options.httpIdleTimeout().toMillis());
        // On stop, idle keep-alive connections are closed after this; requests in flight still get STOP_TIMEOUT_MILLIS.
        connector.setShutdownIdleTimeout(100);
        jetty.addConnector(connector);
        jetty.addBean(new NetworkConnectionLimit(options.httpConnectionsMax(), connector));
        jetty.setErrorHandler(new JsonErrorHandler());
        jetty.setHandler(new ApiHandler(databases, formats, options, metrics, () -> isRunning, version(), gate));
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
            // PostgreSQL clients get the HTTPS certificate unless the PG options name their own.
            PgWireOptions pgWithTls = pgWireOptions == null || pgWireOptions.tls() != null || security.tls() == null
                    ? pgWireOptions : pgWireOptions.withTls(security.tls());
            this.pgWire = pgWithTls == null ? null : PgWireListener.start(databases, pgWithTls, options.queryTimeout(),
                    users, security.isInsecureNoAuth());
        } catch (IOException | RuntimeException e) {
            closeQuietly(lineProtocol);
            stopQuietly(jetty);
            throw e;
        }
        if (pgWire != null) {
            metrics.watchPgConnections(pgWire::connectionCount);
            metrics.watchPgPoints(pgWire::pointsInserted, pgWire::pointsCopied);
        }
        // PostgreSQL queries carry no scope of the server's: they reach its log through the registry.
        QueryRegistry.global().addListener(metrics.queryLog());
        this.selfReport = SelfReport.start(databases, metrics, observability);
        isRunning = true;
    }

    /** Starts every listener of {@code options} over {@code databases} (which stay the caller's to close). */
    public static SundialServer start(Databases databases, ServerOptions options) throws IOException {
        return new SundialServer(databases, options, SecurityOptions.none(), null, ObservabilityOptions.defaults());
    }

    /**
     * Starts with authentication, rate limiting and TLS as {@code security} says.
     *
     * @throws IllegalStateException when no user exists and HTTP would bind a non-loopback
     *     address without {@link SecurityOptions#isInsecureNoAuth()}
     */
    public static SundialServer start(Databases databases, ServerOptions options, SecurityOptions security) throws IOException {
        return new SundialServer(databases, options, security, null, ObservabilityOptions.defaults());
    }

    /**
     * Starts every listener of {@code options} and the PostgreSQL wire-protocol listener of
     * {@code pgWire} (null: no PostgreSQL listener), without authentication on HTTP.
     */
    public static SundialServer start(Databases databases, ServerOptions options, PgWireOptions pgWire) throws IOException {
        return new SundialServer(databases, options, SecurityOptions.none(), pgWire, ObservabilityOptions.defaults());
    }

    /** Starts with {@code security} on HTTP and the PostgreSQL listener of {@code pgWire} (null: none). */
    public static SundialServer start(Databases databases, ServerOptions options, SecurityOptions security,
            PgWireOptions pgWire) throws IOException {
        return new SundialServer(databases, options, security, pgWire, ObservabilityOptions.defaults());
    }

    /** Starts like {@link #start(Databases, ServerOptions, SecurityOptions, PgWireOptions)}, reporting on itself as {@code observability} says. */
    public static SundialServer start(Databases databases, ServerOptions options, SecurityOptions security,
            PgWireOptions pgWire, ObservabilityOptions observability) throws IOException {
        return new SundialServer(databases, options, security, pgWire, observability);
    }

    /**
     * The TCP line-protocol listener cannot authenticate (the protocol has no credentials): on a
     * non-loopback address it would let anyone write, so that needs the explicit opt-out too.
     */
    private static void checkLineProtocolExposure(ServerOptions options, AuthMode authMode, boolean isInsecureNoAuth) {
        InetSocketAddress address = options.lineProtocolAddress();
        if (address == null) {
            return;
        }
        boolean isLoopback = address.getAddress() != null && address.getAddress().isLoopbackAddress();
        if (!isLoopback && !isInsecureNoAuth) {
            throw new IllegalStateException("refusing to serve the TCP line-protocol listener on " + address.getHostString() + ":"
                    + address.getPort() + ": it cannot authenticate, so anyone who reaches it could write to database '"
                    + options.lineProtocolDatabase() + "'. Bind it to loopback, turn it off (--lp-addr off), "
                    + "or pass --insecure-no-auth to accept that");
        }
        if (authMode.isEnforced()) {
            LOG.warning(() -> "the TCP line-protocol listener on " + address + " does not authenticate: local clients "
                    + "write to database '" + options.lineProtocolDatabase() + "' without credentials (--lp-addr off turns it off)");
        }
    }

    private static ServerConnector tlsConnector(Server jetty, HttpConfiguration http, SecurityOptions.Tls tls) throws IOException {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStore(PemKeyStore.load(tls.certificateFile(), tls.privateKeyFile()));
        ssl.setKeyStorePassword(PemKeyStore.PASSWORD);
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        // Clients reach servers by IP as often as by name; the certificate check is the client's.
        secure.setSniHostCheck(false);
        http.addCustomizer(secure);
        return new ServerConnector(jetty, ssl, httpConnections(http));
    }

    private static HttpConnectionFactory httpConnections(HttpConfiguration http) {
        HttpConnectionFactory connections = new HttpConnectionFactory(http);
        connections.setInputBufferSize(HTTP_INPUT_BUFFER_BYTES);
        return connections;
    }

    /** The bound HTTP address (the real port when port 0 was asked for). */
    public InetSocketAddress httpAddress() {
        return httpAddress;
    }

    /** {@code http://host:port} of the HTTP API. */
    public URI httpUri() {
        String host = httpAddress.getAddress() == null || httpAddress.getAddress().isAnyLocalAddress()
                ? "127.0.0.1" : httpAddress.getAddress().getHostAddress();
        return URI.create((isTls ? "https://" : "http://") + (host.contains(":") ? "[" + host + "]" : host) + ":" + httpAddress.getPort());
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

    /**
     * Starts the start-up query warm-up (docs/OPERATIONS.md "Query warm-up") in the background,
     * once; /ready and user requests do not wait for it, and {@link #close()} stops it.
     */
    public synchronized QueryWarmup startQueryWarmup(QueryWarmup.Limits limits) {
        if (!isRunning) {
            throw new IllegalStateException("the server is closed; a query warm-up needs a running server");
        }
        if (queryWarmup == null) {
            queryWarmup = QueryWarmup.start(limits);
            QueryWarmup started = queryWarmup;
            metrics.watchQueryWarmup(() -> started.outcome().isEmpty());
        }
        return queryWarmup;
    }

    /** The query warm-up, when {@link #startQueryWarmup} started one. */
    public synchronized Optional<QueryWarmup> queryWarmup() {
        return Optional.ofNullable(queryWarmup);
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
        queryWarmup().ifPresent(QueryWarmup::close);
        selfReport.close();
        QueryRegistry.global().removeListener(metrics.queryLog());
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
