package io.sundial.query.function;

import io.sundial.storage.Column;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * rate(counter[, unit]) and irate(counter[, unit]) of a monotonic counter, per series, summed
 * over the series of a group (what PromQL writes as {@code sum(rate(x))}).
 *
 * <p>One series in one bucket: rate is the counter's increase between the bucket's first and
 * last point divided by the time between them; irate uses only the last two points. A drop
 * between consecutive points means the counter restarted from 0 (Prometheus' rule), so the
 * increase across it is the new value. No extrapolation to the bucket's edges (unlike PromQL's
 * rate, like TimescaleDB's counter_agg). A series with fewer than two points in the bucket adds
 * nothing; a group none of whose series has two points gives null. NaN points are skipped
 * (Prometheus uses NaN as a staleness marker).
 *
 * <p>The state per series is a {@link Run}: first and last point, the point before the last,
 * and the increase accumulated between first and last, so partial states of one series (per
 * chunk or file) merge in time order by adding the increase across the seam.
 */
final class CounterRate implements Aggregate {
    /** The series of points added with {@link #add(Column, int, int)}, which carries no series. */
    private static final Object ANONYMOUS = new Object();

    private final boolean isInstant;
    private final double unitNanos;
    final Map<Object, Run> runs = new LinkedHashMap<>();
    /** Points were added, NaN ones included: the bucket answers null rather than nothing. */
    private boolean hasPoints;

    CounterRate(boolean isInstant, double unitNanos) {
        this.isInstant = isInstant;
        this.unitNanos = unitNanos > 0 ? unitNanos : 1e9;
    }

    @Override
    public void add(Column column, int from, int to) {
        add(ANONYMOUS, column, from, to);
    }

    @Override
    public void add(Object series, Column column, int from, int to) {
        Values.requireNumeric(isInstant ? "irate" : "rate", column);
        hasPoints |= to > from;
        Run run = new Run();
        for (int i = from; i < to; i++) {
            run.offer(column.timestamp(i), Values.asDouble(column, i));
        }
        if (run.count > 0) {
            append(series, run);
        }
    }

    private void append(Object series, Run run) {
        Run existing = runs.get(series);
        runs.put(series, existing == null ? run : Run.chain(existing, run));
    }

    @Override
    public void merge(Aggregate other) {
        hasPoints |= ((CounterRate) other).hasPoints;
        for (Map.Entry<Object, Run> entry : ((CounterRate) other).runs.entrySet()) {
            append(entry.getKey(), entry.getValue().copy());
        }
    }

    @Override
    public PointList result() {
        if (!hasPoints) {
            return new PointList();
        }
        double total = 0;
        boolean hasRate = false;
        for (Run run : runs.values()) {
            if (run.count < 2) {
                continue;
            }
            hasRate = true;
            total += isInstant
                    ? increase(run.previousValue, run.lastValue) / ((run.lastTime - run.previousTime) / unitNanos)
                    : run.increase / ((run.lastTime - run.firstTime) / unitNanos);
        }
        return PointList.of(PointList.NO_TIME, hasRate ? (Object) total : null);
    }

    /** The counter's increase from {@code before} to {@code after}; a drop is a restart from 0. */
    static double increase(double before, double after) {
        return after >= before ? after - before : after;
    }

    /** Points of one series in time order, summarised. */
    static final class Run {
        long count;
        long firstTime;
        double firstValue;
        long previousTime;
        double previousValue;
        long lastTime;
        double lastValue;
        double increase;

        /** Takes the next point; NaN and a time not after the last one (a repeat) are skipped. */
        void offer(long time, double value) {
            if (Double.isNaN(value) || (count > 0 && time <= lastTime)) {
                return;
            }
            if (count == 0) {
                firstTime = time;
                firstValue = value;
            } else {
                increase += increase(lastValue, value);
                previousTime = lastTime;
                previousValue = lastValue;
            }
            lastTime = time;
            lastValue = value;
            count++;
        }

        Run copy() {
            Run copy = new Run();
            copy.count = count;
            copy.firstTime = firstTime;
            copy.firstValue = firstValue;
            copy.previousTime = previousTime;
            copy.previousValue = previousValue;
            copy.lastTime = lastTime;
            copy.lastValue = lastValue;
            copy.increase = increase;
            return copy;
        }

        /**
         * The run of {@code a}'s points followed by {@code b}'s. Partials of one series do not
         * overlap in time; should they, the one that starts first goes first and the other's
         * points up to its end are dropped as repeats would be.
         */
        static Run chain(Run a, Run b) {
            List<Run> ordered = new ArrayList<>(List.of(a, b));
            ordered.sort(Comparator.comparingLong(run -> run.firstTime));
            Run earlier = ordered.get(0);
            Run later = ordered.get(1);
            if (later.firstTime <= earlier.lastTime) {
                // Overlap: only the later run's last point can extend the earlier one.
                Run out = earlier.copy();
                out.offer(later.lastTime, later.lastValue);
                return out;
            }
            Run out = new Run();
            out.count = earlier.count + later.count;
            out.firstTime = earlier.firstTime;
            out.firstValue = earlier.firstValue;
            out.lastTime = later.lastTime;
            out.lastValue = later.lastValue;
            out.increase = earlier.increase + increase(earlier.lastValue, later.firstValue) + later.increase;
            if (later.count >= 2) {
                out.previousTime = later.previousTime;
                out.previousValue = later.previousValue;
            } else {
                out.previousTime = earlier.lastTime;
                out.previousValue = earlier.lastValue;
            }
            return out;
        }
    }
}
