package io.sundial.storage.memtable;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.core.FieldType;
import io.sundial.storage.Column;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MemtableTest {
    private static final FieldType[] FLOAT = {FieldType.FLOAT};

    private static void put(Memtable m, int series, int field, long ts, long value) {
        m.append(series, ts, 1, new int[] {field}, FLOAT, new long[] {value}, null);
    }

    @Test
    void inOrderAppendsReadBackInRange() {
        Memtable m = new Memtable(1, 0);
        for (int t = 0; t < 100; t++) {
            put(m, 7, 2, t * 10L, t);
        }
        Column c = m.read(7, 2, 100, 199);
        assertEquals(10, c.size());
        assertEquals(100, c.timestamp(0));
        assertEquals(190, c.timestamp(9));
        assertEquals(10, c.longValue(0));
        assertNull(m.read(7, 2, 1000, 2000));
        assertNull(m.read(8, 2, 0, 1000));
        assertEquals(100, m.pointCount());
        assertEquals(0, m.minTime());
        assertEquals(990, m.maxTime());
    }

    /**
     * Columns grow by copying up to 64 points, then in pages (half as many as the column holds, up to 512); every
     * size around a page boundary reads back whole, in ranges, after a read in the middle of the
     * appends, and through sortedColumns. Expected values are computed from the loop index.
     */
    @ParameterizedTest(name = "{0} points, read after {1}, out of order every {2}")
    @CsvSource({
            "1, 0, 0", "2, 1, 0", "3, 2, 0", "10, 0, 0", "11, 10, 0", "40, 20, 0", "64, 63, 0", "65, 64, 0", "100, 64, 0", "1024, 500, 0", "1025, 1024, 0", "1537, 1536, 0",
            "2049, 2048, 0", "5000, 3333, 0", "3000, 1500, 7", "2050, 0, 1025"})
    void pagedColumnsReadBackWhole(int points, int readAfter, int outOfOrderEvery) {
        Memtable m = new Memtable(1, 0);
        TreeMap<Long, Long> model = new TreeMap<>();
        for (int t = 0; t < points; t++) {
            // Every outOfOrderEvery-th point goes back in time onto an earlier timestamp (last write wins).
            long ts = outOfOrderEvery > 0 && t % outOfOrderEvery == outOfOrderEvery - 1 ? (t / 2) * 10L : t * 10L;
            put(m, 5, 1, ts, t);
            model.put(ts, (long) t);
            if (t + 1 == readAfter) {
                assertColumn(model, m.read(5, 1, Long.MIN_VALUE, Long.MAX_VALUE));
            }
        }
        assertColumn(model, m.read(5, 1, Long.MIN_VALUE, Long.MAX_VALUE));
        long from = (points / 3) * 10L;
        long to = (2L * points / 3) * 10L;
        TreeMap<Long, Long> range = new TreeMap<>(model.subMap(from, true, to, true));
        Column c = m.read(5, 1, from, to);
        if (range.isEmpty()) {
            assertNull(c);
        } else {
            assertColumn(range, c);
        }
        List<Memtable.FrozenColumn> columns = m.sortedColumns();
        assertEquals(1, columns.size());
        assertColumn(model, columns.getFirst().column());
    }

    @Test
    void pagedStringColumnsReadBackWhole() {
        Memtable m = new Memtable(1, 0);
        FieldType[] string = {FieldType.STRING};
        for (int t = 0; t < 3000; t++) {
            m.append(9, t, 1, new int[] {1}, string, new long[1], new String[] {"s" + t});
        }
        Column c = m.read(9, 1, 1000, 2999);
        assertEquals(2000, c.size());
        for (int i = 0; i < c.size(); i++) {
            assertEquals(1000 + i, c.timestamp(i));
            assertEquals("s" + (1000 + i), c.strings()[i]);
        }
        Column frozen = m.sortedColumns().getFirst().column();
        assertEquals(3000, frozen.size());
        assertEquals("s2999", frozen.strings()[2999]);
    }

    private static void assertColumn(TreeMap<Long, Long> expected, Column c) {
        assertEquals(expected.size(), c.size());
        int i = 0;
        for (var e : expected.entrySet()) {
            assertEquals(e.getKey(), c.timestamp(i), "timestamp " + i);
            assertEquals(e.getValue(), c.longValue(i), "value " + i);
            i++;
        }
    }

    @Test
    void outOfOrderAndDuplicatesKeepLastWrite() {
        Memtable m = new Memtable(1, 0);
        put(m, 1, 1, 30, 3);
        put(m, 1, 1, 10, 1);
        put(m, 1, 1, 20, 2);
        put(m, 1, 1, 10, 100); // overwrites 10 -> 1
        put(m, 1, 1, 30, 300); // overwrites 30 -> 3
        put(m, 1, 1, 30, 301); // and again
        Column c = m.read(1, 1, Long.MIN_VALUE, Long.MAX_VALUE);
        assertArrayEquals(new long[] {10, 20, 30}, java.util.Arrays.copyOf(c.timestamps(), c.size()));
        assertArrayEquals(new long[] {100, 2, 301}, java.util.Arrays.copyOf(c.values(), c.size()));
    }

    @Test
    void randomWritesMatchAModel() {
        long seed = System.nanoTime();
        System.out.println("MemtableTest seed " + seed);
        Random random = new Random(seed);
        Memtable m = new Memtable(1, 0);
        TreeMap<Long, Long> model = new TreeMap<>();
        for (int i = 0; i < 5000; i++) {
            long ts = random.nextInt(2000) - 1000;
            long v = random.nextLong();
            put(m, 3, 4, ts, v);
            model.put(ts, v);
        }
        Column c = m.read(3, 4, Long.MIN_VALUE, Long.MAX_VALUE);
        assertEquals(model.size(), c.size(), "seed " + seed);
        int i = 0;
        for (var e : model.entrySet()) {
            assertEquals(e.getKey(), c.timestamp(i), "seed " + seed);
            assertEquals(e.getValue(), c.longValue(i), "seed " + seed);
            i++;
        }
    }

    @Test
    void stringsAndMixedTypesPerField() {
        Memtable m = new Memtable(1, 0);
        m.append(1, 5, 2, new int[] {1, 2}, new FieldType[] {FieldType.STRING, FieldType.BOOLEAN},
                new long[] {0, 1}, new String[] {"hello", null});
        Column s = m.read(1, 1, 0, 10);
        Column b = m.read(1, 2, 0, 10);
        assertEquals("hello", s.stringValue(0));
        assertTrue(b.booleanValue(0));
        assertTrue(m.sizeBytes() > 0);
    }

    @Test
    void sortedColumnsAreOrderedBySeriesThenField() {
        Memtable m = new Memtable(1, 0);
        put(m, 9, 1, 1, 1);
        put(m, 2, 5, 1, 1);
        put(m, 2, 3, 1, 1);
        put(m, 100, 0, 1, 1);
        List<String> order = new ArrayList<>();
        for (Memtable.FrozenColumn c : m.sortedColumns()) {
            order.add(c.seriesId() + "/" + c.fieldId());
        }
        assertEquals(List.of("2/3", "2/5", "9/1", "100/0"), order);
    }

    @Test
    void concurrentWritersLoseNothing() throws Exception {
        Memtable m = new Memtable(1, 0);
        int threads = 8;
        int perThread = 20_000;
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread w = new Thread(() -> {
                try {
                    start.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                for (int i = 0; i < perThread; i++) {
                    // Series shared by all threads, distinct timestamps per thread.
                    put(m, i % 50, 1, (long) i * threads + id, id);
                }
            });
            workers.add(w);
            w.start();
        }
        for (Thread w : workers) {
            w.join();
        }
        long total = 0;
        for (int s = 0; s < 50; s++) {
            Column c = m.read(s, 1, Long.MIN_VALUE, Long.MAX_VALUE);
            total += c.size();
            for (int i = 1; i < c.size(); i++) {
                assertTrue(c.timestamp(i) > c.timestamp(i - 1));
            }
        }
        assertEquals((long) threads * perThread, total);
        assertFalse(m.isEmpty());
    }

    /** A batch with rejected points (series -1) skipped, duplicates within the batch and strings. */
    @Test
    void batchAppendEqualsPerPointAppends() {
        long seed = System.nanoTime();
        System.out.println("MemtableTest.batchAppendEqualsPerPointAppends seed " + seed);
        Random random = new Random(seed);
        int n = 2_000;
        int[] seriesIds = new int[n];
        long[] timestamps = new long[n];
        int[] fieldStarts = new int[n + 1];
        int[] fieldIds = new int[2 * n];
        FieldType[] types = new FieldType[2 * n];
        long[] values = new long[2 * n];
        String[] strings = new String[2 * n];
        Memtable perPoint = new Memtable(1, 0);
        int pos = 0;
        for (int i = 0; i < n; i++) {
            seriesIds[i] = random.nextInt(10) == 0 ? -1 : random.nextInt(300);
            timestamps[i] = random.nextInt(500);
            fieldStarts[i] = pos;
            fieldIds[pos] = 1;
            types[pos] = FieldType.FLOAT;
            values[pos] = random.nextLong();
            fieldIds[pos + 1] = 2;
            types[pos + 1] = FieldType.STRING;
            strings[pos + 1] = "s" + random.nextInt(1000);
            if (seriesIds[i] >= 0) {
                perPoint.append(seriesIds[i], timestamps[i], 2, new int[] {1, 2}, new FieldType[] {FieldType.FLOAT,
                        FieldType.STRING}, new long[] {values[pos], 0}, new String[] {null, strings[pos + 1]});
            }
            pos += 2;
        }
        fieldStarts[n] = pos;
        Memtable batched = new Memtable(1, 0);
        batched.appendBatch(new PointBatch(seriesIds, timestamps, fieldStarts, fieldIds, types, values, strings));

        assertEquals(perPoint.pointCount(), batched.pointCount(), "seed " + seed);
        assertEquals(perPoint.sizeBytes(), batched.sizeBytes(), "seed " + seed);
        assertEquals(perPoint.minTime(), batched.minTime(), "seed " + seed);
        assertEquals(perPoint.maxTime(), batched.maxTime(), "seed " + seed);
        List<Memtable.FrozenColumn> expected = perPoint.sortedColumns();
        List<Memtable.FrozenColumn> actual = batched.sortedColumns();
        assertEquals(expected.size(), actual.size(), "seed " + seed);
        for (int c = 0; c < expected.size(); c++) {
            Column e = expected.get(c).column();
            Column a = actual.get(c).column();
            assertEquals(expected.get(c).seriesId(), actual.get(c).seriesId(), "seed " + seed);
            assertEquals(expected.get(c).fieldId(), actual.get(c).fieldId(), "seed " + seed);
            assertEquals(e.size(), a.size(), "seed " + seed);
            for (int i = 0; i < e.size(); i++) {
                assertEquals(e.timestamp(i), a.timestamp(i), "seed " + seed);
                if (e.type() == FieldType.STRING) {
                    assertEquals(e.stringValue(i), a.stringValue(i), "seed " + seed);
                } else {
                    assertEquals(e.longValue(i), a.longValue(i), "seed " + seed);
                }
            }
        }
    }

    @Test
    void concurrentBatchWritersLoseNothing() throws Exception {
        Memtable m = new Memtable(1, 0);
        int threads = 4;
        int batches = 200;
        int batchPoints = 500;
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread w = new Thread(() -> {
                try {
                    start.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                for (int b = 0; b < batches; b++) {
                    int[] seriesIds = new int[batchPoints];
                    long[] timestamps = new long[batchPoints];
                    int[] fieldStarts = new int[batchPoints + 1];
                    for (int i = 0; i < batchPoints; i++) {
                        // Every thread writes every series; timestamps are distinct across threads.
                        seriesIds[i] = i % 100;
                        timestamps[i] = ((long) b * batchPoints + i) * threads + id;
                        fieldStarts[i + 1] = i + 1;
                    }
                    int[] fieldIds = new int[batchPoints];
                    FieldType[] types = new FieldType[batchPoints];
                    java.util.Arrays.fill(types, FieldType.FLOAT);
                    m.appendBatch(new PointBatch(seriesIds, timestamps, fieldStarts, fieldIds, types,
                            new long[batchPoints], null));
                }
            });
            workers.add(w);
            w.start();
        }
        for (Thread w : workers) {
            w.join();
        }
        long total = 0;
        for (int s = 0; s < 100; s++) {
            Column c = m.read(s, 0, Long.MIN_VALUE, Long.MAX_VALUE);
            total += c.size();
            for (int i = 1; i < c.size(); i++) {
                assertTrue(c.timestamp(i) > c.timestamp(i - 1));
            }
        }
        assertEquals((long) threads * batches * batchPoints, total);
        assertEquals((long) threads * batches * batchPoints, m.pointCount());
    }

    /**
     * A column of 5,000 points spans page 0 and native pages; every point reads back through both
     * paths (a range read and the flush's sorted columns), and the pages count in nativeBytes.
     */
    @Test
    void pagedColumnReadsBackThroughReadAndFlush() {
        Memtable m = new Memtable(1, 0);
        for (int t = 0; t < 5_000; t++) {
            put(m, 3, 1, t * 10L, 7L * t);
        }
        assertTrue(m.nativeBytes() >= 2 * 8 * (5_000 - 74), "pages 1.. of timestamps and values are native: " + m.nativeBytes());
        Column range = m.read(3, 1, 49_980, 50_010);
        assertEquals(2, range.size());
        assertEquals(49_980, range.timestamp(0));
        assertEquals(7L * 4_998, range.longValue(0));
        assertEquals(7L * 4_999, range.longValue(1));
        Column flushed = m.sortedColumns().getFirst().column();
        assertEquals(5_000, flushed.size());
        for (int t = 0; t < 5_000; t++) {
            assertEquals(t * 10L, flushed.timestamp(t));
            assertEquals(7L * t, flushed.longValue(t));
        }
        m.release();
    }

    /**
     * The flush's copy of an out-of-order paged column is sorted with last write winning, and the
     * memtable's own column is left as it was (a concurrent read still normalizes it itself).
     */
    @Test
    void flushSortsAPagedColumnWithoutChangingIt() {
        Memtable m = new Memtable(1, 0);
        for (int t = 999; t >= 0; t--) {
            put(m, 3, 1, t, t);
        }
        put(m, 3, 1, 500, -1);
        Column flushed = m.sortedColumns().getFirst().column();
        assertEquals(1_000, flushed.size());
        for (int t = 0; t < 1_000; t++) {
            assertEquals(t, flushed.timestamp(t));
            assertEquals(t == 500 ? -1 : t, flushed.longValue(t));
        }
        Column read = m.read(3, 1, 500, 500);
        assertEquals(-1, read.longValue(0));
        m.release();
    }

    /** Pages stay while any reference is held, are freed with the last, and a released memtable refuses reads. */
    @Test
    void lastReleaseFreesThePages() {
        Memtable m = new Memtable(1, 0);
        for (int t = 0; t < 1_000; t++) {
            put(m, 3, 1, t, t);
        }
        assertTrue(m.tryAcquire(), "a read takes a reference while the engine holds one");
        m.release();
        assertEquals(1_000, m.read(3, 1, 0, 999).size(), "the read's reference keeps the pages");
        m.release();
        assertFalse(m.tryAcquire(), "released: a later read must not see it");
        assertThrows(IllegalStateException.class, () -> m.read(3, 1, 0, 999));
        assertThrows(IllegalStateException.class, m::release);
    }
}
