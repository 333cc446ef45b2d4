package io.sundial.query.function;

import java.util.List;

/**
 * Rolling-window aggregates moving_&lt;agg&gt;(x, window[, every]): at each bucket of width
 * {@code every} (the GROUP BY time interval), the aggregate over the {@code window / every}
 * buckets that end with it, that is over [bucket end - window, bucket end). The executor keeps
 * one partial state per bucket and merges the window's partials ({@link Aggregate#merge}), so a
 * point is read once however many windows hold it.
 */
public final class MovingWindows {
    /** The aggregates that have a moving form: those whose states merge exactly. */
    public static final List<String> BASES = List.of("count", "sum", "mean", "min", "max", "first", "last", "spread",
            "stddev", "variance", "median");
    public static final List<String> NAMES = BASES.stream().map(base -> "moving_" + base).toList();
    /** Most buckets one window may span; each row merges that many partial states. */
    public static final long BUCKETS_PER_WINDOW_MAX = 10_000;

    private MovingWindows() {}

    public static boolean isMoving(String name) {
        // Called per bucket and per state created: most names are turned away by the prefix alone.
        return name.startsWith("moving_") && NAMES.contains(name);
    }

    /** moving_mean → mean. */
    public static String base(String name) {
        if (!isMoving(name)) {
            throw new IllegalArgumentException("not a moving-window function: " + name);
        }
        return name.substring("moving_".length());
    }
}
