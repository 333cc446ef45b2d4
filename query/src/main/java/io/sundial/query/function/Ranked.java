package io.sundial.query.function;

import io.sundial.core.FieldType;
import io.sundial.core.SeriesKey;
import io.sundial.storage.Column;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * top(x, n) and bottom(x, n): the n points with the greatest (or least) values, each at its own
 * time, returned in time order. Among equal values the earlier point ranks first, so the answer
 * does not depend on how the points were split across series and chunks (InfluxDB 1.6 picks the
 * same points: its reducer ranks ties by time).
 *
 * <p>With tag arguments, top(x, tag, ..., n) first keeps, for each combination of those tags'
 * values, only its greatest (least) point, the earlier of equal ones, and then ranks those, as
 * InfluxDB 1.x does by feeding top() from max() grouped by the tags. The series passed to
 * {@link #add(Object, Column, int, int, Object[][])} must be a {@link SeriesKey} for that.
 */
final class Ranked implements Aggregate {
    /** Most points one top() or bottom() may return; each is a row. */
    static final int COUNT_MAX = 1_000_000;

    private final FieldType type;
    private final boolean greatest;
    private final int count;
    private final List<String> tagKeys;
    private final List<Object> values = new ArrayList<>();
    private final List<Long> times = new ArrayList<>();
    private final List<Object[]> rows = new ArrayList<>();
    private final List<List<String>> tagValues = new ArrayList<>();
    /** With tag arguments: the candidate index of each combination of tag values. */
    private final Map<List<String>, Integer> candidates = new HashMap<>();

    Ranked(FieldType type, boolean greatest, int count) {
        this(type, greatest, count, List.of());
    }

    Ranked(FieldType type, boolean greatest, int count, List<String> tagKeys) {
        this.type = type;
        this.greatest = greatest;
        this.count = count;
        this.tagKeys = List.copyOf(tagKeys);
    }

    @Override
    public void add(Column column, int from, int to) {
        add(null, column, from, to, null);
    }

    @Override
    public void add(Object series, Column column, int from, int to) {
        add(series, column, from, to, null);
    }

    @Override
    public void add(Object series, Column column, int from, int to, Object[][] pointRows) {
        Values.requireNumeric(greatest ? "top" : "bottom", column);
        List<String> key = tagKeys.isEmpty() ? null : tagValuesOf(series);
        for (int i = from; i < to; i++) {
            offer(column.value(i), column.timestamp(i), pointRows == null ? null : pointRows[i - from], key);
        }
    }

    private List<String> tagValuesOf(Object series) {
        List<String> out = new ArrayList<>(tagKeys.size());
        for (String key : tagKeys) {
            String value = series instanceof SeriesKey seriesKey ? seriesKey.tag(key) : null;
            out.add(value == null ? "" : value);
        }
        return out;
    }

    private void offer(Object value, long time, Object[] row, List<String> key) {
        if (key == null) {
            append(value, time, row, null);
            return;
        }
        if (value instanceof Double d && d.isNaN()) {
            return;
        }
        Integer index = candidates.get(key);
        if (index == null) {
            candidates.put(key, values.size());
            append(value, time, row, key);
            return;
        }
        int order = Values.compare(type, value, values.get(index));
        if ((greatest ? order > 0 : order < 0) || (order == 0 && time < times.get(index))) {
            values.set(index, value);
            times.set(index, time);
            rows.set(index, row);
        }
    }

    private void append(Object value, long time, Object[] row, List<String> key) {
        values.add(value);
        times.add(time);
        rows.add(row);
        tagValues.add(key);
    }

    @Override
    public void merge(Aggregate other) {
        Ranked ranked = (Ranked) other;
        for (int i = 0; i < ranked.values.size(); i++) {
            offer(ranked.values.get(i), ranked.times.get(i), ranked.rows.get(i), ranked.tagValues.get(i));
        }
    }

    @Override
    public PointList result() {
        Integer[] order = new Integer[values.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> {
            int byValue = Values.compare(type, values.get(a), values.get(b));
            return byValue != 0 ? (greatest ? -byValue : byValue) : Long.compare(times.get(a), times.get(b));
        });
        Integer[] chosen = Arrays.copyOf(order, Math.min(count, order.length));
        Arrays.sort(chosen, (a, b) -> {
            int byTime = Long.compare(times.get(a), times.get(b));
            int byValue = Values.compare(type, values.get(a), values.get(b));
            return byTime != 0 ? byTime : (greatest ? -byValue : byValue);
        });
        PointList out = new PointList(chosen.length);
        for (Integer index : chosen) {
            out.add(times.get(index), values.get(index), rows.get(index));
        }
        return out;
    }

    @Override
    public boolean isSelector() {
        return true;
    }

    @Override
    public boolean keepsOwnTimes() {
        return true;
    }

    @Override
    public boolean keepsRows() {
        return true;
    }
}
