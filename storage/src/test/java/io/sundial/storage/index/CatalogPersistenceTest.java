package io.sundial.storage.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.core.FieldType;
import io.sundial.core.SeriesKey;
import io.sundial.storage.format.CorruptFileException;
import io.sundial.storage.format.FileHeaders;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.roaringbitmap.RoaringBitmap;

class CatalogPersistenceTest {
    @TempDir
    Path dir;

    Path logFile() {
        return dir.resolve(CatalogLog.FILE_NAME);
    }

    SeriesCatalog open() throws IOException {
        return SeriesCatalog.open(dir, CatalogOptions.defaults());
    }

    static SeriesKey host(int i) {
        return SeriesKey.of("cpu", "host", "h" + i, "region", i % 2 == 0 ? "us" : "eu");
    }

    @Test
    void roundTripRestoresIdsKeysFieldsAndIndex() throws IOException {
        try (SeriesCatalog c = open()) {
            for (int i = 0; i < 5; i++) {
                assertEquals(i, c.seriesId(host(i)));
            }
            c.seriesId(SeriesKey.of("mem", "host", "h0"));
            c.field("cpu", "usage", FieldType.FLOAT);
            c.field("mem", "free", FieldType.UNSIGNED);
            c.persist();
        }
        try (SeriesCatalog c = open()) {
            assertEquals(0, c.recoveredTornTailBytes());
            assertEquals(6, c.seriesCount());
            for (int i = 0; i < 5; i++) {
                assertEquals(host(i), c.seriesKey(i));
                assertEquals(i, c.lookup(host(i)));
            }
            assertEquals(RoaringBitmap.bitmapOf(0, 2, 4), c.select("cpu", List.of(TagMatcher.eq("region", "us"))));
            assertEquals(List.of("cpu", "mem"), c.measurements());
            assertEquals(List.of("h0"), c.tagValues("mem", "host", null));
            assertEquals(new FieldRef(1, "mem", "free", FieldType.UNSIGNED), c.lookupField("mem", "free"));
            assertThrows(FieldTypeConflictException.class, () -> c.field("cpu", "usage", FieldType.STRING));
            assertEquals(new CatalogMark(6, 2), c.mark());
            assertEquals(6, c.seriesId(host(6)));
            assertEquals(2, c.field("cpu", "idle", FieldType.FLOAT).id());
        }
    }

    @Test
    void persistAppendsOnlyWhatIsNew() throws IOException {
        try (SeriesCatalog c = open()) {
            c.seriesId(host(0));
            c.persist();
            long first = Files.size(logFile());
            c.persist();
            long idle = Files.size(logFile()) - first;
            c.seriesId(host(1));
            c.persist();
            long withOne = Files.size(logFile()) - first - idle;
            assertTrue(idle < 64, "an idle persist writes only next-ids and commit, wrote " + idle);
            assertTrue(withOne > idle && withOne < idle + 64, "one series adds one record, wrote " + withOne);
        }
        try (SeriesCatalog c = open()) {
            assertEquals(2, c.seriesCount());
        }
    }

    @Test
    void dropsArePersistedAndIdsStayRetired() throws IOException {
        try (SeriesCatalog c = open()) {
            for (int i = 0; i < 4; i++) {
                c.seriesId(host(i));
            }
            c.seriesId(SeriesKey.of("mem", "host", "h0"));
            c.field("mem", "free", FieldType.INTEGER);
            c.persist();
            c.dropSeries(RoaringBitmap.bitmapOf(1));
            c.dropMeasurement("mem");
            int unpersisted = c.seriesId(host(9));
            c.dropSeries(RoaringBitmap.bitmapOf(unpersisted));
            c.persist();
        }
        try (SeriesCatalog c = open()) {
            assertEquals(3, c.seriesCount());
            assertNull(c.seriesKey(1));
            assertEquals(List.of("cpu"), c.measurements());
            assertEquals(List.of(), c.fields("mem"));
            assertEquals(6, c.seriesId(host(1)), "ids 1, 4 and 5 stay retired, even 5 which was never persisted");
            // The WAL may still define retired ids: restoring them must not resurrect them.
            c.restoreSeries(1, host(1 + 100));
            c.restoreSeries(4, SeriesKey.of("mem", "host", "h0"));
            c.restoreField(new FieldRef(0, "mem", "free", FieldType.INTEGER));
            assertNull(c.seriesKey(4));
            assertNull(c.lookupField("mem", "free"));
        }
    }

    @Test
    void walDefinitionsAreRestoredWithTheirIdsIdempotently() throws IOException {
        try (SeriesCatalog c = open()) {
            c.seriesId(host(0));
            c.persist();
        }
        try (SeriesCatalog c = open()) {
            c.restoreSeries(0, host(0));
            c.restoreSeries(3, host(3));
            c.restoreSeries(3, host(3));
            c.restoreSeries(1, host(1));
            c.restoreField(new FieldRef(2, "cpu", "usage", FieldType.FLOAT));
            c.restoreField(new FieldRef(2, "cpu", "usage", FieldType.FLOAT));
            assertEquals(3, c.seriesCount());
            assertEquals(host(3), c.seriesKey(3));
            assertEquals(1, c.lookup(host(1)));
            assertEquals(RoaringBitmap.bitmapOf(1, 3), c.select("cpu", List.of(TagMatcher.eq("region", "eu"))));
            assertEquals(4, c.seriesId(host(4)), "new ids continue after the highest restored id");
            assertEquals(3, c.field("cpu", "idle", FieldType.FLOAT).id());
            assertThrows(IllegalStateException.class, () -> c.restoreSeries(3, host(5)));
            assertThrows(IllegalStateException.class, () -> c.restoreSeries(9, host(3)));
            assertThrows(IllegalStateException.class,
                    () -> c.restoreField(new FieldRef(2, "cpu", "usage", FieldType.STRING)));
            c.persist();
        }
        try (SeriesCatalog c = open()) {
            assertEquals(4, c.seriesCount());
            assertEquals(host(3), c.seriesKey(3));
            assertNull(c.seriesKey(2));
        }
    }

    @Test
    void logIsCompactedWhenDroppedSeriesDominate() throws IOException {
        CatalogOptions options = CatalogOptions.defaults().withCompactionDeadSeriesMin(10);
        long before;
        try (SeriesCatalog c = SeriesCatalog.open(dir, options)) {
            for (int i = 0; i < 100; i++) {
                c.seriesId(host(i));
            }
            c.persist();
            before = Files.size(logFile());
            RoaringBitmap drop = new RoaringBitmap();
            drop.add(0L, 60L);
            c.dropSeries(drop);
            c.persist(); // the log would describe 60 dead series and 40 live ones: rewrite instead
            assertTrue(Files.size(logFile()) < before / 2, "rewritten log " + Files.size(logFile()) + " vs " + before);
            assertEquals(100, c.seriesId(host(0)));
            c.persist();
        }
        try (SeriesCatalog c = SeriesCatalog.open(dir, options)) {
            assertEquals(41, c.seriesCount());
            assertNull(c.seriesKey(59));
            assertEquals(host(60), c.seriesKey(60));
            assertEquals(100, c.lookup(host(0)));
            assertEquals(101, c.seriesId(host(1)));
            assertTrue(Files.notExists(dir.resolve(CatalogLog.FILE_NAME + ".tmp")));
        }
    }

    /** A damaged log: how many of the 3 + 2 series of two batches survive, or which offset is reported. */
    static Stream<Arguments> damage() {
        return Stream.of(
                Arguments.of("torn_record_header", (Damage) (f, batch1End, batch2End) -> truncate(f, batch1End + 5), 3, -1),
                Arguments.of("torn_record_body", (Damage) (f, batch1End, batch2End) -> truncate(f, batch1End + 20), 3, -1),
                Arguments.of("torn_commit", (Damage) (f, batch1End, batch2End) -> truncate(f, batch2End - 3), 5, -1),
                Arguments.of("bad_checksum_in_last_batch", (Damage) (f, batch1End, batch2End) -> flip(f, batch1End + 12), 3, -1),
                Arguments.of("zero_filled_tail", (Damage) (f, batch1End, batch2End) -> append(f, new byte[4096]), 5, -1),
                Arguments.of("bad_checksum_in_committed_batch",
                        (Damage) (f, batch1End, batch2End) -> flip(f, FileHeaders.HEADER_BYTES + 12), 0,
                        FileHeaders.HEADER_BYTES),
                Arguments.of("bad_magic", (Damage) (f, batch1End, batch2End) -> flip(f, 0), 0, 0));
    }

    @FunctionalInterface
    interface Damage {
        void apply(Path file, long batch1End, long batch2End) throws IOException;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("damage")
    void damagedLog(String name, Damage damage, int survivors, long corruptOffset) throws IOException {
        long batch1End;
        long batch2End;
        try (SeriesCatalog c = open()) {
            for (int i = 0; i < 3; i++) {
                c.seriesId(host(i));
            }
            c.persist();
            batch1End = Files.size(logFile());
            c.seriesId(host(3));
            c.seriesId(host(4));
            c.persist();
            batch2End = Files.size(logFile());
        }
        damage.apply(logFile(), batch1End, batch2End);
        if (corruptOffset >= 0) {
            CorruptFileException e = assertThrows(CorruptFileException.class, this::open, name);
            assertEquals(corruptOffset, e.offset(), e.getMessage());
            assertTrue(e.getMessage().contains(CatalogLog.FILE_NAME), e.getMessage());
            return;
        }
        try (SeriesCatalog c = open()) {
            assertEquals(survivors, c.seriesCount(), name);
            for (int i = 0; i < survivors; i++) {
                assertEquals(host(i), c.seriesKey(i), name);
            }
            c.seriesId(host(7));
            c.persist();
        }
        try (SeriesCatalog c = open()) {
            assertEquals(0, c.recoveredTornTailBytes(), name + ": the cut tail stays cut");
            assertEquals(survivors + 1, c.seriesCount(), name);
        }
    }

    static void truncate(Path f, long size) throws IOException {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            ch.truncate(size);
        }
    }

    static void flip(Path f, long offset) throws IOException {
        byte[] bytes = Files.readAllBytes(f);
        bytes[(int) offset] ^= 0x40;
        Files.write(f, bytes);
    }

    static void append(Path f, byte[] bytes) throws IOException {
        Files.write(f, bytes, StandardOpenOption.APPEND);
    }
}
