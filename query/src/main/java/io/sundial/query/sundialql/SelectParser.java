package io.sundial.query.sundialql;

import io.sundial.query.sundialql.Clauses.Field;
import io.sundial.query.sundialql.Clauses.Fill;
import io.sundial.query.sundialql.Clauses.FillMode;
import io.sundial.query.sundialql.Clauses.Into;
import io.sundial.query.sundialql.Clauses.Pagination;
import io.sundial.query.sundialql.Clauses.SortField;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * SELECT: {@code fields [INTO] FROM sources [WHERE] [GROUP BY] [fill()] [HAVING] [ORDER BY]
 * [LIMIT] [OFFSET] [SLIMIT] [SOFFSET] [tz()]}, clauses in that order as in InfluxQL. Also the
 * source and measurement syntax shared with SHOW, DROP SERIES and DELETE.
 */
final class SelectParser {
    /** Sources joined in one FROM; each join multiplies the work of the executor. */
    static final int JOIN_SOURCES_MAX = 64;

    private static final List<String> OPTIONAL_CLAUSES =
            List.of("WHERE", "GROUP BY", "fill()", "HAVING", "ORDER BY", "LIMIT", "OFFSET", "SLIMIT", "SOFFSET", "tz()");

    private final TokenCursor cursor;
    private final ExpressionParser expressions;

    SelectParser(TokenCursor cursor, ExpressionParser expressions) {
        this.cursor = cursor;
        this.expressions = expressions;
    }

    /** Parses a SELECT; a subquery ({@code isNested}) may also end at ')'. */
    Statement.Select parseSelect(boolean isNested) {
        Position position = cursor.position();
        cursor.expect(TokenKind.SELECT);
        List<Field> fields = new ArrayList<>();
        do {
            fields.add(parseField());
        } while (cursor.accept(TokenKind.COMMA));
        Optional<Into> into = cursor.accept(TokenKind.INTO) ? Optional.of(parseInto()) : Optional.empty();
        cursor.expect(TokenKind.FROM);
        List<Source> sources = parseSources();
        int clausesSeen = 0;
        Optional<Expr> where = Optional.empty();
        if (cursor.accept(TokenKind.WHERE)) {
            where = Optional.of(expressions.parse());
            clausesSeen = 1;
        }
        List<Expr> groupBy = new ArrayList<>();
        if (cursor.accept(TokenKind.GROUP)) {
            cursor.expect(TokenKind.BY);
            do {
                groupBy.add(expressions.parse());
            } while (cursor.accept(TokenKind.COMMA));
            clausesSeen = 2;
        }
        Optional<Fill> fill = Optional.empty();
        if (atCall("fill")) {
            fill = Optional.of(parseFill());
            clausesSeen = 3;
        }
        Optional<Expr> having = Optional.empty();
        if (cursor.accept(TokenKind.HAVING)) {
            having = Optional.of(expressions.parse());
            clausesSeen = 4;
        }
        List<SortField> orderBy = new ArrayList<>();
        if (cursor.accept(TokenKind.ORDER)) {
            cursor.expect(TokenKind.BY);
            do {
                orderBy.add(parseSortField());
            } while (cursor.accept(TokenKind.COMMA));
            clausesSeen = 5;
        }
        Pagination pagination = parsePagination();
        clausesSeen = Math.max(clausesSeen, paginationClausesSeen(pagination));
        Optional<String> timeZone = Optional.empty();
        if (atCall("tz")) {
            cursor.advance();
            cursor.expect(TokenKind.LEFT_PAREN);
            timeZone = Optional.of(cursor.expect(TokenKind.STRING, "time zone string such as 'America/Chicago'").value());
            cursor.expect(TokenKind.RIGHT_PAREN);
            clausesSeen = OPTIONAL_CLAUSES.size();
        }
        boolean isAtEnd = cursor.at(TokenKind.END_OF_INPUT) || cursor.at(TokenKind.SEMICOLON)
                || (isNested && cursor.at(TokenKind.RIGHT_PAREN));
        if (!isAtEnd) {
            List<String> expected = new ArrayList<>(OPTIONAL_CLAUSES.subList(clausesSeen, OPTIONAL_CLAUSES.size()));
            expected.add(isNested ? "')'" : "end of statement");
            throw cursor.expected(String.join(", ", expected.subList(0, expected.size() - 1))
                    + (expected.size() > 1 ? " or " : "") + expected.getLast());
        }
        return new Statement.Select(fields, into, sources, where, groupBy, fill, having, orderBy, pagination,
                timeZone, position);
    }

    /** {@code [LIMIT n] [OFFSET n] [SLIMIT n] [SOFFSET n]}. */
    Pagination parsePagination() {
        OptionalLong limit = cursor.accept(TokenKind.LIMIT) ? OptionalLong.of(count("LIMIT")) : OptionalLong.empty();
        OptionalLong offset = cursor.accept(TokenKind.OFFSET) ? OptionalLong.of(count("OFFSET")) : OptionalLong.empty();
        OptionalLong seriesLimit =
                cursor.accept(TokenKind.SLIMIT) ? OptionalLong.of(count("SLIMIT")) : OptionalLong.empty();
        OptionalLong seriesOffset =
                cursor.accept(TokenKind.SOFFSET) ? OptionalLong.of(count("SOFFSET")) : OptionalLong.empty();
        return new Pagination(limit, offset, seriesLimit, seriesOffset);
    }

    /** A non-negative integer; {@code what} names the clause in errors. */
    long count(String what) {
        Token token = cursor.expect(TokenKind.INTEGER, "non-negative integer after " + what);
        try {
            return Long.parseLong(token.value());
        } catch (NumberFormatException overflow) {
            throw cursor.error(token, what + " value " + token.value() + " is out of range for a 64-bit signed integer");
        }
    }

    /** Comma-separated measurements (no aliases), as in SHOW ... FROM, DROP SERIES and DELETE. */
    List<MeasurementRef> parseMeasurementList() {
        List<MeasurementRef> measurements = new ArrayList<>();
        do {
            measurements.add(parseMeasurementRef());
        } while (cursor.accept(TokenKind.COMMA));
        return measurements;
    }

    /** {@code [database.][retention_policy.](name | /regex/)}, with {@code db..name} for the default policy. */
    MeasurementRef parseMeasurementRef() {
        Position position = cursor.position();
        List<String> segments = new ArrayList<>();
        boolean isRegex = false;
        while (true) {
            if (cursor.at(TokenKind.SLASH)) {
                segments.add(cursor.takeRegex().value());
                isRegex = true;
                break;
            }
            segments.add(identifier("measurement name"));
            if (!cursor.accept(TokenKind.DOT)) {
                break;
            }
            if (cursor.accept(TokenKind.DOT)) {
                segments.add("");
            }
            if (segments.size() >= 3) {
                throw cursor.error(cursor.current(),
                        "a measurement is at most [database.][retention_policy.]measurement; too many '.'");
            }
        }
        return toMeasurementRef(segments, isRegex, position);
    }

    String identifier(String what) {
        if (cursor.kind().isKeyword()) {
            throw ParseException.expected(cursor.position(), what, cursor.found(cursor.current())
                    + " (a keyword: double-quote it to use it as a name)");
        }
        return cursor.expect(TokenKind.IDENTIFIER, what).value();
    }

    private Field parseField() {
        Position position = cursor.position();
        Expr expression = expressions.parse();
        Optional<String> alias = cursor.accept(TokenKind.AS) ? Optional.of(identifier("alias")) : Optional.empty();
        return new Field(expression, alias, position);
    }

    private SortField parseSortField() {
        Position position = cursor.position();
        Expr expression = expressions.parse();
        boolean isDescending = cursor.accept(TokenKind.DESC);
        if (!isDescending) {
            cursor.accept(TokenKind.ASC);
        }
        return new SortField(expression, isDescending, position);
    }

    /** {@code INTO [db.][rp.](measurement | :MEASUREMENT)}. */
    private Into parseInto() {
        Position position = cursor.position();
        List<String> segments = new ArrayList<>();
        Optional<String> measurement;
        while (true) {
            if (cursor.accept(TokenKind.COLON)) {
                cursor.expect(TokenKind.MEASUREMENT);
                measurement = Optional.empty();
                break;
            }
            String name = identifier("measurement name or :MEASUREMENT");
            if (!cursor.accept(TokenKind.DOT)) {
                measurement = Optional.of(name);
                break;
            }
            segments.add(name);
            if (cursor.accept(TokenKind.DOT)) {
                segments.add("");
            }
            if (segments.size() > 2) {
                throw cursor.error(cursor.current(),
                        "an INTO target is at most [database.][retention_policy.]measurement; too many '.'");
            }
        }
        Optional<String> database = segments.size() == 2 ? Optional.of(segments.get(0)) : Optional.empty();
        Optional<String> retentionPolicy = segments.isEmpty() ? Optional.empty()
                : Optional.of(segments.getLast()).filter(name -> !name.isEmpty());
        return new Into(database, retentionPolicy, measurement, position);
    }

    /** A comma list of sources, or a single chain of JOINs (whose ON lists use the commas). */
    private List<Source> parseSources() {
        Source first = parseSource();
        if (cursor.at(TokenKind.JOIN)) {
            Source joined = first;
            int count = 1;
            while (cursor.at(TokenKind.JOIN)) {
                if (++count > JOIN_SOURCES_MAX) {
                    throw cursor.error(cursor.current(), "a JOIN of more than " + JOIN_SOURCES_MAX + " sources");
                }
                cursor.advance();
                Source right = parseSource();
                List<String> tags = new ArrayList<>();
                if (cursor.accept(TokenKind.ON)) {
                    do {
                        tags.add(identifier("tag key"));
                    } while (cursor.accept(TokenKind.COMMA));
                }
                joined = new Source.Join(joined, right, tags, first.position());
            }
            return List.of(joined);
        }
        List<Source> sources = new ArrayList<>();
        sources.add(first);
        while (cursor.accept(TokenKind.COMMA)) {
            sources.add(parseSource());
        }
        if (cursor.at(TokenKind.JOIN)) {
            throw cursor.error(cursor.current(),
                    "JOIN cannot follow a list of sources: join measurements without commas (a JOIN b ON tag)");
        }
        return sources;
    }

    private Source parseSource() {
        Position position = cursor.position();
        if (cursor.accept(TokenKind.LEFT_PAREN)) {
            cursor.enter();
            Statement.Select query = parseSelect(true);
            cursor.expect(TokenKind.RIGHT_PAREN);
            cursor.leave();
            return new Source.Subquery(query, parseAlias(), position);
        }
        if (!cursor.at(TokenKind.SLASH) && !cursor.at(TokenKind.IDENTIFIER) && !cursor.kind().isKeyword()) {
            throw cursor.expected("measurement, regex or subquery");
        }
        MeasurementRef measurement = parseMeasurementRef();
        return new Source.Measurement(measurement, parseAlias(), position);
    }

    private Optional<String> parseAlias() {
        return cursor.accept(TokenKind.AS) ? Optional.of(identifier("alias")) : Optional.empty();
    }

    private Fill parseFill() {
        Position position = cursor.position();
        cursor.advance();
        cursor.expect(TokenKind.LEFT_PAREN);
        Fill fill;
        Token token = cursor.current();
        if (token.is(TokenKind.IDENTIFIER)) {
            FillMode mode = switch (token.value().toLowerCase(Locale.ROOT)) {
                case "null" -> FillMode.NULL;
                case "none" -> FillMode.NONE;
                case "previous" -> FillMode.PREVIOUS;
                case "linear" -> FillMode.LINEAR;
                default -> throw cursor.expected(FILL_OPTIONS);
            };
            cursor.advance();
            fill = new Fill(mode, Optional.empty(), position);
        } else if (token.is(TokenKind.INTEGER) || token.is(TokenKind.NUMBER) || token.is(TokenKind.MINUS)) {
            Expr value = expressions.parse();
            if (!(value instanceof Expr.IntegerLiteral) && !(value instanceof Expr.FloatLiteral)) {
                throw new ParseException(value.position(), "a fill value must be a number");
            }
            fill = new Fill(FillMode.VALUE, Optional.of(value), position);
        } else {
            throw cursor.expected(FILL_OPTIONS);
        }
        cursor.expect(TokenKind.RIGHT_PAREN);
        return fill;
    }

    private static final String FILL_OPTIONS = "null, none, previous, linear or a number";

    private boolean atCall(String name) {
        return cursor.at(TokenKind.IDENTIFIER) && cursor.current().value().equalsIgnoreCase(name)
                && cursor.lookahead().is(TokenKind.LEFT_PAREN);
    }

    private static int paginationClausesSeen(Pagination pagination) {
        if (pagination.seriesOffset().isPresent()) {
            return 9;
        }
        if (pagination.seriesLimit().isPresent()) {
            return 8;
        }
        if (pagination.offset().isPresent()) {
            return 7;
        }
        return pagination.limit().isPresent() ? 6 : 0;
    }

    private static MeasurementRef toMeasurementRef(List<String> segments, boolean isRegex, Position position) {
        String name = segments.getLast();
        Optional<String> database = segments.size() == 3 ? Optional.of(segments.get(0)) : Optional.empty();
        Optional<String> retentionPolicy = segments.size() >= 2
                ? Optional.of(segments.get(segments.size() - 2)).filter(value -> !value.isEmpty())
                : Optional.empty();
        return new MeasurementRef(database, retentionPolicy, name, isRegex, position);
    }
}
