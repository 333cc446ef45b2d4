package io.sundial.cli;

import io.sundial.cli.ServerSettings.Key;
import io.sundial.server.ResourcePlan;
import io.sundial.server.ServerOptions;
import io.sundial.server.SundialServer;
import io.sundial.server.pgwire.PgWireOptions;
import io.sundial.server.auth.SecurityOptions;
import io.sundial.server.auth.UserStore;
import io.sundial.storage.Databases;
import io.sundial.storage.EngineOptions;
import io.sundial.storage.wal.FsyncPolicy;
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
            description = "Config file (flat TOML: key = value; keys data-dir, http-addr, lp-addr, pg-addr, fsync, repair-wal). "
                    + "Flags win over environment variables (SUNDIAL_HTTP_ADDR, ...), which win over the file.")
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

    @Option(names = "--pg-auth", paramLabel = "METHOD", defaultValue = "scram-sha-256",
            description = "How PostgreSQL clients authenticate: scram-sha-256, md5 (only with --pg-user: the user store "
                    + "keeps no clear passwords) or password (cleartext). Default: ${DEFAULT-VALUE}.")
    String pgAuth;

    @Option(names = "--pg-tls", paramLabel = "POLICY", defaultValue = "optional",
            description = "Which PostgreSQL clients must use TLS (the --tls-cert certificate): optional, "
                    + "require-non-loopback (plaintext logins from other hosts get FATAL 28000) or require. "
                    + "Default: ${DEFAULT-VALUE}.")
    String pgTls;

    @Option(names = "--fsync", paramLabel = "POLICY",
            description = "When a write is durable: 'always' (before it is acknowledged) or 'interval=<duration>' "
                    + "(e.g. interval=100ms). Default: always.")
    String fsync;

    @Option(names = "--repair-wal", description = "Skip damaged WAL records on start (reports what was dropped).")
    Boolean repairWal;

    @Option(names = "--insecure-no-auth",
            description = "Serve HTTP on a non-loopback address although no user exists (anyone reachable can read and delete data).")
    boolean isInsecureNoAuth;

    @Option(names = "--rate-limit", paramLabel = "REQUESTS_PER_SECOND",
            description = "Requests per second allowed per user (or client IP when unauthenticated); 429 beyond it. Default: no limit.")
    Double rateLimitPerSecond;

    @Option(names = "--rate-limit-burst", paramLabel = "REQUESTS", description = "Requests a client may send at once. Default: 2 x --rate-limit, at least 1.")
    Double rateLimitBurst;

    @Option(names = "--tls-cert", paramLabel = "FILE", description = "PEM certificate chain (leaf first): serve HTTPS instead of HTTP.")
    Path tlsCertificate;

    @Option(names = "--backup-root", paramLabel = "DIR",
            description = "Directory the admin backup API (POST /api/v1/admin/backup?dir=) may write under. Default: any absolute path.")
    Path backupRoot;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM PKCS#8 private key of --tls-cert.")
    Path tlsKey;

    @Override
    public Integer call() throws Exception {
        if (config != null && !(Files.isRegularFile(config) && Files.isReadable(config))) {
            throw new ParameterException(spec.commandLine(), "--config " + config + " is not a readable file");
        }
        ServerSettings settings = settings();
        ServerSettings.Value lineProtocol = settings.get(Key.LP_ADDR);
        ServerOptions serverOptions = ServerOptions.defaults()
                .withHttpAddress(address(settings.get(Key.HTTP_ADDR)))
                .withLineProtocolAddress(LISTENER_OFF.equalsIgnoreCase(lineProtocol.text().trim()) ? null : address(lineProtocol));
        ServerSettings.Value pgAddr = settings.get(Key.PG_ADDR);
        PgWireOptions pgWire = LISTENER_OFF.equalsIgnoreCase(pgAddr.text().trim()) ? null : PgWireOptions.defaults()
                .withAddress(address(pgAddr)).withUsers(pgUsers).withAuthMethod(pgAuthMethod()).withTlsPolicy(pgTlsPolicy());
        Path dir = Path.of(settings.get(Key.DATA_DIR).text());
        ResourcePlan plan = ResourcePlan.derive(ResourcePlan.Machine.current(dir));
        EngineOptions options;
        try {
            options = plan.applyTo(EngineOptions.defaults())
                    .withFsyncPolicy(fsyncPolicy(settings.get(Key.FSYNC)))
                    .withWalRepair(settings.isTrue(Key.REPAIR_WAL));
        } catch (ServerSettings.InvalidConfigException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        Databases databases = Databases.open(dir, options);
        SundialServer server;
        SecurityOptions security;
        try {
            security = security(dir);
            server = startServer(databases, serverOptions, security, pgWire, "default".equals(pgAddr.source()));
        } catch (IOException | RuntimeException e) {
            databases.close();
            throw e;
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
                        + (!security.users().isEmpty() ? " (" + pgAuth + ", users of " + security.users().file() + ")"
                                : pgUsers.isEmpty() ? " (trust: no users)" : " (" + pgAuth + ", --pg-user)"))
                .orElse("sundial: PostgreSQL wire protocol listener is off"));
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
            PgWireOptions pgWire, boolean isDefaultPgAddress) throws IOException {
        try {
            return SundialServer.start(databases, serverOptions, security, pgWire);
        } catch (IOException e) {
            if (pgWire == null || !isDefaultPgAddress || !isPortTaken(pgWire.address())) {
                throw e;
            }
            System.err.println("sundial: WARNING: the default PostgreSQL port " + format(pgWire.address())
                    + " is taken (" + e.getMessage() + "); starting without the PostgreSQL listener "
                    + "(choose another with --pg-addr)");
            return SundialServer.start(databases, serverOptions, security, null);
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

    /** Users of the data directory, rate limit and TLS from the flags. */
    private SecurityOptions security(Path dir) throws IOException {
        if ((tlsCertificate == null) != (tlsKey == null)) {
            throw new ParameterException(spec.commandLine(), "--tls-cert and --tls-key go together: give both or neither");
        }
        SecurityOptions security = SecurityOptions.none().withUsers(UserStore.open(dir)).withInsecureNoAuth(isInsecureNoAuth)
                .withBackupRoot(backupRoot);
        if (rateLimitPerSecond != null) {
            double burst = rateLimitBurst != null ? rateLimitBurst : Math.max(1, 2 * rateLimitPerSecond);
            try {
                security = security.withRateLimit(new SecurityOptions.RateLimit(rateLimitPerSecond, burst));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--rate-limit: " + e.getMessage());
            }
        } else if (rateLimitBurst != null) {
            throw new ParameterException(spec.commandLine(), "--rate-limit-burst needs --rate-limit");
        }
        return tlsCertificate == null ? security : security.withTls(new SecurityOptions.Tls(tlsCertificate, tlsKey));
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

    private PgWireOptions.TlsPolicy pgTlsPolicy() {
        return switch (pgTls.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "optional" -> PgWireOptions.TlsPolicy.OPTIONAL;
            case "require-non-loopback" -> PgWireOptions.TlsPolicy.REQUIRED_NON_LOOPBACK;
            case "require" -> PgWireOptions.TlsPolicy.REQUIRED;
            default -> throw new ParameterException(spec.commandLine(), "--pg-tls " + pgTls
                    + ": expected optional, require-non-loopback or require");
        };
    }

        private PgWireOptions.AuthMethod pgAuthMethod() {
        return switch (pgAuth.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "scram-sha-256", "scram" -> PgWireOptions.AuthMethod.SCRAM_SHA_256;
            case "md5" -> PgWireOptions.AuthMethod.MD5;
            case "password", "cleartext" -> PgWireOptions.AuthMethod.CLEARTEXT;
            default -> throw new ParameterException(spec.commandLine(), "--pg-auth " + pgAuth
                    + ": expected scram-sha-256, md5 or password");
        };
    }

    private ServerSettings settings() {
        Map<Key, String> flags = new EnumMap<>(Key.class);
        putIfGiven(flags, Key.DATA_DIR, dataDir == null ? null : dataDir.toString());
        putIfGiven(flags, Key.HTTP_ADDR, httpAddress);
        putIfGiven(flags, Key.LP_ADDR, lineProtocolAddress);
        putIfGiven(flags, Key.PG_ADDR, pgAddress);
        putIfGiven(flags, Key.FSYNC, fsync);
        putIfGiven(flags, Key.REPAIR_WAL, repairWal == null ? null : repairWal.toString());
        try {
            return ServerSettings.resolve(flags, System.getenv(), config);
        } catch (ServerSettings.InvalidConfigException e) {
            throw new ParameterException(spec.commandLine(), "invalid configuration: " + e.getMessage());
        }
    }

    private static void putIfGiven(Map<Key, String> flags, Key key, String value) {
        if (value != null) {
            flags.put(key, value);
        }
    }

    private FsyncPolicy fsyncPolicy(ServerSettings.Value value) {
        try {
            return FsyncPolicy.parse(value.text());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), value.source() + ": fsync: " + e.getMessage());
        }
    }

    private InetSocketAddress address(ServerSettings.Value value) {
        try {
            return ServerOptions.parseAddress(value.text());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), value.source() + ": " + e.getMessage());
        }
    }

    /** host:port as the user would type it back ([v6]:port for IPv6). */
    static String format(InetSocketAddress address) {
        String host = address.getHostString();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
