package io.sundial.cli;

import io.sundial.storage.Databases;
import io.sundial.storage.Engine;
import io.sundial.storage.EngineOptions;
import io.sundial.storage.EngineStats;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Offline full compaction: flush the WAL into segment files and merge them. */
@Command(name = "compact", mixinStandardHelpOptions = true,
        description = "Flush and fully compact a data directory (the server must not be running on it).")
final class CompactCommand implements Callable<Integer> {
    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Data directory (default: $SUNDIAL_DATA_DIR or ./sundial-data).")
    Path dataDir;

    @Override
    public Integer call() throws Exception {
        Path dir = DataDirectory.resolve(dataDir);
        try (Databases databases = Databases.open(dir, EngineOptions.defaults().withBackgroundCompaction(false))) {
            for (String name : databases.names()) {
                Engine engine = databases.get(name);
                EngineStats before = engine.stats();
                engine.compact();
                EngineStats after = engine.stats();
                System.out.printf("compacted database %s: %d files (%d bytes) -> %d files (%d bytes)%n", name,
                        before.segmentFileCount(), before.segmentFileBytes(), after.segmentFileCount(), after.segmentFileBytes());
            }
        }
        return 0;
    }
}
