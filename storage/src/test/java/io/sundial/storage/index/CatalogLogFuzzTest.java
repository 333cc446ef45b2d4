package io.sundial.storage.index;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sundial.storage.format.CorruptFileException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzz target for the series catalog log (docs/format/catalog.md): the input is catalog.log and
 * {@link SeriesCatalog#open} loads it. The only allowed failures are {@link CorruptFileException}
 * (file and offset) and {@link IOException}; a limit crossed by the file is a clear error too
 * ({@link CardinalityLimitException}). Without JAZZER_FUZZ the seeds in
 * CatalogLogFuzzTestInputs/open run as regression tests.
 */
class CatalogLogFuzzTest {
    @TempDir
    static Path root;

    @FuzzTest
    void open(byte[] input) throws IOException {
        Path dir = Files.createTempDirectory(root, "catalog");
        try {
            Files.write(SeriesCatalog.logFile(dir), input);
            try (SeriesCatalog catalog = SeriesCatalog.open(dir, CatalogOptions.defaults().withSeriesMax(1 << 16))) {
                catalog.seriesCount();
            } catch (CorruptFileException | CardinalityLimitException expected) {
                // Allowed: rejected with a message naming the file.
            }
        } finally {
            List<Path> paths;
            try (Stream<Path> walk = Files.walk(dir)) {
                paths = walk.sorted(Comparator.reverseOrder()).toList();
            }
            for (Path path : paths) {
                Files.delete(path);
            }
        }
    }
}
