package io.sundial.query.promql;

import io.sundial.query.promql.Expr.Aggregate;
import io.sundial.query.promql.Expr.At;
import io.sundial.query.promql.Expr.Binary;
import io.sundial.query.promql.Expr.Call;
import io.sundial.query.promql.Expr.MatrixSelector;
import io.sundial.query.promql.Expr.NumberLiteral;
import io.sundial.query.promql.Expr.Paren;
import io.sundial.query.promql.Expr.StringLiteral;
import io.sundial.query.promql.Expr.Subquery;
import io.sundial.query.promql.Expr.Unary;
import io.sundial.query.promql.Expr.VectorMatching;
import io.sundial.query.promql.Expr.VectorSelector;
import java.math.BigDecimal;
import java.util.List;
import java.util.StringJoiner;

/**
 * Prints a tree back as PromQL in Prometheus' canonical spelling ({@code sum by (job) (x)},
 * {@code x[5m] @ 10.000 offset 1m}). {@code Parser.parse(print(e))} equals {@code e}.
 */
public final class Printer {
    private Printer() {
    }

    public static String print(Expr expr) {
        return switch (expr) {
            case NumberLiteral n -> number(n.value());
            case StringLiteral s -> quote(s.value());
            case Paren p -> "(" + print(p.expr()) + ")";
            case Unary u -> (u.negate() ? "-" : "+") + unaryOperand(u.expr());
            case VectorSelector v -> selector(v) + modifiers(v.at(), v.offsetMillis());
            case MatrixSelector m -> selector(m.selector()) + "[" + Durations.format(m.rangeMillis()) + "]"
                    + modifiers(m.selector().at(), m.selector().offsetMillis());
            case Subquery s -> subqueryOperand(s.expr()) + "[" + Durations.format(s.rangeMillis()) + ":"
                    + (s.stepMillis() == 0 ? "" : Durations.format(s.stepMillis())) + "]" + modifiers(s.at(), s.offsetMillis());
            case Call c -> c.function().name() + "(" + joined(c.args()) + ")";
            case Aggregate a -> aggregate(a);
            case Binary b -> binary(b);
        };
    }

    /** Postfix [range:step] binds tighter than any operator, so an operator operand needs parentheses. */
    private static String subqueryOperand(Expr operand) {
        return operand instanceof Binary || operand instanceof Unary ? "(" + print(operand) + ")" : print(operand);
    }

    private static String unaryOperand(Expr operand) {
        boolean bindsTighter = operand instanceof Binary b && b.op() == BinaryOp.POW || !(operand instanceof Binary);
        return bindsTighter ? print(operand) : "(" + print(operand) + ")";
    }

    private static String aggregate(Aggregate a) {
        StringBuilder out = new StringBuilder(a.op().keyword());
        if (a.without() || !a.grouping().isEmpty()) {
            out.append(a.without() ? " without (" : " by (").append(String.join(", ", a.grouping())).append(") ");
        }
        out.append('(');
        if (a.param() != null) {
            out.append(print(a.param())).append(", ");
        }
        return out.append(print(a.expr())).append(')').toString();
    }

    private static String binary(Binary b) {
        StringBuilder out = new StringBuilder(operand(b.lhs(), b.op(), false));
        out.append(' ').append(b.op().symbol());
        if (b.returnBool()) {
            out.append(" bool");
        }
        VectorMatching m = b.matching();
        if (m != null) {
            boolean grouped = m.cardinality() == Expr.Cardinality.MANY_TO_ONE || m.cardinality() == Expr.Cardinality.ONE_TO_MANY;
            if (m.on() || !m.labels().isEmpty() || grouped) {
                out.append(m.on() ? " on (" : " ignoring (").append(String.join(", ", m.labels())).append(')');
            }
            if (grouped) {
                // Always with parentheses: a parenthesised right operand would otherwise be read as the label list.
                out.append(m.cardinality() == Expr.Cardinality.MANY_TO_ONE ? " group_left" : " group_right")
                        .append(" (").append(String.join(", ", m.include())).append(')');
            }
        }
        return out.append(' ').append(operand(b.rhs(), b.op(), true)).toString();
    }

    /** Parenthesises an operand whose own operator would bind differently when re-parsed. */
    private static String operand(Expr e, BinaryOp parent, boolean isRight) {
        if (e instanceof Binary child) {
            int p = parent.precedence();
            int c = child.op().precedence();
            boolean needsParens = c < p || (c == p && (isRight != parent.isRightAssociative()));
            if (needsParens) {
                return "(" + print(e) + ")";
            }
        }
        if (e instanceof Unary && isRight && parent == BinaryOp.POW) {
            return print(e);
        }
        boolean isNegativeNumber = e instanceof NumberLiteral n && (n.value() < 0 || 1 / n.value() < 0);
        if ((e instanceof Unary || isNegativeNumber) && !isRight && parent == BinaryOp.POW) {
            return "(" + print(e) + ")";
        }
        return print(e);
    }

    private static String selector(VectorSelector v) {
        StringJoiner inner = new StringJoiner(", ", "{", "}");
        for (LabelMatcher m : v.matchers()) {
            inner.add(m.toString());
        }
        return v.matchers().isEmpty() ? v.name() : v.name() + inner;
    }

    private static String modifiers(At at, long offsetMillis) {
        StringBuilder out = new StringBuilder();
        switch (at) {
            case null -> {
            }
            case At.Timestamp t -> out.append(" @ ").append(BigDecimal.valueOf(t.millis(), 3).toPlainString());
            case At.Start s -> out.append(" @ start()");
            case At.End e -> out.append(" @ end()");
        }
        if (offsetMillis != 0) {
            out.append(" offset ").append(Durations.format(offsetMillis));
        }
        return out.toString();
    }

    private static String joined(List<Expr> args) {
        StringJoiner out = new StringJoiner(", ");
        for (Expr arg : args) {
            out.add(print(arg));
        }
        return out.toString();
    }

    /** A number as PromQL reads it back exactly: integers plainly, others in shortest form. */
    static String number(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            // "Inf", not "+Inf": a leading + would re-parse as unary plus, which binds looser than ^.
            return value > 0 ? "Inf" : "-Inf";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return value == 0 && 1 / value < 0 ? "-0" : Long.toString((long) value);
        }
        return Double.toString(value);
    }

    /** A double-quoted string literal with Go's escapes. */
    public static String quote(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\x%02x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
