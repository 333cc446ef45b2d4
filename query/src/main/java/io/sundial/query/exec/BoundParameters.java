package io.sundial.query.exec;

import io.sundial.query.QueryException;
import io.sundial.query.sundialql.Clauses;
import io.sundial.query.sundialql.Expr;
import io.sundial.query.sundialql.ParseException;
import io.sundial.query.sundialql.Parser;
import io.sundial.query.sundialql.Position;
import io.sundial.query.sundialql.Query;
import io.sundial.query.sundialql.Source;
import io.sundial.query.sundialql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Replaces every {@code $name} of a query by the value supplied for it (InfluxDB 1.x's
 * {@code params=} on /query), so a value never passes through the query text and cannot change
 * its structure. Values are checked here, before anything runs: a missing parameter, a value of
 * a type that has no literal, or a malformed typed value fails with the parameter's name and
 * position.
 *
 * <p>Plain values: a string is a string literal, a whole number an integer, another number a
 * float, true/false a boolean. A one-entry map names the type, as InfluxDB 1.8 accepts it:
 * {@code {"duration": "5m"}}, {@code {"regex": "^web"}}, {@code {"identifier": "host"}} (a column
 * name), {@code {"string": ...}}, {@code {"integer": ...}}, {@code {"float": ...}},
 * {@code {"boolean": ...}}.
 */
public final class BoundParameters {
    /** Most parameters one request may bind; each is a literal in the syntax tree. */
    public static final int PARAMETERS_MAX = 10_000;

    private final Map<String, ?> values;

    private BoundParameters(Map<String, ?> values) {
        this.values = values;
    }

    /** The query with every bound parameter replaced; the query itself when it has none. */
    public static Query bind(Query query, Map<String, ?> values) {
        if (values.size() > PARAMETERS_MAX) {
            throw new QueryException("too many bound parameters: " + values.size() + " (at most " + PARAMETERS_MAX + ")");
        }
        BoundParameters binder = new BoundParameters(values);
        List<Statement> statements = new ArrayList<>();
        for (Statement statement : query.statements()) {
            statements.add(binder.statement(statement));
        }
        return new Query(statements);
    }

    /** Fails for the first {@code $name} left in a statement: it was sent without params. */
    static Statement.Select requireBound(Statement.Select select) {
        // Runs for every SELECT: a walk finds the (rare) parameter without rebuilding the tree.
        return hasParameter(select) ? new BoundParameters(Map.of()).select(select) : select;
    }

    /** Whether {@link #select} would meet a parameter: the same clauses, subqueries and JOIN sides. */
    private static boolean hasParameter(Statement.Select select) {
        for (Clauses.Field field : select.fields()) {
            if (hasParameter(field.expression())) {
                return true;
            }
        }
        for (Source source : select.sources()) {
            if (hasParameter(source)) {
                return true;
            }
        }
        for (Clauses.SortField sort : select.orderBy()) {
            if (hasParameter(sort.expression())) {
                return true;
            }
        }
        for (Expr dimension : select.groupBy()) {
            if (hasParameter(dimension)) {
                return true;
            }
        }
        return select.where().map(BoundParameters::hasParameter).orElse(false)
                || select.having().map(BoundParameters::hasParameter).orElse(false);
    }

    private static boolean hasParameter(Source source) {
        return switch (source) {
            case Source.Measurement measurement -> false;
            case Source.Subquery subquery -> hasParameter(subquery.query());
            case Source.Join join -> hasParameter(join.left()) || hasParameter(join.right());
        };
    }

    private static boolean hasParameter(Expr expr) {
        // A long OR chain is deep along its left operand: walk that spine in a loop.
        while (expr instanceof Expr.Binary binary) {
            if (hasParameter(binary.right())) {
                return true;
            }
            expr = binary.left();
        }
        return switch (expr) {
            case Expr.BoundParameter parameter -> true;
            case Expr.Call call -> anyHasParameter(call.arguments());
            case Expr.Unary unary -> hasParameter(unary.operand());
            case Expr.Between between -> hasParameter(between.value()) || hasParameter(between.lower())
                    || hasParameter(between.upper());
            case Expr.InList in -> hasParameter(in.value()) || anyHasParameter(in.items());
            default -> false;
        };
    }

    /** A loop, not a stream: this walk runs for every SELECT, and a stream per call was most of its cost. */
    private static boolean anyHasParameter(List<Expr> exprs) {
        for (Expr expr : exprs) {
            if (hasParameter(expr)) {
                return true;
            }
        }
        return false;
    }

    private Statement statement(Statement statement) {
        return switch (statement) {
            case Statement.Select select -> select(select);
            case Statement.Explain explain -> new Statement.Explain(explain.isAnalyze(), select(explain.query()),
                    explain.position());
            case Statement.ShowMeasurements show -> new Statement.ShowMeasurements(show.database(), show.filter(),
                    optional(show.where()), show.pagination(), show.position());
            case Statement.ShowTagKeys show -> new Statement.ShowTagKeys(show.database(), show.from(),
                    optional(show.where()), show.pagination(), show.position());
            case Statement.ShowTagValues show -> new Statement.ShowTagValues(show.database(), show.from(), show.key(),
                    optional(show.where()), show.pagination(), show.position());
            case Statement.ShowSeries show -> new Statement.ShowSeries(show.database(), show.from(),
                    optional(show.where()), show.pagination(), show.position());
            case Statement.DropSeries drop -> new Statement.DropSeries(drop.from(), optional(drop.where()),
                    drop.position());
            case Statement.Delete delete -> new Statement.Delete(delete.from(), optional(delete.where()),
                    delete.position());
            default -> statement;
        };
    }

    private Statement.Select select(Statement.Select select) {
        List<Clauses.Field> fields = new ArrayList<>();
        for (Clauses.Field field : select.fields()) {
            fields.add(new Clauses.Field(expr(field.expression()), field.alias(), field.position()));
        }
        List<Source> sources = new ArrayList<>();
        for (Source source : select.sources()) {
            sources.add(source(source));
        }
        List<Clauses.SortField> orderBy = new ArrayList<>();
        for (Clauses.SortField sort : select.orderBy()) {
            orderBy.add(new Clauses.SortField(expr(sort.expression()), sort.isDescending(), sort.position()));
        }
        return new Statement.Select(fields, select.into(), sources, optional(select.where()),
                select.groupBy().stream().map(this::expr).toList(), select.fill(), optional(select.having()), orderBy,
                select.pagination(), select.timeZone(), select.position());
    }

    private Source source(Source source) {
        return switch (source) {
            case Source.Measurement measurement -> measurement;
            case Source.Subquery subquery -> new Source.Subquery(select(subquery.query()), subquery.alias(),
                    subquery.position());
            case Source.Join join -> new Source.Join(source(join.left()), source(join.right()), join.onTags(),
                    join.position());
        };
    }

    private Optional<Expr> optional(Optional<Expr> expr) {
        return expr.map(this::expr);
    }

    private Expr expr(Expr expr) {
        return switch (expr) {
            case Expr.BoundParameter parameter -> literal(parameter);
            case Expr.Call call -> new Expr.Call(call.name(), call.arguments().stream().map(this::expr).toList(),
                    call.position());
            case Expr.Unary unary -> new Expr.Unary(unary.operator(), expr(unary.operand()), unary.position());
            case Expr.Binary binary -> binary(binary);
            case Expr.Between between -> new Expr.Between(expr(between.value()), expr(between.lower()),
                    expr(between.upper()), between.isNegated(), between.position());
            case Expr.InList in -> new Expr.InList(expr(in.value()), in.items().stream().map(this::expr).toList(),
                    in.isNegated(), in.position());
            default -> expr;
        };
    }

    /** Walks a left-deep chain of operators in a loop, so a long OR chain does not exhaust the stack. */
    private Expr binary(Expr.Binary root) {
        List<Expr.Binary> spine = new ArrayList<>();
        Expr current = root;
        while (current instanceof Expr.Binary binary) {
            spine.add(binary);
            current = binary.left();
        }
        Expr out = expr(current);
        for (int i = spine.size() - 1; i >= 0; i--) {
            Expr.Binary binary = spine.get(i);
            out = new Expr.Binary(binary.operator(), out, expr(binary.right()), binary.position());
        }
        return out;
    }

    private Expr literal(Expr.BoundParameter parameter) {
        String name = parameter.name();
        Position at = parameter.position();
        if (!values.containsKey(name)) {
            throw new QueryException("missing parameter: " + name + " (line " + at.line() + ", column " + at.column()
                    + "); send it in params, e.g. params={\"" + name + "\": ...}");
        }
        Object value = values.get(name);
        if (value instanceof Map<?, ?> typed) {
            if (typed.size() != 1 || !(typed.keySet().iterator().next() instanceof String type)) {
                throw invalid(name, "a typed value is an object with one entry such as {\"duration\": \"5m\"}");
            }
            return typedLiteral(name, type, typed.values().iterator().next(), at);
        }
        return plainLiteral(name, value, at);
    }

    private static Expr plainLiteral(String name, Object value, Position at) {
        return switch (value) {
            case String text -> new Expr.StringLiteral(text, at);
            case Boolean bool -> new Expr.BooleanLiteral(bool, at);
            case Long integer -> new Expr.IntegerLiteral(integer, at);
            case Integer integer -> new Expr.IntegerLiteral(integer, at);
            case Double number -> {
                if (!Double.isFinite(number)) {
                    throw invalid(name, "a number must be finite, got " + number);
                }
                yield new Expr.FloatLiteral(number, at);
            }
            case null -> throw invalid(name, "null has no literal; leave the condition out instead");
            default -> throw invalid(name, "expected a string, number or boolean, got " + value);
        };
    }

    private static Expr typedLiteral(String name, String type, Object value, Position at) {
        switch (type) {
            case "string", "boolean", "integer", "float" -> {
                Expr literal = plainLiteral(name, value, at);
                boolean fits = switch (type) {
                    case "string" -> literal instanceof Expr.StringLiteral;
                    case "boolean" -> literal instanceof Expr.BooleanLiteral;
                    case "integer" -> literal instanceof Expr.IntegerLiteral;
                    default -> literal instanceof Expr.FloatLiteral || literal instanceof Expr.IntegerLiteral;
                };
                if (!fits) {
                    throw invalid(name, "expected a value of type " + type + ", got " + value);
                }
                return type.equals("float") && literal instanceof Expr.IntegerLiteral integer
                        ? new Expr.FloatLiteral(integer.value(), at) : literal;
            }
            case "duration" -> {
                if (value instanceof Long nanos) {
                    return new Expr.DurationLiteral(nanos, at);
                }
                if (value instanceof String text && parses(text) instanceof Expr.DurationLiteral duration) {
                    return new Expr.DurationLiteral(duration.nanos(), at);
                }
                throw invalid(name, "expected a duration such as \"5m\" or a number of nanoseconds, got " + value);
            }
            case "regex" -> {
                if (!(value instanceof String pattern)) {
                    throw invalid(name, "expected a regular expression as a string, got " + value);
                }
                try {
                    return new Expr.RegexLiteral(pattern, at);
                } catch (IllegalArgumentException e) {
                    throw invalid(name, e.getMessage());
                }
            }
            case "identifier" -> {
                if (!(value instanceof String identifier) || identifier.isEmpty()) {
                    throw invalid(name, "expected a non-empty column name, got " + value);
                }
                return new Expr.VarRef(identifier, at);
            }
            default -> throw invalid(name, "unknown type '" + type
                    + "'; use string, integer, float, boolean, duration, regex or identifier");
        }
    }

    private static Expr parses(String text) {
        try {
            return Parser.parseExpression(text);
        } catch (ParseException e) {
            return null;
        }
    }

    private static QueryException invalid(String name, String problem) {
        return new QueryException("invalid value for parameter " + name + ": " + problem);
    }
}
