package io.sundial.cli;

import io.sundial.cli.ServerSettings.Key;
import io.sundial.query.QueryLimits;
import io.sundial.query.promql.PromqlLimits;
import io.sundial.ingest.remotewrite.LabelSetCache;
import io.sundial.server.ResourcePlan;
import io.sundial.server.ServerOptions;
import io.sundial.server.SundialServer;
import io.sundial.server.logging.LogLevels;
import io.sundial.server.logging.LogSetup;
import io.sundial.server.status.ObservabilityOptions;
import io.sundial.server.pgwire.PgWireOptions;
import io.sundial.server.auth.SecurityOptions;
import io.sundial.server.auth.UserStore;
import io.sundial.server.warmup.QueryWarmup;
import io.sundial.storage.Databases;
import io.sundial.storage.EngineOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Runs Sundial in the foreground until SIGINT/SIGTERM: opens the databases (replaying their
 * WALs, so a server killed at any moment starts again with every acknowledged point), then the
 * HTTP API and the TCP line-protocol listener. The flag names are a contract scripts rely on.
 */
@Command(name = "server", mixinStandardHelpOptions = true,
        description = {"Run the Sundial server on a data directory (created if missing).",
                "HTTP API (InfluxDB 1.x /write and /query, /api/v2/write, /api/v1/sql, /ping, /health, /ready, /metrics, /api/v1/admin/*), "
                        + "a TCP line-protocol listener and a PostgreSQL wire-protocol listener. Port 0 picks a free port; the log line prints the bound address."})
final class ServerCommand implements Callable<Integer> {
    static final String LISTENER_OFF = "off";

    @Spec
    CommandSpec spec;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Data directory (default: $SUNDIAL_DATA_DIR, else data-dir in --config, else ./sundial-data).")
    Path dataDir;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Config file (flat TOML: key = value; every key is also a flag --<key> and an environment "
                    + "variable SUNDIAL_<KEY>; docs/OPERATIONS.md lists them). Flags win over environment variables, "
                    + "which win over the file.")
    Path config;

    @Option(names = "--http-addr", paramLabel = "HOST:PORT",
            description = "HTTP API address. Default: 127.0.0.1:8086 (InfluxDB's port).")
    String httpAddress;

    @Option(names = "--lp-addr", paramLabel = "HOST:PORT",
            description = "TCP line-protocol listener address, or '" + LISTENER_OFF + "'. Default: 127.0.0.1:8089.")
    String lineProtocolAddress;

    @Option(names = "--pg-addr", paramLabel = "HOST:PORT",
            description = "PostgreSQL wire-protocol address (psql, JDBC, Grafana; docs/PGWIRE.md), or '" + LISTENER_OFF
                    + "'. Default: 127.0.0.1:" + PgWireOptions.PORT_DEFAULT + ".")
    String pgAddress;

    @Option(names = "--pg-user", paramLabel = "NAME=PASSWORD",
            description = "A PostgreSQL user (repeatable) for a setup without the user store; once 'sundial user create' "
                    + "made users, PostgreSQL clients authenticate as those and --pg-user is refused. With neither, "
                    + "connections are trusted (loopback or --insecure-no-auth only). The password is visible to other "
                    + "local users in the process list.")
    Map<String, String> pgUsers = new LinkedHashMap<>();

    @Option(names = "--pg-auth", paramLabel = "METHOD",
            description = "How PostgreSQL clients authenticate: scram-sha-256, md5 (only with --pg-user: the user store "
                    + "keeps no clear passwords) or password (cleartext). Default: scram-sha-256.")
    String pgAuth;

    @Option(names = "--pg-tls", paramLabel = "POLICY",
            description = "Which PostgreSQL clients must use TLS (the --tls-cert certificate): optional, "
                    + "require-non-loopback (plaintext logins from other hosts get FATAL 28000) or require. "
                    + "Default: optional.")
    String pgTls;

    @Option(names = "--fsync", paramLabel = "POLICY",
            description = "When a write is durable: 'always' (before it is acknowledged) or 'interval=<duration>' "
                    + "(e.g. interval=100ms). Default: always.")
    String fsync;

    @Option(names = "--repair-wal", description = "Skip damaged WAL records on start (reports what was dropped).")
    Boolean repairWal;

    @Option(names = "--insecure-no-auth",
            description = "Serve HTTP on a non-loopback address although no user exists (anyone reachable can read and delete data).")
    Boolean isInsecureNoAuth;

    @Option(names = "--rate-limit", paramLabel = "REQUESTS_PER_SECOND",
            description = "Requests per second allowed per user (or client IP when unauthenticated); 429 beyond it. Default: off.")
    String rateLimitPerSecond;

    @Option(names = "--rate-limit-burst", paramLabel = "REQUESTS",
            description = "Requests a client may send at once. Default: auto (2 x --rate-limit, at least 1).")
    String rateLimitBurst;

    @Option(names = "--tls-cert", paramLabel = "FILE", description = "PEM certificate chain (leaf first): serve HTTPS instead of HTTP.")
    String tlsCertificate;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM PKCS#8 private key of --tls-cert.")
    String tlsKey;

    @Option(names = "--backup-root", paramLabel = "DIR",
            description = "Directory the admin backup API (POST /api/v1/admin/backup?dir=) may write under. Default: any absolute path.")
    String backupRoot;

    @Option(names = "--memtable-bytes-max", paramLabel = "SIZE",
            description = "Memtable budget per database (e.g. 256MiB), or 'auto' (from the heap). Default: auto.")
    String memtableBytesMax;

    @Option(names = "--series-max", paramLabel = "COUNT",
            description = "Most series per database; new series beyond it are rejected. Default: unlimited.")
    String seriesMax;

    @Option(names = "--retention", paramLabel = "DURATION",
            description = "Delete data older than this (e.g. 30d) in every database, or 'forever'. Default: forever.")
    String retention;

    @Option(names = "--query-timeout", paramLabel = "DURATION", description = "Longest a query may run. Default: 1m.")
    String queryTimeout;

    @Option(names = "--query-rows-max", paramLabel = "COUNT",
            description = "Rows one statement may produce before it fails (every query API). Default: 10000000.")
    String queryRowsMax;

    @Option(names = "--query-memory-max", paramLabel = "SIZE",
            description = "Memory one query may hold (decoded columns, buffered rows), or 'auto' (an eighth of the heap, "
                    + "4MiB..4GiB). Default: auto.")
    String queryMemoryMax;

    @Option(names = "--query-series-max", paramLabel = "COUNT",
            description = "Series one query (SundialQL or PromQL) may select before it fails. Default: 1000000.")
    String querySeriesMax;

    @Option(names = "--promql-samples-max", paramLabel = "COUNT",
            description = "Samples one PromQL query may load or hold at once before it fails. Default: 50000000.")
    String promqlSamplesMax;

    @Option(names = "--remote-write-label-cache-entries", paramLabel = "COUNT",
            description = "Label sets the remote-write decoder remembers (a power of two, 1024..4194304). Default: 32768.")
    String remoteWriteLabelCacheEntries;
    @Option(names = "--query-warmup", paramLabel = "on|off",
            description = "Warm up the query path in the background after start (a scratch database in the temporary "
                    + "directory, at most 20 s of one core; user queries go first), so the first queries run compiled. Default: on.")
    String queryWarmup;

    @Option(names = "--body-bytes-max", paramLabel = "SIZE", description = "Largest HTTP request body. Default: 25MiB.")
    String bodyBytesMax;

    @Option(names = "--line-bytes-max", paramLabel = "SIZE", description = "Longest line-protocol line. Default: 1MiB.")
    String lineBytesMax;

    @Option(names = "--http-connections-max", paramLabel = "COUNT", description = "Open HTTP connections at most. Default: 1024.")
    String httpConnectionsMax;

    @Option(names = "--lp-connections-max", paramLabel = "COUNT",
            description = "Open TCP line-protocol connections at most. Default: 1024.")
    String lineProtocolConnectionsMax;

    @Option(names = "--log-format", paramLabel = "FORMAT", description = "text or json (one object per line). Default: text.")
    String logFormat;

    @Option(names = "--log-level", paramLabel = "LEVEL", description = "error, warn, info, debug or trace. Default: info.")
    String logLevel;

    @Option(names = "--slow-query-threshold", paramLabel = "DURATION",
            description = "Log queries that take at least this long (0: every query), or 'off'. Default: 1s.")
    String slowQueryThreshold;

    @Option(names = "--internal-metrics-interval", paramLabel = "DURATION",
            description = "How often Sundial writes its own metrics into the _internal database, or 'off'. Default: 10s.")
    String internalMetricsInterval;

    @Override
    public Integer call() throws Exception {
        if (config != null && !(Files.isRegularFile(config) && Files.isReadable(config))) {
            throw new ParameterException(spec.commandLine(), "--config " + config + " is not a readable file");
        }
        ServerConfiguration configuration = configuration();
        LogSetup.apply(configuration.logFormat(), configuration.logLevel());
        QueryLimits.set(configuration.queryLimits());
        PromqlLimits.set(configuration.promqlLimits());
        LabelSetCache.configure(configuration.remoteWriteLabelCacheEntries());
        ServerOptions serverOptions = configuration.server();
        PgWireOptions pgWire = configuration.pgAddress() == null ? null : PgWireOptions.defaults()
                .withAddress(configuration.pgAddress()).withUsers(pgUsers).withAuthMethod(configuration.pgAuth())
                .withTlsPolicy(configuration.pgTls());
        Path dir = configuration.dataDirectory();
        ResourcePlan plan = ResourcePlan.derive(ResourcePlan.Machine.current(dir));
        EngineOptions options = configuration.engineOptions(plan.applyTo(EngineOptions.defaults()));
        Databases databases = Databases.open(dir, options);
        SundialServer server;
        SecurityOptions security;
        try {
            security = security(dir, configuration);
            server = startServer(databases, serverOptions, security, pgWire, configuration.isDefaultPgAddress(),
                    configuration.observability());
        } catch (IOException | RuntimeException e) {
            databases.close();
            throw e;
        }
        if (configuration.queryWarmup()) {
            server.startQueryWarmup(QueryWarmup.Limits.defaults());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(server, databases, dir, stopped), "sundial-shutdown"));
        var out = System.out;
        out.println("sundial: " + plan.summary());
        plan.warnings().forEach(w -> out.println("sundial: WARNING: " + w));
        out.println("sundial: HTTP listening on " + format(server.httpAddress()));
        out.println(server.lineProtocolAddress()
                .map(a -> "sundial: line protocol (TCP) listening on " + format(a))
                .orElse("sundial: line protocol (TCP) listener is off"));
        out.println(server.pgWireAddress()
                .map(a -> "sundial: PostgreSQL wire protocol listening on " + format(a)
                        + (!security.users().isEmpty() ? " (" + label(pgWire.authMethod()) + ", users of " + security.users().file() + ")"
                                : pgUsers.isEmpty() ? " (trust: no users)" : " (" + label(pgWire.authMethod()) + ", --pg-user)"))
                .orElse("sundial: PostgreSQL wire protocol listener is off"));
        ObservabilityOptions observability = configuration.observability();
        out.println("sundial: logging " + configuration.logFormat().name().toLowerCase(java.util.Locale.ROOT) + " at "
                + LogLevels.name(configuration.logLevel()).toLowerCase(java.util.Locale.ROOT) + "; slow-query log "
                + (observability.slowQueryThreshold() == null ? "off" : "from " + observability.slowQueryThreshold().toMillis() + " ms")
                + "; self-metrics into " + ObservabilityOptions.INTERNAL_DATABASE + " "
                + (observability.internalMetricsInterval() == null ? "off"
                        : "every " + observability.internalMetricsInterval().toMillis() + " ms"));
        if (config != null) {
            out.println("sundial: applied config file " + config + " (flags and environment variables win over it)");
        }
        out.println("sundial: serving data directory " + databases.directory() + " (databases: "
                + String.join(", ", databases.names()) + "); stop with Ctrl+C");
        out.flush();
        stopped.await();
        return 0;
    }

    /**
     * A PostgreSQL server already on the default port 5432 must not stop the one-command start:
     * then Sundial runs without its PostgreSQL listener and says so. An address the user chose
     * that is taken is an error.
     */
    private static SundialServer startServer(Databases databases, ServerOptions serverOptions, SecurityOptions security,
            PgWireOptions pgWire, boolean isDefaultPgAddress, ObservabilityOptions observability) throws IOException {
        try {
            return SundialServer.start(databases, serverOptions, security, pgWire, observability);
        } catch (IOException e) {
            if (pgWire == null || !isDefaultPgAddress || !isPortTaken(pgWire.address())) {
                throw e;
            }
            System.err.println("sundial: WARNING: the default PostgreSQL port " + format(pgWire.address())
                    + " is taken (" + e.getMessage() + "); starting without the PostgreSQL listener "
                    + "(choose another with --pg-addr)");
            return SundialServer.start(databases, serverOptions, security, null, observability);
        }
    }

    private static boolean isPortTaken(InetSocketAddress address) {
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
            probe.bind(address);
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    /** Users of the data directory, rate limit and TLS from the settings. */
    private static SecurityOptions security(Path dir, ServerConfiguration configuration) throws IOException {
        SecurityOptions security = SecurityOptions.none().withUsers(UserStore.open(dir))
                .withInsecureNoAuth(configuration.isInsecureNoAuth()).withBackupRoot(configuration.backupRoot());
        if (configuration.rateLimit() != null) {
            security = security.withRateLimit(configuration.rateLimit());
        }
        return configuration.tls() == null ? security : security.withTls(configuration.tls());
    }

    private static void stop(SundialServer server, Databases databases, Path dir, CountDownLatch stopped) {
        try {
            server.close();
        } catch (Exception e) {
            System.err.println("sundial: stopping the listeners failed: " + e.getMessage());
        }
        // Listeners are closed, so no write arrives any more: flushing now makes the next start
        // fast (no WAL to replay). A failed flush loses nothing; the WAL still holds the points.
        for (String name : databases.names()) {
            try {
                databases.get(name).flush();
            } catch (Exception e) {
                System.err.println("sundial: flushing database " + name + " on stop failed (its WAL is replayed on the next start): "
                        + e.getMessage());
            }
        }
        try {
            databases.close();
        } catch (Exception e) {
            System.err.println("sundial: closing " + dir + " failed: " + e.getMessage());
        } finally {
            stopped.countDown();
        }
    }

    private ServerConfiguration configuration() {
        Map<Key, String> flags = new EnumMap<>(Key.class);
        putIfGiven(flags, Key.DATA_DIR, dataDir == null ? null : dataDir.toString());
        putIfGiven(flags, Key.HTTP_ADDR, httpAddress);
        putIfGiven(flags, Key.LP_ADDR, lineProtocolAddress);
        putIfGiven(flags, Key.PG_ADDR, pgAddress);
        putIfGiven(flags, Key.PG_AUTH, pgAuth);
        putIfGiven(flags, Key.PG_TLS, pgTls);
        putIfGiven(flags, Key.FSYNC, fsync);
        putIfGiven(flags, Key.REPAIR_WAL, repairWal == null ? null : repairWal.toString());
        putIfGiven(flags, Key.INSECURE_NO_AUTH, isInsecureNoAuth == null ? null : isInsecureNoAuth.toString());
        putIfGiven(flags, Key.RATE_LIMIT, rateLimitPerSecond);
        putIfGiven(flags, Key.RATE_LIMIT_BURST, rateLimitBurst);
        putIfGiven(flags, Key.TLS_CERT, tlsCertificate);
        putIfGiven(flags, Key.TLS_KEY, tlsKey);
        putIfGiven(flags, Key.BACKUP_ROOT, backupRoot);
        putIfGiven(flags, Key.MEMTABLE_BYTES_MAX, memtableBytesMax);
        putIfGiven(flags, Key.SERIES_MAX, seriesMax);
        putIfGiven(flags, Key.RETENTION, retention);
        putIfGiven(flags, Key.QUERY_TIMEOUT, queryTimeout);
        putIfGiven(flags, Key.QUERY_ROWS_MAX, queryRowsMax);
        putIfGiven(flags, Key.QUERY_MEMORY_MAX, queryMemoryMax);
        putIfGiven(flags, Key.QUERY_SERIES_MAX, querySeriesMax);
        putIfGiven(flags, Key.PROMQL_SAMPLES_MAX, promqlSamplesMax);
        putIfGiven(flags, Key.REMOTE_WRITE_LABEL_CACHE_ENTRIES, remoteWriteLabelCacheEntries);
        putIfGiven(flags, Key.QUERY_WARMUP, queryWarmup);
        putIfGiven(flags, Key.BODY_BYTES_MAX, bodyBytesMax);
        putIfGiven(flags, Key.LINE_BYTES_MAX, lineBytesMax);
        putIfGiven(flags, Key.HTTP_CONNECTIONS_MAX, httpConnectionsMax);
        putIfGiven(flags, Key.LP_CONNECTIONS_MAX, lineProtocolConnectionsMax);
        putIfGiven(flags, Key.LOG_FORMAT, logFormat);
        putIfGiven(flags, Key.LOG_LEVEL, logLevel);
        putIfGiven(flags, Key.SLOW_QUERY_THRESHOLD, slowQueryThreshold);
        putIfGiven(flags, Key.INTERNAL_METRICS_INTERVAL, internalMetricsInterval);
        try {
            return ServerConfiguration.from(ServerSettings.resolve(flags, System.getenv(), config));
        } catch (ServerSettings.InvalidConfigException e) {
            throw new ParameterException(spec.commandLine(), "invalid configuration: " + e.getMessage());
        }
    }

    private static void putIfGiven(Map<Key, String> flags, Key key, String value) {
        if (value != null) {
            flags.put(key, value);
        }
    }

    /** The method as the pg-auth setting spells it. */
    private static String label(PgWireOptions.AuthMethod method) {
        return switch (method) {
            case SCRAM_SHA_256 -> "scram-sha-256";
            case MD5 -> "md5";
            case CLEARTEXT -> "password";
        };
    }

    /** host:port as the user would type it back ([v6]:port for IPv6). */
    static String format(InetSocketAddress address) {
        String host = address.getHostString();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
