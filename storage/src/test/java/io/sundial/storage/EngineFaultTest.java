package io.sundial.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.core.Point;
import io.sundial.core.SundialException;
import io.sundial.storage.format.CorruptFileException;
import io.sundial.storage.index.FieldRef;
import io.sundial.storage.index.TagMatcher;
import io.sundial.storage.manifest.PinnedVersion;
import io.sundial.storage.segment.ChunkMeta;
import io.sundial.storage.segment.SegmentReader;
import io.sundial.storage.wal.WalReplayReport;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real files damaged on disk: the engine reports what and where (file and offset), never returns
 * wrong data, keeps serving what is intact, and opens only when it can do so without silent loss.
 */
class EngineFaultTest {
    private static final int BATCHES = 6;
    private static final int BATCH_POINTS = 10;
    /** Bytes of a WAL record before its payload: length u32, type u8, entryCount u32, two CRC32C (docs/format/wal.md). */
    private static final int WAL_RECORD_HEADER_BYTES = 17;
    private static final int FILE_HEADER_BYTES = 16;

    @TempDir
    Path dir;

    private EngineOptions options() {
        return EngineOptions.defaults().withBackgroundCompaction(false).withPartitionDuration(Duration.ofDays(1));
    }

    private static List<Point> batch(int b) {
        List<Point> points = new ArrayList<>();
        for (int k = 0; k < BATCH_POINTS; k++) {
            long i = (long) b * BATCH_POINTS + k;
            points.add(Point.builder("cpu").tag("host", "h" + (k % 2)).floatField("v", i).timestamp(i * 1_000_000_000L).build());
        }
        return points;
    }

    /** Writes BATCHES batches (one WAL record each) and closes without flushing: the WAL holds them all. */
    private void writeBatchesToWalOnly() throws IOException {
        try (Engine engine = Engine.open(dir, options())) {
            for (int b = 0; b < BATCHES; b++) {
                engine.write(batch(b));
            }
        }
    }

    /** Timestamps (seconds) the engine holds for cpu, over both hosts. */
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

    private Path onlyFile(Path directory, String suffix) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            List<Path> matching = files.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
            assertFalse(matching.isEmpty(), "no " + suffix + " file in " + directory);
            return matching.getLast();
        }
    }

    /** Offsets of the records of a WAL segment, read from their length fields. */
    private static List<Long> walRecordOffsets(Path segment) throws IOException {
        byte[] bytes = Files.readAllBytes(segment);
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        List<Long> offsets = new ArrayList<>();
        long at = FILE_HEADER_BYTES;
        while (at < bytes.length) {
            offsets.add(at);
            at += WAL_RECORD_HEADER_BYTES + Integer.toUnsignedLong(buffer.getInt((int) at));
        }
        assertEquals(bytes.length, at, "records end exactly at the end of " + segment);
        return offsets;
    }

    private static void flipByte(Path file, long offset) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, offset);
            one.put(0, (byte) (one.get(0) ^ 0x5A));
            one.rewind();
            channel.write(one, offset);
        }
    }

    @Test
    void flippedByteInAChunkFailsThatSeriesWithFileAndOffsetAndOthersStillRead() throws Exception {
        Path segment;
        long chunkOffset;
        int chunkBytes;
        try (Engine engine = Engine.open(dir, options())) {
            for (int b = 0; b < BATCHES; b++) {
                engine.write(batch(b));
            }
            engine.flush();
            int seriesId = engine.readAll(new ReadRequest("cpu", List.of(TagMatcher.eq("host", "h0")), List.of(),
                    Long.MIN_VALUE, Long.MAX_VALUE)).getFirst().seriesId();
            FieldRef field = engine.fieldKeys("cpu").getFirst();
            try (PinnedVersion pinned = engine.pinVersion()) {
                assertEquals(1, pinned.version().files().size());
                segment = engine.segmentPath(pinned.version().files().getFirst().fileNumber());
            }
            try (SegmentReader reader = SegmentReader.open(segment)) {
                int[] chunks = reader.findChunks(seriesId, field.id(), Long.MIN_VALUE, Long.MAX_VALUE);
                assertEquals(1, chunks.length);
                ChunkMeta chunk = reader.chunk(chunks[0]);
                chunkOffset = chunk.fileOffset();
                chunkBytes = chunk.byteLength();
            }
        }
        flipByte(segment, chunkOffset + chunkBytes / 2);
        try (Engine engine = Engine.open(dir, options())) {
            CorruptFileException e = assertThrows(CorruptFileException.class, () -> engine.readAll(
                    new ReadRequest("cpu", List.of(TagMatcher.eq("host", "h0")), List.of(), Long.MIN_VALUE, Long.MAX_VALUE)));
            assertEquals(segment, e.file());
            assertEquals(chunkOffset, e.offset());
            assertTrue(e.getMessage().contains(segment.toString()) && e.getMessage().contains("offset " + chunkOffset),
                    e.getMessage());
            List<SeriesData> other = engine.readAll(new ReadRequest("cpu", List.of(TagMatcher.eq("host", "h1")), List.of(),
                    Long.MIN_VALUE, Long.MAX_VALUE));
            assertEquals(1, other.size());
            assertEquals(BATCHES * BATCH_POINTS / 2, other.getFirst().column("v").size(), "the intact series reads in full");
        }
    }

    @Test
    void tornWalTailIsCutAndReportedAndEarlierBatchesSurvive() throws Exception {
        writeBatchesToWalOnly();
        Path wal = onlyFile(dir.resolve("wal"), ".wal");
        List<Long> records = walRecordOffsets(wal);
        assertEquals(BATCHES, records.size(), "one record per batch");
        long size = Files.size(wal);
        try (FileChannel channel = FileChannel.open(wal, StandardOpenOption.WRITE)) {
            channel.truncate(size - 3); // the last record loses its end, as in a crash mid-write
        }
        try (Engine engine = Engine.open(dir, options())) {
            WalReplayReport report = engine.walReplayReport();
            assertTrue(report.tornTail().isPresent(), report.toString());
            assertEquals(wal, report.tornTail().get().file());
            assertEquals(records.getLast(), report.tornTail().get().offset(), "cut where the torn record began");
            assertEquals(BATCHES - 1, report.records());
            assertTrue(report.damages().isEmpty());
            assertEquals(secondsOfBatches(0, 1, 2, 3, 4), presentSeconds(engine));
        }
    }

    @Test
    void corruptWalRecordInTheMiddleRefusesOpenUnlessRepairIsOn() throws Exception {
        writeBatchesToWalOnly();
        Path wal = onlyFile(dir.resolve("wal"), ".wal");
        List<Long> records = walRecordOffsets(wal);
        long damaged = records.get(2);
        flipByte(wal, damaged + WAL_RECORD_HEADER_BYTES + 3); // inside the third record's payload

        CorruptFileException e = assertThrows(CorruptFileException.class, () -> Engine.open(dir, options()));
        assertEquals(wal, e.file());
        assertEquals(damaged, e.offset());
        assertTrue(e.getMessage().contains(wal.toString()) && e.getMessage().contains("offset " + damaged), e.getMessage());
        assertTrue(e.getMessage().contains("repair"), "the error says how to proceed: " + e.getMessage());

        try (Engine engine = Engine.open(dir, options().withWalRepair(true))) {
            WalReplayReport report = engine.walReplayReport();
            assertEquals(1, report.recordsDropped(), report.toString());
            assertEquals(BATCH_POINTS, report.entriesDropped(), report.toString());
            assertEquals(wal, report.damages().getFirst().file());
            assertEquals(damaged, report.damages().getFirst().offset());
            assertEquals(secondsOfBatches(0, 1, 3, 4, 5), presentSeconds(engine), "every other batch is there");
        }
    }

    @Test
    void corruptManifestRefusesOpen() throws Exception {
        try (Engine engine = Engine.open(dir, options())) {
            engine.write(batch(0));
            engine.flush();
            engine.write(batch(1));
            engine.flush();
        }
        Path manifest;
        try (Stream<Path> files = Files.list(dir.resolve("data"))) {
            manifest = files.filter(p -> p.getFileName().toString().startsWith("MANIFEST-")).findFirst().orElseThrow();
        }
        // Inside the first record (the snapshot): intact records follow, so this cannot pass as a torn tail.
        flipByte(manifest, FILE_HEADER_BYTES + 12);
        Path damagedManifest = manifest;
        CorruptFileException e = assertThrows(CorruptFileException.class, () -> Engine.open(dir, options()));
        assertEquals(damagedManifest, e.file());
        assertTrue(e.getMessage().contains(damagedManifest.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("backup"), "the error says what to do: " + e.getMessage());
        // The failed open released the directory: fixing the file and opening again is possible.
        flipByte(manifest, FILE_HEADER_BYTES + 12);
        try (Engine engine = Engine.open(dir, options())) {
            assertEquals(secondsOfBatches(0, 1), presentSeconds(engine));
        }
    }

    @Test
    void missingLiveSegmentFileRefusesOpenNamingIt() throws Exception {
        Path segment;
        try (Engine engine = Engine.open(dir, options())) {
            engine.write(batch(0));
            engine.flush();
            try (PinnedVersion pinned = engine.pinVersion()) {
                segment = engine.segmentPath(pinned.version().files().getFirst().fileNumber());
            }
        }
        Path moved = dir.resolve("moved-away.seg");
        Files.move(segment, moved);
        SundialException e = assertThrows(SundialException.class, () -> Engine.open(dir, options()));
        assertTrue(e.getMessage().contains(segment.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("missing") && e.getMessage().contains("backup"), e.getMessage());
        Files.move(moved, segment); // restored from "backup": the data is back
        try (Engine engine = Engine.open(dir, options())) {
            assertEquals(secondsOfBatches(0), presentSeconds(engine));
        }
    }
}
