package io.sundial.storage.wal;

import static io.sundial.storage.wal.WalFixtures.append;
import static io.sundial.storage.wal.WalFixtures.options;
import static io.sundial.storage.wal.WalFixtures.texts;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.storage.format.FileHeaders;
import io.sundial.storage.wal.WalFixtures.Collector;
import io.sundial.storage.wal.WalFixtures.ManualClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalTest {
    @TempDir
    Path dir;

    @Test
    void replaysEveryRecordInOrderWithItsPositionTypeAndPayload() throws IOException {
        List<WalPosition> positions = new ArrayList<>();
        try (Wal wal = Wal.open(dir, options(), new Collector())) {
            for (int i = 0; i < 100; i++) {
                positions.add(append(wal, i));
            }
            byte[] empty = new byte[0];
            positions.add(wal.append((byte) 7, empty, 0, 0, 0));
        }
        for (int i = 1; i < positions.size(); i++) {
            assertTrue(positions.get(i - 1).compareTo(positions.get(i)) < 0, "positions increase");
        }
        Collector replayed = new Collector();
        try (Wal wal = Wal.open(dir, options(), replayed)) {
            assertEquals(101, replayed.records.size());
            for (int i = 0; i < 100; i++) {
                assertEquals(WalFixtures.text(i), replayed.records.get(i).text());
                assertEquals((byte) (i % 3), replayed.records.get(i).type());
                assertEquals(positions.get(i), replayed.records.get(i).position());
            }
            assertEquals(0, replayed.records.get(100).payload().length);
            assertEquals(7, replayed.records.get(100).type());
            WalReplayReport report = wal.replayReport();
            assertEquals(101, report.records());
            assertEquals(100 * 101 / 2, report.entries(), "sum of entry counts 1..100");
            assertEquals(List.of(1L), report.segmentIds());
            assertTrue(report.tornTail().isEmpty());
            assertTrue(report.damages().isEmpty());
        }
    }

    @Test
    void appendUsesOnlyTheGivenSliceOfThePayload() throws IOException {
        byte[] buffer = "..hello..".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (Wal wal = Wal.open(dir, options(), new Collector())) {
            wal.append((byte) 1, buffer, 2, 5, 1);
        }
        Collector replayed = new Collector();
        Wal.open(dir, options(), replayed).close();
        assertEquals(List.of("hello"), replayed.texts());
    }

    @Test
    void rejectsPayloadsOverTheLimitAndBadArguments() throws IOException {
        try (Wal wal = Wal.open(dir, options(), new Collector())) {
            byte[] small = new byte[8];
            var tooBig = assertThrows(IllegalArgumentException.class,
                    () -> wal.append((byte) 0, small, 0, WalRecordFormat.PAYLOAD_BYTES_MAX + 1, 1));
            assertTrue(tooBig.getMessage().contains("exceeds the limit of 268435456 bytes"), tooBig.getMessage());
            assertThrows(IndexOutOfBoundsException.class, () -> wal.append((byte) 0, small, 4, 5, 1));
            assertThrows(IllegalArgumentException.class, () -> wal.append((byte) 0, small, 0, 8, -1));
            append(wal, 0);
        }
    }

    @Test
    void everyOpenContinuesInANewSegment() throws IOException {
        try (Wal wal = Wal.open(dir, options(), new Collector())) {
            assertEquals(1, wal.activeSegmentId());
            append(wal, 0);
        }
        try (Wal wal = Wal.open(dir, options(), new Collector())) {
            assertEquals(2, wal.activeSegmentId());
            assertEquals(List.of(1L, 2L), wal.segmentIds());
            assertEquals(new WalPosition(2, FileHeaders.HEADER_BYTES), append(wal, 1));
        }
        assertTrue(Files.exists(dir.resolve("0000000000000001.wal")));
        assertTrue(Files.exists(dir.resolve("0000000000000002.wal")));
        Collector replayed = new Collector();
        Wal.open(dir, options(), replayed).close();
        assertEquals(texts(0, 2), replayed.texts());
    }

    @Test
    void rotatesBeforeARecordWouldPassTheSegmentSizeLimit() throws IOException {
        WalOptions options = options().withSegmentBytesMax(1024);
        try (Wal wal = Wal.open(dir, options, new Collector())) {
            for (int i = 0; i < 100; i++) {
                append(wal, i);
            }
            List<Long> ids = wal.segmentIds();
            assertTrue(ids.size() >= 4, "100 records of 30-60 bytes need several 1 KiB segments: " + ids);
            long total = 0;
            for (long id : ids) {
                long size = Files.size(WalSegmentFiles.path(dir, id));
                assertTrue(size <= 1024, "segment " + id + " is " + size + " bytes");
                assertTrue(size > FileHeaders.HEADER_BYTES, "segment " + id + " holds records");
                total += size;
            }
            assertEquals(total, wal.sizeBytes());
        }
        Collector replayed = new Collector();
        Wal.open(dir, options, replayed).close();
        assertEquals(texts(0, 100), replayed.texts());
    }

    @Test
    void aRecordLargerThanASegmentGetsASegmentOfItsOwn() throws IOException {
        WalOptions options = options().withSegmentBytesMax(1024);
        byte[] big = new byte[3000];
        try (Wal wal = Wal.open(dir, options, new Collector())) {
            WalPosition first = append(wal, 0);
            WalPosition large = wal.append((byte) 1, big, 0, big.length, 1);
            WalPosition after = append(wal, 1);
            assertEquals(1, first.segmentId());
            assertEquals(new WalPosition(2, FileHeaders.HEADER_BYTES), large);
            assertEquals(new WalPosition(3, FileHeaders.HEADER_BYTES), after);
        }
        Collector replayed = new Collector();
        Wal.open(dir, options, replayed).close();
        assertEquals(3, replayed.records.size());
        assertArrayEquals(big, replayed.records.get(1).payload());
    }

    /** Records pass through a bounded staging buffer; one larger than it is written in pieces. */
    @Test
    void recordsLargerThanTheStagingBufferReplayIntact() throws IOException {
        byte[] big = new byte[WalWriter.STAGING_BYTES * 2 + 12_345];
        new java.util.Random(7).nextBytes(big);
        try (Wal wal = Wal.open(dir, options(), new Collector())) {
            append(wal, 0);
            wal.append((byte) 1, big, 0, big.length, 1);
            append(wal, 1);
        }
        Collector replayed = new Collector();
        Wal.open(dir, options(), replayed).close();
        assertEquals(3, replayed.records.size());
        assertArrayEquals(big, replayed.records.get(1).payload());
        assertEquals(texts(1, 2).getFirst(), replayed.records.get(2).text());
    }

    @Test
    void rotatesWhenTheActiveSegmentReachesItsMaximumAge() throws IOException {
        ManualClock clock = new ManualClock();
        WalOptions options = options().withClock(clock).withSegmentAgeMax(Duration.ofMinutes(10));
        try (Wal wal = Wal.open(dir, options, new Collector())) {
            assertEquals(1, append(wal, 0).segmentId());
            clock.advance(Duration.ofMinutes(9));
            assertEquals(1, append(wal, 1).segmentId(), "9 minutes old: still young enough");
            clock.advance(Duration.ofMinutes(1));
            assertEquals(2, append(wal, 2).segmentId(), "10 minutes old: rotated before the append");
            clock.advance(Duration.ofMinutes(5));
            assertEquals(2, append(wal, 3).segmentId(), "the new segment's age counts from its creation");
        }
    }

    @Test
    void anEmptySegmentIsNotRotatedForAge() throws IOException {
        ManualClock clock = new ManualClock();
        try (Wal wal = Wal.open(dir, options().withClock(clock), new Collector())) {
            clock.advance(Duration.ofHours(1));
            assertEquals(1, append(wal, 0).segmentId());
        }
    }

    @Test
    void rotatePutsEveryEarlierRecordBelowTheReturnedId() throws IOException {
        try (Wal wal = Wal.open(dir, options(), new Collector())) {
            WalPosition before = append(wal, 0);
            long id = wal.rotate();
            assertTrue(before.segmentId() < id);
            assertEquals(id, wal.activeSegmentId());
            assertEquals(id, wal.rotate(), "rotating an empty segment keeps it");
            assertEquals(id, append(wal, 1).segmentId());
        }
    }

    @Test
    void removeSegmentsBeforeDeletesOlderSegmentsButNeverTheActiveOne() throws IOException {
        try (Wal wal = Wal.open(dir, options(), new Collector())) {
            append(wal, 0);
            wal.rotate();
            append(wal, 1);
            long third = wal.rotate();
            append(wal, 2);
            assertEquals(List.of(1L, 2L, 3L), wal.segmentIds());
            long sizeBefore = wal.sizeBytes();

            wal.removeSegmentsBefore(2);
            assertEquals(List.of(2L, 3L), wal.segmentIds());
            assertFalse(Files.exists(WalSegmentFiles.path(dir, 1)));
            assertTrue(wal.sizeBytes() < sizeBefore);

            wal.removeSegmentsBefore(Long.MAX_VALUE);
            assertEquals(List.of(third), wal.segmentIds(), "the active segment survives");
            assertTrue(Files.exists(WalSegmentFiles.path(dir, third)));
            assertEquals(Files.size(WalSegmentFiles.path(dir, third)), wal.sizeBytes());
        }
        Collector replayed = new Collector();
        Wal.open(dir, options(), replayed).close();
        assertEquals(texts(2, 3), replayed.texts());
    }

    @Test
    void alwaysPolicyFsyncsEveryLoneAppend() throws IOException {
        try (Wal wal = Wal.open(dir, options(), new Collector())) {
            long afterOpen = wal.fsyncCount();
            for (int i = 0; i < 10; i++) {
                append(wal, i);
            }
            assertEquals(afterOpen + 10, wal.fsyncCount(), "one thread, one record per group, one fsync each");
        }
    }

    @Test
    void intervalPolicyAcknowledgesBeforeFsyncAndSyncsOnRotateAndClose() throws IOException {
        WalOptions options = options().withFsyncPolicy(new FsyncPolicy.Interval(Duration.ofMinutes(10)));
        Wal wal = Wal.open(dir, options, new Collector());
        long afterOpen = wal.fsyncCount();
        for (int i = 0; i < 50; i++) {
            append(wal, i);
        }
        assertEquals(afterOpen, wal.fsyncCount(), "no fsync within the interval");
        wal.rotate();
        assertEquals(afterOpen + 2, wal.fsyncCount(), "rotate fsyncs the old segment and the new one's header");
        append(wal, 50);
        wal.close();
        assertEquals(afterOpen + 3, wal.fsyncCount(), "close fsyncs what the interval had not");
        Collector replayed = new Collector();
        Wal.open(dir, options, replayed).close();
        assertEquals(texts(0, 51), replayed.texts());
    }

    @Test
    void intervalPolicyFsyncsInTheBackground() throws Exception {
        WalOptions options = options().withFsyncPolicy(FsyncPolicy.parse("interval=5ms"));
        try (Wal wal = Wal.open(dir, options, new Collector())) {
            long afterOpen = wal.fsyncCount();
            append(wal, 0);
            assertTrue(wal.awaitFsyncCount(afterOpen + 1, Duration.ofSeconds(30)), "background fsync happened");
        }
    }

    @Test
    void aSecondOpenOfTheSameDirectoryIsRefused() throws IOException {
        try (Wal wal = Wal.open(dir, options(), new Collector())) {
            IOException e = assertThrows(IOException.class, () -> Wal.open(dir, options(), new Collector()));
            assertTrue(e.getMessage().contains("already open"), e.getMessage());
            append(wal, 0);
        }
        Wal.open(dir, options(), new Collector()).close();
    }

    @Test
    void appendAfterCloseFailsClearly() throws IOException {
        Wal wal = Wal.open(dir, options(), new Collector());
        wal.close();
        wal.close();
        IOException e = assertThrows(IOException.class, () -> append(wal, 0));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }
}
