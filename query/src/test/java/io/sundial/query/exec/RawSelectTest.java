package io.sundial.query.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

class RawSelectTest extends QueryFixture {
    @BeforeEach
    void data() {
        write(point("cpu", T0).tag("host", "a").tag("region", "east").floatField("usage", 1.0).intField("count", 10),
                point("cpu", T0 + 10 * SECOND).tag("host", "a").tag("region", "east").floatField("usage", 2.0).intField("count", 20),
                point("cpu", T0 + 20 * SECOND).tag("host", "a").tag("region", "east").floatField("usage", 3.0).intField("count", 30),
                point("cpu", T0).tag("host", "b").tag("region", "west").floatField("usage", 4.0).intField("count", 40),
                point("cpu", T0 + 10 * SECOND).tag("host", "b").tag("region", "west").floatField("usage", 5.0),
                point("mem", T0 + 5 * SECOND).tag("host", "a").intField("used", 100));
    }

    @Test
    void selectsOneFieldOfEverySeriesMergedInTimeOrder() {
        ResultSeries series = one("SELECT usage FROM cpu");
        assertEquals("cpu", series.name());
        assertEquals(Map.of(), series.tags());
        assertEquals(List.of("time", "usage"), series.columns());
        assertEquals(List.of(row(0, 1.0), row(0, 4.0), row(10 * SECOND, 2.0), row(10 * SECOND, 5.0),
                row(20 * SECOND, 3.0)), series.values());
    }

    @Test
    void timeInTheFieldListIsTheImplicitFirstColumn() {
        ResultSeries series = one("SELECT time, usage FROM cpu WHERE host = 'b'");
        assertEquals(List.of("time", "usage"), series.columns());
        assertEquals(List.of(row(0, 4.0), row(10 * SECOND, 5.0)), series.values());
    }

    @Test
    void wildcardListsFieldsAndTagsByName() {
        ResultSeries series = one("SELECT * FROM cpu WHERE host = 'b'");
        assertEquals(List.of("time", "count", "host", "region", "usage"), series.columns());
        assertEquals(List.of(row(0, 40L, "b", "west", 4.0), row(10 * SECOND, null, "b", "west", 5.0)), series.values());
    }

    @Test
    void wildcardCastsAndGroupedTagsLeaveColumnsOut() {
        assertEquals(List.of("time", "count", "usage"), one("SELECT *::field FROM cpu").columns());
        List<ResultSeries> grouped = series("SELECT * FROM cpu GROUP BY host");
        assertEquals(2, grouped.size());
        assertEquals(List.of("time", "count", "region", "usage"), grouped.getFirst().columns());
        assertEquals(Map.of("host", "a"), grouped.getFirst().tags());
        assertEquals(Map.of("host", "b"), grouped.get(1).tags());
    }

    @Test
    void mathBetweenFieldsAndConstants() {
        ResultSeries series = one("SELECT usage * 2, count + usage, count / 4 FROM cpu WHERE host = 'a'");
        assertEquals(List.of("time", "usage", "count_usage", "count"), series.columns());
        assertEquals(List.of(row(0, 2.0, 11.0, 2.5), row(10 * SECOND, 4.0, 22.0, 5.0), row(20 * SECOND, 6.0, 33.0, 7.5)),
                series.values());
    }

    @Test
    void integerArithmeticStaysInteger() {
        ResultSeries series = one("SELECT count * 2 + 1, count % 7 FROM cpu WHERE host = 'a' LIMIT 1");
        assertEquals(List.of(row(0, 21L, 3L)), series.values());
    }

    @Test
    void mathFunctions() {
        write(point("m", T0).floatField("x", -2.5).intField("i", -3));
        ResultSeries series = one("SELECT abs(x), ceil(x), floor(x), round(x), abs(i), pow(i, 2), sqrt(abs(x) * 10) FROM m");
        assertEquals(List.of(row(0, 2.5, -2.0, -3.0, -3.0, 3L, 9.0, 5.0)), series.values());
    }

    static Stream<Arguments> conditions() {
        return Stream.of(
                Arguments.of("tag equals", "host = 'a'", List.of(0L, 10L, 20L)),
                Arguments.of("tag not equals", "host != 'a'", List.of(0L, 10L)),
                Arguments.of("tag regex", "host =~ /^b/", List.of(0L, 10L)),
                Arguments.of("tag not regex", "region !~ /ea/", List.of(0L, 10L)),
                Arguments.of("OR across tags", "host = 'a' OR region = 'west'", List.of(0L, 0L, 10L, 10L, 20L)),
                Arguments.of("overlapping OR reads each series once", "host = 'a' OR region = 'east'", List.of(0L, 10L, 20L)),
                Arguments.of("NOT on a tag", "NOT host = 'a'", List.of(0L, 10L)),
                Arguments.of("IN", "host IN ('b')", List.of(0L, 10L)),
                Arguments.of("NOT IN", "host NOT IN ('b', 'c')", List.of(0L, 10L, 20L)),
                Arguments.of("field compare", "usage > 2", List.of(0L, 10L, 20L)),
                Arguments.of("field and tag", "usage >= 2 AND host = 'a'", List.of(10L, 20L)),
                Arguments.of("field OR tag", "usage > 4.5 OR host = 'a'", List.of(0L, 10L, 10L, 20L)),
                Arguments.of("condition on another field", "count >= 20", List.of(0L, 10L, 20L)),
                Arguments.of("missing field is false", "count < 1000 AND host = 'b'", List.of(0L)),
                Arguments.of("time RFC3339", "time >= '2020-01-01T00:00:10Z'", List.of(10L, 10L, 20L)),
                Arguments.of("time strict", "time > '2020-01-01T00:00:10Z'", List.of(20L)),
                Arguments.of("time epoch with unit", "time <= 1577836810s", List.of(0L, 0L, 10L, 10L)),
                Arguments.of("time epoch nanos", "time = 1577836820000000000", List.of(20L)),
                Arguments.of("time now() arithmetic", "time > now() - 1h", List.of(10L, 10L, 20L)),
                Arguments.of("time BETWEEN", "time BETWEEN '2020-01-01 00:00:05' AND '2020-01-01T00:00:15Z'", List.of(10L, 10L)),
                Arguments.of("time and tag", "time < now() - 59m50s AND host = 'a'", List.of(0L)),
                Arguments.of("time OR is empty, as in InfluxDB", "time = 0 OR time = 1577836800s", List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("conditions")
    void whereClauses(String name, String condition, List<Long> expectedSeconds) {
        List<ResultSeries> result = series("SELECT usage FROM cpu WHERE " + condition);
        List<Long> seconds = result.isEmpty() ? List.of()
                : result.getFirst().values().stream().map(row -> ((Long) row.getFirst() - T0) / SECOND).toList();
        assertEquals(expectedSeconds, seconds);
    }

    @Test
    void orderByTimeDescendingWithLimitAndOffset() {
        ResultSeries series = one("SELECT usage FROM cpu WHERE host = 'a' ORDER BY time DESC LIMIT 2 OFFSET 1");
        assertEquals(List.of(row(10 * SECOND, 2.0), row(0, 1.0)), series.values());
    }

    @Test
    void limitIsPerSeriesAndSlimitCountsSeries() {
        List<ResultSeries> result = series("SELECT usage FROM cpu GROUP BY host LIMIT 1");
        assertEquals(List.of(List.of(row(0, 1.0)), List.of(row(0, 4.0))), result.stream().map(ResultSeries::values).toList());
        List<ResultSeries> limited = series("SELECT usage FROM cpu GROUP BY host SLIMIT 1 SOFFSET 1");
        assertEquals(1, limited.size());
        assertEquals(Map.of("host", "b"), limited.getFirst().tags());
    }

    @Test
    void tagsAndCastsInRawSelect() {
        ResultSeries series = one("SELECT usage, host::tag, region FROM cpu WHERE time = '2020-01-01T00:00:20Z'");
        assertEquals(List.of("time", "usage", "host", "region"), series.columns());
        assertEquals(List.of(row(20 * SECOND, 3.0, "a", "east")), series.values());
    }

    @Test
    void severalMeasurementsAndRegexSources() {
        List<ResultSeries> result = series("SELECT * FROM cpu, mem WHERE host = 'a' AND time <= '2020-01-01T00:00:05Z'");
        assertEquals(List.of("cpu", "mem"), result.stream().map(ResultSeries::name).toList());
        assertEquals(List.of("time", "count", "host", "region", "usage", "used"), result.getFirst().columns());
        assertEquals(List.of(row(5 * SECOND, null, "a", null, null, 100L)), result.get(1).values());
        assertEquals(List.of("mem"), series("SELECT used FROM /^me/").stream().map(ResultSeries::name).toList());
    }

    @Test
    void unknownMeasurementsAndFieldsGiveNoSeries() {
        assertTrue(series("SELECT usage FROM nope").isEmpty());
        assertTrue(series("SELECT nope FROM cpu").isEmpty());
        assertTrue(series("SELECT usage FROM cpu WHERE host = 'zzz'").isEmpty());
    }

    @Test
    void otherDatabaseByName() throws Exception {
        databases.create("other");
        write("other", point("disk", T0).floatField("free", 7.0));
        assertEquals(List.of(row(0, 7.0)), one("SELECT free FROM other..disk").values());
        assertEquals("database not found: missing", error("SELECT free FROM missing..disk"));
    }
}
