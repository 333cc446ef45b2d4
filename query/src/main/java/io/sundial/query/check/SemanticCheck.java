package io.sundial.query.check;

import io.sundial.query.QueryException;
import io.sundial.query.plan.TimeCondition;
import io.sundial.query.sundialql.Clauses;
import io.sundial.query.sundialql.Expr;
import io.sundial.query.sundialql.Statement;
import java.util.List;

/**
 * Checks a SELECT before anything is read, with InfluxDB 1.x's wording where InfluxDB has the
 * same error (its influxql package's statement validation). Pure: looks only at the AST.
 */
public final class SemanticCheck {
    private SemanticCheck() {}

    /** Throws a {@link QueryException} naming the first problem found. */
    public static void check(Statement.Select select) {
        checkSupported(select);
        boolean hasGroupByTime = checkDimensions(select);
        boolean isAggregate = false;
        boolean hasRawReference = false;
        boolean hasNonTimeField = false;
        int selectors = 0;
        int aggregateFields = 0;
        boolean hasRanked = false;
        for (Clauses.Field field : select.fields()) {
            Expr expression = field.expression();
            if (!TimeCondition.isTime(expression)) {
                hasNonTimeField = true;
            }
            checkCalls(expression, hasGroupByTime);
            if (containsAggregate(expression)) {
                isAggregate = true;
                aggregateFields++;
                if (expression instanceof Expr.Call call && FunctionKind.of(call.name()) == FunctionKind.SELECTOR) {
                    selectors++;
                    hasRanked |= List.of("top", "bottom", "sample").contains(call.name());
                }
            }
            if (hasReferenceOutsideCalls(expression)) {
                hasRawReference = true;
            }
        }
        if (!hasNonTimeField) {
            throw new QueryException("at least 1 non-time field must be queried");
        }
        ExtensionCheck.checkMovingWindows(select);
        if (isAggregate && hasRawReference) {
            if (selectors != aggregateFields) {
                throw new QueryException("mixing aggregate and non-aggregate queries is not supported");
            }
            if (selectors > 1) {
                throw new QueryException("mixing multiple selector functions with tags or fields is not supported");
            }
        }
        if (hasRanked && aggregateFields > 1) {
            throw new QueryException(
                    "selector functions top(), bottom() and sample() cannot be combined with other functions");
        }
        if (!isAggregate && hasGroupByTime) {
            throw new QueryException("GROUP BY requires at least one aggregate function");
        }
    }

    private static void checkSupported(Statement.Select select) {
        if (select.timeZone().isPresent()) {
            try {
                java.time.ZoneId.of(select.timeZone().get());
            } catch (java.time.DateTimeException e) {
                throw new QueryException("unable to find time zone " + select.timeZone().get());
            }
        }
    }

    /** Checks GROUP BY; true when it has a time() dimension. */
    private static boolean checkDimensions(Statement.Select select) {
        boolean hasTime = false;
        for (Expr dimension : select.groupBy()) {
            switch (dimension) {
                case Expr.Call call when call.name().equals("time") -> {
                    if (hasTime) {
                        throw new QueryException("multiple time dimensions not allowed");
                    }
                    hasTime = true;
                    checkTimeDimension(call);
                }
                case Expr.Call call -> throw new QueryException("only time() calls allowed in dimensions");
                case Expr.VarRef reference -> {
                    if (TimeCondition.isTime(reference)) {
                        throw new QueryException("time() is a function and expects at least one argument");
                    }
                }
                case Expr.Wildcard wildcard -> { }
                case Expr.RegexLiteral regex -> { }
                default -> throw new QueryException("only time and tag dimensions allowed");
            }
        }
        return hasTime;
    }

    private static void checkTimeDimension(Expr.Call call) {
        if (call.arguments().isEmpty() || call.arguments().size() > 2) {
            throw new QueryException("time dimension expected 1 or 2 arguments");
        }
        if (!(call.arguments().getFirst() instanceof Expr.DurationLiteral interval)) {
            throw new QueryException("time dimension must have duration argument");
        }
        if (interval.nanos() <= 0) {
            throw new QueryException("time dimension must have a positive duration, got " + call.arguments().getFirst());
        }
        if (call.arguments().size() == 2) {
            Expr offset = call.arguments().get(1);
            boolean isNow = offset instanceof Expr.Call now && now.name().equals("now") && now.arguments().isEmpty();
            boolean isNegativeDuration = offset instanceof Expr.Unary unary
                    && unary.operator() == Expr.UnaryOperator.NEGATE && unary.operand() instanceof Expr.DurationLiteral;
            if (!(offset instanceof Expr.DurationLiteral) && !isNow && !isNegativeDuration) {
                throw new QueryException("time dimension offset must be duration or now()");
            }
        }
    }

    private static void checkCalls(Expr expr, boolean hasGroupByTime) {
        switch (expr) {
            case Expr.Call call -> checkCall(call, hasGroupByTime);
            case Expr.Binary binary -> {
                checkCalls(binary.left(), hasGroupByTime);
                checkCalls(binary.right(), hasGroupByTime);
            }
            case Expr.Unary unary -> checkCalls(unary.operand(), hasGroupByTime);
            case Expr.Between between -> throw new QueryException("BETWEEN is only supported in WHERE: " + between);
            case Expr.InList in -> throw new QueryException("IN is only supported in WHERE: " + in);
            case Expr.RegexLiteral regex -> { }
            default -> { }
        }
    }

    private static void checkCall(Expr.Call call, boolean hasGroupByTime) {
        String name = call.name();
        FunctionKind kind = FunctionKind.of(name);
        int count = call.arguments().size();
        switch (kind) {
            case UNDEFINED -> throw new QueryException("undefined function " + name + "()");
            case NOT_YET_SUPPORTED -> throw new QueryException(name + "() is not supported yet");
            case MATH -> {
                Arity.exactly(name, io.sundial.query.function.MathFunctions.arity(name), count);
                for (Expr argument : call.arguments()) {
                    checkCalls(argument, hasGroupByTime);
                }
            }
            case AGGREGATE, SELECTOR -> checkAggregate(call);
            case TRANSFORMATION -> checkTransformation(call, hasGroupByTime);
        }
    }

    private static void checkAggregate(Expr.Call call) {
        String name = call.name();
        int count = call.arguments().size();
        switch (name) {
            case "percentile" -> {
                Arity.exactly(name, 2, count);
                Expr p = call.arguments().get(1);
                if (!(p instanceof Expr.IntegerLiteral) && !(p instanceof Expr.FloatLiteral)) {
                    throw new QueryException("expected float argument in percentile()");
                }
            }
            case "top", "bottom" -> {
                if (count < 2) {
                    throw new QueryException("invalid number of arguments for " + name + ", expected at least 2, got "
                            + count);
                }
                if (!(call.arguments().getLast() instanceof Expr.IntegerLiteral limit)) {
                    throw new QueryException("expected integer as last argument in " + name + "(), found "
                            + influxText(call.arguments().getLast()));
                }
                for (Expr argument : call.arguments().subList(0, count - 1)) {
                    if (!(argument instanceof Expr.VarRef)) {
                        throw new QueryException("only fields or tags are allowed in " + name + "(), found "
                                + influxText(argument));
                    }
                }
                if (limit.value() <= 0) {
                    throw new QueryException("limit (" + limit.value() + ") in " + name
                            + " function must be at least 1");
                }
            }
            case "sample" -> {
                Arity.exactly(name, 2, count);
                if (!(call.arguments().get(1) instanceof Expr.IntegerLiteral size)) {
                    throw new QueryException("expected integer argument in sample()");
                }
                if (size.value() <= 0) {
                    throw new QueryException("sample window must be greater than 1, got " + size.value());
                }
            }
            case "integral" -> {
                Arity.between(name, 1, 2, count);
                if (count == 2 && !(call.arguments().get(1) instanceof Expr.DurationLiteral)) {
                    throw new QueryException("second argument must be a duration");
                }
            }
            default -> {
                if (!ExtensionCheck.checkArguments(call)) {
                    Arity.exactly(name, 1, count);
                }
            }
        }
        Expr argument = call.arguments().getFirst();
        if (name.equals("count") && argument instanceof Expr.Call inner && inner.name().equals("distinct")) {
            Arity.exactly("distinct", 1, inner.arguments().size());
            argument = inner.arguments().getFirst();
        }
        if (!(argument instanceof Expr.VarRef) && !(argument instanceof Expr.Wildcard)
                && !(argument instanceof Expr.RegexLiteral)) {
            throw new QueryException("expected field argument in " + name + "()");
        }
        if (argument instanceof Expr.Wildcard wildcard && wildcard.type() == Expr.VarType.TAG) {
            throw new QueryException("expected field argument in " + name + "()");
        }
    }

    private static void checkTransformation(Expr.Call call, boolean hasGroupByTime) {
        String name = call.name();
        int count = call.arguments().size();
        switch (name) {
            case "derivative", "non_negative_derivative", "elapsed" -> {
                Arity.between(name, 1, 2, count);
                if (count == 2 && !(call.arguments().get(1) instanceof Expr.DurationLiteral)) {
                    throw new QueryException("second argument to " + name + " must be a duration, got "
                            + call.arguments().get(1));
                }
                if (count == 2 && ((Expr.DurationLiteral) call.arguments().get(1)).nanos() <= 0) {
                    throw new QueryException("duration argument must be positive, got " + call.arguments().get(1));
                }
            }
            case "moving_average" -> {
                Arity.exactly(name, 2, count);
                if (!(call.arguments().get(1) instanceof Expr.IntegerLiteral window)) {
                    throw new QueryException("second argument for moving_average must be an integer, got "
                            + call.arguments().get(1));
                }
                if (window.value() <= 1) {
                    throw new QueryException("moving_average window must be greater than 1, got " + window.value());
                }
            }
            case "holt_winters", "holt_winters_with_fit" -> checkHoltWinters(call, hasGroupByTime);
            case "exponential_moving_average", "double_exponential_moving_average", "triple_exponential_moving_average",
                    "relative_strength_index", "triple_exponential_derivative", "kaufmans_efficiency_ratio",
                    "kaufmans_adaptive_moving_average", "chande_momentum_oscillator" -> IndicatorCheck.check(call);
            default -> Arity.exactly(name, 1, count);
        }
        Expr argument = call.arguments().getFirst();
        if (argument instanceof Expr.Call inner) {
            if (!FunctionKind.of(inner.name()).isAggregate()) {
                if (FunctionKind.of(inner.name()) == FunctionKind.UNDEFINED) {
                    throw new QueryException("undefined function " + inner.name() + "()");
                }
                throw new QueryException("expected field argument in " + name + "()");
            }
            if (!hasGroupByTime) {
                throw new QueryException(name + " aggregate requires a GROUP BY interval");
            }
            checkAggregate(inner);
        } else if (argument instanceof Expr.VarRef) {
            if (hasGroupByTime) {
                throw new QueryException("aggregate function required inside the call to " + name);
            }
        } else {
            throw new QueryException("expected field argument in " + name + "()");
        }
    }

    /** An argument as InfluxDB 1.x writes it in errors: numbers with three decimals (Go's %.3f). */
    private static String influxText(Expr argument) {
        return argument instanceof Expr.FloatLiteral number
                ? String.format(java.util.Locale.ROOT, "%.3f", number.value()) : argument.toString();
    }

    /** InfluxDB 1.x's checks of holt_winters(agg, n, s), in its order and wording. */
    private static void checkHoltWinters(Expr.Call call, boolean hasGroupByTime) {
        String name = call.name();
        Arity.exactly(name, 3, call.arguments().size());
        if (!hasGroupByTime) {
            throw new QueryException(name + " aggregate requires a GROUP BY interval");
        }
        if (!(call.arguments().getFirst() instanceof Expr.Call)) {
            throw new QueryException("must use aggregate function with " + name);
        }
        if (!(call.arguments().get(1) instanceof Expr.IntegerLiteral horizon)) {
            throw new QueryException("expected integer argument as second arg in " + name);
        }
        if (horizon.value() <= 0) {
            throw new QueryException("second arg to " + name + " must be greater than 0, got " + horizon.value());
        }
        if (horizon.value() > io.sundial.query.function.HoltWinters.HORIZON_MAX) {
            throw new QueryException("second arg to " + name + " is " + horizon.value() + "; the limit is "
                    + io.sundial.query.function.HoltWinters.HORIZON_MAX + " buckets");
        }
        if (!(call.arguments().get(2) instanceof Expr.IntegerLiteral season)) {
            throw new QueryException("expected integer argument as third arg in " + name);
        }
        if (season.value() < 0 || season.value() > io.sundial.query.function.HoltWinters.HORIZON_MAX) {
            throw new QueryException("third arg to " + name + " (the season length) must be between 0 and "
                    + io.sundial.query.function.HoltWinters.HORIZON_MAX + ", got " + season.value());
        }
    }

    /** True when an aggregate, selector or transformation appears anywhere in {@code expr}. */
    public static boolean containsAggregate(Expr expr) {
        return switch (expr) {
            case Expr.Call call -> {
                FunctionKind kind = FunctionKind.of(call.name());
                yield kind.isAggregate() || kind == FunctionKind.TRANSFORMATION
                        || call.arguments().stream().anyMatch(SemanticCheck::containsAggregate);
            }
            case Expr.Binary binary -> containsAggregate(binary.left()) || containsAggregate(binary.right());
            case Expr.Unary unary -> containsAggregate(unary.operand());
            default -> false;
        };
    }

    /** True when a field, tag or wildcard appears outside every aggregate and transformation. */
    private static boolean hasReferenceOutsideCalls(Expr expr) {
        return switch (expr) {
            case Expr.VarRef reference -> !TimeCondition.isTime(reference);
            case Expr.Wildcard wildcard -> true;
            case Expr.RegexLiteral regex -> true;
            case Expr.Call call -> {
                FunctionKind kind = FunctionKind.of(call.name());
                yield kind == FunctionKind.MATH
                        && call.arguments().stream().anyMatch(SemanticCheck::hasReferenceOutsideCalls);
            }
            case Expr.Binary binary -> hasReferenceOutsideCalls(binary.left()) || hasReferenceOutsideCalls(binary.right());
            case Expr.Unary unary -> hasReferenceOutsideCalls(unary.operand());
            default -> false;
        };
    }

    /** InfluxDB's wording for a wrong number of arguments. */
    static final class Arity {
        private Arity() {}

        static void exactly(String name, int expected, int got) {
            if (expected != got) {
                throw new QueryException("invalid number of arguments for " + name + ", expected " + expected + ", got " + got);
            }
        }

        static void between(String name, int low, int high, int got) {
            if (got < low || got > high) {
                throw new QueryException("invalid number of arguments for " + name + ", expected at least " + low
                        + " but no more than " + high + ", got " + got);
            }
        }
    }
}
