package io.sundial.cli;

import io.sundial.core.SundialException;
import io.sundial.storage.backup.Restore;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Offline restore: verify, copy, fsync, open once. */
@Command(name = "restore", mixinStandardHelpOptions = true,
        description = {"Restore a backup into an empty data directory (the server must not be running on it).",
                "Every file is checked against the CRC32C in the backup's BACKUP file before anything is copied;"
                        + " the result is opened once to prove it is readable.",
                "Exit codes: 0 ok, 1 refused or failed (damaged backup, directory in use or not empty), 2 usage error."})
final class RestoreCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "BACKUP-DIR", description = "A directory written by 'sundial backup'.")
    Path backup;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Data directory to restore into (default: $SUNDIAL_DATA_DIR or ./sundial-data). Must be empty or missing.")
    Path dataDir;

    @Option(names = "--force", description = "Also accept a data directory holding only an empty default database.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        Path dir = DataDirectory.resolve(dataDir);
        try {
            Restore.Result result = Restore.restore(backup, dir, force);
            System.out.printf("restored %s (taken %s by sundial %s) into %s: databases %s, %d series, %d segment files,"
                    + " %d bytes verified%n", backup, result.manifest().created(), result.manifest().sundialVersion(),
                    dir.toAbsolutePath(), result.databases(), result.seriesCount(), result.segmentFileCount(),
                    result.manifest().totalBytes());
            return 0;
        } catch (SundialException e) {
            System.err.println("sundial: restore refused: " + e.getMessage());
            return 1;
        }
    }
}
