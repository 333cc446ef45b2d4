package io.sundial.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.core.Point;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The active memtable is flushed once its native column pages pass {@link EngineOptions#memtableNativeBytesMax()},
 * however large the memtable budget: long columns live in native pages, outside the heap the budget
 * is derived from, so without this bound they stayed resident until the budget (up to 1 GiB) was reached.
 */
class MemtableNativeBoundTest {
    private static final int SERIES = 10;
    private static final int POINTS_PER_SERIES = 20_000;
    private static final int POINTS_PER_WRITE = 5_000;
    private static final long MIB = 1L << 20;

    @TempDir
    Path dir;

    @Test
    void longColumnsPastTheNativeBoundAreFlushedWithoutAFlushCall() throws Exception {
        // 200,000 points of one field: ~3.2 MB of timestamps and values, nearly all in native pages.
        EngineOptions options = EngineOptions.defaults().withBackgroundCompaction(false)
                .withMemtableBytesMax(1L << 30).withMemtableNativeBytesMax(MIB);
        try (Engine engine = Engine.open(dir, options)) {
            writeLongColumns(engine);
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (engine.stats().metrics().flushes() == 0) {
                assertTrue(System.nanoTime() < deadline, "no flush within 2 minutes of passing the native-page bound");
                LockSupport.parkNanos(Duration.ofMillis(20).toNanos()); // polling: the flush runs on its own thread
            }
            assertEquals(SERIES * POINTS_PER_SERIES, countPoints(engine));
        }
    }

    @Test
    void writersWaitForTheFlushWhenNativePagesOutgrowThreeMemtablesAndLoseNothing() throws Exception {
        // One slab of bound: every 5,000-point write of the ten long columns takes more than three
        // bounds of pages, so each write after the first waits until the previous memtable is flushed.
        EngineOptions options = EngineOptions.defaults().withBackgroundCompaction(false)
                .withMemtableBytesMax(1L << 30).withMemtableNativeBytesMax(64 << 10);
        try (Engine engine = Engine.open(dir, options)) {
            writeLongColumns(engine);
            engine.flush();
            int writes = POINTS_PER_SERIES / POINTS_PER_WRITE;
            // Each write's memtable was flushed on its own: by the next writer's wait, or by the flush call.
            assertTrue(engine.stats().metrics().flushes() >= writes, "flushes: " + engine.stats().metrics().flushes());
            assertEquals(SERIES * POINTS_PER_SERIES, countPoints(engine));
        }
    }

    @Test
    void belowTheNativeBoundNothingIsFlushed() throws Exception {
        EngineOptions options = EngineOptions.defaults().withBackgroundCompaction(false)
                .withMemtableBytesMax(1L << 30).withMemtableNativeBytesMax(1L << 30);
        try (Engine engine = Engine.open(dir, options)) {
            writeLongColumns(engine);
            // No trigger fired (budget and bound far away, no background maintenance), so no flush was queued.
            assertEquals(0, engine.stats().metrics().flushes());
            assertTrue(engine.stats().memtableBytes() > MIB, "the points are still in the memtable");
            assertEquals(SERIES * POINTS_PER_SERIES, countPoints(engine));
        }
    }

    @Test
    void manyShortColumnsPastTheNativeBoundAreLeftToTheHeapBudget() throws Exception {
        // 4,000 series of 80 points: past the 64 points grown on the heap each column takes a native
        // page of 32 points (512 bytes), ~2 MB of slabs in all, eight times the bound, but far below
        // the 4 KiB a column that marks long columns; a flush here would flush every short column.
        EngineOptions options = EngineOptions.defaults().withBackgroundCompaction(false)
                .withMemtableBytesMax(1L << 30).withMemtableNativeBytesMax(256 << 10);
        int series = 4_000;
        int pointsPerSeries = 80;
        try (Engine engine = Engine.open(dir, options)) {
            for (int start = 0; start < pointsPerSeries; start += 20) {
                List<Point> points = new ArrayList<>();
                for (int s = 0; s < series; s++) {
                    for (int i = start; i < start + 20; i++) {
                        points.add(Point.builder("cpu").tag("host", "h" + s).intField("v", i).timestamp(1_000_000L + i).build());
                    }
                }
                assertEquals(points.size(), engine.write(points).pointsWritten());
            }
            assertEquals(0, engine.stats().metrics().flushes());
            assertEquals((long) series * pointsPerSeries, countPoints(engine));
        }
    }

    @Test
    void theBoundDefaultsWhenZeroAndRejectsNegatives() {
        assertEquals(EngineOptions.MEMTABLE_NATIVE_BYTES_DEFAULT, EngineOptions.defaults().effectiveMemtableNativeBytesMax());
        assertEquals(5 * MIB, EngineOptions.defaults().withMemtableNativeBytesMax(5 * MIB).effectiveMemtableNativeBytesMax());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EngineOptions.defaults().withMemtableNativeBytesMax(-1));
        assertTrue(e.getMessage().contains("memtableNativeBytesMax must be >= 0"), e.getMessage());
    }

    private static void writeLongColumns(Engine engine) throws Exception {
        for (int start = 0; start < POINTS_PER_SERIES; start += POINTS_PER_WRITE) {
            List<Point> points = new ArrayList<>();
            for (int s = 0; s < SERIES; s++) {
                for (int i = start; i < start + POINTS_PER_WRITE; i++) {
                    points.add(Point.builder("cpu").tag("host", "h" + s).intField("v", i).timestamp(1_000_000L + i).build());
                }
            }
            WriteResult result = engine.write(points);
            assertEquals(points.size(), result.pointsWritten());
        }
    }

    private static long countPoints(Engine engine) throws Exception {
        long count = 0;
        try (ReadCursor cursor = engine.read(ReadRequest.all("cpu"))) {
            while (cursor.next()) {
                for (int c = 0; c < cursor.fields().size(); c++) {
                    count += cursor.column(c).size();
                }
            }
        }
        return count;
    }
}
