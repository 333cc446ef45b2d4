package io.sundial.query.function;

import io.sundial.storage.Column;

/**
 * The running state of one aggregate over the points of one bucket of one group. Points arrive
 * as slices of columns (one slice per series and bucket), so the work is a loop over primitive
 * arrays. States of the same function merge ({@link #merge}), so partial states computed per
 * chunk, file or partition can later be combined; the result does not depend on how the points
 * were split, except where noted for ties.
 */
public interface Aggregate {
    /** Adds points [from, to) of {@code column}, whose timestamps increase. */
    void add(Column column, int from, int to);

    /**
     * Adds points [from, to) of {@code column}, all of one series named by {@code series} (a key
     * with value equality). Functions computed per series and then combined (rate, irate)
     * override this; the others do not care which series a point came from.
     */
    default void add(Object series, Column column, int from, int to) {
        add(column, from, to);
    }

    /**
     * Adds points [from, to) of one series with the values of each point's row
     * ({@code rows[i - from]}), for functions that return several points or one point whose row
     * the answer shows beside it ({@link #keepsRows}); the others ignore the rows.
     */
    default void add(Object series, Column column, int from, int to, Object[][] rows) {
        add(series, column, from, to);
    }

    /** True when the points of {@link #result} carry their rows ({@link PointList#row}). */
    default boolean keepsRows() {
        return false;
    }

    /** Folds another state of the same function and parameters into this one. */
    void merge(Aggregate other);

    /** The results, one point for most functions, several for distinct; empty when no point was added. */
    PointList result();

    /** True when this function reports the time of the point it selected (first, last, min, max, percentile). */
    default boolean isSelector() {
        return false;
    }

    /**
     * True when the points keep their own times even under GROUP BY time (top, bottom), instead of
     * taking the bucket's start.
     */
    default boolean keepsOwnTimes() {
        return false;
    }
}
