package io.sundial.query.result;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

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
}
