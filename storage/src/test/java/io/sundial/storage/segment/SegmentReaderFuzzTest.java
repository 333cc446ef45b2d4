package io.sundial.storage.segment;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sundial.storage.format.CorruptFileException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzz target for {@link SegmentReader#open} plus {@link SegmentReader#verify} on an arbitrary
 * file: the only allowed failures are {@link CorruptFileException} and {@link IOException}.
 * Without JAZZER_FUZZ the seeds in SegmentReaderFuzzTestInputs/openAndVerify (a whole segment
 * and damaged copies) run as regression tests; docs/OPERATIONS.md ("Fuzzing") gives the
 * long-run command.
 */
class SegmentReaderFuzzTest {
    @TempDir
    static Path dir;

    @FuzzTest
    void openAndVerify(byte[] input) throws IOException {
        Path file = dir.resolve("fuzzed.seg");
        Files.write(file, input);
        try (SegmentReader reader = SegmentReader.open(file)) {
            reader.verify();
        } catch (CorruptFileException | IOException expected) {
            // Allowed: the file is rejected with its name and offset.
        } finally {
            Files.delete(file);
        }
    }
}
