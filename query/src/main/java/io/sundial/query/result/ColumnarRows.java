package io.sundial.query.result;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * The rows of a series held column by column ({@link ResultColumn}), seen as the immutable list of
 * rows that {@link ResultSeries#values()} promises: a row is boxed only when it is asked for, so
 * encoders that read {@link #column} write a large raw answer without a boxed cell per value,
 * while every other caller (subqueries, PG wire, INTO, ORDER BY) keeps its row API.
 */
public final class ColumnarRows extends AbstractList<List<Object>> implements RandomAccess {
    private final List<ResultColumn> columns;
    private final int size;

    private ColumnarRows(List<ResultColumn> columns, int size) {
        this.columns = columns;
        this.size = size;
    }

    /** Columns of equal length, in the order of the series' column names. */
    public static ColumnarRows of(List<ResultColumn> columns) {
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("columnar rows need at least one column");
        }
        int size = columns.getFirst().size();
        for (ResultColumn column : columns) {
            if (column.size() != size) {
                throw new IllegalArgumentException("columns of " + size + " and " + column.size() + " rows in one series");
            }
        }
        return new ColumnarRows(List.copyOf(columns), size);
    }

    /** Boxed rows of {@code columnCount} values each, as OBJECT columns. */
    public static ColumnarRows ofRows(List<List<Object>> rows, int columnCount) {
        if (rows instanceof ColumnarRows columnar) {
            return columnar;
        }
        Object[][] cells = new Object[columnCount][rows.size()];
        for (int row = 0; row < rows.size(); row++) {
            List<Object> values = rows.get(row);
            for (int column = 0; column < columnCount; column++) {
                cells[column][row] = values.get(column);
            }
        }
        List<ResultColumn> columns = new ArrayList<>(columnCount);
        for (Object[] column : cells) {
            columns.add(ResultColumn.ofObjects(column, rows.size()));
        }
        return new ColumnarRows(List.copyOf(columns), rows.size());
    }

    public int columnCount() {
        return columns.size();
    }

    public ResultColumn column(int index) {
        return columns.get(index);
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public List<Object> get(int row) {
        Objects.checkIndex(row, size);
        Object[] values = new Object[columns.size()];
        for (int column = 0; column < values.length; column++) {
            values[column] = columns.get(column).value(row);
        }
        return Collections.unmodifiableList(java.util.Arrays.asList(values));
    }

    /** Rows [from, to) as columnar rows of their own (a copy, so the answer's pages stay columnar). */
    @Override
    public ColumnarRows subList(int from, int to) {
        Objects.checkFromToIndex(from, to, size);
        List<ResultColumn> sliced = new ArrayList<>(columns.size());
        for (ResultColumn column : columns) {
            sliced.add(column.slice(from, to));
        }
        return new ColumnarRows(List.copyOf(sliced), to - from);
    }

    /**
     * Row lists one after another (the pieces of one series): columnar when every part is, so
     * joining pieces boxes no cell; else the boxed rows in one list.
     */
    public static List<List<Object>> concat(List<List<List<Object>>> parts) {
        if (parts.size() == 1) {
            return parts.getFirst();
        }
        if (!parts.isEmpty() && parts.stream().allMatch(part -> part instanceof ColumnarRows)) {
            int columnCount = ((ColumnarRows) parts.getFirst()).columnCount();
            List<ResultColumn> joined = new ArrayList<>(columnCount);
            for (int column = 0; column < columnCount; column++) {
                List<ResultColumn> pieces = new ArrayList<>(parts.size());
                for (List<List<Object>> part : parts) {
                    pieces.add(((ColumnarRows) part).column(column));
                }
                joined.add(ResultColumn.concat(pieces));
            }
            return of(joined);
        }
        List<List<Object>> rows = new ArrayList<>();
        parts.forEach(rows::addAll);
        return rows;
    }
}
