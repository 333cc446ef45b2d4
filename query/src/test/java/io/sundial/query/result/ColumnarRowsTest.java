package io.sundial.query.result;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ColumnarRowsTest {
    private static ColumnarRows sample() {
        long[] nulls = ResultColumn.nullBits(3);
        ResultColumn.setNull(nulls, 1);
        return ColumnarRows.of(List.of(
                ResultColumn.ofLongs(new long[] {10, 20, 30}, null, 3),
                ResultColumn.ofDoubles(new double[] {1.5, 0, -2.0}, nulls, 3),
                ResultColumn.ofCodes(new String[] {"a", null}, new int[] {0, 1, 0}, 3),
                ResultColumn.ofBooleans(new long[] {1, 0, 1}, null, 3),
                ResultColumn.ofObjects(new Object[] {"x", 7L, null}, 3)));
    }

    @Test
    void rowsAreBoxedAsTheRowApiShowsThem() {
        assertEquals(List.of(Arrays.asList(10L, 1.5, "a", true, "x"), Arrays.asList(20L, null, null, false, 7L),
                Arrays.asList(30L, -2.0, "a", true, null)), sample());
    }

    @Test
    void aPageStaysColumnarAndKeepsItsNulls() {
        ColumnarRows page = sample().subList(1, 3);
        assertEquals(List.of(Arrays.asList(20L, null, null, false, 7L), Arrays.asList(30L, -2.0, "a", true, null)), page);
        assertEquals(true, page.column(1).isNull(0));
        assertEquals(false, page.column(1).isNull(1));
    }

    @Test
    void aSeriesKeepsColumnarRowsAndEqualsTheSameRowsBoxed() {
        ResultSeries columnar = new ResultSeries("m", new TreeMap<>(Map.of("k", "v")), List.of("time", "f", "t", "b", "o"),
                sample(), false);
        ResultSeries boxed = new ResultSeries("m", new TreeMap<>(Map.of("k", "v")), List.of("time", "f", "t", "b", "o"),
                List.copyOf(sample()), false);
        assertEquals(boxed, columnar);
        assertEquals(boxed.hashCode(), columnar.hashCode());
        assertEquals(ResultColumn.Kind.OBJECT, boxed.columnar().column(1).kind());
        assertEquals(ResultColumn.Kind.DOUBLE, columnar.columnar().column(1).kind());
    }

    @Test
    void mismatchedShapesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> ColumnarRows.of(List.of(
                ResultColumn.ofLongs(new long[2], null, 2), ResultColumn.ofLongs(new long[3], null, 3))));
        assertThrows(IllegalArgumentException.class, () -> new ResultSeries("m", List.of("time"), sample()));
    }

    /** Pieces cut at {@code cuts} (row positions) and joined again. */
    private static List<List<Object>> rejoined(ColumnarRows rows, int... cuts) {
        List<List<List<Object>>> parts = new java.util.ArrayList<>();
        int from = 0;
        for (int cut : cuts) {
            parts.add(rows.subList(from, cut));
            from = cut;
        }
        parts.add(rows.subList(from, rows.size()));
        return ColumnarRows.concat(parts);
    }

    @ParameterizedTest(name = "cut at {0}")
    @MethodSource("cuts")
    void piecesJoinBackColumnarWithTheirNulls(String name, int[] cuts) {
        // 70 rows put null bits on both sides of a 64-bit word.
        int size = 70;
        long[] times = new long[size];
        double[] values = new double[size];
        long[] nulls = ResultColumn.nullBits(size);
        int[] codes = new int[size];
        for (int row = 0; row < size; row++) {
            times[row] = row * 10L;
            values[row] = row / 4.0;
            codes[row] = row % 3;
            if (row % 7 == 3) {
                ResultColumn.setNull(nulls, row);
            }
        }
        ColumnarRows rows = ColumnarRows.of(List.of(ResultColumn.ofLongs(times, null, size),
                ResultColumn.ofDoubles(values, nulls, size),
                ResultColumn.ofCodes(new String[] {"a", "b", null}, codes, size)));
        List<List<Object>> joined = rejoined(rows, cuts);
        assertEquals(List.copyOf(rows), List.copyOf(joined));
        ColumnarRows columnar = assertInstanceOf(ColumnarRows.class, joined);
        assertEquals(ResultColumn.Kind.DOUBLE, columnar.column(1).kind());
        assertTrue(columnar.column(1).isNull(66));
        assertFalse(columnar.column(1).isNull(65));
        assertTrue(columnar.column(2).isCoded());
    }

    static Stream<Arguments> cuts() {
        return Stream.of(
                Arguments.of("one piece", new int[] {}),
                Arguments.of("two pieces at a word edge", new int[] {64}),
                Arguments.of("three uneven pieces", new int[] {1, 65}),
                Arguments.of("an empty piece between", new int[] {30, 30}));
    }

    @Test
    void unlikePiecesJoinBoxed() {
        ColumnarRows numbers = ColumnarRows.of(List.of(ResultColumn.ofLongs(new long[] {1, 2}, null, 2),
                ResultColumn.ofDoubles(new double[] {0.5, 1.5}, null, 2)));
        ColumnarRows strings = ColumnarRows.of(List.of(ResultColumn.ofLongs(new long[] {3}, null, 1),
                ResultColumn.ofStrings(new String[] {"s"}, 1)));
        ColumnarRows joined = assertInstanceOf(ColumnarRows.class, ColumnarRows.concat(List.of(numbers, strings)));
        assertEquals(List.of(List.of(1L, 0.5), List.of(2L, 1.5), List.of(3L, "s")), List.copyOf(joined));
        assertEquals(ResultColumn.Kind.LONG, joined.column(0).kind());
        assertEquals(ResultColumn.Kind.OBJECT, joined.column(1).kind());
        List<List<Object>> boxed = ColumnarRows.concat(List.of(numbers, List.of(List.of(3L, 2.5))));
        assertEquals(List.of(List.of(1L, 0.5), List.of(2L, 1.5), List.of(3L, 2.5)), boxed);
    }

    @Test
    void theCollectorJoinsColumnarPiecesWithoutBoxing() {
        ColumnarRows rows = sample();
        List<String> columns = List.of("time", "f", "t", "b", "o");
        AnswerCollector collector = new AnswerCollector();
        collector.series(0, new ResultSeries("m", new TreeMap<>(), columns, rows.subList(0, 2), false), true);
        collector.series(0, new ResultSeries("m", new TreeMap<>(), columns, rows.subList(2, 3), false), false);
        collector.end(0, null);
        ResultSeries joined = collector.results().getFirst().series().getFirst();
        assertEquals(List.copyOf(rows), List.copyOf(joined.values()));
        assertEquals(ResultColumn.Kind.DOUBLE, assertInstanceOf(ColumnarRows.class, joined.values()).column(1).kind());
    }
}
