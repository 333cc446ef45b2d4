package io.sundial.query.exec;

import io.sundial.query.result.ColumnarRows;
import io.sundial.query.result.ResultColumn;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Merges the raw rows of the series of one group into one answer series, in InfluxDB 1.x's
 * order: by time, and rows of equal time by their leading string cells, as InfluxDB's sorted
 * merge of series iterators compares them (query/iterator.gen.go, {@code SortedMergeHeap.Less}:
 * the cells in column order while both are strings; the first non-string cell ends the
 * comparison). So the rows of one time of {@code SELECT *} over a measurement whose tags sort
 * before its fields come in series key order. Where those cells are equal or not strings,
 * InfluxDB's heap leaves the order open; here the series key decides, so answers are
 * deterministic. Descending time reverses the whole order, as InfluxDB's descending merge does.
 *
 * <p>Only the page (OFFSET, LIMIT) is gathered into columns; tag cells become codes into one
 * dictionary entry per series.
 */
final class RawMerge {
    private final List<SeriesRows> series;
    /** Per series its rows' times and count, read on every heap comparison (no list lookups there). */
    private final long[][] seriesTimes;
    private final int[] seriesSizes;
    private final boolean isDescending;
    /** Per series its position in tie order; used when ties need no per-row cells. */
    private final int[] rank;
    /** True when ties can reach a per-row string cell (a string field or a computed column). */
    private final boolean comparesRows;
    /** The walk's state: per series its next row, and the heap of series by that row. */
    private int[] next;
    private int[] heap;
    private int heapSize;
    private int rowsLeft;

    private RawMerge(List<SeriesRows> series, boolean isDescending) {
        this.series = series;
        this.isDescending = isDescending;
        seriesTimes = new long[series.size()][];
        seriesSizes = new int[series.size()];
        for (int s = 0; s < seriesTimes.length; s++) {
            seriesTimes[s] = series.get(s).times;
            seriesSizes[s] = series.get(s).size;
        }
        int fieldCount = series.getFirst().columns.length;
        int prefix = 0;
        while (prefix < fieldCount && isConstantEverywhere(prefix)) {
            prefix++;
        }
        comparesRows = prefix < fieldCount && mayHoldStrings(prefix);
        Integer[] order = new Integer[series.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> compareSeries(series.get(a), series.get(b)));
        rank = new int[series.size()];
        for (int i = 0; i < order.length; i++) {
            rank[order[i]] = i;
        }
    }

    /**
     * The rows of {@code series} (non-empty, each in ascending time) merged; rows
     * [offset, offset + limit) of the merged order, time first then one column per field.
     */
    static ColumnarRows merge(List<SeriesRows> series, boolean isDescending, long offset, long limit) {
        if (series.size() == 1 && isWholeInOrder(series.getFirst(), isDescending, offset, limit)) {
            return whole(series.getFirst());
        }
        RawMerge merge = open(series, isDescending, offset, limit);
        return merge.next(merge.rowsLeft());
    }

    /**
     * Whether the page of a group of one series is that series' rows as they stand: all of them, in
     * an order their own order already is (ascending, or a single row), and no column of boxed cells.
     */
    private static boolean isWholeInOrder(SeriesRows rows, boolean isDescending, long offset, long limit) {
        if (offset != 0 || limit < rows.size || isDescending && rows.size > 1) {
            return false;
        }
        for (ResultColumn column : rows.columns) {
            if (column != null && column.kind() == ResultColumn.Kind.OBJECT) {
                return false;
            }
        }
        return true;
    }

    /**
     * The rows of one series as the page, its columns shared rather than gathered row by row (a
     * group of one series is what GROUP BY * gives; lastpoint's hundred one-row groups spent a
     * tenth of the query in the general merge). Equal to what the merge gathers: the same time
     * column, each field's column of the same kind and cells, a constant as a one-entry dictionary.
     */
    private static ColumnarRows whole(SeriesRows rows) {
        List<ResultColumn> columns = new ArrayList<>(rows.columns.length + 1);
        columns.add(ResultColumn.ofLongs(rows.times, null, rows.size));
        int[] firstEntry = null;
        for (int field = 0; field < rows.columns.length; field++) {
            ResultColumn column = rows.columns[field];
            if (column == null) {
                firstEntry = firstEntry == null ? new int[rows.size] : firstEntry;
                column = ResultColumn.ofCodes(new String[] {rows.constants[field]}, firstEntry, rows.size);
            }
            columns.add(column);
        }
        return ColumnarRows.of(columns);
    }

    /**
     * A merge that hands out rows [offset, offset + limit) of the merged order in pieces
     * ({@link #next}), so a writer can encode one piece while the next is merged.
     */
    static RawMerge open(List<SeriesRows> series, boolean isDescending, long offset, long limit) {
        RawMerge merge = new RawMerge(series, isDescending);
        merge.start(offset, limit);
        return merge;
    }

    /** Rows of the page not yet handed out. */
    int rowsLeft() {
        return rowsLeft;
    }

    private boolean isConstantEverywhere(int field) {
        for (SeriesRows rows : series) {
            if (rows.columns[field] != null) {
                return false;
            }
        }
        return true;
    }

    private boolean mayHoldStrings(int field) {
        for (SeriesRows rows : series) {
            ResultColumn column = rows.columns[field];
            if (column != null && (column.kind() == ResultColumn.Kind.STRING || column.kind() == ResultColumn.Kind.OBJECT)) {
                return true;
            }
            if (column == null && rows.constants[field] != null) {
                return true;
            }
        }
        return false;
    }

    /** Tie order of two series by their constant leading cells, then by series key. */
    private static int compareSeries(SeriesRows a, SeriesRows b) {
        for (int field = 0; field < a.columns.length; field++) {
            if (a.columns[field] != null || b.columns[field] != null) {
                break;
            }
            String x = a.constants[field];
            String y = b.constants[field];
            if (x == null || y == null) {
                break;
            }
            int order = x.compareTo(y);
            if (order != 0) {
                return order;
            }
        }
        return a.key.compareTo(b.key);
    }

    /** Ascending order of two rows of equal time (InfluxDB's cell walk, then series tie order). */
    private int compareTie(int a, int rowA, int b, int rowB) {
        if (comparesRows) {
            SeriesRows x = series.get(a);
            SeriesRows y = series.get(b);
            for (int field = 0; field < x.columns.length; field++) {
                if (!(x.value(field, rowA) instanceof String s) || !(y.value(field, rowB) instanceof String t)) {
                    break;
                }
                int order = s.compareTo(t);
                if (order != 0) {
                    return order;
                }
            }
        }
        return Integer.compare(rank[a], rank[b]);
    }

    /** True when the head row of series {@code a} comes before that of {@code b}. */
    private boolean before(int a, int rowA, int b, int rowB) {
        long timeA = seriesTimes[a][rowA];
        long timeB = seriesTimes[b][rowB];
        if (timeA != timeB) {
            return isDescending ? timeA > timeB : timeA < timeB;
        }
        int order = comparesRows ? compareTie(a, rowA, b, rowB) : Integer.compare(rank[a], rank[b]);
        return isDescending ? order > 0 : order < 0;
    }

    /** Fills the heap and skips the first {@code offset} rows; the page holds at most {@code limit} rows. */
    private void start(long offset, long limit) {
        long total = 0;
        for (SeriesRows rows : series) {
            total += rows.size;
        }
        int from = (int) Math.min(total, offset);
        rowsLeft = (int) Math.min(total - from, Math.min(limit, Integer.MAX_VALUE));
        int n = series.size();
        next = new int[n];
        heap = new int[n];
        heapSize = 0;
        for (int s = 0; s < n; s++) {
            SeriesRows rows = series.get(s);
            next[s] = isDescending ? rows.size - 1 : 0;
            if (rows.size > 0) {
                heap[heapSize] = s;
                siftUp(heap, heapSize++, next);
            }
        }
        walk(from, null, null);
    }

    /** The next {@code rows} rows of the page (fewer at its end), time first then one column per field. */
    ColumnarRows next(int rows) {
        int count = Math.min(rows, rowsLeft);
        int[] sourceSeries = new int[count];
        int[] sourceRows = new int[count];
        walk(count, sourceSeries, sourceRows);
        rowsLeft -= count;
        long[] times = new long[count];
        for (int i = 0; i < count; i++) {
            times[i] = seriesTimes[sourceSeries[i]][sourceRows[i]];
        }
        int fieldCount = series.getFirst().columns.length;
        List<ResultColumn> columns = new ArrayList<>(fieldCount + 1);
        columns.add(ResultColumn.ofLongs(times, null, count));
        for (int field = 0; field < fieldCount; field++) {
            columns.add(gather(field, sourceSeries, sourceRows, count));
        }
        return ColumnarRows.of(columns);
    }

    /**
     * The next {@code count} rows of the merged order as (series, row) pairs (none kept when
     * {@code sourceSeries} is null: skipping): the heap of the series by their next row (each
     * series' rows are in ascending time; descending reads them from the end).
     */
    private void walk(int count, int[] sourceSeries, int[] sourceRows) {
        for (int produced = 0; produced < count && heapSize > 0; produced++) {
            int top = heap[0];
            if (sourceSeries != null) {
                sourceSeries[produced] = top;
                sourceRows[produced] = next[top];
            }
            next[top] += isDescending ? -1 : 1;
            if (next[top] < 0 || next[top] >= seriesSizes[top]) {
                heap[0] = heap[--heapSize];
            }
            siftDown(heap, heapSize, next);
        }
    }

    private void siftUp(int[] heap, int at, int[] next) {
        int item = heap[at];
        while (at > 0) {
            int parent = (at - 1) >>> 1;
            if (!before(item, next[item], heap[parent], next[heap[parent]])) {
                break;
            }
            heap[at] = heap[parent];
            at = parent;
        }
        heap[at] = item;
    }

    private void siftDown(int[] heap, int heapSize, int[] next) {
        if (heapSize == 0) {
            return;
        }
        int at = 0;
        int item = heap[0];
        while (true) {
            int child = 2 * at + 1;
            if (child >= heapSize) {
                break;
            }
            if (child + 1 < heapSize && before(heap[child + 1], next[heap[child + 1]], heap[child], next[heap[child]])) {
                child++;
            }
            if (!before(heap[child], next[heap[child]], item, next[item])) {
                break;
            }
            heap[at] = heap[child];
            at = child;
        }
        heap[at] = item;
    }

    /** One output column over the merged rows: primitives when every series holds the field alike. */
    private ResultColumn gather(int field, int[] sourceSeries, int[] sourceRows, int count) {
        ResultColumn.Kind kind = null;
        boolean isMixed = false;
        boolean hasConstant = false;
        for (SeriesRows rows : series) {
            ResultColumn column = rows.columns[field];
            if (column == null) {
                hasConstant |= rows.constants[field] != null;
            } else if (kind == null) {
                kind = column.kind();
            } else {
                isMixed |= kind != column.kind();
            }
        }
        if (kind == null) {
            String[] dictionary = new String[series.size()];
            for (int s = 0; s < dictionary.length; s++) {
                dictionary[s] = series.get(s).constants[field];
            }
            // The codes are the rows' series positions, shared by every tag column (never written after the walk).
            return ResultColumn.ofCodes(dictionary, sourceSeries, count);
        }
        if (isMixed || hasConstant || kind == ResultColumn.Kind.OBJECT) {
            Object[] values = new Object[count];
            for (int i = 0; i < count; i++) {
                values[i] = series.get(sourceSeries[i]).value(field, sourceRows[i]);
            }
            return ResultColumn.ofObjects(values, count);
        }
        return gatherTyped(field, kind, sourceSeries, sourceRows, count);
    }

    private ResultColumn gatherTyped(int field, ResultColumn.Kind kind, int[] sourceSeries, int[] sourceRows, int count) {
        long[] nulls = null;
        ResultColumn[] columns = new ResultColumn[series.size()];
        for (int s = 0; s < columns.length; s++) {
            columns[s] = series.get(s).columns[field];
        }
        if (kind == ResultColumn.Kind.STRING) {
            String[] values = new String[count];
            for (int i = 0; i < count; i++) {
                ResultColumn column = columns[sourceSeries[i]];
                values[i] = column == null ? null : column.stringValue(sourceRows[i]);
            }
            return ResultColumn.ofStrings(values, count);
        }
        double[] doubles = kind == ResultColumn.Kind.DOUBLE ? new double[count] : null;
        long[] longs = doubles == null ? new long[count] : null;
        for (int i = 0; i < count; i++) {
            ResultColumn column = columns[sourceSeries[i]];
            int row = sourceRows[i];
            if (column == null || column.isNull(row)) {
                if (nulls == null) {
                    nulls = ResultColumn.nullBits(count);
                }
                ResultColumn.setNull(nulls, i);
            } else if (doubles != null) {
                doubles[i] = column.doubleValue(row);
            } else {
                longs[i] = column.longValue(row);
            }
        }
        return switch (kind) {
            case DOUBLE -> ResultColumn.ofDoubles(doubles, nulls, count);
            case BOOLEAN -> ResultColumn.ofBooleans(longs, nulls, count);
            default -> ResultColumn.ofLongs(longs, nulls, count);
        };
    }
}
