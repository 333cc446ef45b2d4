package io.sundial.query.exec;

import io.sundial.query.sundialql.Clauses;
import io.sundial.query.sundialql.Expr;
import io.sundial.query.sundialql.Source;
import io.sundial.query.sundialql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Qualified column references outside a JOIN. {@code cpu.usage} in {@code SELECT ... FROM cpu}
 * (or {@code c.usage} with {@code FROM cpu AS c}) is the column {@code usage}; when the qualifier
 * names no source, the reference keeps InfluxQL's meaning, a column whose name holds the dot
 * ({@code "a"."b"} is the field {@code a.b}).
 */
final class Qualifiers {
    private Qualifiers() {}

    static Statement.Select resolve(Statement.Select select) {
        Set<String> names = new HashSet<>();
        for (Source source : select.sources()) {
            switch (source) {
                case Source.Measurement measurement -> {
                    measurement.alias().ifPresent(names::add);
                    if (!measurement.measurement().isRegex()) {
                        names.add(measurement.measurement().name());
                    }
                }
                case Source.Subquery subquery -> subquery.alias().ifPresent(names::add);
                case Source.Join join -> {
                    return select; // a JOIN resolves its own qualifiers
                }
            }
        }
        if (!hasQualifier(select)) {
            return select;
        }
        List<Clauses.Field> fields = new ArrayList<>();
        for (Clauses.Field field : select.fields()) {
            fields.add(new Clauses.Field(map(field.expression(), names), field.alias(), field.position()));
        }
        List<Clauses.SortField> orderBy = new ArrayList<>();
        for (Clauses.SortField sort : select.orderBy()) {
            orderBy.add(new Clauses.SortField(map(sort.expression(), names), sort.isDescending(), sort.position()));
        }
        return new Statement.Select(fields, select.into(), select.sources(),
                select.where().map(where -> map(where, names)), select.groupBy().stream().map(d -> map(d, names)).toList(),
                select.fill(), select.having().map(having -> map(having, names)), orderBy, select.pagination(),
                select.timeZone(), select.position());
    }

    /**
     * Whether any clause {@link #map} rewrites holds a qualified reference; most statements have
     * none and are left as they are (a walk, not a rebuild: this runs for every query).
     */
    private static boolean hasQualifier(Statement.Select select) {
        for (Clauses.Field field : select.fields()) {
            if (hasQualifier(field.expression())) {
                return true;
            }
        }
        for (Clauses.SortField sort : select.orderBy()) {
            if (hasQualifier(sort.expression())) {
                return true;
            }
        }
        for (Expr dimension : select.groupBy()) {
            if (hasQualifier(dimension)) {
                return true;
            }
        }
        return select.where().map(Qualifiers::hasQualifier).orElse(false)
                || select.having().map(Qualifiers::hasQualifier).orElse(false);
    }

    private static boolean hasQualifier(Expr expr) {
        // Long OR/AND chains are deep along their left operand: walk that spine in a loop.
        while (expr instanceof Expr.Binary binary) {
            if (hasQualifier(binary.right())) {
                return true;
            }
            expr = binary.left();
        }
        return switch (expr) {
            case Expr.VarRef reference -> reference.qualifier().isPresent();
            case Expr.Call call -> call.arguments().stream().anyMatch(Qualifiers::hasQualifier);
            case Expr.Unary unary -> hasQualifier(unary.operand());
            case Expr.Between between -> hasQualifier(between.value()) || hasQualifier(between.lower())
                    || hasQualifier(between.upper());
            case Expr.InList in -> hasQualifier(in.value());
            default -> false;
        };
    }

    private static Expr map(Expr expr, Set<String> names) {
        return switch (expr) {
            case Expr.VarRef reference when reference.qualifier().isPresent() -> {
                String qualifier = reference.qualifier().get();
                String name = names.contains(qualifier) ? reference.name() : qualifier + "." + reference.name();
                yield new Expr.VarRef(Optional.empty(), name, reference.type(), reference.position());
            }
            case Expr.Call call -> new Expr.Call(call.name(), call.arguments().stream().map(a -> map(a, names)).toList(),
                    call.position());
            case Expr.Binary binary -> new Expr.Binary(binary.operator(), map(binary.left(), names),
                    map(binary.right(), names), binary.position());
            case Expr.Unary unary -> new Expr.Unary(unary.operator(), map(unary.operand(), names), unary.position());
            case Expr.Between between -> new Expr.Between(map(between.value(), names), map(between.lower(), names),
                    map(between.upper(), names), between.isNegated(), between.position());
            case Expr.InList in -> new Expr.InList(map(in.value(), names), in.items(), in.isNegated(), in.position());
            default -> expr;
        };
    }
}
