package io.sundial.query.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sundial.core.SeriesKey;
import io.sundial.query.result.ColumnarRows;
import io.sundial.query.result.ResultColumn;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link RawMerge#merge} of a group of one series: the page taken from the series' own columns
 * must equal, cell by cell and column kind by column kind, the page the general merge gathers
 * ({@link RawMerge#open}, which never takes the shortcut), and the rows written out by hand.
 */
class RawMergeSingleSeriesTest {
    private static final SeriesKey KEY = SeriesKey.of("cpu", "host", "a", "region", "eu");

    /** Three rows at 10, 20, 30: a tag, a float field with a missing cell, an integer, a string, an absent field. */
    private static SeriesRows threeRows() {
        long[] nulls = ResultColumn.nullBits(3);
        ResultColumn.setNull(nulls, 1);
        ResultColumn[] columns = {
            null,
            ResultColumn.ofDoubles(new double[] {1.5, 0, 3.25}, nulls, 3),
            ResultColumn.ofLongs(new long[] {7, 8, 9}, null, 3),
            ResultColumn.ofStrings(new String[] {"x", null, "z"}, 3),
            null,
        };
        return new SeriesRows(KEY, 3, new long[] {10, 20, 30}, columns, new String[] {"a", null, null, null, null});
    }

    private static SeriesRows oneRow() {
        ResultColumn[] columns = {null, ResultColumn.ofDoubles(new double[] {99.0}, null, 1)};
        return new SeriesRows(KEY, 1, new long[] {40}, columns, new String[] {"eu", null});
    }

    private static List<Object> row(Object... cells) {
        return Arrays.asList(cells);
    }

    static Stream<Arguments> cases() {
        List<List<Object>> ascending = List.of(row(10L, "a", 1.5, 7L, "x", null), row(20L, "a", null, 8L, null, null),
                row(30L, "a", 3.25, 9L, "z", null));
        List<List<Object>> descending = List.of(ascending.get(2), ascending.get(1), ascending.get(0));
        return Stream.of(
                Arguments.of("whole series ascending (shared columns)", threeRows(), false, 0L, Long.MAX_VALUE, ascending),
                Arguments.of("limit equal to the rows", threeRows(), false, 0L, 3L, ascending),
                Arguments.of("limit below the rows (general merge)", threeRows(), false, 0L, 2L, ascending.subList(0, 2)),
                Arguments.of("offset (general merge)", threeRows(), false, 1L, Long.MAX_VALUE, ascending.subList(1, 3)),
                Arguments.of("descending several rows (general merge)", threeRows(), true, 0L, Long.MAX_VALUE, descending),
                Arguments.of("descending one row (lastpoint, shared columns)", oneRow(), true, 0L, 1L,
                        List.of(row(40L, "eu", 99.0))),
                Arguments.of("ascending one row", oneRow(), false, 0L, 10L, List.of(row(40L, "eu", 99.0))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void pageOfOneSeriesEqualsTheGeneralMergeAndTheHandWrittenRows(String name, SeriesRows rows, boolean isDescending,
            long offset, long limit, List<List<Object>> expected) {
        ColumnarRows page = RawMerge.merge(List.of(rows), isDescending, offset, limit);
        RawMerge general = RawMerge.open(List.of(rows), isDescending, offset, limit);
        ColumnarRows merged = general.next(general.rowsLeft());
        assertEquals(expected, page, name + ": the rows");
        assertEquals(merged, page, name + ": the general merge's rows");
        assertEquals(merged.columnCount(), page.columnCount(), name);
        for (int column = 0; column < page.columnCount(); column++) {
            assertEquals(merged.column(column).kind(), page.column(column).kind(), name + ": kind of column " + column);
        }
    }
}
