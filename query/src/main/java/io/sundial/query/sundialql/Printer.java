package io.sundial.query.sundialql;

import io.sundial.query.sundialql.Clauses.DatabaseOptions;
import io.sundial.query.sundialql.Clauses.Field;
import io.sundial.query.sundialql.Clauses.Fill;
import io.sundial.query.sundialql.Clauses.Into;
import io.sundial.query.sundialql.Clauses.KeyFilter;
import io.sundial.query.sundialql.Clauses.Pagination;
import io.sundial.query.sundialql.Clauses.SortField;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * AST to canonical SundialQL text: keywords upper case, function names lower case, identifiers
 * quoted only when they must be, the fewest parentheses that keep the tree's shape, durations in
 * their largest exact unit, sort directions always written. For every AST {@code a},
 * {@code Parser.parse(Printer.print(a))} equals {@code a}.
 */
public final class Printer {
    private static final int PRECEDENCE_NOT = 3;
    private static final int PRECEDENCE_COMPARISON = 4;
    private static final int PRECEDENCE_UNARY = 7;
    private static final int PRECEDENCE_PRIMARY = 8;

    private Printer() {}

    public static String print(Query query) {
        return String.join("; ", query.statements().stream().map(Printer::print).toList());
    }

    public static String print(Statement statement) {
        return switch (statement) {
            case Statement.Select select -> select(select);
            case Statement.ShowDatabases _ -> "SHOW DATABASES";
            case Statement.ShowMeasurements show -> "SHOW MEASUREMENTS" + on(show.database())
                    + show.filter().map(filter -> " WITH MEASUREMENT " + (filter.isRegex()
                            ? "=~ " + regex(filter.value()) : "= " + identifier(filter.value()))).orElse("")
                    + where(show.where()) + pagination(show.pagination());
            case Statement.ShowTagKeys show -> "SHOW TAG KEYS" + on(show.database()) + from(show.from())
                    + where(show.where()) + pagination(show.pagination());
            case Statement.ShowTagValues show -> "SHOW TAG VALUES" + on(show.database()) + from(show.from())
                    + keyFilter(show.key()) + where(show.where()) + pagination(show.pagination());
            case Statement.ShowFieldKeys show -> "SHOW FIELD KEYS" + on(show.database()) + from(show.from())
                    + pagination(show.pagination());
            case Statement.ShowSeries show -> "SHOW SERIES" + on(show.database()) + from(show.from())
                    + where(show.where()) + pagination(show.pagination());
            case Statement.ShowQueries _ -> "SHOW QUERIES";
            case Statement.ShowRetentionPolicies show -> "SHOW RETENTION POLICIES" + on(show.database());
            case Statement.CreateDatabase create -> "CREATE DATABASE " + identifier(create.name())
                    + databaseOptions(create.options());
            case Statement.DropDatabase drop -> "DROP DATABASE " + identifier(drop.name());
            case Statement.DropMeasurement drop -> "DROP MEASUREMENT " + identifier(drop.name());
            case Statement.DropSeries drop -> "DROP SERIES" + from(drop.from()) + where(drop.where());
            case Statement.Delete delete -> "DELETE" + from(delete.from()) + where(delete.where());
            case Statement.KillQuery kill -> "KILL QUERY " + kill.queryId()
                    + kill.host().map(host -> " ON " + identifier(host)).orElse("");
            case Statement.Explain explain -> "EXPLAIN " + (explain.isAnalyze() ? "ANALYZE " : "")
                    + select(explain.query());
        };
    }

    public static String print(Expr expression) {
        StringBuilder text = new StringBuilder();
        expression(expression, text);
        return text.toString();
    }

    public static String print(Source source) {
        return switch (source) {
            case Source.Measurement measurement -> measurement(measurement.measurement()) + alias(measurement.alias());
            case Source.Subquery subquery -> "(" + select(subquery.query()) + ")" + alias(subquery.alias());
            case Source.Join join -> print(join.left()) + " JOIN " + print(join.right())
                    + (join.onTags().isEmpty() ? "" : " ON " + list(join.onTags(), Printer::identifier));
        };
    }

    /** An identifier as written in a query: bare when it can be, else double-quoted with escapes. */
    public static String identifier(String name) {
        boolean isBare = !name.isEmpty() && Lexer.isIdentifierStart(name.charAt(0))
                && name.chars().allMatch(c -> Lexer.isIdentifierPart((char) c)) && TokenKind.keyword(name) == null;
        return isBare ? name : quote(name, '"');
    }

    /** A string literal: single-quoted, with {@code \\}, {@code \'} and {@code \n} escapes. */
    public static String string(String value) {
        return quote(value, '\'');
    }

    private static String select(Statement.Select select) {
        StringBuilder text = new StringBuilder("SELECT ");
        text.append(list(select.fields(), Printer::field));
        select.into().ifPresent(into -> text.append(" INTO ").append(into(into)));
        text.append(" FROM ").append(list(select.sources(), Printer::print));
        text.append(where(select.where()));
        if (!select.groupBy().isEmpty()) {
            text.append(" GROUP BY ").append(list(select.groupBy(), Printer::print));
        }
        select.fill().ifPresent(fill -> text.append(" fill(").append(fill(fill)).append(')'));
        select.having().ifPresent(having -> text.append(" HAVING ").append(print(having)));
        if (!select.orderBy().isEmpty()) {
            text.append(" ORDER BY ").append(list(select.orderBy(), Printer::sortField));
        }
        text.append(pagination(select.pagination()));
        select.timeZone().ifPresent(zone -> text.append(" tz(").append(string(zone)).append(')'));
        return text.toString();
    }

    private static String field(Field field) {
        return print(field.expression()) + alias(field.alias());
    }

    private static String sortField(SortField sort) {
        return print(sort.expression()) + (sort.isDescending() ? " DESC" : " ASC");
    }

    private static String fill(Fill fill) {
        return switch (fill.mode()) {
            case NULL -> "null";
            case NONE -> "none";
            case PREVIOUS -> "previous";
            case LINEAR -> "linear";
            case VALUE -> print(fill.value().orElseThrow());
        };
    }

    private static String into(Into into) {
        StringBuilder text = new StringBuilder();
        into.database().ifPresent(database -> text.append(identifier(database)).append('.'));
        into.retentionPolicy().ifPresent(policy -> text.append(identifier(policy)));
        if (into.database().isPresent() || into.retentionPolicy().isPresent()) {
            text.append('.');
        }
        text.append(into.measurement().map(Printer::identifier).orElse(":MEASUREMENT"));
        return text.toString();
    }

    private static String measurement(MeasurementRef measurement) {
        StringBuilder text = new StringBuilder();
        measurement.database().ifPresent(database -> text.append(identifier(database)).append('.'));
        measurement.retentionPolicy().ifPresent(policy -> text.append(identifier(policy)));
        if (measurement.database().isPresent() || measurement.retentionPolicy().isPresent()) {
            text.append('.');
        }
        text.append(measurement.isRegex() ? regex(measurement.name()) : identifier(measurement.name()));
        return text.toString();
    }

    private static String keyFilter(KeyFilter key) {
        String operand = switch (key.operator()) {
            case EQUALS -> "= " + identifier(key.keys().getFirst());
            case NOT_EQUALS -> "!= " + identifier(key.keys().getFirst());
            case MATCHES -> "=~ " + regex(key.keys().getFirst());
            case NOT_MATCHES -> "!~ " + regex(key.keys().getFirst());
            case IN -> "IN (" + list(key.keys(), Printer::identifier) + ")";
        };
        return " WITH KEY " + operand;
    }

    private static String databaseOptions(DatabaseOptions options) {
        if (options.isEmpty()) {
            return "";
        }
        StringBuilder text = new StringBuilder(" WITH");
        options.durationNanos().ifPresent(nanos ->
                text.append(" DURATION ").append(nanos == 0 ? "INF" : DurationSyntax.format(nanos)));
        options.replication().ifPresent(factor -> text.append(" REPLICATION ").append(factor));
        options.shardDurationNanos().ifPresent(nanos ->
                text.append(" SHARD DURATION ").append(DurationSyntax.format(nanos)));
        options.retentionPolicyName().ifPresent(name -> text.append(" NAME ").append(identifier(name)));
        return text.toString();
    }

    private static String pagination(Pagination pagination) {
        StringBuilder text = new StringBuilder();
        pagination.limit().ifPresent(value -> text.append(" LIMIT ").append(value));
        pagination.offset().ifPresent(value -> text.append(" OFFSET ").append(value));
        pagination.seriesLimit().ifPresent(value -> text.append(" SLIMIT ").append(value));
        pagination.seriesOffset().ifPresent(value -> text.append(" SOFFSET ").append(value));
        return text.toString();
    }

    private static String on(Optional<String> database) {
        return database.map(name -> " ON " + identifier(name)).orElse("");
    }

    private static String from(List<MeasurementRef> measurements) {
        return measurements.isEmpty() ? "" : " FROM " + list(measurements, Printer::measurement);
    }

    private static String where(Optional<Expr> condition) {
        return condition.map(expression -> " WHERE " + print(expression)).orElse("");
    }

    private static String alias(Optional<String> alias) {
        return alias.map(name -> " AS " + identifier(name)).orElse("");
    }

    private static void expression(Expr expression, StringBuilder text) {
        switch (expression) {
            case Expr.VarRef ref -> {
                ref.qualifier().ifPresent(qualifier -> text.append(identifier(qualifier)).append('.'));
                text.append(identifier(ref.name())).append(cast(ref.type()));
            }
            case Expr.Wildcard wildcard -> text.append('*').append(cast(wildcard.type()));
            case Expr.RegexLiteral regex -> text.append(regex(regex.pattern()));
            case Expr.StringLiteral string -> text.append(string(string.value()));
            case Expr.IntegerLiteral integer -> text.append(integer.value());
            case Expr.FloatLiteral number -> text.append(formatFloat(number.value()));
            case Expr.DurationLiteral duration -> text.append(DurationSyntax.format(duration.nanos()));
            case Expr.BooleanLiteral bool -> text.append(bool.value());
            case Expr.BoundParameter parameter -> text.append('$').append(parameterName(parameter.name()));
            case Expr.Call call -> {
                text.append(functionName(call.name())).append('(');
                for (int index = 0; index < call.arguments().size(); index++) {
                    if (index > 0) {
                        text.append(", ");
                    }
                    expression(call.arguments().get(index), text);
                }
                text.append(')');
            }
            case Expr.Unary unary -> unary(unary, text);
            case Expr.Binary binary -> {
                int precedence = binary.operator().precedence();
                operand(binary.left(), precedence(binary.left()) < precedence, text);
                text.append(' ').append(binary.operator().symbol()).append(' ');
                operand(binary.right(), precedence(binary.right()) <= precedence, text);
            }
            case Expr.Between between -> {
                operand(between.value(), precedence(between.value()) < PRECEDENCE_COMPARISON, text);
                text.append(between.isNegated() ? " NOT BETWEEN " : " BETWEEN ");
                operand(between.lower(), precedence(between.lower()) <= PRECEDENCE_COMPARISON, text);
                text.append(" AND ");
                operand(between.upper(), precedence(between.upper()) <= PRECEDENCE_COMPARISON, text);
            }
            case Expr.InList in -> {
                operand(in.value(), precedence(in.value()) < PRECEDENCE_COMPARISON, text);
                text.append(in.isNegated() ? " NOT IN (" : " IN (");
                for (int index = 0; index < in.items().size(); index++) {
                    if (index > 0) {
                        text.append(", ");
                    }
                    expression(in.items().get(index), text);
                }
                text.append(')');
            }
        }
    }

    /**
     * {@code -} before a number would make a negative literal and before another {@code -} a
     * comment, so those operands are parenthesised even though precedence does not need it.
     */
    private static void unary(Expr.Unary unary, StringBuilder text) {
        Expr operand = unary.operand();
        if (unary.operator() == Expr.UnaryOperator.NOT) {
            text.append("NOT ");
            operand(operand, precedence(operand) < PRECEDENCE_NOT, text);
            return;
        }
        text.append('-');
        boolean isNumber = operand instanceof Expr.IntegerLiteral || operand instanceof Expr.FloatLiteral
                || operand instanceof Expr.DurationLiteral;
        String printed = print(operand);
        boolean needsParentheses = isNumber || printed.startsWith("-") || precedence(operand) < PRECEDENCE_UNARY;
        text.append(needsParentheses ? "(" + printed + ")" : printed);
    }

    private static void operand(Expr operand, boolean needsParentheses, StringBuilder text) {
        if (needsParentheses) {
            text.append('(');
        }
        expression(operand, text);
        if (needsParentheses) {
            text.append(')');
        }
    }

    private static int precedence(Expr expression) {
        return switch (expression) {
            case Expr.Binary binary -> binary.operator().precedence();
            case Expr.Between _, Expr.InList _ -> PRECEDENCE_COMPARISON;
            case Expr.Unary unary -> unary.operator() == Expr.UnaryOperator.NOT ? PRECEDENCE_NOT : PRECEDENCE_UNARY;
            default -> PRECEDENCE_PRIMARY;
        };
    }

    private static String cast(Expr.VarType type) {
        return type == Expr.VarType.ANY ? "" : "::" + type.keyword();
    }

    private static String functionName(String name) {
        return name.equals("distinct") ? name : identifier(name);
    }

    private static String parameterName(String name) {
        boolean isBare = !name.isEmpty() && name.chars().allMatch(c -> Lexer.isIdentifierPart((char) c));
        return isBare ? name : quote(name, '"');
    }

    /** '/' inside a regex literal is written {@code \/}; every other character as is. */
    private static String regex(String pattern) {
        StringBuilder text = new StringBuilder(pattern.length() + 2).append('/');
        for (int index = 0; index < pattern.length(); index++) {
            char c = pattern.charAt(index);
            if (c == '\\') {
                text.append(c).append(pattern.charAt(++index));
            } else {
                text.append(c == '/' ? "\\/" : String.valueOf(c));
            }
        }
        return text.append('/').toString();
    }

    /** Plain decimal with a '.', never an exponent (InfluxQL numbers have none). */
    private static String formatFloat(double value) {
        if (value == 0) {
            return Double.doubleToRawLongBits(value) == 0 ? "0.0" : "-0.0";
        }
        String plain = BigDecimal.valueOf(value).toPlainString();
        return plain.indexOf('.') >= 0 ? plain : plain + ".0";
    }

    private static String quote(String value, char quote) {
        StringBuilder text = new StringBuilder(value.length() + 2).append(quote);
        for (int index = 0; index < value.length(); index++) {
            char c = value.charAt(index);
            switch (c) {
                case '\\' -> text.append("\\\\");
                case '\n' -> text.append("\\n");
                default -> {
                    if (c == quote) {
                        text.append('\\');
                    }
                    text.append(c);
                }
            }
        }
        return text.append(quote).toString();
    }

    private static <T> String list(List<T> items, Function<T, String> printer) {
        return String.join(", ", items.stream().map(printer).toList());
    }
}
