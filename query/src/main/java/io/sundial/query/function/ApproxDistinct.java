package io.sundial.query.function;

import io.sundial.storage.Column;

/**
 * count_approx_distinct(x): the number of distinct values estimated by a {@link HyperLogLog},
 * as an integer. Exact up to 1,024 distinct values, then within a few standard errors of 0.81%.
 * Any field type: numbers hash their bits, strings their UTF-8 bytes, so values are told apart
 * exactly as count(distinct(x)) tells them.
 */
final class ApproxDistinct implements Aggregate {
    final HyperLogLog sketch = new HyperLogLog();
    private boolean hasPoints;

    @Override
    public void add(Column column, int from, int to) {
        switch (column.type()) {
            case STRING -> {
                for (int i = from; i < to; i++) {
                    sketch.addHash(HyperLogLog.hashString(column.stringValue(i)));
                }
            }
            case FLOAT -> {
                for (int i = from; i < to; i++) {
                    sketch.addHash(HyperLogLog.hashBits(Double.doubleToLongBits(column.doubleValue(i))));
                }
            }
            case INTEGER, UNSIGNED -> {
                long[] raw = column.values();
                for (int i = from; i < to; i++) {
                    sketch.addHash(HyperLogLog.hashBits(raw[i]));
                }
            }
            case BOOLEAN -> {
                for (int i = from; i < to; i++) {
                    sketch.addHash(HyperLogLog.hashBits(column.booleanValue(i) ? 1 : 0));
                }
            }
        }
        hasPoints |= to > from;
    }

    @Override
    public void merge(Aggregate other) {
        ApproxDistinct approx = (ApproxDistinct) other;
        sketch.merge(approx.sketch);
        hasPoints |= approx.hasPoints;
    }

    @Override
    public PointList result() {
        return hasPoints ? PointList.of(PointList.NO_TIME, sketch.estimate()) : new PointList();
    }
}
