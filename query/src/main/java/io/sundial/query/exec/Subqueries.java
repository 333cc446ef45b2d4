package io.sundial.query.exec;

import io.sundial.query.check.SemanticCheck;
import io.sundial.query.plan.TimeRange;
import io.sundial.query.sundialql.Expr;
import io.sundial.query.sundialql.Position;
import io.sundial.query.sundialql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Rewrites of a subquery before it runs. */
final class Subqueries {
    private Subqueries() {}

    /**
     * The subquery with {@code range} added to its WHERE. The time conditions of a WHERE are
     * intersected wherever they stand, so the inner query reads the overlap of both ranges, which
     * is what InfluxDB 1.x does with the outer query's time range.
     */
    static Statement.Select withinRange(Statement.Select select, TimeRange range) {
        Position at = select.position();
        Expr where = select.where().orElse(null);
        if (range.hasMin()) {
            where = and(where, bound(Expr.BinaryOperator.GREATER_OR_EQUAL, range.min(), at), at);
        }
        if (range.hasMax()) {
            where = and(where, bound(Expr.BinaryOperator.LESS_OR_EQUAL, range.max(), at), at);
        }
        return new Statement.Select(select.fields(), select.into(), select.sources(), Optional.ofNullable(where),
                keepingSeriesTags(select), select.fill(), select.having(), select.orderBy(), select.pagination(),
                select.timeZone(), select.position());
    }

    /**
     * A raw inner query hands on its points with the tags of their series (InfluxDB 1.x's
     * subquery iterator keeps them), so the outer query can still group and filter by them:
     * the inner query runs as if grouped by every tag. An aggregate keeps only its GROUP BY tags.
     */
    private static List<Expr> keepingSeriesTags(Statement.Select select) {
        boolean isAggregate = select.fields().stream().anyMatch(field -> SemanticCheck.containsAggregate(field.expression()));
        if (isAggregate || select.groupBy().stream().anyMatch(dimension -> dimension instanceof Expr.Wildcard)) {
            return select.groupBy();
        }
        List<Expr> groupBy = new ArrayList<>(select.groupBy());
        groupBy.add(new Expr.Wildcard(Expr.VarType.ANY, select.position()));
        return groupBy;
    }

    private static Expr bound(Expr.BinaryOperator operator, long nanos, Position at) {
        return new Expr.Binary(operator, new Expr.VarRef("time", at), new Expr.IntegerLiteral(nanos, at), at);
    }

    private static Expr and(Expr left, Expr right, Position at) {
        return left == null ? right : new Expr.Binary(Expr.BinaryOperator.AND, left, right, at);
    }
}
