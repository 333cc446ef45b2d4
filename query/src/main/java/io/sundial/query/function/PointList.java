package io.sundial.query.function;

import java.util.Arrays;

/**
 * A growable list of (time, value) points; values are Double, Long, String, Boolean or null.
 * Times of points that carry no time of their own (an aggregate's result) are
 * {@link #NO_TIME} until the executor stamps the bucket time on them.
 */
public final class PointList {
    public static final long NO_TIME = Long.MIN_VALUE;

    private long[] times;
    private Object[] values;
    /** Per point, the values of the row it came from (fields and tags beside a selector); null until one is added. */
    private Object[][] rows;
    private int size;

    public PointList() {
        this(4);
    }

    public PointList(int capacity) {
        times = new long[Math.max(1, capacity)];
        values = new Object[Math.max(1, capacity)];
    }

    public static PointList of(long time, Object value) {
        PointList list = new PointList(1);
        list.add(time, value);
        return list;
    }

    public void add(long time, Object value) {
        if (size == times.length) {
            int capacity = Math.max(4, size * 2);
            times = Arrays.copyOf(times, capacity);
            values = Arrays.copyOf(values, capacity);
            if (rows != null) {
                rows = Arrays.copyOf(rows, capacity);
            }
        }
        times[size] = time;
        values[size] = value;
        size++;
    }

    /** Adds a point that carries the values of its row ({@link #row}); {@code row} may be null. */
    public void add(long time, Object value, Object[] row) {
        add(time, value);
        if (row != null) {
            if (rows == null) {
                rows = new Object[times.length][];
            }
            rows[size - 1] = row;
        }
    }

    /** The row values carried by point {@code index}, or null. */
    public Object[] row(int index) {
        return rows == null ? null : rows[index];
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public long time(int index) {
        return times[index];
    }

    public Object value(int index) {
        return values[index];
    }

    public void setValue(int index, Object value) {
        values[index] = value;
    }

    /** A copy ordered by time; points at equal times keep their order. */
    public PointList sortedByTime() {
        Integer[] order = new Integer[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Long.compare(times[a], times[b]));
        PointList out = new PointList(size);
        for (int index : order) {
            out.add(times[index], values[index], row(index));
        }
        return out;
    }
}
