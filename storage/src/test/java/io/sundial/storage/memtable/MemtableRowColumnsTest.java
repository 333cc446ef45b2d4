package io.sundial.storage.memtable;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sundial.core.FieldType;
import io.sundial.storage.Column;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A series whose points carry the same numeric fields is kept as one row column (one timestamp per
 * point, its values side by side); any other field list splits it into per-field columns. Either
 * way each (series, field) must read back exactly its own points, last write winning per
 * timestamp, through {@link Memtable#read}, {@link Memtable#newestPoint} and
 * {@link Memtable#sortedColumns}: checked against a model of one sorted map per (series, field).
 */
class MemtableRowColumnsTest {
    private static final int SERIES = 7;

    /** Points as field lists; point p has time {@code times[p]} and field f the value {@code f * 1000 + p}. */
    static Stream<Arguments> fieldLists() {
        return Stream.of(
                Arguments.of("same fields every point", new int[][] {{1, 2, 3}, {1, 2, 3}, {1, 2, 3}}, new long[] {10, 20, 30}),
                Arguments.of("same fields, out of order and a rewrite", new int[][] {{1, 2, 3}, {1, 2, 3}, {1, 2, 3}, {1, 2, 3}},
                        new long[] {30, 10, 20, 10}),
                Arguments.of("a field missing from a later point", new int[][] {{1, 2, 3}, {1, 3}, {1, 2, 3}}, new long[] {10, 20, 30}),
                Arguments.of("a new field in a later point", new int[][] {{4, 2}, {4, 2}, {4, 2, 9}}, new long[] {10, 20, 30}),
                Arguments.of("fields in another order", new int[][] {{1, 2, 3}, {3, 2, 1}}, new long[] {10, 20}),
                Arguments.of("one field first, then several", new int[][] {{5}, {5, 6}, {6, 5}}, new long[] {10, 20, 30}),
                Arguments.of("a field twice in one point", new int[][] {{1, 1}, {1, 2}}, new long[] {10, 20}),
                Arguments.of("row, then split, then a rewrite of a row point", new int[][] {{1, 2}, {1, 2}, {2}, {1, 2}},
                        new long[] {10, 20, 30, 10}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fieldLists")
    void everyFieldReadsBackItsOwnPoints(String name, int[][] pointFields, long[] times) {
        Memtable m = new Memtable(1, 0);
        Map<Integer, TreeMap<Long, Long>> model = new TreeMap<>();
        for (int p = 0; p < pointFields.length; p++) {
            int[] fields = pointFields[p];
            long[] values = new long[fields.length];
            for (int f = 0; f < fields.length; f++) {
                values[f] = fields[f] * 1000L + p;
                model.computeIfAbsent(fields[f], k -> new TreeMap<>()).put(times[p], values[f]);
            }
            m.append(SERIES, times[p], fields.length, fields, types(fields.length, FieldType.INTEGER), values, null);
        }
        checkAgainstModel(m, Map.of(SERIES, model), name);
    }

    @Property(tries = 60)
    void randomPointsReadBackLikeTheModel(@ForAll @IntRange(min = 1, max = 2_000) int points,
                                          @ForAll @IntRange(min = 1, max = 6) int series, @ForAll long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Memtable m = new Memtable(1, 0, 4);
        Map<Integer, Map<Integer, TreeMap<Long, Long>>> model = new TreeMap<>();
        // Most points carry the series' usual fields, so rows grow into native pages; one in
        // oddEvery differs and splits its series' row (never, in a third of the tries).
        int[] usual = {3, 1, 4, 0, 5, 9, 2, 6};
        int oddEvery = random.nextInt(3) == 0 ? Integer.MAX_VALUE : random.nextBoolean() ? 20 : 600;
        long time = 0;
        for (int p = 0; p < points; p++) {
            int s = random.nextInt(series);
            int[] fields = random.nextInt(oddEvery) == 0 ? randomFields(random) : usual.clone();
            time = random.nextInt(20) == 0 ? time - random.nextInt(100) : time + random.nextInt(3);
            long[] values = new long[fields.length];
            for (int f = 0; f < fields.length; f++) {
                values[f] = random.nextLong();
                model.computeIfAbsent(s, k -> new TreeMap<>()).computeIfAbsent(fields[f], k -> new TreeMap<>())
                        .put(time, values[f]);
            }
            m.append(s, time, fields.length, fields, types(fields.length, FieldType.FLOAT), values, null);
        }
        checkAgainstModel(m, model, "seed " + seed + ", points " + points + ", series " + series);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("typeChanges")
    void aFieldOfAnotherTypeIsRefused(String name, FieldType[] first, FieldType[] second) {
        Memtable m = new Memtable(1, 0);
        m.append(SERIES, 10, 2, new int[] {1, 2}, first, new long[] {1, 2}, null);
        assertThrows(IllegalStateException.class,
                () -> m.append(SERIES, 20, 2, new int[] {1, 2}, second, new long[] {3, 4}, null), name);
        Column c = m.read(SERIES, 1, Long.MIN_VALUE, Long.MAX_VALUE);
        assertEquals(first[0], c.type(), name);
        assertEquals(1, c.longValue(0), name);
    }

    static Stream<Arguments> typeChanges() {
        return Stream.of(
                Arguments.of("second field float then integer", new FieldType[] {FieldType.FLOAT, FieldType.FLOAT},
                        new FieldType[] {FieldType.FLOAT, FieldType.INTEGER}),
                Arguments.of("first field integer then boolean", new FieldType[] {FieldType.INTEGER, FieldType.FLOAT},
                        new FieldType[] {FieldType.BOOLEAN, FieldType.FLOAT}));
    }

    private static int[] randomFields(SplittableRandom random) {
        int count = random.nextInt(1, 5);
        int[] fields = new int[count];
        for (int f = 0; f < count; f++) {
            fields[f] = random.nextInt(12); // may repeat a field within a point: the later value wins
        }
        return fields;
    }

    private static FieldType[] types(int count, FieldType type) {
        FieldType[] types = new FieldType[count];
        Arrays.fill(types, type);
        return types;
    }

    private static void checkAgainstModel(Memtable m, Map<Integer, ? extends Map<Integer, TreeMap<Long, Long>>> model,
                                          String where) {
        List<long[]> expectedOrder = new ArrayList<>();
        for (var bySeries : model.entrySet()) {
            for (var byField : new TreeMap<>(bySeries.getValue()).entrySet()) {
                int s = bySeries.getKey();
                int field = byField.getKey();
                TreeMap<Long, Long> points = byField.getValue();
                String at = where + ": series " + s + ", field " + field;
                Column all = m.read(s, field, Long.MIN_VALUE, Long.MAX_VALUE);
                assertArrayEquals(points.keySet().stream().mapToLong(Long::longValue).toArray(),
                        Arrays.copyOf(all.timestamps(), all.size()), at);
                assertArrayEquals(points.values().stream().mapToLong(Long::longValue).toArray(),
                        Arrays.copyOf(all.values(), all.size()), at);
                long middle = points.firstKey() + (points.lastKey() - points.firstKey()) / 2;
                Column newest = m.newestPoint(s, field, Long.MIN_VALUE, middle);
                var floor = points.floorEntry(middle);
                assertEquals(floor.getKey(), newest.timestamp(0), at + ": newest up to " + middle);
                assertEquals(floor.getValue(), newest.longValue(0), at + ": newest up to " + middle);
                expectedOrder.add(new long[] {s, field});
            }
            assertNull(m.read(bySeries.getKey(), 99, Long.MIN_VALUE, Long.MAX_VALUE), where + ": a field never written");
        }
        List<Memtable.FrozenColumn> frozen = m.sortedColumns();
        assertEquals(expectedOrder.size(), frozen.size(), where);
        for (int i = 0; i < frozen.size(); i++) {
            Memtable.FrozenColumn fc = frozen.get(i);
            String at = where + ": frozen column " + i;
            assertEquals(expectedOrder.get(i)[0], fc.seriesId(), at);
            assertEquals(expectedOrder.get(i)[1], fc.fieldId(), at);
            TreeMap<Long, Long> points = model.get(fc.seriesId()).get(fc.fieldId());
            assertArrayEquals(points.keySet().stream().mapToLong(Long::longValue).toArray(),
                    Arrays.copyOf(fc.column().timestamps(), fc.column().size()), at);
            assertArrayEquals(points.values().stream().mapToLong(Long::longValue).toArray(),
                    Arrays.copyOf(fc.column().values(), fc.column().size()), at);
        }
    }
}
