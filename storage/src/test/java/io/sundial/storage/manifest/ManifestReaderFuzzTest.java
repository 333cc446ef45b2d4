package io.sundial.storage.manifest;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sundial.storage.format.CorruptFileException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzz target for the manifest reader: the input is a MANIFEST file read at open. The only
 * allowed failures are {@link CorruptFileException} (naming file and offset) and
 * {@link IOException}; anything else (an index or arithmetic exception, an OutOfMemoryError from
 * a trusted length) fails. Without JAZZER_FUZZ the seeds in ManifestReaderFuzzTestInputs/read run
 * as regression tests; docs/OPERATIONS.md ("Fuzzing") gives the long-run command.
 */
class ManifestReaderFuzzTest {
    @TempDir
    static Path root;

    @FuzzTest
    void read(byte[] input) throws IOException {
        Path file = Files.createTempFile(root, "MANIFEST-", "");
        try {
            Files.write(file, input);
            ManifestReader.read(file);
        } catch (CorruptFileException expected) {
            // Allowed: rejected with the file and offset.
        } finally {
            Files.delete(file);
        }
    }
}
