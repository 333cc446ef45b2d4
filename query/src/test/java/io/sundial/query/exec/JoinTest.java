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
 * JOIN against hand-computed answers. cpu usage: host a 10 (0s), 20 (30s), 40 (60s); host b 5 (0s),
 * 15 (60s). mem used: host a 50 (0s), 100 (60s); host c 7 (0s). So the 1m means of cpu are host a
 * 15, 40 and host b 5, 15; only host a is in both measurements.
 */
class JoinTest extends QueryFixture {
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
    void ratioOfTwoMeasurementsPerHostPerMinute() {
        List<ResultSeries> answer = series("SELECT mean(a.usage) / mean(b.used) FROM cpu AS a JOIN mem AS b ON host"
                + " WHERE " + RANGE + " GROUP BY time(1m), host");
        assertEquals(1, answer.size());
        ResultSeries series = answer.getFirst();
        assertEquals("a_b", series.name());
        assertEquals(Map.of("host", "a"), series.tags());
        assertEquals(List.of("time", "mean_mean"), series.columns());
        assertEquals(List.of(row(0, 15.0 / 50), row(MINUTE, 40.0 / 100)), series.values());
    }

    @Test
    void rawRowsMeetOnEqualTimestamps() {
        ResultSeries series = one("SELECT a.usage, b.used FROM cpu AS a JOIN mem AS b ON host WHERE host = 'a'");
        assertEquals(List.of("time", "usage", "used"), series.columns());
        assertEquals(List.of(row(0, 10.0, 50.0), row(MINUTE, 40.0, 100.0)), series.values());
    }

    @Test
    void withoutOnEveryPairAtOneTimeMeets() {
        ResultSeries series = one("SELECT a.usage + b.used AS total FROM cpu AS a JOIN mem AS b");
        assertEquals(List.of(row(0, 60.0), row(0, 17.0), row(0, 55.0), row(0, 12.0), row(MINUTE, 140.0),
                row(MINUTE, 115.0)), series.values());
    }

    @Test
    void aggregatesWithoutGroupByTimeMeetOnTagsAlone() {
        // max(usage) of host a is at 60s and min(used) at 0s: the rows still meet, at the epoch.
        ResultSeries series = one("SELECT max(a.usage), min(b.used) FROM cpu AS a JOIN mem AS b ON host GROUP BY host");
        assertEquals(Map.of("host", "a"), series.tags());
        assertEquals(List.of(epochRow(0, 40.0, 50.0)), series.values());
    }

    @Test
    void aSideMayBeASubquery() {
        ResultSeries series = one("SELECT a.m - b.used FROM (SELECT max(usage) AS m FROM cpu GROUP BY time(1m), host) AS a"
                + " JOIN mem AS b ON host WHERE " + RANGE);
        assertEquals(List.of("time", "m_used"), series.columns());
        assertEquals(List.of(row(0, -30.0), row(MINUTE, -60.0)), series.values());
    }

    @Test
    void chainedJoinsAndHavingAndOrderBy() {
        write(point("disk", T0).tag("host", "a").floatField("free", 1),
                point("disk", T0 + MINUTE).tag("host", "a").floatField("free", 2));
        ResultSeries series = one("SELECT mean(a.usage) / mean(b.used) AS ratio, max(c.free) FROM cpu AS a"
                + " JOIN mem AS b ON host JOIN disk AS c ON host WHERE " + RANGE
                + " GROUP BY time(1m), host HAVING max(c.free) > 0 ORDER BY ratio DESC LIMIT 1");
        assertEquals("a_b_c", series.name());
        assertEquals(List.of(row(MINUTE, 0.4, 2.0)), series.values());
    }

    static Stream<Arguments> errors() {
        return Stream.of(
                Arguments.of("SELECT mean(usage) + mean(b.used) FROM cpu AS a JOIN mem AS b ON host",
                        "mean(usage): qualify usage with the JOIN source it comes from (alias.usage)"),
                Arguments.of("SELECT usage FROM cpu AS a JOIN mem AS b ON host",
                        "column usage in a JOIN: qualify it with its source (a.usage, b.usage), or name a tag the JOIN is ON"),
                Arguments.of("SELECT a.usage FROM cpu AS a JOIN mem AS b ON host",
                        "JOIN source b is not used in SELECT: refer to its columns as b.column"),
                Arguments.of("SELECT mean(a.usage) + mean(b.used) FROM cpu AS a JOIN mem AS b ON host GROUP BY region",
                        "GROUP BY region: a JOIN groups only by tags it joins ON ([host])"),
                Arguments.of("SELECT x.usage + b.used FROM cpu AS a JOIN mem AS b",
                        "x.usage: x names no JOIN source (sources: a, b)"),
                Arguments.of("SELECT a.usage + b.used FROM cpu AS a JOIN mem AS b WHERE a.usage > b.used",
                        "WHERE a.usage > b.used compares JOIN sources: a WHERE condition reads one source;"
                                + " compare joined values in HAVING"),
                Arguments.of("SELECT cpu.usage FROM cpu JOIN cpu", "JOIN source cpu appears twice: give each side its own alias"),
                Arguments.of("SELECT mean(a.usage + b.used) FROM cpu AS a JOIN mem AS b",
                        "expected field argument in mean()"),
                Arguments.of("SELECT mean(a.usage), b.used FROM cpu AS a JOIN mem AS b",
                        "mixing aggregate and non-aggregate queries is not supported"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void refused(String query, String message) {
        assertEquals(message, error(query));
    }
}
