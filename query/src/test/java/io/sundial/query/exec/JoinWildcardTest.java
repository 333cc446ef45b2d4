package io.sundial.query.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sundial.query.QueryFixture;
import io.sundial.query.result.ResultSeries;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code *}, {@code /regex/} and {@code call(*)} columns of a JOIN against hand-computed answers
 * (the data of {@link JoinTest}): cpu usage host a 10 (0s), 20 (30s), 40 (60s), host b 5 (0s),
 * 15 (60s); mem used host a 50 (0s), 100 (60s), host c 7 (0s).
 */
class JoinWildcardTest extends QueryFixture {
    private static final String RANGE = "time >= '2020-01-01T00:00:00Z' AND time < '2020-01-01T00:02:00Z'";

    @BeforeEach
    void data() {
        write(point("cpu", T0).tag("host", "a").floatField("usage", 10),
                point("cpu", T0 + 30 * SECOND).tag("host", "a").floatField("usage", 20),
                point("cpu", T0 + MINUTE).tag("host", "a").floatField("usage", 40),
                point("cpu", T0).tag("host", "b").floatField("usage", 5),
                point("cpu", T0 + MINUTE).tag("host", "b").floatField("usage", 15),
                point("mem", T0).tag("host", "a").floatField("used", 50),
                point("mem", T0 + MINUTE).tag("host", "a").floatField("used", 100),
                point("mem", T0).tag("host", "c").floatField("used", 7));
    }

    @Test
    void starIsEveryFieldOfEverySideQualifiedThenTheOnTags() {
        ResultSeries series = one("SELECT * FROM cpu AS a JOIN mem AS b ON host WHERE host = 'a'");
        assertEquals("a_b", series.name());
        assertEquals(List.of("time", "a.usage", "b.used", "host"), series.columns());
        assertEquals(List.of(row(0, 10.0, 50.0, "a"), row(MINUTE, 40.0, 100.0, "a")), series.values());
    }

    @Test
    void starFieldLeavesOutTheTagsAndGroupedTagsAreNoColumns() {
        ResultSeries series = one("SELECT *::field FROM cpu AS a JOIN mem AS b ON host GROUP BY host");
        assertEquals(Map.of("host", "a"), series.tags());
        assertEquals(List.of("time", "a.usage", "b.used"), series.columns());
        assertEquals(List.of(row(0, 10.0, 50.0), row(MINUTE, 40.0, 100.0)), series.values());
    }

    @Test
    void oneFieldNameOnTwoSidesStaysTwoColumns() {
        ResultSeries series = one("SELECT *::field FROM cpu AS a JOIN cpu AS b ON host");
        assertEquals(List.of("time", "a.usage", "b.usage"), series.columns());
        assertEquals(List.of(row(0, 10.0, 10.0), row(0, 5.0, 5.0), row(30 * SECOND, 20.0, 20.0),
                row(MINUTE, 40.0, 40.0), row(MINUTE, 15.0, 15.0)), series.values());
    }

    @Test
    void aRegexMatchesFieldNamesWithoutTheirQualifier() {
        ResultSeries series = one("SELECT /^usa/, b.used FROM cpu AS a JOIN mem AS b ON host");
        assertEquals(List.of("time", "a.usage", "used"), series.columns());
        assertEquals(List.of(row(0, 10.0, 50.0), row(MINUTE, 40.0, 100.0)), series.values());
    }

    @Test
    void anAggregateOfStarIsComputedPerSideField() {
        ResultSeries series = one("SELECT mean(*) FROM cpu AS a JOIN mem AS b ON host WHERE " + RANGE
                + " GROUP BY time(1m), host");
        assertEquals(Map.of("host", "a"), series.tags());
        assertEquals(List.of("time", "mean_a.usage", "mean_b.used"), series.columns());
        assertEquals(List.of(row(0, 15.0, 50.0), row(MINUTE, 40.0, 100.0)), series.values());
    }

    @Test
    void anAggregateOfARegexMeetsOnTagsAlone() {
        ResultSeries series = one("SELECT max(/^us/) FROM cpu AS a JOIN mem AS b ON host WHERE " + RANGE + " GROUP BY host");
        assertEquals(List.of("time", "max_a.usage", "max_b.used"), series.columns());
        assertEquals(List.of(row(0, 40.0, 100.0)), series.values());
    }

    @Test
    void aSideWithoutFieldsMakesTheInnerJoinEmpty() {
        assertEquals(List.of(), series("SELECT * FROM cpu AS a JOIN nosuch AS b ON host"));
    }

    static Stream<Arguments> errors() {
        return Stream.of(
                Arguments.of("SELECT * FROM cpu AS a JOIN (SELECT used FROM mem) AS b",
                        "* and /regex/ columns in a JOIN expand the fields of measurements; name the columns of"
                                + " subquery side b as b.column"),
                Arguments.of("SELECT /^usa/ FROM cpu AS a JOIN mem AS b",
                        "JOIN source b is not used in SELECT: refer to its columns as b.column"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void refused(String query, String message) {
        assertEquals(message, error(query));
    }
}
