package io.sundial.query.exec;

import io.sundial.query.QueryException;
import io.sundial.query.function.MathFunctions;
import io.sundial.query.sundialql.Expr;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Evaluates an expression over one row, with InfluxQL's value rules: integer + - * % stay
 * integers, / always gives a float, division by zero gives 0 (InfluxQL's choice), anything with
 * a null operand is null, and a comparison with null is false.
 */
final class Evaluator {
    /** What a reference means in the current row. */
    interface Bindings {
        Object value(Expr.VarRef reference);
    }

    private final Map<String, Pattern> patterns = new HashMap<>();

    Object evaluate(Expr expr, Bindings bindings) {
        return switch (expr) {
            case Expr.VarRef reference -> bindings.value(reference);
            case Expr.IntegerLiteral integer -> integer.value();
            case Expr.FloatLiteral number -> number.value();
            case Expr.StringLiteral string -> string.value();
            case Expr.BooleanLiteral bool -> bool.value();
            case Expr.DurationLiteral duration -> duration.nanos();
            case Expr.Unary unary -> unary(unary, bindings);
            case Expr.Binary binary -> binary(binary, bindings);
            case Expr.Between between -> between(between, bindings);
            case Expr.InList in -> in(in, bindings);
            case Expr.Call call -> call(call, bindings);
            default -> throw new QueryException("cannot evaluate " + expr + " in a row");
        };
    }

    boolean isTrue(Expr expr, Bindings bindings) {
        return Boolean.TRUE.equals(evaluate(expr, bindings));
    }

    private Object unary(Expr.Unary unary, Bindings bindings) {
        Object operand = evaluate(unary.operand(), bindings);
        if (unary.operator() == Expr.UnaryOperator.NOT) {
            return operand instanceof Boolean b ? !b : null;
        }
        return switch (operand) {
            case Long l -> -l;
            case Double d -> -d;
            case null, default -> null;
        };
    }

    private Object call(Expr.Call call, Bindings bindings) {
        if (!MathFunctions.NAMES.contains(call.name())) {
            throw new QueryException("undefined function " + call.name() + "()");
        }
        Object first = evaluate(call.arguments().getFirst(), bindings);
        Object second = call.arguments().size() > 1 ? evaluate(call.arguments().get(1), bindings) : null;
        return MathFunctions.apply(call.name(), first, second);
    }

    private Object between(Expr.Between between, Bindings bindings) {
        Object value = evaluate(between.value(), bindings);
        Boolean inside = and(compare(value, evaluate(between.lower(), bindings), Expr.BinaryOperator.GREATER_OR_EQUAL),
                compare(value, evaluate(between.upper(), bindings), Expr.BinaryOperator.LESS_OR_EQUAL));
        return inside == null ? null : inside != between.isNegated();
    }

    private Object in(Expr.InList in, Bindings bindings) {
        Object value = evaluate(in.value(), bindings);
        if (value == null) {
            return null;
        }
        for (Expr item : in.items()) {
            if (Boolean.TRUE.equals(compare(value, evaluate(item, bindings), Expr.BinaryOperator.EQUALS))) {
                return !in.isNegated();
            }
        }
        return in.isNegated();
    }

    private static Boolean and(Boolean first, Boolean second) {
        if (first == null || second == null) {
            return null;
        }
        return first && second;
    }

    private Object binary(Expr.Binary binary, Bindings bindings) {
        Expr.BinaryOperator operator = binary.operator();
        switch (operator) {
            case AND -> {
                return isTrue(binary.left(), bindings) && isTrue(binary.right(), bindings);
            }
            case OR -> {
                return isTrue(binary.left(), bindings) || isTrue(binary.right(), bindings);
            }
            case MATCHES, NOT_MATCHES -> {
                return match(binary, bindings);
            }
            default -> {
                Object left = evaluate(binary.left(), bindings);
                Object right = evaluate(binary.right(), bindings);
                if (operator.precedence() == 4) {
                    return compare(left, right, operator);
                }
                return arithmetic(left, right, operator);
            }
        }
    }

    private Object match(Expr.Binary binary, Bindings bindings) {
        if (!(binary.right() instanceof Expr.RegexLiteral regex)) {
            throw new QueryException("invalid operation: " + binary + ": the right side of "
                    + binary.operator().symbol() + " must be a regular expression");
        }
        Object left = evaluate(binary.left(), bindings);
        if (!(left instanceof String text)) {
            return false;
        }
        boolean found = pattern(regex.pattern()).matcher(text).find();
        return found == (binary.operator() == Expr.BinaryOperator.MATCHES);
    }

    Pattern pattern(String source) {
        Pattern pattern = patterns.get(source);
        if (pattern == null) {
            try {
                pattern = Pattern.compile(source);
            } catch (PatternSyntaxException e) {
                throw new QueryException("invalid regular expression /" + source + "/: " + e.getDescription());
            }
            patterns.put(source, pattern);
        }
        return pattern;
    }

    static Boolean compare(Object left, Object right, Expr.BinaryOperator operator) {
        if (left == null || right == null) {
            return false;
        }
        int order;
        if (left instanceof Long l && right instanceof Long r) {
            order = Long.compare(l, r);
        } else if (isNumber(left) && isNumber(right)) {
            double l = ((Number) left).doubleValue();
            double r = ((Number) right).doubleValue();
            if (Double.isNaN(l) || Double.isNaN(r)) {
                return operator == Expr.BinaryOperator.NOT_EQUALS;
            }
            order = Double.compare(l, r);
        } else if (left instanceof String l && right instanceof String r) {
            order = l.compareTo(r);
        } else if (left instanceof Boolean l && right instanceof Boolean r) {
            if (operator != Expr.BinaryOperator.EQUALS && operator != Expr.BinaryOperator.NOT_EQUALS) {
                return false;
            }
            order = Boolean.compare(l, r);
        } else {
            return operator == Expr.BinaryOperator.NOT_EQUALS;
        }
        return switch (operator) {
            case EQUALS -> order == 0;
            case NOT_EQUALS -> order != 0;
            case LESS -> order < 0;
            case LESS_OR_EQUAL -> order <= 0;
            case GREATER -> order > 0;
            case GREATER_OR_EQUAL -> order >= 0;
            default -> throw new IllegalArgumentException("not a comparison: " + operator);
        };
    }

    static Object arithmetic(Object left, Object right, Expr.BinaryOperator operator) {
        if (left instanceof Boolean l && right instanceof Boolean r) {
            return switch (operator) {
                case BITWISE_AND -> l & r;
                case BITWISE_OR -> l | r;
                case BITWISE_XOR -> l ^ r;
                default -> null;
            };
        }
        if (left instanceof Long l && right instanceof Long r) {
            return switch (operator) {
                case ADD -> l + r;
                case SUBTRACT -> l - r;
                case MULTIPLY -> l * r;
                case DIVIDE -> r == 0 ? 0.0 : (double) l / r;
                case MODULO -> r == 0 ? 0L : l % r;
                case BITWISE_AND -> l & r;
                case BITWISE_OR -> l | r;
                case BITWISE_XOR -> l ^ r;
                default -> null;
            };
        }
        if (!isNumber(left) || !isNumber(right)) {
            return null;
        }
        double l = ((Number) left).doubleValue();
        double r = ((Number) right).doubleValue();
        return switch (operator) {
            case ADD -> l + r;
            case SUBTRACT -> l - r;
            case MULTIPLY -> l * r;
            case DIVIDE -> r == 0 ? 0.0 : l / r;
            case MODULO -> r == 0 ? 0.0 : l % r;
            default -> null;
        };
    }

    private static boolean isNumber(Object value) {
        return value instanceof Long || value instanceof Double;
    }
}
