package io.sundial.query.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.query.QueryFixture;
import io.sundial.query.result.ResultSeries;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Aggregates, GROUP BY and fill against hand-computed answers. Host a has usage 1, 3, 5, 7, 9
 * (and n = 1..5) at 0s, 30s, 60s, 150s, 270s; host b has usage 10, 20 at 10s, 70s. So the 1m
 * buckets of host a hold means 2, 5, 7, (none), 9.
 */
class AggregateSelectTest extends QueryFixture {
    private static final String RANGE = "time >= '2020-01-01T00:00:00Z' AND time < '2020-01-01T00:05:00Z'";

    @BeforeEach
    void data() {
        long[] seconds = {0, 30, 60, 150, 270};
        for (int i = 0; i < seconds.length; i++) {
            write(point("cpu", T0 + seconds[i] * SECOND).tag("host", "a").floatField("usage", 2 * i + 1).intField("n", i + 1));
        }
        write(point("cpu", T0 + 10 * SECOND).tag("host", "b").floatField("usage", 10),
                point("cpu", T0 + 70 * SECOND).tag("host", "b").floatField("usage", 20));
    }

    private List<List<Object>> values(String query) {
        return one(query).values();
    }

    @Test
    void aggregatesOverEverySeries() {
        ResultSeries series = one("SELECT count(usage), sum(usage), mean(usage), min(usage), max(usage), first(usage),"
                + " last(usage), spread(usage) FROM cpu WHERE " + RANGE);
        assertEquals(List.of("time", "count", "sum", "mean", "min", "max", "first", "last", "spread"), series.columns());
        assertEquals(List.of(row(0, 7L, 55.0, 55.0 / 7, 1.0, 20.0, 1.0, 9.0, 19.0)), series.values());
    }

    @Test
    void integerFieldsKeepTheirType() {
        assertEquals(List.of(row(0, 15L, 3.0, 1L, 5L, 4L, 3.0)),
                values("SELECT sum(n), mean(n), min(n), max(n), spread(n), median(n) FROM cpu WHERE " + RANGE));
    }

    @Test
    void aSingleSelectorReportsThePointsTime() {
        assertEquals(List.of(row(70 * SECOND, 20.0)), values("SELECT max(usage) FROM cpu"));
        assertEquals(List.of(row(270 * SECOND, 9.0)), values("SELECT last(usage) FROM cpu"));
        assertEquals(List.of(row(0, 1.0)), values("SELECT min(usage) FROM cpu"));
        assertEquals(List.of(row(150 * SECOND, 7.0)), values("SELECT percentile(usage, 50) FROM cpu"));
        // Two selectors, or an aggregate: the start of the range, or the epoch without one.
        assertEquals(List.of(row(0, 20.0, 1.0)), values("SELECT max(usage), min(usage) FROM cpu WHERE " + RANGE));
        assertEquals(List.of(epochRow(0, 20.0, 1.0)), values("SELECT max(usage), min(usage) FROM cpu"));
        assertEquals(List.of(epochRow(0, 7.0)), values("SELECT median(usage) FROM cpu"));
    }

    @Test
    void lastOfEveryFieldPerHostLikeTsbsLastpoint() {
        List<ResultSeries> result = series("SELECT last(*) FROM cpu GROUP BY host");
        assertEquals(List.of("time", "last_n", "last_usage"), result.getFirst().columns());
        // Several selectors after expanding *: the time is the epoch, as in InfluxDB.
        assertEquals(List.of(epochRow(0, 5L, 9.0)), result.getFirst().values());
        assertEquals(List.of(epochRow(0, null, 20.0)), result.get(1).values());
        assertEquals(List.of(row(270 * SECOND, 9.0)), values("SELECT time, last(usage) FROM cpu"));
    }

    @Test
    void fieldsAndTagsBesideOneSelectorComeFromTheSelectedPoint() {
        ResultSeries series = one("SELECT max(usage), host, n FROM cpu");
        assertEquals(List.of("time", "max", "host", "n"), series.columns());
        assertEquals(List.of(row(70 * SECOND, 20.0, "b", null)), series.values());
        assertEquals(List.of(row(0, 1.0, 1L)), values("SELECT first(usage), n FROM cpu WHERE host = 'a'"));
        assertEquals(List.of(row(0, 20.0, "b"), row(2 * MINUTE, 7.0, "a"), row(4 * MINUTE, 9.0, "a")),
                values("SELECT max(usage), host FROM cpu WHERE " + RANGE + " GROUP BY time(2m) fill(none)"));
        assertEquals(List.of(row(0, 1.0, "a"), row(2 * MINUTE, null, null)),
                values("SELECT min(usage), host FROM cpu WHERE usage < 4 AND time >= '2020-01-01T00:00:00Z'"
                        + " AND time < '2020-01-01T00:04:00Z' GROUP BY time(2m)"));
    }

    @Test
    void mathOverAggregates() {
        ResultSeries series = one("SELECT mean(usage) * 2, max(usage) - min(usage), mean(usage) FROM cpu WHERE host = 'a'");
        assertEquals(List.of("time", "mean", "max_min", "mean_1"), series.columns());
        assertEquals(List.of(epochRow(0, 10.0, 8.0, 5.0)), series.values());
    }

    @Test
    void fieldAndTagConditionsFilterPointsBeforeAggregating() {
        assertEquals(List.of(epochRow(0, 10.2)), values("SELECT mean(usage) FROM cpu WHERE usage > 4"));
        assertEquals(List.of(epochRow(0, 7L)), values("SELECT count(usage) FROM cpu WHERE host = 'a' OR host = 'b'"));
        assertEquals(List.of(epochRow(0, 2L)), values("SELECT count(usage) FROM cpu WHERE n >= 2 AND n <= 3"));
    }

    @Test
    void emptyRangesGiveNoSeries() {
        assertTrue(series("SELECT mean(usage) FROM cpu WHERE time > now()").isEmpty());
        assertTrue(series("SELECT count(usage) FROM cpu WHERE usage > 100").isEmpty());
        assertTrue(series("SELECT count(usage) FROM cpu WHERE time > now() GROUP BY time(1m)").isEmpty());
    }

    static Stream<Arguments> fills() {
        return Stream.of(
                Arguments.of("fill(null)", "fill(null)", Arrays.asList(2.0, 5.0, 7.0, null, 9.0)),
                Arguments.of("default fill is null", "", Arrays.asList(2.0, 5.0, 7.0, null, 9.0)),
                Arguments.of("fill(none)", "fill(none)", List.of(2.0, 5.0, 7.0, 9.0)),
                Arguments.of("fill(previous)", "fill(previous)", List.of(2.0, 5.0, 7.0, 7.0, 9.0)),
                Arguments.of("fill(linear)", "fill(linear)", List.of(2.0, 5.0, 7.0, 8.0, 9.0)),
                Arguments.of("fill(0) becomes a float", "fill(0)", List.of(2.0, 5.0, 7.0, 0.0, 9.0)),
                Arguments.of("fill(-1.5)", "fill(-1.5)", List.of(2.0, 5.0, 7.0, -1.5, 9.0)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fills")
    void fillModes(String name, String fill, List<Double> expected) {
        List<List<Object>> rows = values("SELECT mean(usage) FROM cpu WHERE host = 'a' AND " + RANGE
                + " GROUP BY time(1m) " + fill);
        assertEquals(expected, rows.stream().map(row -> (Double) row.get(1)).toList());
        if (!fill.equals("fill(none)")) {
            assertEquals(List.of(T0, T0 + MINUTE, T0 + 2 * MINUTE, T0 + 3 * MINUTE, T0 + 4 * MINUTE),
                    rows.stream().map(row -> (Long) row.getFirst()).toList());
        }
    }

    @Test
    void fillStaysInsideTheQueryRange() {
        // Linear and previous have nothing to use before the first bucket or after the last one.
        List<List<Object>> rows = values("SELECT mean(usage) FROM cpu WHERE host = 'b' AND " + RANGE
                + " GROUP BY time(1m) fill(linear)");
        assertEquals(Arrays.asList(10.0, 20.0, null, null, null), rows.stream().map(row -> row.get(1)).toList());
        List<List<Object>> previous = values("SELECT max(usage) FROM cpu WHERE host = 'b' AND time >= '2020-01-01T00:01:00Z'"
                + " AND time < '2020-01-01T00:03:00Z' GROUP BY time(1m) fill(previous)");
        assertEquals(List.of(row(MINUTE, 20.0), row(2 * MINUTE, 20.0)), previous);
    }

    @Test
    void countReportsZeroForEmptyBuckets() {
        assertEquals(List.of(2L, 1L, 1L, 0L, 1L), values("SELECT count(usage) FROM cpu WHERE host = 'a' AND " + RANGE
                + " GROUP BY time(1m)").stream().map(row -> row.get(1)).toList());
    }

    @Test
    void groupByTimeAndTag() {
        List<ResultSeries> result = series("SELECT mean(usage) FROM cpu WHERE time >= '2020-01-01T00:00:00Z'"
                + " AND time < '2020-01-01T00:02:00Z' GROUP BY time(1m), host fill(none)");
        assertEquals(2, result.size());
        assertEquals(Map.of("host", "a"), result.getFirst().tags());
        assertEquals(List.of(row(0, 2.0), row(MINUTE, 5.0)), result.getFirst().values());
        assertEquals(Map.of("host", "b"), result.get(1).tags());
        assertEquals(List.of(row(0, 10.0), row(MINUTE, 20.0)), result.get(1).values());
        List<ResultSeries> all = series("SELECT count(usage) FROM cpu GROUP BY *");
        assertEquals(List.of(Map.of("host", "a"), Map.of("host", "b")), all.stream().map(ResultSeries::tags).toList());
    }

    @Test
    void groupByTimeMergesSeriesIntoBuckets() {
        assertEquals(List.of(row(0, 14.0 / 3), row(MINUTE, 12.5), row(2 * MINUTE, 7.0), row(3 * MINUTE, (Object) null),
                row(4 * MINUTE, 9.0)), values("SELECT mean(usage) FROM cpu WHERE " + RANGE + " GROUP BY time(1m)"));
    }

    @Test
    void offsetShiftsBuckets() {
        List<List<Object>> rows = values("SELECT mean(usage) FROM cpu WHERE host = 'a' AND time >= '2020-01-01T00:00:00Z'"
                + " AND time < '2020-01-01T00:02:00Z' GROUP BY time(1m, 30s)");
        assertEquals(List.of(row(-30 * SECOND, 1.0), row(30 * SECOND, 4.0), row(90 * SECOND, (Object) null)), rows);
    }

    @Test
    void withoutALowerBoundBucketsStartAtTheFirstPointAndEndAtNow() {
        List<List<Object>> rows = values("SELECT count(usage) FROM cpu WHERE host = 'b' GROUP BY time(20m)");
        assertEquals(List.of(row(0, 2L), row(20 * MINUTE, 0L), row(40 * MINUTE, 0L), row(60 * MINUTE, 0L)), rows);
    }

    @Test
    void orderByTimeDescReversesBuckets() {
        assertEquals(List.of(row(4 * MINUTE, 9.0), row(2 * MINUTE, 7.0)), values("SELECT mean(usage) FROM cpu WHERE host = 'a'"
                + " AND " + RANGE + " GROUP BY time(1m) fill(none) ORDER BY time DESC LIMIT 2"));
    }

    @Test
    void timeZoneAlignsDailyBucketsOnLocalMidnight() {
        // 2020-01-01T00:00Z is 2019-12-31 19:00 in New York (UTC-5): its day starts at 05:00Z.
        assertEquals(List.of(row(-19 * 60 * MINUTE, 7L)),
                values("SELECT count(usage) FROM cpu WHERE time >= '2019-12-31T06:00:00Z' AND time < '2020-01-01T05:00:00Z'"
                        + " GROUP BY time(1d) tz('America/New_York')"));
    }

    @Test
    void rawTransformations() {
        String where = " FROM cpu WHERE host = 'a'";
        assertEquals(List.of(row(30 * SECOND, 4.0), row(60 * SECOND, 4.0), row(150 * SECOND, 2.0 / 1.5),
                row(270 * SECOND, 1.0)), values("SELECT derivative(usage, 1m)" + where));
        assertEquals(List.of(row(30 * SECOND, 2.0 / 30), row(60 * SECOND, 2.0 / 30), row(150 * SECOND, 2.0 / 90),
                row(270 * SECOND, 2.0 / 120)), values("SELECT derivative(usage)" + where));
        assertEquals(List.of(row(30 * SECOND, 1L), row(60 * SECOND, 1L), row(150 * SECOND, 1L), row(270 * SECOND, 1L)),
                values("SELECT difference(n)" + where));
        assertEquals(List.of(row(30 * SECOND, 2.0), row(60 * SECOND, 4.0), row(150 * SECOND, 6.0), row(270 * SECOND, 8.0)),
                values("SELECT moving_average(usage, 2)" + where));
        assertEquals(List.of(row(0, 1L), row(30 * SECOND, 3L), row(60 * SECOND, 6L), row(150 * SECOND, 10L),
                row(270 * SECOND, 15L)), values("SELECT cumulative_sum(n)" + where));
        assertEquals(List.of(row(30 * SECOND, 30L), row(60 * SECOND, 30L), row(150 * SECOND, 90L), row(270 * SECOND, 120L)),
                values("SELECT elapsed(usage, 1s)" + where));
    }

    @Test
    void counterResetsAreDroppedByNonNegativeFunctions() {
        write(point("req", T0).intField("total", 10), point("req", T0 + 10 * SECOND).intField("total", 20),
                point("req", T0 + 20 * SECOND).intField("total", 5), point("req", T0 + 30 * SECOND).intField("total", 15));
        assertEquals(List.of(row(10 * SECOND, 1.0), row(20 * SECOND, -1.5), row(30 * SECOND, 1.0)),
                values("SELECT derivative(total) FROM req"));
        assertEquals(List.of(row(10 * SECOND, 1.0), row(30 * SECOND, 1.0)), values("SELECT non_negative_derivative(total) FROM req"));
        assertEquals(List.of(row(10 * SECOND, 10L), row(30 * SECOND, 10L)), values("SELECT non_negative_difference(total) FROM req"));
    }

    @Test
    void transformationsOverBucketsSkipEmptyBuckets() {
        String from = " FROM cpu WHERE host = 'a' AND " + RANGE + " GROUP BY time(1m)";
        assertEquals(List.of(row(MINUTE, 3.0), row(2 * MINUTE, 2.0), row(4 * MINUTE, 1.0)),
                values("SELECT derivative(mean(usage))" + from));
        assertEquals(List.of(row(MINUTE, 3.5), row(2 * MINUTE, 6.0), row(4 * MINUTE, 8.0)),
                values("SELECT moving_average(mean(usage), 2)" + from));
        assertEquals(List.of(row(MINUTE, 3.0), row(2 * MINUTE, 2.0), row(3 * MINUTE, 0.0), row(4 * MINUTE, 2.0)),
                values("SELECT difference(mean(usage))" + from + " fill(previous)"));
    }

    @Test
    void transformationsReadTheBucketBeforeTheRange() {
        // The bucket at 0s lies before the range but feeds the derivative at 1m, as in InfluxDB.
        assertEquals(List.of(row(MINUTE, 3.0), row(2 * MINUTE, 2.0)), values("SELECT derivative(mean(usage)) FROM cpu"
                + " WHERE host = 'a' AND time >= '2020-01-01T00:01:00Z' AND time < '2020-01-01T00:03:00Z' GROUP BY time(1m)"));
    }

    @Test
    void distinctModeStddevIntegral() {
        write(point("d", T0).intField("v", 2), point("d", T0 + SECOND).intField("v", 4), point("d", T0 + 2 * SECOND).intField("v", 4),
                point("d", T0 + 3 * SECOND).intField("v", 4), point("d", T0 + 4 * SECOND).intField("v", 5),
                point("d", T0 + 5 * SECOND).intField("v", 5), point("d", T0 + 6 * SECOND).intField("v", 7),
                point("d", T0 + 7 * SECOND).intField("v", 9));
        assertEquals(List.of(epochRow(0, 2L), epochRow(0, 4L), epochRow(0, 5L), epochRow(0, 7L), epochRow(0, 9L)),
                values("SELECT distinct(v) FROM d"));
        assertEquals(List.of(epochRow(0, 5L, 4L)), values("SELECT count(distinct(v)), mode(v) FROM d"));
        assertEquals(List.of(epochRow(0, Math.sqrt(32.0 / 7))), values("SELECT stddev(v) FROM d"));
        assertEquals(List.of(row(0, (Object) null)), values("SELECT stddev(v) FROM d WHERE time = '2020-01-01T00:00:00Z'"));
        assertEquals(List.of(epochRow(0, 1680.0)), values("SELECT integral(usage) FROM cpu WHERE host = 'a'"));
        assertEquals(List.of(epochRow(0, 28.0)), values("SELECT integral(usage, 1m) FROM cpu WHERE host = 'a'"));
    }

    @Test
    void integralByBucketInterpolatesAtBucketEdgesAsInfluxDb() {
        // 0-1m: 60 + (3+5)/2*30 = 180. 1m-2m: 5 at 60s to 19/3 (interpolated at 120s): 340.
        // 2m-3m: 200 + 217.5 up to 7.5 at 180s. 3m: no point. 4m: (7.5+9)/2*90 = 742.5.
        List<List<Object>> rows = values("SELECT integral(usage) FROM cpu WHERE host = 'a' AND " + RANGE + " GROUP BY time(1m)");
        Double[] expected = {180.0, 340.0, 417.5, null, 742.5};
        assertEquals(expected.length, rows.size());
        for (int i = 0; i < expected.length; i++) {
            assertEquals(T0 + i * MINUTE, rows.get(i).getFirst());
            if (expected[i] == null) {
                assertEquals(null, rows.get(i).get(1));
            } else {
                assertEquals(expected[i], (Double) rows.get(i).get(1), 1e-9);
            }
        }
    }

    @Test
    void wildcardAggregatesNameColumnsAfterFields() {
        ResultSeries series = one("SELECT count(*), mean(*) FROM cpu WHERE host = 'a'");
        assertEquals(List.of("time", "count_n", "count_usage", "mean_n", "mean_usage"), series.columns());
        assertEquals(List.of(epochRow(0, 5L, 5L, 3.0, 5.0)), series.values());
    }

    @Test
    void aggregatingAStringFieldIsAnError() {
        write(point("s", T0).stringField("text", "x"));
        assertEquals(List.of(epochRow(0, 1L)), values("SELECT count(text) FROM s"));
        assertTrue(error("SELECT mean(text) FROM s").startsWith("unsupported mean iterator type: string"));
    }
}
