package io.sundial.query.function;

import io.sundial.core.FieldType;
import io.sundial.storage.segment.ChunkStats;

/**
 * Aggregation pushdown: folds a chunk into an aggregate state from the chunk's stats alone, giving
 * the state decoding and {@link Aggregate#add} would give. The caller guarantees the stats are
 * exact for the points the aggregate should see (the chunk lies wholly in one bucket and no other
 * source touches it). NaN rules follow {@link ChunkStats}: a float chunk's sum leaves NaNs out, so
 * sum and mean of a chunk with a NaN become NaN, as adding the NaN would make them; min and max
 * skip NaN, as NaN never wins.
 *
 * <p>Float sums are added chunk by chunk rather than point by point, so the last bits of a sum or
 * mean can differ from a decoded run's (float addition is not associative); counts, integer sums,
 * min, max, first and last are identical.
 */
public final class StatsFold {
    private StatsFold() {}

    /** Functions whose state a chunk's stats determine. */
    public static boolean supports(String function) {
        return switch (function) {
            case "count", "sum", "mean", "min", "max", "first", "last", "spread" -> true;
            default -> false;
        };
    }

    /**
     * Folds the chunk ({@code count} points of {@code type} from {@code minTime} to {@code maxTime}
     * with {@code stats}) into {@code aggregate}; false (and nothing changed) when stats cannot
     * answer for this function and type, and the chunk must be decoded instead.
     */
    public static boolean fold(Aggregate aggregate, FieldType type, int count, long minTime, long maxTime,
            ChunkStats stats) {
        switch (aggregate) {
            case Aggregates.Count state -> state.count += count;
            case Aggregates.Sum state -> {
                if (!isNumeric(type)) {
                    return false;
                }
                if (type == FieldType.FLOAT) {
                    state.doubleSum += stats.nanCount() > 0 ? Double.NaN : stats.sum();
                } else {
                    state.longSum += stats.sumExact();
                }
                state.count += count;
            }
            case Aggregates.Mean state -> {
                if (!isNumeric(type)) {
                    return false;
                }
                state.sum += type == FieldType.FLOAT && stats.nanCount() > 0 ? Double.NaN : stats.sum();
                state.count += count;
            }
            case Aggregates.Extreme state -> {
                if (!isNumeric(type)) {
                    return false;
                }
                offerExtreme(state, type, count, minTime, stats, isMinimum(state));
            }
            case Aggregates.Spread state -> {
                if (!isNumeric(type)) {
                    return false;
                }
                offerExtreme(state.min, type, count, minTime, stats, true);
                offerExtreme(state.max, type, count, minTime, stats, false);
            }
            case Aggregates.Edge state -> {
                if (type == FieldType.STRING) {
                    return false;
                }
                boolean isFirst = state.isFirst;
                state.offer(isFirst ? minTime : maxTime, value(type, isFirst ? stats.first() : stats.last()));
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    /** Functions an hour block of a float chunk answers (its last value is not in the block table). */
    public static boolean supportsFloatBlock(String function) {
        return switch (function) {
            case "count", "sum", "mean", "min", "max", "first", "spread" -> true;
            default -> false;
        };
    }

    /**
     * Folds an hour block of a float chunk without NaN ({@code count} points from {@code minTime},
     * with their sum, min, max and first value) into {@code aggregate}; false (nothing changed) for
     * a function the block table cannot answer ({@link #supportsFloatBlock}).
     */
    public static boolean foldFloatBlock(Aggregate aggregate, int count, long minTime, double sum, double min,
            double max, double first) {
        switch (aggregate) {
            case Aggregates.Count state -> state.count += count;
            case Aggregates.Sum state -> {
                state.doubleSum += sum;
                state.count += count;
            }
            case Aggregates.Mean state -> {
                state.sum += sum;
                state.count += count;
            }
            case Aggregates.Extreme state -> state.offer(minTime, isMinimum(state) ? min : max);
            case Aggregates.Spread state -> {
                state.min.offer(minTime, min);
                state.max.offer(minTime, max);
            }
            case Aggregates.Edge state when state.isFirst -> state.offer(minTime, first);
            default -> {
                return false;
            }
        }
        return true;
    }

    private static boolean isMinimum(Aggregates.Extreme state) {
        return state.isMin;
    }

    /**
     * The time of a chunk's min or max is not in its stats; the chunk's first time stands in. It
     * only decides between equal values (which are equal either way), since pushdown is not used
     * where the selected point's time is reported.
     */
    private static void offerExtreme(Aggregates.Extreme state, FieldType type, int count, long minTime, ChunkStats stats,
            boolean isMin) {
        if (type == FieldType.FLOAT && stats.nanCount() == count) {
            state.offer(minTime, Double.NaN);
            return;
        }
        state.offer(minTime, value(type, isMin ? stats.min() : stats.max()));
    }

    private static boolean isNumeric(FieldType type) {
        return type == FieldType.FLOAT || type == FieldType.INTEGER || type == FieldType.UNSIGNED;
    }

    private static Object value(FieldType type, long raw) {
        return switch (type) {
            case FLOAT -> Double.longBitsToDouble(raw);
            case INTEGER, UNSIGNED -> raw;
            case BOOLEAN -> raw != 0;
            case STRING -> throw new IllegalArgumentException("string chunks have no value stats");
        };
    }
}
