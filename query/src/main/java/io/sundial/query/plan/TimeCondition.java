package io.sundial.query.plan;

import io.sundial.query.QueryException;
import io.sundial.query.sundialql.Expr;
import java.time.ZoneId;
import java.util.Optional;

/**
 * Splits a WHERE condition into its time range and the rest. Time comparisons are taken out of
 * the condition wherever they stand under AND and OR, and their ranges are intersected, as
 * InfluxDB 1.x's {@code ConditionExpr} does ("there is no such thing as using OR with a time
 * range"): {@code a > 1 OR host = 'x' AND time > t} reads only after t, and {@code time = 0 OR
 * time = 1s} is empty. The differential test against InfluxDB 1.6 pins this down.
 */
public record TimeCondition(TimeRange range, Optional<Expr> residual) {
    public static TimeCondition split(Optional<Expr> where, long nowNanos, ZoneId zone) {
        if (where.isEmpty()) {
            return new TimeCondition(TimeRange.ALL, Optional.empty());
        }
        Splitter splitter = new Splitter(nowNanos, zone);
        Expr residual = splitter.walk(where.get());
        return new TimeCondition(splitter.range, Optional.ofNullable(residual));
    }

    /** True when {@code expr} mentions the time column anywhere. */
    public static boolean mentionsTime(Expr expr) {
        return switch (expr) {
            case Expr.VarRef reference -> isTime(reference);
            case Expr.Binary binary -> mentionsTime(binary.left()) || mentionsTime(binary.right());
            case Expr.Unary unary -> mentionsTime(unary.operand());
            case Expr.Between between -> mentionsTime(between.value());
            case Expr.InList in -> mentionsTime(in.value());
            case Expr.Call call -> call.arguments().stream().anyMatch(TimeCondition::mentionsTime);
            default -> false;
        };
    }

    /** True when {@code expr} is the time column itself. */
    public static boolean isTime(Expr expr) {
        return expr instanceof Expr.VarRef reference && reference.name().equalsIgnoreCase("time")
                && reference.qualifier().isEmpty();
    }

    private static final class Splitter {
        private final long nowNanos;
        private final ZoneId zone;
        TimeRange range = TimeRange.ALL;

        Splitter(long nowNanos, ZoneId zone) {
            this.nowNanos = nowNanos;
            this.zone = zone;
        }

        /** Narrows the range by the time conjuncts of {@code expr}; returns what is left, or null. */
        Expr walk(Expr expr) {
            if (expr instanceof Expr.Binary binary && (binary.operator() == Expr.BinaryOperator.AND
                    || binary.operator() == Expr.BinaryOperator.OR)) {
                Expr left = walk(binary.left());
                Expr right = walk(binary.right());
                if (left == null) {
                    return right;
                }
                return right == null ? left : new Expr.Binary(binary.operator(), left, right, binary.position());
            }
            if (!mentionsTime(expr)) {
                return expr;
            }
            if (expr instanceof Expr.Binary binary && binary.operator().precedence() == 4) {
                comparison(binary);
                return null;
            }
            if (expr instanceof Expr.Between between && isTime(between.value()) && !between.isNegated()) {
                narrow(new TimeRange(nanos(between.lower()), nanos(between.upper())));
                return null;
            }
            throw new QueryException("invalid time condition: " + expr
                    + " (compare time with >, >=, <, <=, = or BETWEEN, joined to the rest with AND)");
        }

        private void comparison(Expr.Binary binary) {
            boolean timeOnLeft = isTime(binary.left());
            boolean timeOnRight = isTime(binary.right());
            if (timeOnLeft == timeOnRight) {
                throw new QueryException("invalid time condition: " + binary);
            }
            Expr other = timeOnLeft ? binary.right() : binary.left();
            if (mentionsTime(other)) {
                throw new QueryException("invalid time condition: " + binary);
            }
            long value = nanos(other);
            Expr.BinaryOperator operator = timeOnLeft ? binary.operator() : mirror(binary.operator());
            TimeRange narrowed = switch (operator) {
                case GREATER -> new TimeRange(value == Long.MAX_VALUE ? value : value + 1, Long.MAX_VALUE);
                case GREATER_OR_EQUAL -> new TimeRange(value, Long.MAX_VALUE);
                case LESS -> new TimeRange(Long.MIN_VALUE, value == Long.MIN_VALUE ? value : value - 1);
                case LESS_OR_EQUAL -> new TimeRange(Long.MIN_VALUE, value);
                case EQUALS -> new TimeRange(value, value);
                default -> throw new QueryException("invalid time comparison operator: " + binary.operator().symbol()
                        + " (use >, >=, <, <= or =)");
            };
            narrow(narrowed);
        }

        private void narrow(TimeRange other) {
            range = range.intersect(other);
        }

        private long nanos(Expr expr) {
            return TimeLiterals.nanos(expr, nowNanos, zone);
        }

        private static Expr.BinaryOperator mirror(Expr.BinaryOperator operator) {
            return switch (operator) {
                case GREATER -> Expr.BinaryOperator.LESS;
                case GREATER_OR_EQUAL -> Expr.BinaryOperator.LESS_OR_EQUAL;
                case LESS -> Expr.BinaryOperator.GREATER;
                case LESS_OR_EQUAL -> Expr.BinaryOperator.GREATER_OR_EQUAL;
                default -> operator;
            };
        }
    }
}
