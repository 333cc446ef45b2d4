package io.sundial.query.promql;

import io.sundial.query.QueryException;
import io.sundial.query.promql.Expr.Call;
import io.sundial.query.promql.Expr.MatrixSelector;
import io.sundial.query.promql.Expr.Paren;
import io.sundial.query.promql.Expr.Subquery;
import io.sundial.query.promql.Expr.VectorSelector;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import java.util.function.ToIntFunction;

/** Evaluates function calls; the per-element arithmetic lives in the function families' classes. */
final class Functions {
    private final Evaluator evaluator;

    Functions(Evaluator evaluator) {
        this.evaluator = evaluator;
    }

    static Expr unwrap(Expr e) {
        Expr out = e;
        while (out instanceof Paren p) {
            out = p.expr();
        }
        return out;
    }

    Value call(Call c, long t) {
        String name = c.function().name();
        for (int i = 0; i < c.args().size(); i++) {
            if (c.args().get(i).type() == ValueType.MATRIX) {
                return callOnRange(c, i, t);
            }
        }
        return switch (name) {
            case "time" -> new Value.Scalar(t, t / 1000.0);
            case "pi" -> new Value.Scalar(t, Math.PI);
            case "scalar" -> {
                List<Sample> v = evaluator.vector(c.args().getFirst(), t);
                yield new Value.Scalar(t, v.size() == 1 ? v.getFirst().value() : Double.NaN);
            }
            case "vector" -> new Value.Vector(List.of(new Sample(Labels.EMPTY, t, evaluator.scalar(c.args().getFirst(), t))));
            default -> Evaluator.checkedVector(callOnVector(c, t));
        };
    }

    private List<Sample> callOnVector(Call c, long t) {
        String name = c.function().name();
        if (c.args().isEmpty()) {
            return List.of(new Sample(Labels.EMPTY, t, dateField(name, t / 1000)));
        }
        if (name.equals("histogram_quantile")) {
            return Histograms.quantile(evaluator.scalar(c.args().getFirst(), t), evaluator.vector(c.args().get(1), t), t);
        }
        List<Sample> input = evaluator.vector(c.args().getFirst(), t);
        return switch (name) {
            case "abs" -> map(input, t, Math::abs);
            case "ceil" -> map(input, t, Math::ceil);
            case "floor" -> map(input, t, Math::floor);
            case "exp" -> map(input, t, Math::exp);
            case "sqrt" -> map(input, t, Math::sqrt);
            case "ln" -> map(input, t, Math::log);
            case "log2" -> map(input, t, Functions::log2);
            case "log10" -> map(input, t, Math::log10);
            case "sgn" -> map(input, t, v -> v < 0 ? -1 : v > 0 ? 1 : v);
            case "sin" -> map(input, t, Math::sin);
            case "cos" -> map(input, t, Math::cos);
            case "tan" -> map(input, t, Math::tan);
            case "asin" -> map(input, t, Math::asin);
            case "acos" -> map(input, t, Math::acos);
            case "atan" -> map(input, t, Math::atan);
            case "sinh" -> map(input, t, Math::sinh);
            case "cosh" -> map(input, t, Math::cosh);
            case "tanh" -> map(input, t, Math::tanh);
            case "asinh" -> map(input, t, Functions::asinh);
            case "acosh" -> map(input, t, Functions::acosh);
            case "atanh" -> map(input, t, Functions::atanh);
            case "deg" -> map(input, t, v -> v * 180 / Math.PI);
            case "rad" -> map(input, t, v -> v * Math.PI / 180);
            case "round" -> round(c, input, t);
            case "clamp" -> {
                double min = evaluator.scalar(c.args().get(1), t);
                double max = evaluator.scalar(c.args().get(2), t);
                yield max < min ? List.of() : map(input, t, v -> Math.max(min, Math.min(max, v)));
            }
            case "clamp_min" -> {
                double min = evaluator.scalar(c.args().get(1), t);
                yield map(input, t, v -> Math.max(min, v));
            }
            case "clamp_max" -> {
                double max = evaluator.scalar(c.args().get(1), t);
                yield map(input, t, v -> Math.min(max, v));
            }
            case "timestamp" -> timestamp(c, input, t);
            case "sort", "sort_desc" -> {
                List<Sample> sorted = new ArrayList<>(input);
                sorted.sort(name.equals("sort") ? Aggregations.ASCENDING_NAN_LAST : Aggregations.DESCENDING_NAN_LAST);
                yield sorted;
            }
            case "absent" -> input.isEmpty() ? List.of(new Sample(absentLabels(c.args().getFirst()), t, 1)) : List.of();
            case "label_replace" -> LabelFunctions.replace(input, strings(c, t), t);
            case "label_join" -> LabelFunctions.join(input, strings(c, t), t);
            case "day_of_month", "day_of_week", "day_of_year", "days_in_month", "hour", "minute", "month", "year" ->
                    map(input, t, v -> dateField(name, (long) v));
            default -> throw new IllegalStateException("function " + name + " has no implementation");
        };
    }

    private List<String> strings(Call c, long t) {
        List<String> out = new ArrayList<>();
        for (int i = 1; i < c.args().size(); i++) {
            out.add(((Value.StringValue) evaluator.eval(c.args().get(i), t)).value());
        }
        return out;
    }

    private static List<Sample> map(List<Sample> input, long t, DoubleUnaryOperator f) {
        List<Sample> out = new ArrayList<>(input.size());
        for (Sample s : input) {
            out.add(new Sample(s.labels().withoutMetricName(), t, f.applyAsDouble(s.value())));
        }
        return out;
    }

    private List<Sample> round(Call c, List<Sample> input, long t) {
        double toNearest = c.args().size() >= 2 ? evaluator.scalar(c.args().get(1), t) : 1;
        // Prometheus divides by the inverse: fewer floating point surprises for 0.1-like steps.
        double inverse = 1.0 / toNearest;
        return map(input, t, v -> Math.floor(v * inverse + 0.5) / inverse);
    }

    /** A selector's samples keep their own time; any other argument's samples have the evaluation time. */
    private static List<Sample> timestamp(Call c, List<Sample> input, long t) {
        boolean ownTimes = unwrap(c.args().getFirst()) instanceof VectorSelector;
        List<Sample> out = new ArrayList<>(input.size());
        for (Sample s : input) {
            out.add(new Sample(s.labels().withoutMetricName(), t, (ownTimes ? s.timestampMillis() : t) / 1000.0));
        }
        return out;
    }

    /** absent()'s labels: the equality matchers of a selector argument, minus names matched otherwise. */
    static Labels absentLabels(Expr arg) {
        Expr e = unwrap(arg);
        List<LabelMatcher> matchers;
        if (e instanceof VectorSelector v) {
            matchers = v.matchers();
        } else if (e instanceof MatrixSelector m) {
            matchers = m.selector().matchers();
        } else {
            return Labels.EMPTY;
        }
        java.util.Map<String, String> labels = new java.util.TreeMap<>();
        List<String> empty = new ArrayList<>();
        for (LabelMatcher m : matchers) {
            if (m.name().equals(Labels.METRIC_NAME)) {
                continue;
            }
            if (m.type() == LabelMatcher.Type.EQUAL && !labels.containsKey(m.name())) {
                labels.put(m.name(), m.value());
            } else {
                empty.add(m.name());
            }
        }
        labels.keySet().removeAll(empty);
        return Labels.fromMap(labels);
    }

    private Value callOnRange(Call c, int matrixIndex, long t) {
        String name = c.function().name();
        Expr arg = unwrap(c.args().get(matrixIndex));
        double[] scalars = new double[c.args().size() - 1];
        for (int i = 0, j = 0; i < c.args().size(); i++) {
            if (i != matrixIndex) {
                scalars[j++] = evaluator.scalar(c.args().get(i), t);
            }
        }
        long rangeEnd;
        long rangeMillis;
        List<Series> input;
        switch (arg) {
            case MatrixSelector m -> {
                rangeEnd = evaluator.referenceTime(m.selector().at(), m.selector().offsetMillis(), t);
                rangeMillis = m.rangeMillis();
                input = ((Value.Matrix) evaluator.eval(m, t)).series();
            }
            case Subquery s -> {
                rangeEnd = evaluator.referenceTime(s.at(), s.offsetMillis(), t);
                rangeMillis = s.rangeMillis();
                input = ((Value.Matrix) evaluator.eval(s, t)).series();
            }
            default -> throw new IllegalStateException("range argument is neither a range selector nor a subquery");
        }
        if (name.equals("absent_over_time")) {
            return new Value.Vector(input.isEmpty() ? List.of(new Sample(absentLabels(arg), t, 1)) : List.of());
        }
        List<Sample> out = new ArrayList<>(input.size());
        for (Series s : input) {
            Double v = RangeFunctions.apply(name, s, scalars, rangeEnd - rangeMillis, rangeEnd, t);
            if (v != null) {
                Labels labels = name.equals("last_over_time") ? s.labels() : s.labels().withoutMetricName();
                out.add(new Sample(labels, t, v));
            }
        }
        return Evaluator.checkedVector(out);
    }

    private static double dateField(String name, long epochSeconds) {
        ZonedDateTime time;
        try {
            time = Instant.ofEpochSecond(epochSeconds).atZone(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            throw new QueryException("timestamp " + epochSeconds + " is out of range for " + name + "()");
        }
        ToIntFunction<ZonedDateTime> field = switch (name) {
            case "day_of_month" -> ZonedDateTime::getDayOfMonth;
            case "day_of_week" -> z -> z.getDayOfWeek().getValue() % 7;
            case "day_of_year" -> ZonedDateTime::getDayOfYear;
            case "days_in_month" -> z -> z.toLocalDate().lengthOfMonth();
            case "hour" -> ZonedDateTime::getHour;
            case "minute" -> ZonedDateTime::getMinute;
            case "month" -> ZonedDateTime::getMonthValue;
            case "year" -> ZonedDateTime::getYear;
            default -> throw new IllegalStateException("not a date function: " + name);
        };
        return field.applyAsInt(time);
    }

    private static double log2(double v) {
        // Go's Log2 is exact for powers of two; log(v)/log(2) is not (log2(8) would be 2.9999999999999996).
        if (v > 0 && !Double.isInfinite(v)) {
            int exponent = Math.getExponent(v);
            if (v == Math.scalb(1.0, exponent)) {
                return exponent;
            }
        }
        return Math.log(v) / Math.log(2);
    }

    private static double asinh(double x) {
        double a = Math.abs(x);
        if (Double.isNaN(x) || Double.isInfinite(x)) {
            return x;
        }
        double r = a > 1e150 ? Math.log(a) + Math.log(2) : Math.log1p(a + a * a / (1 + Math.sqrt(1 + a * a)));
        return Math.copySign(r, x);
    }

    private static double acosh(double x) {
        if (x < 1 || Double.isNaN(x)) {
            return Double.NaN;
        }
        if (x > 1e150) {
            return Math.log(x) + Math.log(2);
        }
        return Math.log(x + Math.sqrt(x * x - 1));
    }

    private static double atanh(double x) {
        if (Double.isNaN(x) || Math.abs(x) > 1) {
            return Double.NaN;
        }
        if (Math.abs(x) == 1) {
            return Math.copySign(Double.POSITIVE_INFINITY, x);
        }
        return 0.5 * Math.log1p(2 * x / (1 - x));
    }
}
