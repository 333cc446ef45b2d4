package io.sundial.cli;

import io.sundial.storage.Databases;
import io.sundial.storage.EngineOptions;
import io.sundial.storage.wal.FsyncPolicy;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs Sundial in the foreground until SIGINT/SIGTERM. Opening replays the WAL, so a server
 * killed at any moment starts again with every acknowledged point.
 */
@Command(name = "server", mixinStandardHelpOptions = true,
        description = "Run the Sundial server on a data directory (created if missing).")
final class ServerCommand implements Callable<Integer> {
    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Data directory (default: $SUNDIAL_DATA_DIR or ./sundial-data).")
    Path dataDir;

    @Option(names = "--fsync", paramLabel = "POLICY", defaultValue = "always",
            description = "When a write is durable: 'always' (before it is acknowledged) or 'interval=<duration>' "
                    + "(e.g. interval=100ms). Default: ${DEFAULT-VALUE}.")
    String fsync;

    @Option(names = "--repair-wal", description = "Skip damaged WAL records on start (reports what was dropped).")
    boolean repairWal;

    @Override
    public Integer call() throws Exception {
        Path dir = DataDirectory.resolve(dataDir);
        EngineOptions options = EngineOptions.defaults()
                .withFsyncPolicy(FsyncPolicy.parse(fsync))
                .withWalRepair(repairWal);
        CountDownLatch stopped = new CountDownLatch(1);
        Databases databases = Databases.open(dir, options);
        Thread hook = new Thread(() -> {
            try {
                databases.close();
            } catch (Exception e) {
                System.err.println("sundial: closing " + dir + " failed: " + e.getMessage());
            } finally {
                stopped.countDown();
            }
        }, "sundial-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        System.out.println("sundial: serving data directory " + databases.directory() + " (databases: "
                + String.join(", ", databases.names()) + "); stop with Ctrl+C");
        System.out.flush();
        stopped.await();
        return 0;
    }
}
