package io.sundial.storage.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * Fuzz target for WAL replay: the input is the only segment file of a WAL directory and
 * {@link Wal#open} replays it, strict and with repair. The only allowed failures are
 * {@link CorruptFileException} and {@link IOException}; an opened WAL's replay report must count exactly the
 * records handed to the replayer, and a strict replay must report no skipped damage. Without JAZZER_FUZZ the seeds in WalReplayFuzzTestInputs/&lt;method&gt; run as regression
 * tests; docs/OPERATIONS.md ("Fuzzing") gives the long-run command.
 */
class WalReplayFuzzTest {
    @TempDir
    static Path root;

    @FuzzTest
    void replayStrict(byte[] segment) throws IOException {
        replay(segment, false);
    }

    @FuzzTest
    void replayRepair(byte[] segment) throws IOException {
        replay(segment, true);
    }

    private static void replay(byte[] segment, boolean repair) throws IOException {
        // A fresh directory each run: open creates a new active segment and a lock file.
        Path dir = Files.createTempDirectory(root, "wal");
        try {
            Files.write(WalSegmentFiles.path(dir, 1), segment);
            long[] replayed = new long[1];
            WalReplayer replayer = (position, type, payload, offset, length) -> {
                if (offset < 0 || length < 0 || offset + length > payload.length) {
                    throw new AssertionError("replayed record " + position + " lies outside its payload array");
                }
                replayed[0]++;
            };
            try (Wal wal = Wal.open(dir, WalOptions.defaults().withRepair(repair), replayer)) {
                WalReplayReport report = wal.replayReport();
                assertEquals(replayed[0], report.records(), "records in the report vs handed to the replayer");
                assertTrue(repair || report.damages().isEmpty(), "strict replay skipped damage: " + report.damages());
            } catch (CorruptFileException | IOException expected) {
                // Allowed: the segment is rejected with its name and offset.
            }
        } finally {
            deleteTree(dir);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(dir)) {
            paths = walk.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path path : paths) {
            Files.delete(path);
        }
    }
}
