package io.sundial.query.check;

import io.sundial.query.function.Aggregates;
import io.sundial.query.function.HoltWinters;
import io.sundial.query.function.MathFunctions;
import io.sundial.query.function.TechnicalAnalysis;
import io.sundial.query.function.Transforms;
import java.util.Set;

/** What a function name means to the planner. */
public enum FunctionKind {
    /** Reduces the points of a bucket to one value (or a few, for distinct). */
    AGGREGATE,
    /** An aggregate that picks one point and so can report that point's time. */
    SELECTOR,
    /** Maps the ordered points of a group to new points (derivative, difference, ...). */
    TRANSFORMATION,
    /** Maps one value to one value (abs, round, ...). */
    MATH,
    /** A function InfluxQL or SundialQL defines that this version does not run yet. */
    NOT_YET_SUPPORTED,
    UNDEFINED;

    private static final Set<String> SELECTORS = Set.of("first", "last", "min", "max", "percentile", "top", "bottom", "sample");
    private static final Set<String> NOT_YET = Set.of("time_bucket");

    public static FunctionKind of(String name) {
        if (SELECTORS.contains(name)) {
            return SELECTOR;
        }
        if (Aggregates.NAMES.contains(name)) {
            return AGGREGATE;
        }
        if (Transforms.NAMES.contains(name) || HoltWinters.NAMES.contains(name)
                || TechnicalAnalysis.NAMES.contains(name)) {
            return TRANSFORMATION;
        }
        if (MathFunctions.NAMES.contains(name)) {
            return MATH;
        }
        return NOT_YET.contains(name) ? NOT_YET_SUPPORTED : UNDEFINED;
    }

    public boolean isAggregate() {
        return this == AGGREGATE || this == SELECTOR;
    }
}
