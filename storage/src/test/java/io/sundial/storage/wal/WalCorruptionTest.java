package io.sundial.storage.wal;

import static io.sundial.storage.wal.WalFixtures.append;
import static io.sundial.storage.wal.WalFixtures.options;
import static io.sundial.storage.wal.WalFixtures.texts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.storage.format.CorruptFileException;
import io.sundial.storage.format.FileHeaders;
import io.sundial.storage.format.FileKind;
import io.sundial.storage.io.BigEndian;
import io.sundial.storage.wal.WalFixtures.Collector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What replay makes of damaged segments. The log under test is two segments: records 0..4 in
 * segment 1, records 5..9 in segment 2 (the last one). Record i carries i + 1 entries.
 */
class WalCorruptionTest {
    private static final int RECORDS = 10;

    @TempDir
    Path dir;

    private final List<WalPosition> positions = new ArrayList<>();

    @BeforeEach
    void writeTwoSegments() throws IOException {
        try (Wal wal = Wal.open(dir, options(), new Collector())) {
            for (int i = 0; i < RECORDS; i++) {
                if (i == 5) {
                    wal.rotate();
                }
                positions.add(append(wal, i));
            }
        }
        assertEquals(List.of(1L, 2L), WalSegmentFiles.list(dir));
    }

    /** A way to damage the log, what replay must make of it, and what repair mode must. */
    private interface Damage {
        void apply(Path dir, List<WalPosition> positions) throws IOException;
    }

    /**
     * @param survivors records replayed, or -1 when open must fail
     * @param failingRecord the record whose position the error must name (when open fails)
     * @param repairSurvivors records replayed in repair mode, or -1 when even repair must fail
     */
    private record Case(String name, Damage damage, int survivors, boolean isTornTail, int failingRecord,
            int repairSurvivors, long recordsDropped, long entriesDropped) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                new Case("torn_last_record", (dir, p) -> truncate(dir, p.get(9), 20), 9, true, -1, 9, 0, 0),
                new Case("torn_last_record_header", (dir, p) -> truncate(dir, p.get(9), 5), 9, true, -1, 9, 0, 0),
                new Case("bad_checksum_last_record", (dir, p) -> flip(dir, p.get(9), 25), 9, true, -1, 9, 0, 0),
                new Case("zeroed_tail", (dir, p) -> appendZeros(dir, 2, 4096), 10, true, -1, 10, 0, 0),
                new Case("zeroed_last_record", (dir, p) -> zero(dir, p.get(9)), 9, true, -1, 9, 0, 0),
                new Case("garbage_tail", (dir, p) -> appendBytes(dir, 2, new byte[] {1, 2, 3, 4, 5}), 10, true, -1,
                        10, 0, 0),
                new Case("bad_checksum_middle", (dir, p) -> flip(dir, p.get(7), 25), -1, false, 7, 9, 1, 8),
                new Case("bad_header_checksum_middle", (dir, p) -> flip(dir, p.get(7), 10), -1, false, 7, 9, 1, 0),
                new Case("bad_length_middle", (dir, p) -> setLength(dir, p.get(7), 0x7FFF_FFFF), -1, false, 7, 9, 1,
                        0),
                new Case("bad_length_middle_shorter", (dir, p) -> setLength(dir, p.get(7), 3), -1, false, 7, 9, 1,
                        0),
                new Case("zeroed_middle_record", (dir, p) -> zero(dir, p.get(7)), -1, false, 7, 9, 1, 0),
                new Case("damaged_header", (dir, p) -> overwrite(dir, 2, 0, new byte[] {'X'}), -1, false, -2, 10, 0,
                        0),
                new Case("bad_record_in_older_segment", (dir, p) -> flip(dir, p.get(2), 30), -1, false, 2, 9, 1, 3),
                new Case("torn_tail_in_older_segment", (dir, p) -> truncate(dir, p.get(4), 20), -1, false, 4, 9, 1,
                        5),
                new Case("incomplete_new_segment", (dir, p) -> Files.write(WalSegmentFiles.path(dir, 3),
                        Arrays.copyOf(FileHeaders.encode(FileKind.WAL_SEGMENT, 1), 7)), 10, true, -1, 10, 0, 0),
                new Case("empty_new_segment", (dir, p) -> Files.write(WalSegmentFiles.path(dir, 3), new byte[0]), 10,
                        true, -1, 10, 0, 0))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void replayWithoutRepair(Case c) throws IOException {
        c.damage().apply(dir, positions);
        Collector replayed = new Collector();
        if (c.survivors() < 0) {
            CorruptFileException e = assertThrows(CorruptFileException.class,
                    () -> Wal.open(dir, options(), replayed).close());
            WalPosition expected = c.failingRecord() == -2 ? new WalPosition(2, 0) : positions.get(c.failingRecord());
            assertEquals(WalSegmentFiles.path(dir, expected.segmentId()), e.file());
            assertEquals(expected.offset(), e.offset());
            assertTrue(e.getMessage().contains(e.file().toString()), e.getMessage());
            assertTrue(e.getMessage().contains("at offset " + expected.offset()), e.getMessage());
            assertTrue(e.getMessage().contains("repair mode"), e.getMessage());
            return;
        }
        try (Wal wal = Wal.open(dir, options(), replayed)) {
            assertEquals(texts(0, c.survivors()), replayed.texts());
            assertEquals(c.isTornTail(), wal.replayReport().tornTail().isPresent());
            assertTrue(wal.replayReport().damages().isEmpty());
            append(wal, 100);
        }
        Collector again = new Collector();
        try (Wal wal = Wal.open(dir, options(), again)) {
            List<String> expected = new ArrayList<>(texts(0, c.survivors()));
            expected.add(WalFixtures.text(100));
            assertEquals(expected, again.texts(), "the cut is durable and appends continue after it");
            assertTrue(wal.replayReport().tornTail().isEmpty());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void replayWithRepair(Case c) throws IOException {
        c.damage().apply(dir, positions);
        Collector replayed = new Collector();
        try (Wal wal = Wal.open(dir, options().withRepair(true), replayed)) {
            assertEquals(c.repairSurvivors(), replayed.records.size(), () -> "replayed " + replayed.texts());
            WalReplayReport report = wal.replayReport();
            assertEquals(c.repairSurvivors(), report.records());
            assertEquals(c.recordsDropped(), report.recordsDropped());
            assertEquals(c.entriesDropped(), report.entriesDropped());
            if (c.survivors() < 0) {
                assertFalse(report.damages().isEmpty(), "repair reports what it skipped");
            }
        }
    }

    @Test
    void tornTailAtEveryByteOfTheLastRecordKeepsExactlyTheEarlierRecords() throws IOException {
        Path segment = WalSegmentFiles.path(dir, 2);
        byte[] pristine = Files.readAllBytes(segment);
        int lastStart = (int) positions.get(9).offset();
        for (int cut = lastStart; cut < pristine.length; cut++) {
            Files.write(segment, Arrays.copyOf(pristine, cut));
            assertTornTailCut(segment, cut, lastStart, "truncated to " + cut);
        }
    }

    @Test
    void zeroFilledTailFromEveryByteOfTheLastRecordKeepsExactlyTheEarlierRecords() throws IOException {
        Path segment = WalSegmentFiles.path(dir, 2);
        byte[] pristine = Files.readAllBytes(segment);
        int lastStart = (int) positions.get(9).offset();
        for (int from = lastStart; from < pristine.length; from++) {
            byte[] damaged = pristine.clone();
            Arrays.fill(damaged, from, damaged.length, (byte) 0);
            Files.write(segment, damaged);
            assertTornTailCut(segment, damaged.length, lastStart, "zeroed from " + from);
        }
    }

    private void assertTornTailCut(Path segment, int length, int lastStart, String what) throws IOException {
        Collector replayed = new Collector();
        Path newSegment;
        try (Wal wal = Wal.open(dir, options(), replayed)) {
            assertEquals(texts(0, 9), replayed.texts(), what);
            var torn = wal.replayReport().tornTail();
            assertEquals(length > lastStart, torn.isPresent(), what);
            torn.ifPresent(t -> {
                assertEquals(segment, t.file(), what);
                assertEquals(lastStart, t.offset(), what);
                assertEquals(length - lastStart, t.bytes(), what);
            });
            newSegment = WalSegmentFiles.path(dir, wal.activeSegmentId());
        }
        assertEquals(lastStart, Files.size(segment), what + ": file truncated to the last good record");
        Files.delete(newSegment);
    }

    @Test
    void everyFlippedByteOfAMiddleRecordIsDetected() throws IOException {
        WalPosition middle = positions.get(7);
        int length = WalRecordFormat.HEADER_BYTES + WalFixtures.payload(7).length;
        Path segment = WalSegmentFiles.path(dir, 2);
        byte[] pristine = Files.readAllBytes(segment);
        for (int i = 0; i < length; i++) {
            byte[] damaged = pristine.clone();
            damaged[(int) middle.offset() + i] ^= (byte) (1 << (i % 8));
            Files.write(segment, damaged);
            String what = "bit " + (i % 8) + " of byte " + i + " of the record";
            CorruptFileException e = assertThrows(CorruptFileException.class,
                    () -> Wal.open(dir, options(), new Collector()).close(), what);
            assertEquals(middle.offset(), e.offset(), what);
            assertEquals(segment, e.file(), what);
            Collector repaired = new Collector();
            try (Wal wal = Wal.open(dir, options().withRepair(true), repaired)) {
                List<String> expected = new ArrayList<>(texts(0, 7));
                expected.addAll(texts(8, 10));
                assertEquals(expected, repaired.texts(), what);
                assertEquals(1, wal.replayReport().recordsDropped(), what);
                Files.delete(WalSegmentFiles.path(dir, wal.activeSegmentId()));
            }
        }
    }

    @Test
    void repairCountsEveryDamagedRegion() throws IOException {
        flip(dir, positions.get(1), 20);
        flip(dir, positions.get(6), 20);
        flip(dir, positions.get(7), 20);
        Collector replayed = new Collector();
        try (Wal wal = Wal.open(dir, options().withRepair(true), replayed)) {
            assertEquals(List.of(0, 2, 3, 4, 5, 8, 9), replayed.texts().stream()
                    .map(t -> Integer.parseInt(t.split("-")[1])).toList());
            WalReplayReport report = wal.replayReport();
            assertEquals(3, report.recordsDropped());
            assertEquals(2 + 7 + 8, report.entriesDropped());
            assertTrue(report.damages().stream().allMatch(WalReplayReport.Damage::entriesExact));
            assertEquals(List.of(positions.get(1).offset(), positions.get(6).offset()),
                    report.damages().stream().map(WalReplayReport.Damage::offset).toList(),
                    "adjacent damaged records form one region");
        }
    }

    @Test
    void aSegmentFromANewerVersionIsRefusedEvenInRepairMode() throws IOException {
        byte[] version = new byte[4];
        BigEndian.putInt(version, 0, WalRecordFormat.VERSION_CURRENT + 1);
        overwrite(dir, 2, 8, version);
        CorruptFileException e = assertThrows(CorruptFileException.class,
                () -> Wal.open(dir, options().withRepair(true), new Collector()).close());
        assertTrue(e.getMessage().contains("too new"), e.getMessage());
        assertEquals(8, e.offset());
    }

    // Damage primitives. Offsets are relative to a record's start unless said otherwise.

    private static void truncate(Path dir, WalPosition record, int keepBytes) throws IOException {
        Path file = WalSegmentFiles.path(dir, record.segmentId());
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, (int) record.offset() + keepBytes));
    }

    private static void flip(Path dir, WalPosition record, int at) throws IOException {
        Path file = WalSegmentFiles.path(dir, record.segmentId());
        byte[] bytes = Files.readAllBytes(file);
        bytes[(int) record.offset() + at] ^= (byte) 0x40;
        Files.write(file, bytes);
    }

    private static void setLength(Path dir, WalPosition record, int length) throws IOException {
        byte[] field = new byte[4];
        BigEndian.putInt(field, 0, length);
        overwrite(dir, record.segmentId(), record.offset(), field);
    }

    private static void zero(Path dir, WalPosition record) throws IOException {
        Path file = WalSegmentFiles.path(dir, record.segmentId());
        byte[] bytes = Files.readAllBytes(file);
        int length = WalRecordFormat.HEADER_BYTES + BigEndian.getInt(bytes, (int) record.offset());
        Arrays.fill(bytes, (int) record.offset(), (int) record.offset() + length, (byte) 0);
        Files.write(file, bytes);
    }

    private static void overwrite(Path dir, long segmentId, long offset, byte[] with) throws IOException {
        Path file = WalSegmentFiles.path(dir, segmentId);
        byte[] bytes = Files.readAllBytes(file);
        System.arraycopy(with, 0, bytes, (int) offset, with.length);
        Files.write(file, bytes);
    }

    private static void appendZeros(Path dir, long segmentId, int count) throws IOException {
        appendBytes(dir, segmentId, new byte[count]);
    }

    private static void appendBytes(Path dir, long segmentId, byte[] extra) throws IOException {
        Files.write(WalSegmentFiles.path(dir, segmentId), extra, java.nio.file.StandardOpenOption.APPEND);
    }
}
