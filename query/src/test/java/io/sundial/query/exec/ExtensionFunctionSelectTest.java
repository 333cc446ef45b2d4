package io.sundial.query.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.query.QueryFixture;
import io.sundial.query.result.ResultSeries;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SundialQL's functions beyond InfluxQL, run end to end against hand-computed answers.
 *
 * <p>Data: counter {@code net.bytes} of host a at 0s 100, 20s 200, 40s 50 (a reset), 60s 150,
 * 80s 250, 200s 300, and of host b at 0s 0, 60s 60. Gauge {@code cpu.usage} of host a at 0s 1,
 * 30s 3, 60s 5, 150s 7, 270s 9. {@code pair.x} and {@code pair.y} at 0, 10, 20, 30 s: x 1 2 3 4,
 * y 2 4 5 9, and x alone (5) at 40s.
 */
class ExtensionFunctionSelectTest extends QueryFixture {
    private static final String RANGE = "time >= '2020-01-01T00:00:00Z' AND time < '2020-01-01T00:05:00Z'";

    @BeforeEach
    void data() {
        long[] seconds = {0, 20, 40, 60, 80, 200};
        double[] bytes = {100, 200, 50, 150, 250, 300};
        for (int i = 0; i < seconds.length; i++) {
            write(point("net", T0 + seconds[i] * SECOND).tag("host", "a").floatField("bytes", bytes[i]));
        }
        write(point("net", T0).tag("host", "b").floatField("bytes", 0),
                point("net", T0 + 60 * SECOND).tag("host", "b").floatField("bytes", 60));
        long[] usageSeconds = {0, 30, 60, 150, 270};
        for (int i = 0; i < usageSeconds.length; i++) {
            write(point("cpu", T0 + usageSeconds[i] * SECOND).tag("host", "a").floatField("usage", 2 * i + 1)
                    .stringField("state", i % 2 == 0 ? "up" : "down"));
        }
        double[] x = {1, 2, 3, 4};
        double[] y = {2, 4, 5, 9};
        for (int i = 0; i < x.length; i++) {
            write(point("pair", T0 + i * 10 * SECOND).floatField("x", x[i]).floatField("y", y[i]));
        }
        write(point("pair", T0 + 40 * SECOND).floatField("x", 5));
    }

    private List<List<Object>> values(String query) {
        return one(query).values();
    }

    @Test
    void rateSumsThePerSeriesRatesWithResets() {
        // a: +100, +50 (reset to 50), +100, +100, +50 = 400 over 200 s; b: 60 over 60 s.
        assertEquals(List.of(row(0, 3.0)), values("SELECT rate(bytes) FROM net WHERE " + RANGE));
        List<ResultSeries> perHost = series("SELECT rate(bytes, 1m) FROM net WHERE " + RANGE + " GROUP BY host");
        assertEquals(List.of(row(0, 120.0)), perHost.get(0).values());
        assertEquals(List.of(row(0, 60.0)), perHost.get(1).values());
        // irate: a 250 → 300 over 120 s, b 1/s.
        assertEquals(List.of(row(0, 50.0 / 120 + 1.0)), values("SELECT irate(bytes) FROM net WHERE " + RANGE));
    }

    @Test
    void rateByBucketIsNullWhereABucketHoldsOnePointAndFillsWhereItHoldsNone() {
        // [0, 1m): a 100, 200, 50 → 150 over 40 s; b has one point. [1m, 2m): a 100 over 20 s.
        // [3m, 4m): one point: null, not filled. [2m, 3m) and [4m, 5m): empty, filled.
        assertEquals(List.of(row(0, 3.75), row(MINUTE, 5.0), row(2 * MINUTE, -1.0), row(3 * MINUTE, (Object) null),
                row(4 * MINUTE, -1.0)), values("SELECT rate(bytes) FROM net WHERE " + RANGE + " GROUP BY time(1m) fill(-1)"));
        assertEquals(List.of(row(0, 3.75), row(MINUTE, 5.0), row(3 * MINUTE, (Object) null)),
                values("SELECT rate(bytes) FROM net WHERE " + RANGE + " GROUP BY time(1m) fill(none)"));
    }

    @Test
    void covarAndCorrPairPointsByTimestamp() {
        ResultSeries series = one("SELECT covar(x, y), corr(x, y), count(x) FROM pair WHERE " + RANGE);
        assertEquals(List.of("time", "covar", "corr", "count"), series.columns());
        List<Object> row = series.values().getFirst();
        assertEquals(11.0 / 3, (Double) row.get(1), 1e-12, "the unpaired x at 40s is left out");
        assertEquals(11 / Math.sqrt(130), (Double) row.get(2), 1e-12);
        assertEquals(5L, row.get(3));
        // [0, 20s): (1, 2), (2, 4): deviations ±0.5 and ±1, co-moment 1 over n - 1 = 1; [20s, 40s): (3, 5), (4, 9): 2.
        assertEquals(List.of(row(0, 1.0), row(20 * SECOND, 2.0)),
                values("SELECT covar(x, y) FROM pair WHERE " + RANGE + " GROUP BY time(20s) fill(none)"));
    }

    @Test
    void percentileApproxAndCountApproxDistinct() {
        // Five values 1 3 5 7 9 at ranks 0.5 .. 4.5: p 50 is rank 2.5, the middle value.
        assertEquals(List.of(row(0, 5.0, 2L)),
                values("SELECT percentile_approx(usage, 50), count_approx_distinct(state) FROM cpu WHERE " + RANGE));
        assertEquals(List.of(row(0, 9.0)), values("SELECT percentile_approx(usage, 100, 50) FROM cpu WHERE " + RANGE));
    }

    static Stream<Arguments> movingWindows() {
        return Stream.of(
                // [bucket end - 2m, bucket end): [-1m, 1m) 1 3; [0, 2m) 1 3 5; [1m, 3m) 5 7; [2m, 4m) 7; [3m, 5m) 9.
                Arguments.of("moving_mean under GROUP BY time", "SELECT moving_mean(usage, 2m) FROM cpu WHERE " + RANGE
                        + " GROUP BY time(1m)", Arrays.asList(2.0, 3.0, 6.0, 7.0, 9.0)),
                Arguments.of("a one-step window is the plain aggregate", "SELECT moving_sum(usage, 1m) FROM cpu WHERE "
                        + RANGE + " GROUP BY time(1m)", Arrays.asList(4.0, 5.0, 7.0, null, 9.0)),
                Arguments.of("moving_count counts 0 in an empty window", "SELECT moving_count(usage, 1m) FROM cpu WHERE "
                        + RANGE + " GROUP BY time(1m)", Arrays.asList(2L, 1L, 1L, 0L, 1L)),
                Arguments.of("moving_max", "SELECT moving_max(usage, 3m) FROM cpu WHERE " + RANGE + " GROUP BY time(1m)",
                        Arrays.asList(3.0, 5.0, 7.0, 7.0, 9.0)),
                // Without GROUP BY time, every is the step; the first window reaches 2m before the range.
                Arguments.of("step without GROUP BY time reads before the range",
                        "SELECT moving_sum(usage, 3m, 1m) FROM cpu WHERE time >= '2020-01-01T00:01:00Z'"
                        + " AND time < '2020-01-01T00:05:00Z'", Arrays.asList(9.0, 16.0, 12.0, 16.0)),
                Arguments.of("fill applies to windows without points",
                        "SELECT moving_min(usage, 1m, 1m) FROM cpu WHERE " + RANGE + " fill(previous)",
                        Arrays.asList(1.0, 5.0, 7.0, 7.0, 9.0)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("movingWindows")
    void movingWindowsOverHandComputedBuckets(String name, String query, List<Object> expected) {
        assertEquals(expected, values(query).stream().map(row -> row.get(1)).toList());
    }

    @Test
    void movingWindowsBesidePlainAggregatesDoNotShiftTheirBuckets() {
        assertEquals(List.of(row(MINUTE, 5.0, 9.0), row(2 * MINUTE, 7.0, 16.0), row(3 * MINUTE, null, 12.0),
                row(4 * MINUTE, 9.0, 16.0)), values("SELECT mean(usage), moving_sum(usage, 3m) FROM cpu WHERE"
                + " time >= '2020-01-01T00:01:00Z' AND time < '2020-01-01T00:05:00Z' GROUP BY time(1m)"));
    }

    static Stream<Arguments> errors() {
        return Stream.of(
                Arguments.of("SELECT moving_mean(usage, 5m) FROM cpu", "moving_mean() needs a step"),
                Arguments.of("SELECT moving_mean(usage, 90s) FROM cpu WHERE " + RANGE + " GROUP BY time(1m)",
                        "must be a whole number of steps"),
                Arguments.of("SELECT moving_mean(usage, 4m, 2m) FROM cpu WHERE " + RANGE + " GROUP BY time(1m)",
                        "must equal the GROUP BY time interval"),
                Arguments.of("SELECT moving_mean(usage, 5) FROM cpu", "window argument of moving_mean() must be a duration"),
                Arguments.of("SELECT moving_mean(usage, 100000m, 1s) FROM cpu", "the limit is 10000"),
                Arguments.of("SELECT percentile_approx(usage, 101) FROM cpu", "must be between 0 and 100"),
                Arguments.of("SELECT percentile_approx(usage, 50, 5) FROM cpu", "compression in percentile_approx()"
                        + " must be between 10 and 10000"),
                Arguments.of("SELECT percentile_approx(usage) FROM cpu", "invalid number of arguments for percentile_approx"),
                Arguments.of("SELECT corr(x) FROM pair", "invalid number of arguments for corr, expected 2, got 1"),
                Arguments.of("SELECT covar(x, 2) FROM pair", "expected two field arguments in covar(x, y)"),
                Arguments.of("SELECT rate(bytes, 5) FROM net", "unit argument of rate() must be a duration"),
                Arguments.of("SELECT rate(state) FROM cpu", "unsupported rate iterator type: string"),
                Arguments.of("SELECT rate(bytes), host FROM net", "mixing aggregate and non-aggregate queries"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void clearErrors(String query, String expected) {
        String error = error(query);
        assertTrue(error.contains(expected), error);
    }
}
