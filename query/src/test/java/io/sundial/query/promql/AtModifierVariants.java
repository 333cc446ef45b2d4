package io.sundial.query.promql;

import io.sundial.query.promql.Expr.Aggregate;
import io.sundial.query.promql.Expr.At;
import io.sundial.query.promql.Expr.Binary;
import io.sundial.query.promql.Expr.Call;
import io.sundial.query.promql.Expr.MatrixSelector;
import io.sundial.query.promql.Expr.Paren;
import io.sundial.query.promql.Expr.Subquery;
import io.sundial.query.promql.Expr.Unary;
import io.sundial.query.promql.Expr.VectorSelector;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Prometheus' test.go also runs every eval with {@code @ <eval time>} added to each selector and
 * outermost subquery that has none, at other evaluation times, expecting the same answer
 * (atModifierTestCases). Expressions with functions whose value depends on the evaluation time
 * are left out, as there.
 */
final class AtModifierVariants {
    private static final Set<String> UNSAFE = Set.of("days_in_month", "day_of_month", "day_of_week", "day_of_year",
            "hour", "minute", "month", "year", "predict_linear", "time", "timestamp");

    /** A query and the time to evaluate it at. */
    record Variant(String query, long timeMillis) {
    }

    private AtModifierVariants() {
    }

    static List<Variant> of(String query, long timeMillis) {
        Expr expr = Parser.parse(query);
        if (usesUnsafeFunction(expr)) {
            return List.of();
        }
        String pinned = Printer.print(pin(expr, timeMillis));
        long[] times = timeMillis == 0 ? new long[] {-1000, 0, 1000}
                : new long[] {-10 * timeMillis, 0, timeMillis / 5, timeMillis, 10 * timeMillis};
        List<Variant> out = new ArrayList<>();
        for (long t : times) {
            out.add(new Variant(pinned, t));
        }
        return out;
    }

    private static boolean usesUnsafeFunction(Expr e) {
        return switch (e) {
            case Call c -> UNSAFE.contains(c.function().name()) || c.args().stream().anyMatch(AtModifierVariants::usesUnsafeFunction);
            case Paren p -> usesUnsafeFunction(p.expr());
            case Unary u -> usesUnsafeFunction(u.expr());
            case Binary b -> usesUnsafeFunction(b.lhs()) || usesUnsafeFunction(b.rhs());
            case Aggregate a -> (a.param() != null && usesUnsafeFunction(a.param())) || usesUnsafeFunction(a.expr());
            case Subquery s -> usesUnsafeFunction(s.expr());
            default -> false;
        };
    }

    private static Expr pin(Expr e, long t) {
        At at = new At.Timestamp(t);
        return switch (e) {
            case VectorSelector v -> v.at() == null ? v.withAt(at) : v;
            case MatrixSelector m -> m.selector().at() == null ? new MatrixSelector(m.selector().withAt(at), m.rangeMillis()) : m;
            case Subquery s -> s.at() == null ? new Subquery(s.expr(), s.rangeMillis(), s.stepMillis(), s.offsetMillis(), at) : s;
            case Call c -> new Call(c.function(), c.args().stream().map(a -> pin(a, t)).toList());
            case Paren p -> new Paren(pin(p.expr(), t));
            case Unary u -> new Unary(u.negate(), pin(u.expr(), t));
            case Binary b -> new Binary(b.op(), pin(b.lhs(), t), pin(b.rhs(), t), b.matching(), b.returnBool());
            case Aggregate a -> new Aggregate(a.op(), pin(a.expr(), t), a.param() == null ? null : pin(a.param(), t),
                    a.grouping(), a.without());
            default -> e;
        };
    }
}
