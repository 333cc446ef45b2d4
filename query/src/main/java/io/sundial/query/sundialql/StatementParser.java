package io.sundial.query.sundialql;

import io.sundial.query.sundialql.Clauses.DatabaseOptions;
import io.sundial.query.sundialql.Clauses.KeyFilter;
import io.sundial.query.sundialql.Clauses.KeyOperator;
import io.sundial.query.sundialql.Clauses.MeasurementFilter;
import io.sundial.query.sundialql.Clauses.Pagination;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** Statements separated by ';': SELECT, SHOW, CREATE/DROP DATABASE, DROP, DELETE, KILL QUERY, EXPLAIN. */
final class StatementParser {
    /** Statements in one query text. */
    static final int STATEMENTS_MAX = 1_000;

    private static final String STATEMENT_KEYWORDS = "SELECT, SHOW, CREATE, DROP, DELETE, KILL or EXPLAIN";

    private final TokenCursor cursor;
    private final ExpressionParser expressions;
    private final SelectParser selects;

    StatementParser(TokenCursor cursor) {
        this.cursor = cursor;
        this.expressions = new ExpressionParser(cursor);
        this.selects = new SelectParser(cursor, expressions);
    }

    /** Statements until the end of input; empty statements (";;") are skipped. */
    Query parseQuery() {
        List<Statement> statements = new ArrayList<>();
        while (true) {
            while (cursor.accept(TokenKind.SEMICOLON)) {
                // An empty statement says nothing; InfluxDB skips it too.
            }
            if (cursor.at(TokenKind.END_OF_INPUT)) {
                return new Query(statements);
            }
            if (statements.size() == STATEMENTS_MAX) {
                throw cursor.error(cursor.current(), "more than " + STATEMENTS_MAX + " statements in one query");
            }
            statements.add(parseStatement());
            if (!cursor.at(TokenKind.SEMICOLON) && !cursor.at(TokenKind.END_OF_INPUT)) {
                throw cursor.expected("';' or end of input");
            }
        }
    }

    Statement parseStatement() {
        Position position = cursor.position();
        return switch (cursor.kind()) {
            case SELECT -> selects.parseSelect(false);
            case SHOW -> parseShow(position);
            case CREATE -> parseCreate(position);
            case DROP -> parseDrop(position);
            case DELETE -> parseDelete(position);
            case KILL -> parseKill(position);
            case EXPLAIN -> parseExplain(position);
            default -> throw cursor.expected(STATEMENT_KEYWORDS);
        };
    }

    private Statement parseShow(Position position) {
        cursor.advance();
        Token what = cursor.current();
        switch (what.kind()) {
            case DATABASES -> {
                cursor.advance();
                return new Statement.ShowDatabases(position);
            }
            case MEASUREMENTS -> {
                cursor.advance();
                return parseShowMeasurements(position);
            }
            case TAG -> {
                cursor.advance();
                if (cursor.accept(TokenKind.KEYS)) {
                    Optional<String> database = parseOnDatabase();
                    List<MeasurementRef> from = parseFrom();
                    Optional<Expr> where = parseWhere();
                    return new Statement.ShowTagKeys(database, from, where, selects.parsePagination(), position);
                }
                cursor.expect(TokenKind.VALUES, "KEYS or VALUES");
                return parseShowTagValues(position);
            }
            case FIELD -> {
                cursor.advance();
                cursor.expect(TokenKind.KEYS);
                Optional<String> database = parseOnDatabase();
                List<MeasurementRef> from = parseFrom();
                return new Statement.ShowFieldKeys(database, from, selects.parsePagination(), position);
            }
            case SERIES -> {
                cursor.advance();
                Optional<String> database = parseOnDatabase();
                List<MeasurementRef> from = parseFrom();
                Optional<Expr> where = parseWhere();
                return new Statement.ShowSeries(database, from, where, selects.parsePagination(), position);
            }
            case QUERIES -> {
                cursor.advance();
                return new Statement.ShowQueries(position);
            }
            case RETENTION -> {
                cursor.advance();
                cursor.expect(TokenKind.POLICIES);
                return new Statement.ShowRetentionPolicies(parseOnDatabase(), position);
            }
            default -> throw cursor.expected(
                    "DATABASES, MEASUREMENTS, TAG KEYS, TAG VALUES, FIELD KEYS, SERIES, QUERIES or RETENTION POLICIES");
        }
    }

    private Statement parseShowMeasurements(Position position) {
        Optional<String> database = parseOnDatabase();
        Optional<MeasurementFilter> filter = Optional.empty();
        if (cursor.accept(TokenKind.WITH)) {
            cursor.expect(TokenKind.MEASUREMENT);
            Position filterPosition = cursor.position();
            if (cursor.accept(TokenKind.EQUALS)) {
                filter = Optional.of(new MeasurementFilter(selects.identifier("measurement name"), false, filterPosition));
            } else {
                cursor.expect(TokenKind.MATCHES, "'=' or '=~'");
                filter = Optional.of(new MeasurementFilter(regex(), true, filterPosition));
            }
        }
        Optional<Expr> where = parseWhere();
        return new Statement.ShowMeasurements(database, filter, where, selects.parsePagination(), position);
    }

    private Statement parseShowTagValues(Position position) {
        Optional<String> database = parseOnDatabase();
        List<MeasurementRef> from = parseFrom();
        cursor.expect(TokenKind.WITH);
        cursor.expect(TokenKind.KEY);
        Position keyPosition = cursor.position();
        KeyFilter key = switch (cursor.kind()) {
            case EQUALS, NOT_EQUALS -> {
                KeyOperator operator = cursor.at(TokenKind.EQUALS) ? KeyOperator.EQUALS : KeyOperator.NOT_EQUALS;
                cursor.advance();
                yield new KeyFilter(operator, List.of(selects.identifier("tag key")), keyPosition);
            }
            case MATCHES, NOT_MATCHES -> {
                KeyOperator operator = cursor.at(TokenKind.MATCHES) ? KeyOperator.MATCHES : KeyOperator.NOT_MATCHES;
                cursor.advance();
                yield new KeyFilter(operator, List.of(regex()), keyPosition);
            }
            case IN -> {
                cursor.advance();
                cursor.expect(TokenKind.LEFT_PAREN);
                List<String> keys = new ArrayList<>();
                do {
                    keys.add(selects.identifier("tag key"));
                } while (cursor.accept(TokenKind.COMMA));
                cursor.expect(TokenKind.RIGHT_PAREN, "',' or ')'");
                yield new KeyFilter(KeyOperator.IN, keys, keyPosition);
            }
            default -> throw cursor.expected("'=', '!=', '=~', '!~' or IN");
        };
        Optional<Expr> where = parseWhere();
        return new Statement.ShowTagValues(database, from, key, where, selects.parsePagination(), position);
    }

    private Statement parseCreate(Position position) {
        cursor.advance();
        cursor.expect(TokenKind.DATABASE, "DATABASE");
        String name = selects.identifier("database name");
        DatabaseOptions options = new DatabaseOptions(
                OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(), Optional.empty());
        if (cursor.accept(TokenKind.WITH)) {
            options = parseDatabaseOptions();
        }
        return new Statement.CreateDatabase(name, options, position);
    }

    /** {@code [DURATION d|INF] [REPLICATION n] [SHARD DURATION d] [NAME rp]}, at least one. */
    private DatabaseOptions parseDatabaseOptions() {
        OptionalLong duration = OptionalLong.empty();
        OptionalLong replication = OptionalLong.empty();
        OptionalLong shardDuration = OptionalLong.empty();
        Optional<String> name = Optional.empty();
        if (cursor.accept(TokenKind.DURATION_KEYWORD)) {
            duration = OptionalLong.of(cursor.accept(TokenKind.INF) ? 0 : duration());
        }
        if (cursor.accept(TokenKind.REPLICATION)) {
            Token token = cursor.current();
            long factor = selects.count("REPLICATION");
            if (factor < 1) {
                throw cursor.error(token, "REPLICATION must be at least 1");
            }
            replication = OptionalLong.of(factor);
        }
        if (cursor.accept(TokenKind.SHARD)) {
            cursor.expect(TokenKind.DURATION_KEYWORD);
            shardDuration = OptionalLong.of(duration());
        }
        if (cursor.accept(TokenKind.NAME)) {
            name = Optional.of(selects.identifier("retention policy name"));
        }
        DatabaseOptions options = new DatabaseOptions(duration, replication, shardDuration, name);
        if (options.isEmpty()) {
            throw cursor.expected("DURATION, REPLICATION, SHARD DURATION or NAME");
        }
        return options;
    }

    private long duration() {
        Token token = cursor.expect(TokenKind.DURATION, "duration");
        try {
            return DurationSyntax.parseNanos(token.value());
        } catch (IllegalArgumentException invalid) {
            throw cursor.error(token, invalid.getMessage());
        }
    }

    private Statement parseDrop(Position position) {
        cursor.advance();
        switch (cursor.kind()) {
            case DATABASE -> {
                cursor.advance();
                return new Statement.DropDatabase(selects.identifier("database name"), position);
            }
            case MEASUREMENT -> {
                cursor.advance();
                return new Statement.DropMeasurement(selects.identifier("measurement name"), position);
            }
            case SERIES -> {
                cursor.advance();
                List<MeasurementRef> from = parseFrom();
                Optional<Expr> where = parseWhere();
                if (from.isEmpty() && where.isEmpty()) {
                    throw cursor.expected("FROM or WHERE");
                }
                return new Statement.DropSeries(from, where, position);
            }
            default -> throw cursor.expected("DATABASE, MEASUREMENT or SERIES");
        }
    }

    private Statement parseDelete(Position position) {
        cursor.advance();
        List<MeasurementRef> from = parseFrom();
        Optional<Expr> where = parseWhere();
        if (from.isEmpty() && where.isEmpty()) {
            throw cursor.expected("FROM or WHERE");
        }
        return new Statement.Delete(from, where, position);
    }

    private Statement parseKill(Position position) {
        cursor.advance();
        cursor.expect(TokenKind.QUERY);
        long queryId = selects.count("KILL QUERY");
        Optional<String> host = cursor.accept(TokenKind.ON) ? Optional.of(selects.identifier("host")) : Optional.empty();
        return new Statement.KillQuery(queryId, host, position);
    }

    private Statement parseExplain(Position position) {
        cursor.advance();
        boolean isAnalyze = cursor.accept(TokenKind.ANALYZE);
        if (!cursor.at(TokenKind.SELECT)) {
            throw cursor.expected(isAnalyze ? "SELECT" : "ANALYZE or SELECT");
        }
        return new Statement.Explain(isAnalyze, selects.parseSelect(false), position);
    }

    private Optional<String> parseOnDatabase() {
        return cursor.accept(TokenKind.ON) ? Optional.of(selects.identifier("database name")) : Optional.empty();
    }

    private List<MeasurementRef> parseFrom() {
        return cursor.accept(TokenKind.FROM) ? selects.parseMeasurementList() : List.of();
    }

    private Optional<Expr> parseWhere() {
        return cursor.accept(TokenKind.WHERE) ? Optional.of(expressions.parse()) : Optional.empty();
    }

    private String regex() {
        if (!cursor.at(TokenKind.SLASH)) {
            throw cursor.expected("regular expression");
        }
        return cursor.takeRegex().value();
    }
}
