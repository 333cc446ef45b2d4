package io.sundial.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.sundial.core.Point;
import io.sundial.core.SundialException;
import io.sundial.storage.format.CorruptFileException;
import io.sundial.storage.io.FaultInjectingFileIo;
import io.sundial.storage.io.StorageIo;
import io.sundial.storage.wal.FsyncPolicy;
import io.sundial.storage.wal.WalRefusedException;
import io.sundial.storage.wal.WalReplayReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults injected through the file-I/O layer while the engine runs: a full disk, failing fsyncs,
 * torn writes (the machine dies mid-write) and bit flips on read. Acknowledged points are never
 * lost, refused ones are told apart, and damage is reported with file and offset, never served.
 */
class EngineInjectedFaultTest {
    private static final int BATCH_POINTS = 10;
    private static final int FILE_HEADER_BYTES = 16;

    @TempDir
    Path dir;

    private static EngineOptions options() {
        return EngineOptions.defaults().withBackgroundCompaction(false).withPartitionDuration(Duration.ofDays(1))
                .withFsyncPolicy(FsyncPolicy.ALWAYS);
    }

    private static List<Point> batch(int b) {
        List<Point> points = new ArrayList<>();
        for (int k = 0; k < BATCH_POINTS; k++) {
            long i = (long) b * BATCH_POINTS + k;
            points.add(Point.builder("cpu").tag("host", "h" + (k % 2)).floatField("v", i).timestamp(i * 1_000_000_000L).build());
        }
        return points;
    }

    /** Seconds of the points present, each checked to carry its own second as value. */
    private static List<Long> presentSeconds(Engine engine) {
        List<Long> out = new ArrayList<>();
        for (SeriesData s : engine.readAll(ReadRequest.all("cpu"))) {
            Column c = s.column("v");
            for (int i = 0; i < c.size(); i++) {
                out.add(c.timestamp(i) / 1_000_000_000L);
                assertEquals(c.timestamp(i) / 1_000_000_000L, (long) c.doubleValue(i), "value of the point at " + c.timestamp(i));
            }
        }
        out.sort(null);
        return out;
    }

    private static List<Long> secondsOfBatches(int... batches) {
        List<Long> out = new ArrayList<>();
        for (int b : batches) {
            for (int k = 0; k < BATCH_POINTS; k++) {
                out.add((long) b * BATCH_POINTS + k);
            }
        }
        out.sort(null);
        return out;
    }

    private static Path lastFile(Path directory, String glob) throws IOException {
        var matcher = directory.getFileSystem().getPathMatcher("glob:" + glob);
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(p -> matcher.matches(p.getFileName())).sorted().toList().getLast();
        }
    }

    /** Closes an engine whose I/O is broken: errors are expected and not what the test checks. */
    private static void closeBroken(Engine engine) {
        try {
            engine.close();
        } catch (IOException | RuntimeException expected) {
            // The dead "machine" cannot close cleanly; the next open recovers from what is on disk.
        }
    }

    @Test
    void fullDiskRefusesTheWriteKeepsAnsweringAndResumesWhenSpaceReturns() throws Exception {
        FaultInjectingFileIo io = new FaultInjectingFileIo();
        try (StorageIo.Mount _ = StorageIo.mount(dir, io); Engine engine = Engine.open(dir, options())) {
            engine.write(batch(0));
            io.failWrites("*.wal", FaultInjectingFileIo.NO_SPACE);
            WalRefusedException refused = assertThrows(WalRefusedException.class, () -> engine.write(batch(1)));
            assertTrue(refused.isRetryable() && refused.isDiskFull(), refused.toString());
            assertTrue(refused.getMessage().contains("No space left on device")
                    && refused.getMessage().contains("resume by themselves"), refused.getMessage());
            assertThrows(WalRefusedException.class, () -> engine.write(batch(2)), "still full: still refused");
            assertTrue(presentSeconds(engine).containsAll(secondsOfBatches(0)), "queries keep answering");

            io.clear();
            engine.write(batch(3));
            engine.write(batch(4));
        }
        try (Engine reopened = Engine.open(dir, options())) {
            assertTrue(reopened.walReplayReport().tornTail().isEmpty(), "the refused bytes were cut, nothing torn");
            assertEquals(secondsOfBatches(0, 3, 4), presentSeconds(reopened), "acknowledged batches, not the refused");
        }
    }

    @Test
    void fullDiskDuringFlushKeepsEveryAcknowledgedPointInTheWal() throws Exception {
        FaultInjectingFileIo io = new FaultInjectingFileIo();
        try (StorageIo.Mount _ = StorageIo.mount(dir, io); Engine engine = Engine.open(dir, options())) {
            engine.write(batch(0));
            io.failWrites("*.seg*", FaultInjectingFileIo.NO_SPACE);
            assertThrows(IOException.class, engine::flush);
            assertTrue(io.faultsFired() > 0, "the flush reached the full disk");
            assertEquals(secondsOfBatches(0), presentSeconds(engine));
            engine.write(batch(1));

            io.clear();
            engine.flush();
            engine.write(batch(2));
        }
        try (Engine reopened = Engine.open(dir, options())) {
            assertEquals(secondsOfBatches(0, 1, 2), presentSeconds(reopened));
            try (var pinned = reopened.pinVersion()) {
                assertFalse(pinned.version().files().isEmpty(), "the retried flush wrote its file");
            }
        }
    }

    @Test
    void fullDiskWhileTheWalRotatesKeepsTheWalUsable() throws Exception {
        FaultInjectingFileIo io = new FaultInjectingFileIo();
        try (StorageIo.Mount _ = StorageIo.mount(dir, io); Engine engine = Engine.open(dir, options())) {
            engine.write(batch(0));
            io.failWrites("*.wal", FaultInjectingFileIo.NO_SPACE); // the new segment's header cannot be written
            WalRefusedException refused = assertThrows(WalRefusedException.class, engine::flush);
            assertTrue(refused.isRetryable(), refused.toString());
            io.clear();
            engine.write(batch(1));
            engine.flush();
            engine.write(batch(2));
        }
        try (Engine reopened = Engine.open(dir, options())) {
            assertEquals(secondsOfBatches(0, 1, 2), presentSeconds(reopened));
        }
    }

    @ParameterizedTest(name = "fsync of {0} fails")
    @ValueSource(strings = {"*.wal", "wal"})
    void failedFsyncIsNeverAcknowledgedAndStopsWritesUntilReopen(String glob) throws Exception {
        FaultInjectingFileIo io = new FaultInjectingFileIo();
        try (StorageIo.Mount _ = StorageIo.mount(dir, io); Engine engine = Engine.open(dir, options())) {
            engine.write(batch(0));
            io.failForces(glob);
            // The WAL directory is fsynced when a segment is created, which a flush's rotation does.
            WalRefusedException refused = assertThrows(WalRefusedException.class,
                    glob.equals("wal") ? engine::flush : () -> engine.write(batch(1)));
            assertFalse(refused.isRetryable(), refused.toString());
            io.clear();
            WalRefusedException later = assertThrows(WalRefusedException.class, () -> engine.write(batch(2)),
                    "a working fsync later proves nothing about the pages the failed one lost (fsyncgate)");
            assertTrue(later.getMessage().contains("accepts no more records"), later.getMessage());
            assertTrue(presentSeconds(engine).containsAll(secondsOfBatches(0)), "queries keep answering");
        }
        try (Engine reopened = Engine.open(dir, options())) {
            assertTrue(presentSeconds(reopened).containsAll(secondsOfBatches(0)));
            assertFalse(presentSeconds(reopened).contains(secondsOfBatches(2).getFirst()));
            reopened.write(batch(3));
            assertTrue(presentSeconds(reopened).containsAll(secondsOfBatches(0, 3)), "writes work after the reopen");
        }
    }

    @Test
    void tornWalWriteIsCutAtItsOffsetOnReopen() throws Exception {
        FaultInjectingFileIo io = new FaultInjectingFileIo();
        long sizeBefore;
        Path wal;
        try (StorageIo.Mount _ = StorageIo.mount(dir, io)) {
            Engine engine = Engine.open(dir, options());
            engine.write(batch(0));
            engine.write(batch(1));
            wal = lastFile(dir.resolve("wal"), "*.wal");
            sizeBefore = Files.size(wal);
            io.tearWrites("*.wal");
            assertThrows(IOException.class, () -> engine.write(batch(2)));
            assertTrue(io.isCrashed());
            closeBroken(engine);
        }
        assertTrue(Files.size(wal) > sizeBefore, "half a record reached the file");
        try (Engine reopened = Engine.open(dir, options())) {
            WalReplayReport report = reopened.walReplayReport();
            assertTrue(report.tornTail().isPresent(), report.toString());
            assertEquals(wal, report.tornTail().get().file());
            assertEquals(sizeBefore, report.tornTail().get().offset(), "cut where the torn record began");
            assertEquals(secondsOfBatches(0, 1), presentSeconds(reopened));
        }
    }

    @ParameterizedTest(name = "torn write in {0}")
    @ValueSource(strings = {"*.seg*", "MANIFEST-*", "CURRENT*"})
    void tornFlushWriteLosesNothingAcknowledged(String glob) throws Exception {
        FaultInjectingFileIo io = new FaultInjectingFileIo();
        try (StorageIo.Mount _ = StorageIo.mount(dir, io)) {
            Engine engine = Engine.open(dir, options());
            engine.write(batch(0));
            engine.flush();
            engine.write(batch(1));
            io.tearWrites(glob);
            if (glob.startsWith("CURRENT")) {
                // CURRENT is rewritten when the manifest rolls over; compaction of the two files does it too rarely.
                io.clear();
                io.tearWrites("*");
            }
            assertThrows(IOException.class, engine::flush);
            assertTrue(io.isCrashed(), "the fault was reached");
            closeBroken(engine);
        }
        try (Engine reopened = Engine.open(dir, options())) {
            assertEquals(secondsOfBatches(0, 1), presentSeconds(reopened));
            reopened.flush();
        }
        try (Engine again = Engine.open(dir, options())) {
            assertEquals(secondsOfBatches(0, 1), presentSeconds(again), "the repeated flush is complete");
        }
    }

    @Test
    void bitFlipReadFromAWalRecordRefusesOpenNamingFileAndOffset() throws Exception {
        try (Engine engine = Engine.open(dir, options())) {
            for (int b = 0; b < 3; b++) {
                engine.write(batch(b));
            }
        }
        Path wal = lastFile(dir.resolve("wal"), "*.wal");
        FaultInjectingFileIo io = new FaultInjectingFileIo().flipBitOnRead("*.wal", FILE_HEADER_BYTES + 40, 3);
        try (StorageIo.Mount _ = StorageIo.mount(dir, io)) {
            CorruptFileException e = assertThrows(CorruptFileException.class, () -> Engine.open(dir, options()));
            assertEquals(wal, e.file());
            assertEquals(FILE_HEADER_BYTES, e.offset(), "the first record holds the flipped bit");
        }
        try (Engine intact = Engine.open(dir, options())) {
            assertEquals(secondsOfBatches(0, 1, 2), presentSeconds(intact), "the file itself was never damaged");
        }
    }

    @Test
    void bitFlipReadFromASegmentIsReportedNeverServed() throws Exception {
        try (Engine engine = Engine.open(dir, options())) {
            engine.write(batch(0));
            engine.flush();
        }
        Path segment = lastFile(dir.resolve("data"), "*.seg");
        long size = Files.size(segment);
        for (long offset = FILE_HEADER_BYTES; offset < size; offset += Math.max(1, size / 16)) {
            FaultInjectingFileIo io = new FaultInjectingFileIo().flipBitOnRead("*.seg", offset, 5);
            try (StorageIo.Mount _ = StorageIo.mount(dir, io)) {
                assertReported(segment, offset);
            }
        }
    }

    /** Every byte after the header is under a checksum, so a flip anywhere must be reported, naming file and offset. */
    private void assertReported(Path segment, long offset) {
        try (Engine engine = Engine.open(dir, options())) {
            List<Long> seen = presentSeconds(engine);
            fail("a bit flip at offset " + offset + " of " + segment + " went unnoticed; the query answered "
                    + (seen.equals(secondsOfBatches(0)) ? "the intact data" : "damaged data " + seen));
        } catch (CorruptFileException e) {
            assertEquals(segment, e.file(), e.getMessage());
            assertTrue(e.getMessage().contains("offset " + e.offset()), e.getMessage());
        } catch (IOException | RuntimeException e) {
            assertTrue(String.valueOf(e.getMessage()).contains(segment.toString()), "the error names the file: " + e);
        }
    }

    @Test
    void bitFlipReadFromTheManifestRefusesOpen() throws Exception {
        try (Engine engine = Engine.open(dir, options())) {
            engine.write(batch(0));
            engine.flush();
            engine.write(batch(1));
            engine.flush();
        }
        Path manifest = lastFile(dir.resolve("data"), "MANIFEST-*");
        FaultInjectingFileIo io = new FaultInjectingFileIo().flipBitOnRead("MANIFEST-*", FILE_HEADER_BYTES + 12, 0);
        try (StorageIo.Mount _ = StorageIo.mount(dir, io)) {
            CorruptFileException e = assertThrows(CorruptFileException.class, () -> Engine.open(dir, options()));
            assertEquals(manifest, e.file());
            assertTrue(e.getMessage().contains("offset"), e.getMessage());
        }
    }

    @ParameterizedTest(name = "{0} missing")
    @ValueSource(strings = {"data/CURRENT", "data/MANIFEST-*", "catalog/catalog.log"})
    void missingFileRefusesOpenNamingIt(String relative) throws Exception {
        try (Engine engine = Engine.open(dir, options())) {
            engine.write(batch(0));
            engine.flush();
        }
        Path parent = dir.resolve(relative).getParent();
        Path file = lastFile(parent, dir.resolve(relative).getFileName().toString());
        Path away = dir.resolve("moved-away");
        Files.move(file, away);
        Exception e = assertThrows(Exception.class, () -> Engine.open(dir, options()).close());
        assertTrue(e instanceof IOException || e instanceof SundialException, e.toString());
        assertTrue(e.getMessage().contains(parent.toString()), "the error names where: " + e.getMessage());
        assertTrue(e.getMessage().contains("backup") || e.getMessage().contains("write \""),
                "the error says what to do: " + e.getMessage());
        Files.move(away, file);
        try (Engine engine = Engine.open(dir, options())) {
            assertEquals(secondsOfBatches(0), presentSeconds(engine), "restored, the data is back");
        }
    }
}
