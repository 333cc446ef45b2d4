package io.sundial.query.function;

import io.sundial.core.FieldType;
import io.sundial.storage.Column;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * top(x, n) and bottom(x, n): the n points with the greatest (or least) values, each at its own
 * time, returned in time order. Among equal values the earlier point ranks first, so the answer
 * does not depend on how the points were split across series and chunks (InfluxDB 1.6 picks the
 * same points: its reducer ranks ties by time).
 */
final class Ranked implements Aggregate {
    /** Most points one top() or bottom() may return; each is a row of the answer. */
    static final int COUNT_MAX = 1_000_000;

    private final FieldType type;
    private final boolean greatest;
    private final int count;
    private final List<Object> values = new ArrayList<>();
    private final List<Long> times = new ArrayList<>();

    Ranked(FieldType type, boolean greatest, int count) {
        this.type = type;
        this.greatest = greatest;
        this.count = count;
    }

    @Override
    public void add(Column column, int from, int to) {
        Values.requireNumeric(greatest ? "top" : "bottom", column);
        for (int i = from; i < to; i++) {
            values.add(column.value(i));
            times.add(column.timestamp(i));
        }
    }

    @Override
    public void merge(Aggregate other) {
        Ranked ranked = (Ranked) other;
        values.addAll(ranked.values);
        times.addAll(ranked.times);
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
            out.add(times.get(index), values.get(index));
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
}
