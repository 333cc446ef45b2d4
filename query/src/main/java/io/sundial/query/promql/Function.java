package io.sundial.query.promql;

import static io.sundial.query.promql.ValueType.MATRIX;
import static io.sundial.query.promql.ValueType.SCALAR;
import static io.sundial.query.promql.ValueType.STRING;
import static io.sundial.query.promql.ValueType.VECTOR;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A PromQL function's signature, as Prometheus 2.42 declares it ({@code promql/parser/functions.go}).
 *
 * @param variadic 0: exactly the argument types; n > 0: the last n arguments are optional;
 *                 -1: the last argument type repeats any number of times
 */
public record Function(String name, List<ValueType> argTypes, int variadic, ValueType returnType) {
    private static final Map<String, Function> FUNCTIONS = new HashMap<>();

    static {
        for (String name : List.of("abs", "ceil", "floor", "exp", "sqrt", "ln", "log2", "log10", "sgn",
                "acos", "acosh", "asin", "asinh", "atan", "atanh", "cos", "cosh", "sin", "sinh", "tan", "tanh",
                "deg", "rad", "timestamp", "sort", "sort_desc", "absent")) {
            define(name, List.of(VECTOR), 0, VECTOR);
        }
        for (String name : List.of("rate", "irate", "increase", "delta", "idelta", "deriv", "resets", "changes",
                "avg_over_time", "min_over_time", "max_over_time", "sum_over_time", "count_over_time",
                "stddev_over_time", "stdvar_over_time", "last_over_time", "present_over_time", "absent_over_time")) {
            define(name, List.of(MATRIX), 0, VECTOR);
        }
        for (String name : List.of("day_of_month", "day_of_week", "day_of_year", "days_in_month", "hour",
                "minute", "month", "year")) {
            define(name, List.of(VECTOR), 1, VECTOR);
        }
        define("round", List.of(VECTOR, SCALAR), 1, VECTOR);
        define("clamp", List.of(VECTOR, SCALAR, SCALAR), 0, VECTOR);
        define("clamp_min", List.of(VECTOR, SCALAR), 0, VECTOR);
        define("clamp_max", List.of(VECTOR, SCALAR), 0, VECTOR);
        define("predict_linear", List.of(MATRIX, SCALAR), 0, VECTOR);
        define("quantile_over_time", List.of(SCALAR, MATRIX), 0, VECTOR);
        define("holt_winters", List.of(MATRIX, SCALAR, SCALAR), 0, VECTOR);
        define("histogram_quantile", List.of(SCALAR, VECTOR), 0, VECTOR);
        define("label_replace", List.of(VECTOR, STRING, STRING, STRING, STRING), 0, VECTOR);
        define("label_join", List.of(VECTOR, STRING, STRING, STRING), -1, VECTOR);
        define("scalar", List.of(VECTOR), 0, SCALAR);
        define("vector", List.of(SCALAR), 0, VECTOR);
        define("time", List.of(), 0, SCALAR);
        define("pi", List.of(), 0, SCALAR);
    }

    private static void define(String name, List<ValueType> args, int variadic, ValueType returns) {
        FUNCTIONS.put(name, new Function(name, args, variadic, returns));
    }

    /** The function called {@code name} (case-sensitive), or null. */
    public static Function byName(String name) {
        return FUNCTIONS.get(name);
    }

    /** The type argument {@code i} must have. */
    ValueType argType(int i) {
        return i < argTypes.size() ? argTypes.get(i) : argTypes.getLast();
    }
}
