package io.sundial.query.sundialql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Invalid queries and the exact message each gets: line, column, what was expected, what was found. */
class ErrorTest {

    static Stream<Arguments> invalidQueries() {
        return Stream.of(
                named("misspelt FROM", "SELECT * FORM cpu", "line 1, column 10: expected FROM, found 'FORM'"),
                named("no fields", "SELECT FROM cpu", "line 1, column 8: expected expression, found 'FROM'"),
                named("no source", "SELECT x FROM", "line 1, column 14: expected measurement, regex or subquery, found end of input"),
                named("misspelt WHERE", "SELECT x FROM m WHER a = 1",
                        "line 1, column 17: expected WHERE, GROUP BY, fill(), HAVING, ORDER BY, LIMIT, OFFSET, SLIMIT, SOFFSET, "
                        + "tz() or end of statement, found 'WHER'"),
                named("clause out of order", "SELECT x FROM m LIMIT 1 WHERE a = 1",
                        "line 1, column 25: expected OFFSET, SLIMIT, SOFFSET, tz() or end of statement, found 'WHERE'"),
                named("clause after tz", "SELECT x FROM m tz('UTC') LIMIT 1",
                        "line 1, column 27: expected end of statement, found 'LIMIT'"),
                named("position on a later line", "SELECT x\nFROM m\nWHERE a = 'b",
                        "line 3, column 11: unterminated string literal: missing closing '"),
                named("unterminated regex", "SELECT x FROM m WHERE a =~ /abc", "line 1, column 28: unterminated regular expression"),
                named("unterminated identifier", "SELECT \"x FROM m", "line 1, column 8: unterminated identifier: missing closing \""),
                named("empty identifier", "SELECT \"\" FROM m", "line 1, column 8: empty quoted identifier"),
                named("unterminated comment", "SELECT x /* FROM m", "line 1, column 10: unterminated comment: '/*' has no closing '*/'"),
                named("invalid escape", "SELECT x FROM m WHERE a = 'x\\q'",
                        "line 1, column 29: invalid escape '\\q' in string literal: use \\n, \\\\, \\\" or \\'"),
                named("invalid duration", "SELECT x FROM m WHERE time > now() - 10mx",
                        "line 1, column 38: invalid duration '10mx': expected digits followed by a unit "
                        + "(ns, u, µ, us, ms, s, m, h, d, w), e.g. 90s or 1h30m"),
                named("duration overflow", "SELECT x FROM m WHERE time > now() - 99999999999w",
                        "line 1, column 38: duration '99999999999w' is out of range (at most 9223372036854775807ns)"),
                named("integer overflow", "SELECT x FROM m WHERE a = 9223372036854775808",
                        "line 1, column 27: integer 9223372036854775808 is out of range for a 64-bit signed integer"),
                named("GROUP without BY", "SELECT x FROM m GROUP time(1m)", "line 1, column 23: expected BY, found 'time'"),
                named("unknown fill", "SELECT mean(x) FROM m GROUP BY time(1m) fill(sometimes)",
                        "line 1, column 46: expected null, none, previous, linear or a number, found 'sometimes'"),
                named("fill expression", "SELECT mean(x) FROM m GROUP BY time(1m) fill(1 + 2)",
                        "line 1, column 46: a fill value must be a number"),
                named("keyword as a name", "SELECT x FROM select",
                        "line 1, column 15: expected measurement name, found 'select' (a keyword: double-quote it to use it as a name)"),
                named("too many dots", "SELECT x FROM a.b.c.d",
                        "line 1, column 21: a measurement is at most [database.][retention_policy.]measurement; too many '.'"),
                named("unknown cast", "SELECT x::bogus FROM m",
                        "line 1, column 11: expected a type (field, tag, float, integer, unsigned, string, boolean) after '::', found 'bogus'"),
                named("wildcard cast", "SELECT *::float FROM m", "line 1, column 11: expected field or tag after '::', found 'float'"),
                named("unclosed parenthesis", "SELECT (x FROM m", "line 1, column 11: expected ')', found 'FROM'"),
                named("unclosed call", "SELECT f(x FROM m", "line 1, column 12: expected ',' or ')', found 'FROM'"),
                named("missing argument", "SELECT f(x, ) FROM m", "line 1, column 13: expected expression, found ')'"),
                named("BETWEEN without AND", "SELECT x FROM m WHERE a BETWEEN 1 OR 2", "line 1, column 35: expected AND, found 'OR'"),
                named("empty IN", "SELECT x FROM m WHERE a IN ()", "line 1, column 23: IN needs at least one value between the parentheses"),
                named("join after a list", "SELECT x FROM a, b JOIN c",
                        "line 1, column 20: JOIN cannot follow a list of sources: join measurements without commas (a JOIN b ON tag)"),
                named("negative LIMIT", "SELECT x FROM m LIMIT -1", "line 1, column 23: expected non-negative integer after LIMIT, found '-'"),
                named("illegal character", "SELECT x FROM m WHERE a # b",
                        "line 1, column 25: expected GROUP BY, fill(), HAVING, ORDER BY, LIMIT, OFFSET, SLIMIT, SOFFSET, tz() "
                        + "or end of statement, found '#'"),
                named("second statement", "SELECT x FROM m; SELEC y FROM m",
                        "line 1, column 18: expected SELECT, SHOW, CREATE, DROP, DELETE, KILL or EXPLAIN, found 'SELEC'"),
                named("unsupported statement", "UPDATE m SET x = 1",
                        "line 1, column 1: expected SELECT, SHOW, CREATE, DROP, DELETE, KILL or EXPLAIN, found 'UPDATE'"),
                named("unknown SHOW", "SHOW FOO",
                        "line 1, column 6: expected DATABASES, MEASUREMENTS, TAG KEYS, TAG VALUES, FIELD KEYS, SERIES, QUERIES "
                        + "or RETENTION POLICIES, found 'FOO'"),
                named("SHOW TAG VALUES without key", "SHOW TAG VALUES FROM m", "line 1, column 23: expected WITH, found end of input"),
                named("SHOW TAG VALUES bad operator", "SHOW TAG VALUES WITH KEY < x",
                        "line 1, column 26: expected '=', '!=', '=~', '!~' or IN, found '<'"),
                named("SHOW MEASUREMENTS regex expected", "SHOW MEASUREMENTS WITH MEASUREMENT =~ cpu",
                        "line 1, column 39: expected regular expression, found 'cpu'"),
                named("DROP SERIES without a filter", "DROP SERIES", "line 1, column 12: expected FROM or WHERE, found end of input"),
                named("DELETE without a filter", "DELETE", "line 1, column 7: expected FROM or WHERE, found end of input"),
                named("DROP of something else", "DROP USER bob", "line 1, column 6: expected DATABASE, MEASUREMENT or SERIES, found 'USER'"),
                named("CREATE WITH nothing", "CREATE DATABASE db WITH",
                        "line 1, column 24: expected DURATION, REPLICATION, SHARD DURATION or NAME, found end of input"),
                named("zero replication", "CREATE DATABASE db WITH REPLICATION 0", "line 1, column 37: REPLICATION must be at least 1"),
                named("EXPLAIN of SHOW", "EXPLAIN SHOW DATABASES", "line 1, column 9: expected ANALYZE or SELECT, found 'SHOW'"),
                named("KILL without id", "KILL QUERY abc", "line 1, column 12: expected non-negative integer after KILL QUERY, found 'abc'"),
                named("subquery not closed", "SELECT x FROM (SELECT y FROM m",
                        "line 1, column 31: expected ')', found end of input"),
                named("subquery followed by junk", "SELECT x FROM (SELECT y FROM m z)",
                        "line 1, column 32: expected WHERE, GROUP BY, fill(), HAVING, ORDER BY, LIMIT, OFFSET, SLIMIT, SOFFSET, "
                        + "tz() or ')', found 'z'"),
                named("long token is shortened", "SELECT x FROM m WHERE a = 1 abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz",
                        "line 1, column 29: expected GROUP BY, fill(), HAVING, ORDER BY, LIMIT, OFFSET, SLIMIT, SOFFSET, tz() "
                        + "or end of statement, found 'abcdefghijklmnopqrstuvwxyzabcdefghijk...'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidQueries")
    void reportsWhereAndWhat(String name, String query, String message) {
        ParseException error = assertThrows(ParseException.class, () -> Parser.parseQuery(query));
        assertEquals(message, error.getMessage());
        assertEquals(message, "line " + error.line() + ", column " + error.column() + ": " + error.problem());
    }

    private static Arguments named(String name, String query, String message) {
        return Arguments.of(name, query, message);
    }
}
