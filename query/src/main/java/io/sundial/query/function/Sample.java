package io.sundial.query.function;

import io.sundial.storage.Column;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * sample(x, n): n points chosen uniformly at random (all of them when there are at most n), each
 * at its own time, in time order. Like InfluxDB's, the choice differs from run to run unless a
 * seed is given; the seed exists so tests can replay a choice.
 */
final class Sample implements Aggregate {
    private final int count;
    private final Random random;
    private final List<Object> values = new ArrayList<>();
    private final List<Long> times = new ArrayList<>();
    private final List<Object[]> rows = new ArrayList<>();
    /** The last choice, kept until points are added, so every reader of one state sees the same sample. */
    private PointList chosenPoints;

    Sample(int count, Random random) {
        this.count = count;
        this.random = random;
    }

    @Override
    public void add(Column column, int from, int to) {
        add(null, column, from, to, null);
    }

    @Override
    public void add(Object series, Column column, int from, int to, Object[][] pointRows) {
        chosenPoints = null;
        for (int i = from; i < to; i++) {
            values.add(column.value(i));
            times.add(column.timestamp(i));
            rows.add(pointRows == null ? null : pointRows[i - from]);
        }
    }

    @Override
    public void merge(Aggregate other) {
        Sample sample = (Sample) other;
        chosenPoints = null;
        values.addAll(sample.values);
        times.addAll(sample.times);
        rows.addAll(sample.rows);
    }

    @Override
    public PointList result() {
        if (chosenPoints == null) {
            chosenPoints = choose();
        }
        return chosenPoints;
    }

    private PointList choose() {
        Integer[] order = new Integer[values.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        int chosenCount = Math.min(count, order.length);
        // A partial Fisher-Yates shuffle: the first chosenCount slots are a uniform sample.
        for (int i = 0; i < chosenCount && order.length > count; i++) {
            int j = i + random.nextInt(order.length - i);
            Integer swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        Integer[] chosen = Arrays.copyOf(order, chosenCount);
        Arrays.sort(chosen, (a, b) -> Long.compare(times.get(a), times.get(b)));
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
