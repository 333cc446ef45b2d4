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
 * Double, String, Boolean or null.
 *
 * @param partial true when the series was cut by a row limit of the server (InfluxDB's "partial")
 */
public record ResultSeries(String name, SortedMap<String, String> tags, List<String> columns, List<List<Object>> values,
        boolean partial) {
    public ResultSeries {
        Objects.requireNonNull(name, "name");
        tags = Collections.unmodifiableSortedMap(new TreeMap<>(tags));
        columns = List.copyOf(columns);
        List<List<Object>> rows = new ArrayList<>(values.size());
        for (List<Object> row : values) {
            if (row.size() != columns.size()) {
                throw new IllegalArgumentException("a row has " + row.size() + " values for " + columns.size() + " columns");
            }
            rows.add(Collections.unmodifiableList(new ArrayList<>(row)));
        }
        values = Collections.unmodifiableList(rows);
    }

    public ResultSeries(String name, List<String> columns, List<List<Object>> values) {
        this(name, new TreeMap<>(), columns, values, false);
    }
}
