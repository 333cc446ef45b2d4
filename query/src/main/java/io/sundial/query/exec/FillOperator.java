package io.sundial.query.exec;

import io.sundial.query.function.PointList;
import io.sundial.query.function.Values;
import io.sundial.query.sundialql.Clauses.FillMode;

/**
 * fill() over the buckets of one aggregate of one group, as InfluxDB's fill iterator does it:
 * only buckets inside the query's time range exist, so previous and linear never reach outside
 * it; count() under fill(null) reports 0 for an empty bucket.
 */
final class FillOperator {
    /** Marks a bucket without points, before fill decides what it becomes. */
    static final Object MISSING = new Object() {
        @Override
        public String toString() {
            return "MISSING";
        }
    };

    private FillOperator() {}

    static PointList fill(PointList buckets, FillMode mode, Object fillValue, boolean isCount) {
        PointList out = new PointList(buckets.size());
        Object typedFill = typed(fillValue, buckets, isCount);
        Object previous = null;
        for (int i = 0; i < buckets.size(); i++) {
            Object value = buckets.value(i);
            long time = buckets.time(i);
            if (value != MISSING) {
                out.add(time, value, buckets.row(i));
                previous = value;
                continue;
            }
            switch (mode) {
                case NONE -> { }
                case NULL -> out.add(time, isCount ? (Object) 0L : null);
                case VALUE -> out.add(time, typedFill);
                case PREVIOUS -> out.add(time, previous);
                case LINEAR -> out.add(time, linear(buckets, i));
            }
        }
        return out;
    }

    /**
     * The fill value in the type of the aggregate's values, as InfluxDB casts it to its
     * iterator's type: fill(0) on a float aggregate is 0.0, fill(1.5) on count() is 1.
     */
    private static Object typed(Object fillValue, PointList buckets, boolean isCount) {
        boolean isInteger = isCount;
        boolean isFloat = false;
        for (int i = 0; i < buckets.size() && !isInteger && !isFloat; i++) {
            isInteger = buckets.value(i) instanceof Long;
            isFloat = buckets.value(i) instanceof Double;
        }
        if (isInteger && fillValue instanceof Double d) {
            return (long) (double) d;
        }
        if (isFloat && fillValue instanceof Long l) {
            return (double) l;
        }
        return fillValue;
    }

    /** Interpolates between the nearest buckets with values on both sides; null at the edges. */
    private static Object linear(PointList buckets, int index) {
        int before = index - 1;
        while (before >= 0 && buckets.value(before) == MISSING) {
            before--;
        }
        int after = index + 1;
        while (after < buckets.size() && buckets.value(after) == MISSING) {
            after++;
        }
        if (before < 0 || after >= buckets.size()) {
            return null;
        }
        Object low = buckets.value(before);
        Object high = buckets.value(after);
        if (!(low instanceof Long || low instanceof Double) || !(high instanceof Long || high instanceof Double)) {
            return null;
        }
        double fraction = (double) (buckets.time(index) - buckets.time(before)) / (buckets.time(after) - buckets.time(before));
        double lowValue = Values.toDouble(low);
        double value = lowValue + (Values.toDouble(high) - lowValue) * fraction;
        if (low instanceof Long l && high instanceof Long h) {
            return l + (long) ((h - l) * fraction);
        }
        return value;
    }
}
