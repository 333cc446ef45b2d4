package io.sundial.query.exec;

import io.sundial.core.FieldType;
import io.sundial.core.SeriesKey;
import io.sundial.query.plan.TagCondition;
import io.sundial.query.plan.TimeRange;
import io.sundial.query.result.ResultSeries;
import io.sundial.storage.Column;
import io.sundial.storage.index.TagMatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The answer of a subquery read back as series, with InfluxDB 1.x's meaning: each answer series
 * is a series of the measurement it is named after, its GROUP BY tags stay tags and its columns
 * (but time) become fields. A null value is no point, so an inner fill(null) bucket never
 * reaches the outer query (InfluxDB drops such points too).
 */
final class SubqueryRows {
    private final List<SeriesKey> keys;
    private final List<Map<String, Column>> columns;
    private final List<String> wildcardTagKeys;

    private SubqueryRows(List<SeriesKey> keys, List<Map<String, Column>> columns, List<String> wildcardTagKeys) {
        this.keys = keys;
        this.columns = columns;
        this.wildcardTagKeys = wildcardTagKeys;
    }

    /**
     * One target per measurement name of the answer, in name order.
     *
     * @param groupTags the tags the inner query grouped by as written, or null when it grouped by
     *     {@code *} or a regex: the tags an outer {@code *} lists (InfluxDB lists the inner
     *     query's dimensions, not the tags a raw inner query hands on)
     */
    static List<Target> targets(List<ResultSeries> answer, List<String> groupTags) {
        Map<String, List<ResultSeries>> byName = new TreeMap<>();
        for (ResultSeries series : answer) {
            byName.computeIfAbsent(series.name(), name -> new ArrayList<>()).add(series);
        }
        List<Target> targets = new ArrayList<>();
        for (Map.Entry<String, List<ResultSeries>> entry : byName.entrySet()) {
            targets.add(target(entry.getKey(), entry.getValue(), groupTags));
        }
        return targets;
    }

    private static Target target(String name, List<ResultSeries> seriesList, List<String> groupTags) {
        Map<String, FieldType> types = new LinkedHashMap<>();
        TreeSet<String> tagKeys = new TreeSet<>();
        for (ResultSeries series : seriesList) {
            tagKeys.addAll(series.tags().keySet());
            for (int c = 1; c < series.columns().size(); c++) {
                String column = series.columns().get(c);
                for (List<Object> row : series.values()) {
                    FieldType type = typeOf(row.get(c));
                    if (type != null) {
                        types.merge(column, type, SubqueryRows::wider);
                    }
                }
            }
        }
        List<SeriesKey> keys = new ArrayList<>();
        List<Map<String, Column>> columns = new ArrayList<>();
        for (ResultSeries series : seriesList) {
            keys.add(key(name, series));
            List<List<Object>> rows = new ArrayList<>(series.values());
            // An inner ORDER BY time DESC answers newest first; series read in time order.
            rows.sort((a, b) -> Long.compare((Long) a.getFirst(), (Long) b.getFirst()));
            Map<String, Column> byField = new LinkedHashMap<>();
            for (int c = 1; c < series.columns().size(); c++) {
                FieldType type = types.get(series.columns().get(c));
                if (type != null) {
                    byField.put(series.columns().get(c), column(type, rows, c));
                }
            }
            columns.add(byField);
        }
        List<String> wildcardTags = new ArrayList<>(tagKeys);
        if (groupTags != null) {
            wildcardTags.retainAll(groupTags);
        }
        return new Target(null, name, types, new ArrayList<>(tagKeys), new SubqueryRows(keys, columns, wildcardTags));
    }

    private static SeriesKey key(String name, ResultSeries series) {
        String[] keys = series.tags().keySet().toArray(new String[0]);
        String[] values = series.tags().values().toArray(new String[0]);
        return SeriesKey.ofSorted(name, keys, values);
    }

    private static FieldType typeOf(Object value) {
        return switch (value) {
            case Double d -> FieldType.FLOAT;
            case Long l -> FieldType.INTEGER;
            case Boolean b -> FieldType.BOOLEAN;
            case String s -> FieldType.STRING;
            case null, default -> null;
        };
    }

    /** Integers beside floats in one column read as floats; other mixtures keep the first type. */
    private static FieldType wider(FieldType first, FieldType second) {
        if (first == null) {
            return second;
        }
        if (second == null || first == second) {
            return first;
        }
        boolean numeric = (first == FieldType.FLOAT || first == FieldType.INTEGER)
                && (second == FieldType.FLOAT || second == FieldType.INTEGER);
        return numeric ? FieldType.FLOAT : first;
    }

    private static Column column(FieldType type, List<List<Object>> rows, int index) {
        long[] times = new long[rows.size()];
        long[] values = type == FieldType.STRING ? null : new long[rows.size()];
        String[] strings = type == FieldType.STRING ? new String[rows.size()] : null;
        int size = 0;
        for (List<Object> row : rows) {
            Object value = row.get(index);
            if (value == null || typeOf(value) != type && !(type == FieldType.FLOAT && value instanceof Long)) {
                continue; // a null is no point; a value of another type cannot join this column
            }
            times[size] = (Long) row.getFirst();
            switch (type) {
                case FLOAT -> values[size] = Double.doubleToRawLongBits(((Number) value).doubleValue());
                case INTEGER, UNSIGNED -> values[size] = (Long) value;
                case BOOLEAN -> values[size] = (Boolean) value ? 1 : 0;
                case STRING -> strings[size] = (String) value;
            }
            size++;
        }
        return new Column(type, times, values, strings, size);
    }

    /** The tags {@code *} lists in the outer query. */
    List<String> wildcardTagKeys() {
        return wildcardTagKeys;
    }

    /** Hands each series the condition selects to {@code consumer}, as {@link SeriesScan} does for stored ones. */
    void scan(TagCondition condition, List<String> fields, TimeRange range, Budget budget, Evaluator evaluator,
            SeriesScan.SeriesConsumer consumer) {
        for (int s = 0; s < keys.size(); s++) {
            budget.check();
            SeriesKey key = keys.get(s);
            if (!matches(condition.matchers(), key) || condition.seriesFilter() != null
                    && !evaluator.isTrue(condition.seriesFilter(), SelectExecutor.tagBindings(key))) {
                continue;
            }
            Column[] selected = new Column[fields.size()];
            boolean hasPoints = false;
            for (int f = 0; f < fields.size(); f++) {
                Column column = columns.get(s).get(fields.get(f));
                if (column != null) {
                    selected[f] = slice(column, range);
                    hasPoints |= selected[f].size() > 0;
                }
            }
            if (hasPoints) {
                consumer.accept(key, selected);
            }
        }
    }

    private static boolean matches(List<TagMatcher> matchers, SeriesKey key) {
        for (TagMatcher matcher : matchers) {
            String value = key.tag(matcher.key());
            String text = value == null ? "" : value;
            boolean holds = switch (matcher.op()) {
                case EQ -> text.equals(matcher.value());
                case NEQ -> !text.equals(matcher.value());
                case REGEX -> matcher.pattern().matcher(text).find();
                case NOT_REGEX -> !matcher.pattern().matcher(text).find();
            };
            if (!holds) {
                return false;
            }
        }
        return true;
    }

    private static Column slice(Column column, TimeRange range) {
        int from = Column.lowerBound(column.timestamps(), column.size(), range.min());
        int to = Column.upperBound(column.timestamps(), column.size(), range.max());
        if (from == 0 && to == column.size()) {
            return column;
        }
        int size = Math.max(0, to - from);
        long[] times = java.util.Arrays.copyOfRange(column.timestamps(), from, from + size);
        long[] values = column.values() == null ? null : java.util.Arrays.copyOfRange(column.values(), from, from + size);
        String[] strings = column.strings() == null ? null
                : java.util.Arrays.copyOfRange(column.strings(), from, from + size);
        return new Column(column.type(), times, values, strings, size);
    }
}
