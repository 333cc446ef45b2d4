package io.sundial.query.function;

import java.util.List;

/**
 * InfluxQL's transformations: functions over the time-ordered points of one group (raw points,
 * or bucket results of an aggregate) that give a point per input step. Null inputs (empty
 * buckets under fill(null)) are skipped, as InfluxDB skips nil points. Each output point carries
 * the time of the later input point.
 */
public final class Transforms {
    public static final List<String> NAMES = List.of("derivative", "non_negative_derivative", "difference",
            "non_negative_difference", "moving_average", "cumulative_sum", "elapsed", "exponential_moving_average");

    private Transforms() {}

    /**
     * Applies transformation {@code name} to {@code input} (ascending times).
     *
     * @param parameter derivative's and elapsed's unit in nanoseconds, moving_average's window,
     *     exponential_moving_average's period
     */
    public static PointList apply(String name, PointList input, long parameter) {
        return switch (name) {
            case "derivative" -> derivative(input, parameter, false);
            case "non_negative_derivative" -> derivative(input, parameter, true);
            case "difference" -> difference(input, false);
            case "non_negative_difference" -> difference(input, true);
            case "moving_average" -> movingAverage(input, (int) parameter);
            case "cumulative_sum" -> cumulativeSum(input);
            case "elapsed" -> elapsed(input, parameter);
            case "exponential_moving_average" -> exponentialMovingAverage(input, (int) parameter);
            default -> throw new IllegalArgumentException("not a transformation: " + name);
        };
    }

    /**
     * (v - previous) / ((t - previousTime) / unit). A point at the same time as the previous one
     * is dropped (a merged group may repeat a time; InfluxDB keeps the first). The non-negative
     * form drops negative rates, which is how a counter reset shows up.
     */
    static PointList derivative(PointList input, long unitNanos, boolean isNonNegative) {
        PointList out = new PointList(input.size());
        boolean hasPrevious = false;
        long previousTime = 0;
        double previous = 0;
        for (int i = 0; i < input.size(); i++) {
            Object value = input.value(i);
            if (!(value instanceof Double) && !(value instanceof Long)) {
                continue;
            }
            double current = Values.toDouble(value);
            long time = input.time(i);
            if (hasPrevious && time == previousTime) {
                continue;
            }
            if (hasPrevious) {
                double rate = (current - previous) / ((double) (time - previousTime) / unitNanos);
                if (!isNonNegative || rate >= 0) {
                    out.add(time, rate);
                }
            }
            hasPrevious = true;
            previousTime = time;
            previous = current;
        }
        return out;
    }

    static PointList difference(PointList input, boolean isNonNegative) {
        PointList out = new PointList(input.size());
        Object previous = null;
        long previousTime = 0;
        for (int i = 0; i < input.size(); i++) {
            Object value = input.value(i);
            if (!(value instanceof Double) && !(value instanceof Long)) {
                continue;
            }
            long time = input.time(i);
            if (previous != null && time == previousTime) {
                continue;
            }
            if (previous != null) {
                Object delta = previous instanceof Long p && value instanceof Long v
                        ? (Object) (v - p) : (Object) (Values.toDouble(value) - Values.toDouble(previous));
                if (!isNonNegative || Values.toDouble(delta) >= 0) {
                    out.add(time, delta);
                }
            }
            previous = value;
            previousTime = time;
        }
        return out;
    }

    static PointList movingAverage(PointList input, int window) {
        PointList out = new PointList(input.size());
        double[] ring = new double[window];
        int count = 0;
        double sum = 0;
        for (int i = 0; i < input.size(); i++) {
            Object value = input.value(i);
            if (!(value instanceof Double) && !(value instanceof Long)) {
                continue;
            }
            double current = Values.toDouble(value);
            int slot = count % window;
            if (count >= window) {
                sum -= ring[slot];
            }
            ring[slot] = current;
            sum += current;
            count++;
            if (count >= window) {
                out.add(input.time(i), sum / window);
            }
        }
        return out;
    }

    /**
     * InfluxDB's exponential_moving_average(x, period) with its defaults: an exponential warm-up
     * (the k-th point of the first {@code period} weighs 2 / (k + 1), so the first point is the
     * average itself), then a weight of 2 / (period + 1); points are emitted from the
     * {@code period}-th on (hold period = period - 1).
     */
    static PointList exponentialMovingAverage(PointList input, int period) {
        PointList out = new PointList(input.size());
        double average = 0;
        int count = 0;
        for (int i = 0; i < input.size(); i++) {
            Object value = input.value(i);
            if (!(value instanceof Double) && !(value instanceof Long)) {
                continue;
            }
            count++;
            double weight = 2.0 / (Math.min(count, period) + 1);
            average = count == 1 ? Values.toDouble(value) : average + weight * (Values.toDouble(value) - average);
            if (count >= period) {
                out.add(input.time(i), average);
            }
        }
        return out;
    }

    static PointList cumulativeSum(PointList input) {
        PointList out = new PointList(input.size());
        boolean isInteger = true;
        long longSum = 0;
        double doubleSum = 0;
        for (int i = 0; i < input.size(); i++) {
            Object value = input.value(i);
            if (value instanceof Long l && isInteger) {
                longSum += l;
                out.add(input.time(i), longSum);
            } else if (value instanceof Double || value instanceof Long) {
                if (isInteger) {
                    doubleSum = longSum;
                    isInteger = false;
                }
                doubleSum += Values.toDouble(value);
                out.add(input.time(i), doubleSum);
            }
        }
        return out;
    }

    static PointList elapsed(PointList input, long unitNanos) {
        PointList out = new PointList(input.size());
        boolean hasPrevious = false;
        long previousTime = 0;
        for (int i = 0; i < input.size(); i++) {
            if (input.value(i) == null) {
                continue;
            }
            long time = input.time(i);
            if (hasPrevious && time != previousTime) {
                out.add(time, (time - previousTime) / unitNanos);
            }
            if (!hasPrevious || time != previousTime) {
                previousTime = time;
                hasPrevious = true;
            }
        }
        return out;
    }
}
