package io.sundial.cli;

import io.sundial.server.ResourcePlan;
import io.sundial.server.ServerOptions;
import io.sundial.server.SundialServer;
import io.sundial.storage.Databases;
import io.sundial.storage.EngineOptions;
import io.sundial.storage.wal.FsyncPolicy;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
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
                "HTTP API (InfluxDB 1.x /write and /query, /api/v2/write, /api/v1/sql, /ping, /health, /ready, /metrics, /api/v1/admin/*) "
                        + "and a TCP line-protocol listener. Port 0 picks a free port; the log line prints the bound address."})
final class ServerCommand implements Callable<Integer> {
    static final String LISTENER_OFF = "off";

    @Spec
    CommandSpec spec;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Data directory (default: $SUNDIAL_DATA_DIR or ./sundial-data).")
    Path dataDir;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Configuration file. NOT APPLIED YET: configuration files are not supported in this version; "
                    + "the file is checked to exist and be readable, and its settings are ignored (use the flags).")
    Path config;

    @Option(names = "--http-addr", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:8086",
            description = "HTTP API address. Default: ${DEFAULT-VALUE} (InfluxDB's port).")
    String httpAddress;

    @Option(names = "--lp-addr", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:8089",
            description = "TCP line-protocol listener address, or '" + LISTENER_OFF + "'. Default: ${DEFAULT-VALUE}.")
    String lineProtocolAddress;

    @Option(names = "--pg-addr", paramLabel = "HOST:PORT",
            description = "PostgreSQL wire-protocol address. NOT AVAILABLE YET: the PostgreSQL server is not implemented "
                    + "in this version; the address is validated and nothing listens on it.")
    String pgAddress;

    @Option(names = "--fsync", paramLabel = "POLICY", defaultValue = "always",
            description = "When a write is durable: 'always' (before it is acknowledged) or 'interval=<duration>' "
                    + "(e.g. interval=100ms). Default: ${DEFAULT-VALUE}.")
    String fsync;

    @Option(names = "--repair-wal", description = "Skip damaged WAL records on start (reports what was dropped).")
    boolean repairWal;

    @Override
    public Integer call() throws Exception {
        ServerOptions serverOptions = ServerOptions.defaults()
                .withHttpAddress(address("--http-addr", httpAddress))
                .withLineProtocolAddress(LISTENER_OFF.equalsIgnoreCase(lineProtocolAddress.trim())
                        ? null : address("--lp-addr", lineProtocolAddress));
        InetSocketAddress pg = pgAddress == null ? null : address("--pg-addr", pgAddress);
        if (config != null && !(Files.isRegularFile(config) && Files.isReadable(config))) {
            throw new ParameterException(spec.commandLine(), "--config " + config + " is not a readable file");
        }
        Path dir = DataDirectory.resolve(dataDir);
        ResourcePlan plan = ResourcePlan.derive(ResourcePlan.Machine.current(dir));
        EngineOptions options = plan.applyTo(EngineOptions.defaults())
                .withFsyncPolicy(FsyncPolicy.parse(fsync))
                .withWalRepair(repairWal);
        Databases databases = Databases.open(dir, options);
        SundialServer server;
        try {
            server = SundialServer.start(databases, serverOptions);
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
        if (pg != null) {
            out.println("sundial: PostgreSQL wire protocol is not available in this version; nothing listens on "
                    + format(pg) + " (--pg-addr was validated only)");
        }
        if (config != null) {
            out.println("sundial: --config " + config + " was NOT applied: configuration files are not supported yet; "
                    + "use the command-line flags");
        }
        out.println("sundial: serving data directory " + databases.directory() + " (databases: "
                + String.join(", ", databases.names()) + "); stop with Ctrl+C");
        out.flush();
        stopped.await();
        return 0;
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

    private InetSocketAddress address(String flag, String text) {
        try {
            return ServerOptions.parseAddress(text);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), flag + ": " + e.getMessage());
        }
    }

    /** host:port as the user would type it back ([v6]:port for IPv6). */
    static String format(InetSocketAddress address) {
        String host = address.getHostString();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
