package io.sundial.query.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sundial.query.QueryFixture;
import io.sundial.query.result.ResultSeries;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * HAVING and ORDER BY beyond time against hand-computed answers. Usage at 0s and 60s: host a 1, 3;
 * b 10, 4; c 5, 7; d 2 (0s only). So max per host is a 3 (60s), b 10 (0s), c 7 (60s), d 2 (0s)
 * and mean per host a 2, b 7, c 6, d 2.
 */
class HavingOrderByTest extends QueryFixture {
    private static final String RANGE = "time >= '2020-01-01T00:00:00Z' AND time < '2020-01-01T00:02:00Z'";

    @BeforeEach
    void data() {
        write(point("cpu", T0).tag("host", "a").floatField("usage", 1),
                point("cpu", T0 + MINUTE).tag("host", "a").floatField("usage", 3),
                point("cpu", T0).tag("host", "b").floatField("usage", 10),
                point("cpu", T0 + MINUTE).tag("host", "b").floatField("usage", 4),
                point("cpu", T0).tag("host", "c").floatField("usage", 5),
                point("cpu", T0 + MINUTE).tag("host", "c").floatField("usage", 7),
                point("cpu", T0).tag("host", "d").floatField("usage", 2));
    }

    /** Each series as "host: rows". */
    private List<String> answer(String query) {
        List<String> out = new ArrayList<>();
        for (ResultSeries series : series(query)) {
            out.add(series.tags().getOrDefault("host", "") + ": " + series.values());
        }
        return out;
    }

    private static String rows(Object... rows) {
        return List.of(rows).toString();
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("top 2 hosts by max", "SELECT max(usage) FROM cpu GROUP BY host ORDER BY max(usage) DESC LIMIT 2",
                        List.of("b: " + rows(row(0, 10.0)), "c: " + rows(row(MINUTE, 7.0)))),
                Arguments.of("ascending with offset",
                        "SELECT max(usage) FROM cpu GROUP BY host ORDER BY max(usage) ASC LIMIT 2 OFFSET 1",
                        List.of("a: " + rows(row(MINUTE, 3.0)), "c: " + rows(row(MINUTE, 7.0)))),
                Arguments.of("by alias", "SELECT mean(usage) AS m FROM cpu GROUP BY host ORDER BY m DESC LIMIT 1",
                        List.of("b: " + rows(epochRow(0, 7.0)))),
                Arguments.of("by a GROUP BY tag", "SELECT mean(usage) FROM cpu GROUP BY host ORDER BY host DESC LIMIT 2",
                        List.of("d: " + rows(epochRow(0, 2.0)), "c: " + rows(epochRow(0, 6.0)))),
                Arguments.of("ties go to the next key",
                        "SELECT mean(usage) FROM cpu GROUP BY host ORDER BY mean(usage), host DESC",
                        List.of("d: " + rows(epochRow(0, 2.0)), "a: " + rows(epochRow(0, 2.0)),
                                "c: " + rows(epochRow(0, 6.0)), "b: " + rows(epochRow(0, 7.0)))),
                Arguments.of("having on the column", "SELECT mean(usage) FROM cpu GROUP BY host HAVING mean(usage) > 5",
                        List.of("b: " + rows(epochRow(0, 7.0)), "c: " + rows(epochRow(0, 6.0)))),
                Arguments.of("having and order by aggregates that are not columns",
                        "SELECT mean(usage) FROM cpu GROUP BY host HAVING max(usage) >= 7 ORDER BY spread(usage) DESC",
                        List.of("b: " + rows(epochRow(0, 7.0)), "c: " + rows(epochRow(0, 6.0)))),
                Arguments.of("having on a tag", "SELECT mean(usage) FROM cpu GROUP BY host"
                        + " HAVING host != 'a' AND mean(usage) < 6.5",
                        List.of("c: " + rows(epochRow(0, 6.0)), "d: " + rows(epochRow(0, 2.0)))),
                Arguments.of("having per bucket", "SELECT mean(usage) FROM cpu WHERE " + RANGE
                        + " GROUP BY time(1m) HAVING mean(usage) > 4.6",
                        List.of(": " + rows(row(MINUTE, 14.0 / 3)))),
                Arguments.of("top bucket of each host, nulls last", "SELECT max(usage) FROM cpu WHERE " + RANGE
                        + " GROUP BY time(1m), host ORDER BY max(usage) DESC LIMIT 1",
                        List.of("a: " + rows(row(MINUTE, 3.0)), "b: " + rows(row(0, 10.0)),
                                "c: " + rows(row(MINUTE, 7.0)), "d: " + rows(row(0, 2.0)))),
                Arguments.of("raw rows overall", "SELECT usage FROM cpu ORDER BY usage DESC LIMIT 3",
                        List.of(": " + rows(row(0, 10.0), row(MINUTE, 7.0), row(0, 5.0)))),
                Arguments.of("raw rows per host, by an expression", "SELECT usage FROM cpu WHERE host =~ /[ab]/"
                        + " GROUP BY host ORDER BY usage * -1 LIMIT 1",
                        List.of("a: " + rows(row(MINUTE, 3.0)), "b: " + rows(row(0, 10.0)))),
                Arguments.of("SLIMIT picks series before ORDER BY",
                        "SELECT max(usage) FROM cpu GROUP BY host ORDER BY max(usage) DESC SLIMIT 2",
                        List.of("b: " + rows(row(0, 10.0)), "a: " + rows(row(MINUTE, 3.0)))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void answers(String name, String query, List<String> expected) {
        assertEquals(expected, answer(query));
    }

    static Stream<Arguments> errors() {
        return Stream.of(
                Arguments.of("SELECT usage FROM cpu HAVING usage > 1", "HAVING needs an aggregate query: filter raw rows with WHERE"),
                Arguments.of("SELECT mean(usage) FROM cpu GROUP BY host ORDER BY region",
                        "ORDER BY region: not a column of the answer nor a GROUP BY tag"),
                Arguments.of("SELECT mean(usage) FROM cpu GROUP BY host HAVING region = 'x'",
                        "HAVING region: not a column of the answer nor a GROUP BY tag"),
                Arguments.of("SELECT usage FROM cpu ORDER BY max(usage)",
                        "ORDER BY max(usage): an aggregate needs an aggregate query"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void refused(String query, String message) {
        assertEquals(message, error(query));
    }

    @Test
    void orderByTimeAloneKeepsInfluxQlMeaning() {
        assertEquals(List.of(row(MINUTE, 3.0), row(0, 1.0)),
                one("SELECT usage FROM cpu WHERE host = 'a' ORDER BY time DESC").values());
    }
}
