package io.sundial.query.function;

import io.sundial.core.FieldType;
import io.sundial.storage.Column;

/**
 * Fast paths for adding a run of decoded points to an aggregate: min and max find the run's
 * winner in a loop over the primitive values and offer only that point, instead of boxing and
 * offering every point. The state ends as {@link Aggregate#add} would leave it: the winner is the
 * run's first point holding its extreme value (ties keep the earliest), NaN never wins, and a run
 * of only NaNs takes the ordinary path.
 */
public final class RunFold {
    private RunFold() {}

    /** Adds points [from, to) of {@code column}; false (nothing changed) when no fast path applies. */
    public static boolean add(Aggregate aggregate, Column column, int from, int to) {
        if (!(aggregate instanceof Aggregates.Extreme extreme) || to <= from) {
            return false;
        }
        FieldType type = column.type();
        long[] raw = column.values();
        int best = -1;
        switch (type) {
            case FLOAT -> {
                double bestValue = 0;
                for (int i = from; i < to; i++) {
                    double v = Double.longBitsToDouble(raw[i]);
                    if (Double.isNaN(v)) {
                        continue;
                    }
                    if (best < 0 || (extreme.isMin ? Double.compare(v, bestValue) < 0 : Double.compare(v, bestValue) > 0)) {
                        best = i;
                        bestValue = v;
                    }
                }
            }
            case INTEGER, UNSIGNED -> {
                boolean isUnsigned = type == FieldType.UNSIGNED;
                for (int i = from; i < to; i++) {
                    if (best < 0) {
                        best = i;
                        continue;
                    }
                    int order = isUnsigned ? Long.compareUnsigned(raw[i], raw[best]) : Long.compare(raw[i], raw[best]);
                    if (extreme.isMin ? order < 0 : order > 0) {
                        best = i;
                    }
                }
            }
            default -> {
                return false;
            }
        }
        if (best < 0) {
            return false;
        }
        extreme.offer(column.timestamp(best), column.value(best));
        return true;
    }

    /**
     * Offers a float point that is not NaN (the winner of a run found by the caller) to a min or
     * max state of a FLOAT field, as {@link #add} offers its run's winner.
     *
     * @throws ClassCastException when {@code aggregate} is not a min or max state
     */
    public static void offerFloat(Aggregate aggregate, long time, double value) {
        ((Aggregates.Extreme) aggregate).offerFloat(time, value);
    }
}
