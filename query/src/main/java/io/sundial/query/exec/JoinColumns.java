package io.sundial.query.exec;

import io.sundial.core.FieldType;
import io.sundial.query.QueryException;
import io.sundial.query.function.Aggregates;
import io.sundial.query.plan.SelectPlan;
import io.sundial.query.plan.TagCondition;
import io.sundial.query.plan.TimeCondition;
import io.sundial.query.sundialql.Clauses;
import io.sundial.query.sundialql.Expr;
import io.sundial.query.sundialql.Source;
import io.sundial.query.sundialql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The columns of a JOIN: its SELECT fields, with {@code *}, {@code *::field}, {@code *::tag},
 * {@code /regex/} and {@code call(*)} / {@code call(/regex/)} expanded over the sides' schemas.
 * A field {@code f} of side {@code a} (alias, else measurement) becomes the qualified reference
 * {@code a.f} in a column named {@code a.f} ({@code mean_a.f} for {@code mean(*)}), so fields
 * of one name on two sides stay apart; ON tags not grouped by are the tag columns. As InfluxDB
 * sorts the columns of {@code *}, the expansion is in name order. A regex matches the field (or
 * tag) name without its qualifier. Subquery sides have no schema before they run: their
 * columns must be named.
 */
final class JoinColumns {
    private JoinColumns() {}

    /**
     * {@code schemaOf}: the fields and types of a measurement side (empty when it does not exist).
     * Answers no columns when a wildcard meets a side without fields: the inner join is then empty.
     */
    static List<OutputField> of(Statement.Select select, Source.Join join, SelectPlan plan,
            Function<Source.Measurement, Map<String, FieldType>> schemaOf) {
        boolean hasWildcard = select.fields().stream().anyMatch(field -> containsWildcard(field.expression()));
        Map<String, Map<String, FieldType>> schemas = new LinkedHashMap<>();
        LinkedHashSet<String> onTags = new LinkedHashSet<>();
        if (hasWildcard) {
            sides(join, schemas, onTags, schemaOf);
            if (schemas.values().stream().anyMatch(Map::isEmpty)) {
                return List.of();
            }
        }
        onTags.removeAll(plan.groupTags());
        List<Clauses.Field> expanded = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Clauses.Field field : select.fields()) {
            Expr expression = field.expression();
            if (TimeCondition.isTime(expression)) {
                continue;
            }
            if (expression instanceof Expr.Wildcard || expression instanceof Expr.RegexLiteral) {
                columns(expression, schemas, onTags).forEach((name, reference) -> {
                    expanded.add(new Clauses.Field(reference, Optional.empty(), field.position()));
                    names.add(name);
                });
            } else if (expression instanceof Expr.Call call && SelectExecutor.isWildcardCall(call)) {
                String function = call.arguments().getFirst() instanceof Expr.Call ? "count_distinct" : call.name();
                fields(schemas).forEach((name, column) -> {
                    if (SelectExecutor.matchesWildcardArgument(call, column.reference().name())
                            && Aggregates.accepts(function, column.type())) {
                        expanded.add(new Clauses.Field(SelectExecutor.replaceArgument(call,
                                withPosition(column.reference(), call)), Optional.empty(), field.position()));
                        names.add(field.alias().orElse(call.name()) + "_" + name);
                    }
                });
            } else if (containsWildcard(expression)) {
                throw new QueryException(expression + ": * and /regex/ in a JOIN stand alone or as the argument of a"
                        + " function; name the columns inside expressions as alias.column");
            } else {
                expanded.add(field);
                names.add(OutputField.baseName(field));
            }
        }
        return OutputField.named(expanded, names);
    }

    private record QualifiedField(Expr.VarRef reference, FieldType type) {}

    /** Every field of every side by qualified name (positions are set where a column is made). */
    private static TreeMap<String, QualifiedField> fields(Map<String, Map<String, FieldType>> schemas) {
        TreeMap<String, QualifiedField> out = new TreeMap<>();
        schemas.forEach((side, schema) -> schema.forEach((field, type) -> out.put(side + "." + field,
                new QualifiedField(new Expr.VarRef(Optional.of(side), field, Expr.VarType.FIELD, null), type))));
        return out;
    }

    private static TreeMap<String, Expr.VarRef> columns(Expr expression, Map<String, Map<String, FieldType>> schemas,
            LinkedHashSet<String> tags) {
        Expr.VarType type = expression instanceof Expr.Wildcard wildcard ? wildcard.type() : Expr.VarType.ANY;
        Pattern pattern = expression instanceof Expr.RegexLiteral regex ? TagCondition.compile(regex.pattern()) : null;
        TreeMap<String, Expr.VarRef> out = new TreeMap<>();
        if (type != Expr.VarType.TAG) {
            fields(schemas).forEach((name, field) -> {
                if (pattern == null || pattern.matcher(field.reference().name()).find()) {
                    out.put(name, withPosition(field.reference(), expression));
                }
            });
        }
        if (type != Expr.VarType.FIELD) {
            for (String tag : tags) {
                if ((pattern == null || pattern.matcher(tag).find()) && !out.containsKey(tag)) {
                    out.put(tag, new Expr.VarRef(Optional.empty(), tag, Expr.VarType.TAG, expression.position()));
                }
            }
        }
        return out;
    }

    private static Expr.VarRef withPosition(Expr.VarRef reference, Expr at) {
        return new Expr.VarRef(reference.qualifier(), reference.name(), reference.type(), at.position());
    }

    /** The sides in JOIN order with their schemas, and every ON tag. */
    private static void sides(Source source, Map<String, Map<String, FieldType>> schemas, LinkedHashSet<String> onTags,
            Function<Source.Measurement, Map<String, FieldType>> schemaOf) {
        switch (source) {
            case Source.Join join -> {
                sides(join.left(), schemas, onTags, schemaOf);
                sides(join.right(), schemas, onTags, schemaOf);
                onTags.addAll(join.onTags());
            }
            case Source.Measurement measurement -> {
                // A regex side without an alias is refused when the join runs; its pattern stands in until then.
                String name = measurement.alias().orElse(measurement.measurement().name());
                schemas.put(name, new TreeMap<>(schemaOf.apply(measurement)));
            }
            case Source.Subquery subquery -> throw new QueryException("* and /regex/ columns in a JOIN expand the fields"
                    + " of measurements; name the columns of subquery side "
                    + subquery.alias().map(alias -> alias + " as " + alias + ".column").orElse("as alias.column"));
        }
    }

    static boolean containsWildcard(Expr expr) {
        return switch (expr) {
            case Expr.Wildcard wildcard -> true;
            case Expr.RegexLiteral regex -> true;
            case Expr.Call call -> call.arguments().stream().anyMatch(JoinColumns::containsWildcard);
            case Expr.Binary binary -> containsWildcard(binary.left()) || containsWildcard(binary.right());
            case Expr.Unary unary -> containsWildcard(unary.operand());
            default -> false;
        };
    }
}
