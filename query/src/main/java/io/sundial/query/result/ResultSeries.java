package io.sundial.query.result;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One series of a statement's answer, shaped as InfluxDB 1.x returns it: a name, the GROUP BY
 * tags, the column names and the rows. Row values are Long (integers and times in nanoseconds),
 * Double, String, Boolean or null. Raw rows come as {@link ColumnarRows} (primitive columns,
 * boxed only when a row is read); {@link #columnar()} gives any series' rows column by column.
 *
 * @param partial true when the series was cut by a row limit of the server (InfluxDB's "partial")
 */
public record ResultSeries(String name, SortedMap<String, String> tags, List<String> columns, List<List<Object>> values,
        boolean partial) {
    public ResultSeries {
        Objects.requireNonNull(name, "name");
        tags = Collections.unmodifiableSortedMap(new TreeMap<>(tags));
        columns = List.copyOf(columns);
        if (values instanceof ColumnarRows columnar) {
            // Immutable already; copying would box every cell.
            if (columnar.columnCount() != columns.size()) {
                throw new IllegalArgumentException("rows of " + columnar.columnCount() + " columns for " + columns.size()
                        + " column names");
            }
        } else {
            values = copyRows(values, columns.size());
        }
    }

    private static List<List<Object>> copyRows(List<List<Object>> values, int columnCount) {
        List<List<Object>> rows = new ArrayList<>(values.size());
        for (List<Object> row : values) {
            if (row.size() != columnCount) {
                throw new IllegalArgumentException("a row has " + row.size() + " values for " + columnCount + " columns");
            }
            rows.add(Collections.unmodifiableList(new ArrayList<>(row)));
        }
        return Collections.unmodifiableList(rows);
    }

    public ResultSeries(String name, List<String> columns, List<List<Object>> values) {
        this(name, new TreeMap<>(), columns, values, false);
    }

    /** The rows column by column: as held when raw rows were built columnar, else the boxed rows as OBJECT columns. */
    public ColumnarRows columnar() {
        return ColumnarRows.ofRows(values, columns.size());
    }
}
