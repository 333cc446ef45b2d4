package io.sundial.query.check;

import io.sundial.query.QueryException;
import io.sundial.query.function.MovingWindows;
import io.sundial.query.function.TDigest;
import io.sundial.query.sundialql.Clauses;
import io.sundial.query.sundialql.Expr;
import io.sundial.query.sundialql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Checks of SundialQL's aggregate functions beyond InfluxQL (rate, irate, corr, covar,
 * percentile_approx, count_approx_distinct, moving_&lt;agg&gt;), and the evaluation step of the
 * moving windows, which stands in for GROUP BY time when there is none.
 */
public final class ExtensionCheck {
    private ExtensionCheck() {}

    /** Checks the arguments of one of these calls; false when {@code call} is not one of them. */
    static boolean checkArguments(Expr.Call call) {
        String name = call.name();
        List<Expr> arguments = call.arguments();
        int count = arguments.size();
        switch (name) {
            case "rate", "irate" -> {
                SemanticCheck.Arity.between(name, 1, 2, count);
                if (count == 2) {
                    positiveDuration(name, "unit", arguments.get(1));
                }
            }
            case "corr", "covar" -> {
                SemanticCheck.Arity.exactly(name, 2, count);
                for (Expr argument : arguments) {
                    if (!(argument instanceof Expr.VarRef)) {
                        throw new QueryException("expected two field arguments in " + name + "(x, y), got " + argument);
                    }
                }
            }
            case "percentile_approx" -> {
                SemanticCheck.Arity.between(name, 2, 3, count);
                double p = number(name, "percentile", arguments.get(1));
                if (!(p >= 0 && p <= 100)) {
                    throw new QueryException("percentile in percentile_approx() must be between 0 and 100, got " + p);
                }
                if (count == 3) {
                    double compression = number(name, "compression", arguments.get(2));
                    if (!(compression >= TDigest.COMPRESSION_MIN && compression <= TDigest.COMPRESSION_MAX)) {
                        throw new QueryException("compression in percentile_approx() must be between "
                                + (long) TDigest.COMPRESSION_MIN + " and " + (long) TDigest.COMPRESSION_MAX + ", got "
                                + arguments.get(2));
                    }
                }
            }
            case "count_approx_distinct" -> SemanticCheck.Arity.exactly(name, 1, count);
            default -> {
                if (!MovingWindows.isMoving(name)) {
                    return false;
                }
                SemanticCheck.Arity.between(name, 2, 3, count);
                positiveDuration(name, "window", arguments.get(1));
                if (count == 3) {
                    positiveDuration(name, "every", arguments.get(2));
                }
            }
        }
        return true;
    }

    private static void positiveDuration(String name, String role, Expr argument) {
        if (!(argument instanceof Expr.DurationLiteral duration)) {
            throw new QueryException(role + " argument of " + name + "() must be a duration, got " + argument);
        }
        if (duration.nanos() <= 0) {
            throw new QueryException(role + " argument of " + name + "() must be positive, got " + argument);
        }
    }

    private static double number(String name, String role, Expr argument) {
        return switch (argument) {
            case Expr.IntegerLiteral integer -> integer.value();
            case Expr.FloatLiteral number -> number.value();
            default -> throw new QueryException("expected a number as the " + role + " in " + name + "(), got " + argument);
        };
    }

    /**
     * Checks how the moving windows of {@code select} fit its GROUP BY time: with one, a given
     * {@code every} must equal its interval; without one, every moving window must give the same
     * {@code every}. Each window must be a whole number of steps, at most
     * {@link MovingWindows#BUCKETS_PER_WINDOW_MAX}.
     */
    static void checkMovingWindows(Statement.Select select) {
        List<Expr.Call> calls = movingCalls(select);
        OptionalLong groupInterval = OptionalLong.empty();
        for (Expr dimension : select.groupBy()) {
            if (dimension instanceof Expr.Call time && time.name().equals("time")
                    && time.arguments().getFirst() instanceof Expr.DurationLiteral interval) {
                groupInterval = OptionalLong.of(interval.nanos());
            }
        }
        Long step = groupInterval.isPresent() ? (Long) groupInterval.getAsLong() : null;
        for (Expr.Call call : calls) {
            if (call.arguments().size() == 3) {
                long every = ((Expr.DurationLiteral) call.arguments().get(2)).nanos();
                if (step == null) {
                    step = every;
                } else if (every != step) {
                    throw new QueryException((groupInterval.isPresent()
                            ? "the step of " + call + " must equal the GROUP BY time interval"
                            : "moving windows of one SELECT must share their step; " + call + " has another")
                            + " (" + step + "ns); give each window the same step or leave it out");
                }
            }
        }
        for (Expr.Call call : calls) {
            if (step == null) {
                throw new QueryException(call.name() + "() needs a step: write " + call.name()
                        + "(x, window, every) or add GROUP BY time(every)");
            }
            long window = ((Expr.DurationLiteral) call.arguments().get(1)).nanos();
            if (window % step != 0) {
                throw new QueryException("window of " + call + " must be a whole number of steps (" + step + "ns)");
            }
            if (window / step > MovingWindows.BUCKETS_PER_WINDOW_MAX) {
                throw new QueryException("window of " + call + " spans " + window / step + " steps; the limit is "
                        + MovingWindows.BUCKETS_PER_WINDOW_MAX + " (use a longer step)");
            }
        }
    }

    /**
     * The step that moving windows give a SELECT without GROUP BY time (the {@code every} of
     * its moving calls), which acts as {@code GROUP BY time(every)}; empty when there is none.
     */
    public static OptionalLong implicitStep(Statement.Select select) {
        for (Expr.Call call : movingCalls(select)) {
            if (call.arguments().size() == 3 && call.arguments().get(2) instanceof Expr.DurationLiteral every) {
                return OptionalLong.of(every.nanos());
            }
        }
        return OptionalLong.empty();
    }

    private static List<Expr.Call> movingCalls(Statement.Select select) {
        List<Expr.Call> out = new ArrayList<>();
        for (Clauses.Field field : select.fields()) {
            collectMoving(field.expression(), out);
        }
        return out;
    }

    private static void collectMoving(Expr expr, List<Expr.Call> out) {
        switch (expr) {
            case Expr.Call call -> {
                if (MovingWindows.isMoving(call.name())) {
                    out.add(call);
                }
                call.arguments().forEach(argument -> collectMoving(argument, out));
            }
            case Expr.Binary binary -> {
                collectMoving(binary.left(), out);
                collectMoving(binary.right(), out);
            }
            case Expr.Unary unary -> collectMoving(unary.operand(), out);
            default -> { }
        }
    }
}
