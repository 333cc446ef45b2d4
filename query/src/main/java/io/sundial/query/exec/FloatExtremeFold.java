package io.sundial.query.exec;

import io.sundial.query.function.Aggregate;
import io.sundial.query.function.RunFold;
import io.sundial.query.plan.Window;
import io.sundial.storage.Column;
import java.util.function.Supplier;

/**
 * max or min of a decoded FLOAT column folded into GROUP BY time buckets of a fixed interval (no
 * tz()) in one walk over the points. The walk moves to the next bucket at the current bucket's
 * end, so a bucket's start and slot cost one addition, not a division: only the first point and
 * the first point after a gap of a whole bucket locate their bucket by division. Each bucket's
 * run is scanned over the primitive values and only its winner is offered to the state, unboxed
 * unless it wins (single-groupby-5-1-12: 21,600 points of five fields, 3,605 runs of up to six).
 *
 * <p>The states end as {@link RunFold#add} per run leaves them: the run's first point holding its
 * extreme value wins ({@link Double#compare} order, so 0.0 beats -0.0 for max), ties across runs
 * keep the earliest time, NaN never wins, and a run of only NaNs goes through
 * {@link Aggregate#add}, which records NaN as InfluxDB does when nothing else is seen.
 */
final class FloatExtremeFold {
    private FloatExtremeFold() {}

    /**
     * Folds every point of {@code column} (FLOAT, ascending times) into {@code buckets}, whose
     * states {@code create} makes as min ({@code isMin}) or max states of a FLOAT field.
     */
    static void fold(BucketStates buckets, Window window, Column column, boolean isMin, Supplier<Aggregate> create) {
        long[] times = column.timestamps();
        long[] raw = column.values();
        int size = column.size();
        int slotCount = buckets.slotCount();
        long start = window.start(times[0]);
        long end = window.next(start);
        int slot = buckets.slot(start);
        int from = 0;
        while (from < size) {
            int to = from;
            while (to < size && times[to] < end) {
                to++;
            }
            int best = isMin ? minIndex(raw, from, to) : maxIndex(raw, from, to);
            if (to > from) {
                Aggregate aggregate = slot >= 0 ? buckets.atSlot(slot, create) : buckets.computeIfAbsent(start, create);
                if (best >= 0) {
                    RunFold.offerFloat(aggregate, times[best], Double.longBitsToDouble(raw[best]));
                } else {
                    aggregate.add(column, from, to);
                }
            }
            if (to == size) {
                return;
            }
            from = to;
            long nextEnd = window.next(end);
            if (times[from] < nextEnd && end != Long.MAX_VALUE) {
                // The next point lies in the bucket right after this one.
                start = end;
                end = nextEnd;
                slot = slot >= 0 && slot + 1 < slotCount ? slot + 1 : buckets.slot(start);
            } else {
                start = window.start(times[from]);
                end = window.next(start);
                slot = buckets.slot(start);
            }
        }
    }

    /**
     * The first point of [from, to) holding the largest value, -1 when all are NaN. One comparison
     * per point: {@code >} skips NaN by itself and agrees with {@link Double#compare} except on
     * signed zeros, so a run whose largest value is a zero (or -infinity, never above the start)
     * is decided by {@link #exactIndex}.
     */
    private static int maxIndex(long[] raw, int from, int to) {
        int best = -1;
        double bestValue = Double.NEGATIVE_INFINITY;
        for (int i = from; i < to; i++) {
            double value = Double.longBitsToDouble(raw[i]);
            if (value > bestValue) {
                best = i;
                bestValue = value;
            }
        }
        return best < 0 || bestValue == 0 ? exactIndex(raw, from, to, false) : best;
    }

    /** As {@link #maxIndex} for the smallest value. */
    private static int minIndex(long[] raw, int from, int to) {
        int best = -1;
        double bestValue = Double.POSITIVE_INFINITY;
        for (int i = from; i < to; i++) {
            double value = Double.longBitsToDouble(raw[i]);
            if (value < bestValue) {
                best = i;
                bestValue = value;
            }
        }
        return best < 0 || bestValue == 0 ? exactIndex(raw, from, to, true) : best;
    }

    /** The first point holding the extreme in {@link Double#compare}'s order (0.0 above -0.0), NaN skipped; -1 if none. */
    private static int exactIndex(long[] raw, int from, int to, boolean isMin) {
        int best = -1;
        double bestValue = 0;
        for (int i = from; i < to; i++) {
            double value = Double.longBitsToDouble(raw[i]);
            if (!Double.isNaN(value) && (best < 0
                    || (isMin ? Double.compare(value, bestValue) < 0 : Double.compare(value, bestValue) > 0))) {
                best = i;
                bestValue = value;
            }
        }
        return best;
    }
}
