package io.sundial.query.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sundial.query.QueryException;
import io.sundial.query.sundialql.Parser;
import io.sundial.query.sundialql.Printer;
import io.sundial.query.sundialql.Query;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** $name substitution: the bound query prints as the query written with the literals in place. */
class BoundParametersTest {
    private static String bind(String query, Map<String, ?> values) {
        return Printer.print(BoundParameters.bind(Parser.parseQuery(query), values));
    }

    private static String canonical(String query) {
        return Printer.print(Parser.parseQuery(query));
    }

    static Stream<Arguments> substitutions() {
        return Stream.of(
                Arguments.of("string", "SELECT x FROM m WHERE host = $h", Map.of("h", "a'b"),
                        "SELECT x FROM m WHERE host = 'a\\'b'"),
                Arguments.of("integer and float", "SELECT x FROM m WHERE n > $n AND y < $y", Map.of("n", 5L, "y", 1.5),
                        "SELECT x FROM m WHERE n > 5 AND y < 1.5"),
                Arguments.of("boolean", "SELECT x FROM m WHERE ok = $ok", Map.of("ok", true),
                        "SELECT x FROM m WHERE ok = true"),
                Arguments.of("typed duration", "SELECT mean(x) FROM m WHERE time > now() - $d GROUP BY time(1m)",
                        Map.of("d", Map.of("duration", "1h")),
                        "SELECT mean(x) FROM m WHERE time > now() - 1h GROUP BY time(1m)"),
                Arguments.of("typed float from an integer", "SELECT x FROM m WHERE y > $y", Map.of("y", Map.of("float", 2L)),
                        "SELECT x FROM m WHERE y > 2.0"),
                Arguments.of("in a subquery, HAVING and ORDER BY",
                        "SELECT max(m) FROM (SELECT mean(x) AS m FROM cpu WHERE host = $h GROUP BY host)"
                                + " HAVING max(m) > $t ORDER BY max(m) * $k",
                        Map.of("h", "a", "t", 3L, "k", -1L),
                        "SELECT max(m) FROM (SELECT mean(x) AS m FROM cpu WHERE host = 'a' GROUP BY host)"
                                + " HAVING max(m) > 3 ORDER BY max(m) * -1"),
                Arguments.of("SHOW and DELETE", "SHOW TAG VALUES WITH KEY = host WHERE region = $r; DELETE FROM m WHERE host = $h",
                        Map.of("r", "eu", "h", "x"),
                        "SHOW TAG VALUES WITH KEY = host WHERE region = 'eu'; DELETE FROM m WHERE host = 'x'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("substitutions")
    void substitutes(String name, String query, Map<String, ?> values, String expected) {
        assertEquals(canonical(expected), bind(query, values));
    }

    static Stream<Arguments> refusals() {
        Map<String, Object> nullValue = new HashMap<>();
        nullValue.put("h", null);
        return Stream.of(
                Arguments.of("SELECT x FROM m WHERE host = $h", Map.of(),
                        "missing parameter: h (line 1, column 30); send it in params, e.g. params={\"h\": ...}"),
                Arguments.of("SELECT x FROM m WHERE host = $h", nullValue,
                        "invalid value for parameter h: null has no literal; leave the condition out instead"),
                Arguments.of("SELECT x FROM m WHERE host = $h", Map.of("h", List.of(1)),
                        "invalid value for parameter h: expected a string, number or boolean, got [1]"),
                Arguments.of("SELECT x FROM m WHERE y > $y", Map.of("y", Double.NaN),
                        "invalid value for parameter y: a number must be finite, got NaN"),
                Arguments.of("SELECT x FROM m WHERE y > $y", Map.of("y", Map.of("integer", "5")),
                        "invalid value for parameter y: expected a value of type integer, got 5"),
                Arguments.of("SELECT x FROM m WHERE y =~ $y", Map.of("y", Map.of("regex", 5L)),
                        "invalid value for parameter y: expected a regular expression as a string, got 5"),
                Arguments.of("SELECT x FROM m WHERE y > $y", Map.of("y", Map.of("date", "x")),
                        "invalid value for parameter y: unknown type 'date'; use string, integer, float, boolean,"
                                + " duration, regex or identifier"),
                Arguments.of("SELECT x FROM m WHERE y > $y", Map.of("y", Map.of("integer", 1L, "float", 2.0)),
                        "invalid value for parameter y: a typed value is an object with one entry such as {\"duration\": \"5m\"}"));
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("refusals")
    void refuses(String query, Map<String, ?> values, String message) {
        assertEquals(message, assertThrows(QueryException.class, () -> bind(query, values)).getMessage());
    }

    @Test
    void aQueryWithoutParametersIsUnchangedInMeaning() {
        Query query = Parser.parseQuery("SELECT x FROM m WHERE a = 1 OR b = 2");
        assertEquals(query, BoundParameters.bind(query, Map.of("unused", 1L)));
    }
}
