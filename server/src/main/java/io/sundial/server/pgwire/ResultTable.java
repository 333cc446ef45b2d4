package io.sundial.server.pgwire;

import io.sundial.query.result.ResultSeries;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Rows as a PostgreSQL client sees them: named, typed columns and rows of values. Sundial answers
 * in series (InfluxDB's shape); {@link #of} flattens them: the time column first, then the GROUP BY
 * tags as text columns, then the value columns, the union over all series in first-seen order.
 */
record ResultTable(List<Column> columns, List<Object[]> rows) {
    record Column(String name, PgType type) {
        Column {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
        }
    }

    ResultTable {
        columns = List.copyOf(columns);
    }

    static ResultTable of(List<ResultSeries> series) {
        Map<String, Integer> index = new LinkedHashMap<>();
        boolean hasTime = series.stream().anyMatch(s -> !s.columns().isEmpty() && s.columns().getFirst().equals("time"));
        if (hasTime) {
            index.put("time", 0);
        }
        for (ResultSeries one : series) {
            for (String tag : one.tags().keySet()) {
                index.putIfAbsent(tag, index.size());
            }
        }
        for (ResultSeries one : series) {
            for (String column : one.columns()) {
                index.putIfAbsent(column, index.size());
            }
        }
        List<Object[]> rows = new ArrayList<>();
        for (ResultSeries one : series) {
            int[] target = new int[one.columns().size()];
            for (int c = 0; c < target.length; c++) {
                target[c] = index.get(one.columns().get(c));
            }
            for (List<Object> values : one.values()) {
                Object[] row = new Object[index.size()];
                for (Map.Entry<String, String> tag : one.tags().entrySet()) {
                    row[index.get(tag.getKey())] = tag.getValue();
                }
                for (int c = 0; c < target.length; c++) {
                    row[target[c]] = values.get(c);
                }
                rows.add(row);
            }
        }
        List<Column> columns = new ArrayList<>(index.size());
        for (Map.Entry<String, Integer> column : index.entrySet()) {
            PgType type = hasTime && column.getValue() == 0 ? PgType.TIMESTAMPTZ : columnType(rows, column.getValue());
            columns.add(new Column(column.getKey(), type));
        }
        return new ResultTable(columns, rows);
    }

    /** One type per column: the values' type, float8 when integers and floats mix, text when anything else mixes. */
    private static PgType columnType(List<Object[]> rows, int column) {
        PgType type = null;
        for (Object[] row : rows) {
            Object value = row[column];
            if (value == null) {
                continue;
            }
            PgType valueType = PgType.of(value);
            if (type == null) {
                type = valueType;
            } else if (type != valueType) {
                boolean numeric = (type == PgType.INT8 || type == PgType.FLOAT8)
                        && (valueType == PgType.INT8 || valueType == PgType.FLOAT8);
                type = numeric ? PgType.FLOAT8 : PgType.TEXT;
            }
        }
        return type == null ? PgType.TEXT : type;
    }

    /** Maps rows of one column list onto another (by column name), as {@link RowStream#as} needs. */
    record Projection(int[] source, List<Column> announced) {
        static Projection of(List<Column> columns, List<Column> announced) {
            int[] source = new int[announced.size()];
            for (int i = 0; i < source.length; i++) {
                source[i] = -1;
                for (int c = 0; c < columns.size(); c++) {
                    if (columns.get(c).name().equals(announced.get(i).name())) {
                        source[i] = c;
                        break;
                    }
                }
            }
            return new Projection(source, announced);
        }

        Object[] apply(Object[] row) {
            Object[] out = new Object[source.length];
            for (int i = 0; i < source.length; i++) {
                Object value = source[i] >= 0 && source[i] < row.length ? row[source[i]] : null;
                out[i] = fits(announced.get(i).type(), value) ? value : null;
            }
            return out;
        }
    }

    /** Whether {@code value} can be sent as {@code type}; a value that cannot is sent as NULL rather than failing the row. */
    private static boolean fits(PgType type, Object value) {
        return switch (type) {
            case TEXT -> true;
            case BOOL -> value instanceof Boolean;
            case INT8, INT4, FLOAT8, TIMESTAMPTZ -> value instanceof Number;
        };
    }

    static ResultTable single(String name, PgType type, Object value) {
        List<Object[]> rows = new ArrayList<>();
        rows.add(new Object[] {value});
        return new ResultTable(List.of(new Column(name, type)), rows);
    }
}
