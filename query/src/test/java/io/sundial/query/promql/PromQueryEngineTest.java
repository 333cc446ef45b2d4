package io.sundial.query.promql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.core.Point;
import io.sundial.query.QueryException;
import io.sundial.storage.Databases;
import io.sundial.storage.EngineOptions;
import io.sundial.storage.wal.FsyncPolicy;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The public engine over real storage, with hand-computed answers. */
class PromQueryEngineTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final long SECOND = 1000;
    private static final double STALE = Double.longBitsToDouble(0x7ff0000000000002L);

    @TempDir
    Path dir;
    private Databases databases;
    private PromQueryEngine engine;

    @BeforeEach
    void open() throws IOException {
        databases = Databases.open(dir, EngineOptions.defaults().withBackgroundCompaction(false)
                .withFsyncPolicy(new FsyncPolicy.Interval(Duration.ofMinutes(10))));
        engine = new PromQueryEngine(databases, Databases.DEFAULT);
    }

    @AfterEach
    void close() throws IOException {
        databases.close();
    }

    private void write(String metric, String[] tags, long[] timesMillis, double... values) throws IOException {
        List<Point> points = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            Point.Builder b = Point.builder(metric).timestamp(timesMillis[i] * 1_000_000L);
            for (int t = 0; t < tags.length; t += 2) {
                b.tag(tags[t], tags[t + 1]);
            }
            points.add(b.floatField("value", values[i]).build());
        }
        databases.get(Databases.DEFAULT).write(points);
    }

    private List<Sample> vector(String query, long timeMillis) {
        return assertInstanceOf(Value.Vector.class, engine.instant(query, timeMillis, TIMEOUT)).samples();
    }

    @Test
    void lookbackIncludesExactlyFiveMinutes() throws IOException {
        write("up", new String[] {"job", "a"}, new long[] {0}, 1);
        assertEquals(List.of(new Sample(Labels.of("__name__", "up", "job", "a"), 300 * SECOND, 1)), vector("up", 300 * SECOND));
        assertEquals(List.of(), vector("up", 300 * SECOND + 1));
        assertEquals(List.of(), vector("up", -1));
    }

    @Test
    void staleMarkerEndsTheSeriesAndIsSkippedInRanges() throws IOException {
        write("m", new String[0], new long[] {0, 10 * SECOND, 20 * SECOND}, 1, STALE, 3);
        assertEquals(List.of(), vector("m", 15 * SECOND));
        assertEquals(3.0, vector("m", 25 * SECOND).getFirst().value());
        assertEquals(2.0, vector("count_over_time(m[1m])", 30 * SECOND).getFirst().value());
    }

    @Test
    void rateExtrapolatesAsPrometheus() throws IOException {
        // Samples at 5s, 20s, 35s, 50s; range [0s, 60s]. Start gap 5s (< 1.1 * 15s) and end gap 10s
        // are extrapolated: 30 * (45 + 5 + 10) / 45 = 40 increase, / 60s = 0.6667 per second.
        write("c", new String[0], new long[] {5 * SECOND, 20 * SECOND, 35 * SECOND, 50 * SECOND}, 10, 20, 30, 40);
        assertEquals(40.0, vector("increase(c[1m])", 60 * SECOND).getFirst().value(), 1e-9);
        assertEquals(40.0 / 60, vector("rate(c[1m])", 60 * SECOND).getFirst().value(), 1e-9);
        assertEquals(40.0, vector("delta(c[1m])", 60 * SECOND).getFirst().value(), 1e-9);
        assertEquals(10.0 / 15, vector("irate(c[1m])", 60 * SECOND).getFirst().value(), 1e-9);
    }

    @Test
    void counterResetsAddThePreviousValue() throws IOException {
        // 0, 10, 2 (reset), 12 at 0/15/30/45s: increase is 10 + 2 + 10 = 22 over the sampled 45s; the
        // range [0s, 45s] ends on the last sample, starts on the first: no extrapolation.
        write("c", new String[0], new long[] {0, 15 * SECOND, 30 * SECOND, 45 * SECOND}, 0, 10, 2, 12);
        assertEquals(22.0, vector("increase(c[45s])", 45 * SECOND).getFirst().value(), 1e-9);
        assertEquals(1.0, vector("resets(c[45s])", 45 * SECOND).getFirst().value());
    }

    @Test
    void rangeQueryStepsAndSortsSeries() throws IOException {
        write("m", new String[] {"k", "b"}, new long[] {0, 60 * SECOND, 120 * SECOND}, 1, 2, 3);
        write("m", new String[] {"k", "a"}, new long[] {60 * SECOND}, 7);
        Value.Matrix result = engine.range("m", 0, 120 * SECOND, 60 * SECOND, TIMEOUT);
        assertEquals(2, result.series().size());
        Series a = result.series().get(0);
        assertEquals("a", a.labels().get("k"));
        assertEquals(List.of(60_000L, 120_000L), List.of(a.timestampsMillis()[0], a.timestampsMillis()[1]));
        Series b = result.series().get(1);
        assertEquals(3, b.size());
        assertEquals(3.0, b.values()[2]);
    }

    @Test
    void scalarRangeQueryIsOneSeriesWithoutLabels() {
        Value.Matrix result = engine.range("time() * 2", 0, 20 * SECOND, 10 * SECOND, TIMEOUT);
        assertEquals(1, result.series().size());
        assertEquals(Labels.EMPTY, result.series().getFirst().labels());
        assertEquals(40.0, result.series().getFirst().values()[2]);
    }

    @Test
    void aggregationByLabel() throws IOException {
        write("r", new String[] {"job", "x", "i", "1"}, new long[] {0}, 1);
        write("r", new String[] {"job", "x", "i", "2"}, new long[] {0}, 2);
        write("r", new String[] {"job", "y", "i", "3"}, new long[] {0}, 4);
        List<Sample> sums = vector("sum by (job) (r)", 0);
        assertEquals(List.of(new Sample(Labels.of("job", "x"), 0, 3), new Sample(Labels.of("job", "y"), 0, 4)), sums);
        assertEquals(7.0, vector("sum(r)", 0).getFirst().value());
        assertEquals(List.of(new Sample(Labels.of("__name__", "r", "job", "y", "i", "3"), 0, 4)), vector("topk(1, r)", 0));
    }

    @Test
    void metricNameRegexSpansMeasurements() throws IOException {
        write("a_total", new String[0], new long[] {0}, 1);
        write("b_total", new String[0], new long[] {0}, 2);
        write("c", new String[0], new long[] {0}, 3);
        assertEquals(3.0, vector("sum({__name__=~\".*_total\"})", 0).getFirst().value());
    }

    @Test
    void influxFieldsAreMetricsNamedMeasurementUnderscoreField() throws IOException {
        databases.get(Databases.DEFAULT).write(List.of(Point.builder("cpu").tag("host", "h1").timestamp(0)
                .floatField("usage_user", 12.5).intField("count", 3).build()));
        assertEquals(12.5, vector("cpu_usage_user", 0).getFirst().value());
        assertEquals(3.0, vector("cpu_count{host=\"h1\"}", 0).getFirst().value());
        assertEquals(List.of("cpu_count", "cpu_usage_user"), engine.labelValues("__name__", List.of(), 0, 0));
    }

    @Test
    void oneToOneMatchingWithDuplicatesFailsLikePrometheus() throws IOException {
        write("a", new String[] {"x", "1"}, new long[] {0}, 1);
        write("b", new String[] {"x", "1", "y", "1"}, new long[] {0}, 1);
        write("b", new String[] {"x", "1", "y", "2"}, new long[] {0}, 1);
        QueryException e = assertThrows(QueryException.class, () -> engine.instant("a + on(x) b", 0, TIMEOUT));
        assertTrue(e.getMessage().startsWith("found duplicate series for the match group {x=\"1\"} on the right hand-side"),
                e.getMessage());
        assertEquals(2, vector("a + on(x) group_right b", 0).size());
    }

    @Test
    void tooManySamplesIsRefused() throws IOException {
        long[] times = new long[100];
        double[] values = new double[100];
        for (int i = 0; i < 100; i++) {
            times[i] = i * SECOND;
            values[i] = i;
        }
        write("m", new String[0], times, values);
        PromQueryEngine limited = new PromQueryEngine(databases, Databases.DEFAULT, PromQueryEngine.Options.defaults().withSamplesMax(50));
        QueryException e = assertThrows(QueryException.class, () -> limited.instant("sum_over_time(m[2m])", 100 * SECOND, TIMEOUT));
        assertTrue(e.getMessage().startsWith("query processing would load too many samples into memory"), e.getMessage());
        assertEquals(4950.0, ((Value.Vector) engine.instant("sum_over_time(m[2m])", 100 * SECOND, TIMEOUT)).samples().getFirst().value());
    }

    /**
     * Enough series that they are read on several threads, each with points in a segment file and
     * in the memtable: the answer is what one thread computes, series in id order.
     */
    @Test
    void manySeriesAcrossFilesAndMemtableAreReadInFull() throws IOException {
        int seriesCount = 40;
        for (int s = 0; s < seriesCount; s++) {
            write("m", new String[] {"host", "h" + s, "group", "g" + s % 4}, new long[] {0, 10 * SECOND}, s, 2 * s);
        }
        databases.get(Databases.DEFAULT).flush();
        for (int s = 0; s < seriesCount; s++) {
            write("m", new String[] {"host", "h" + s, "group", "g" + s % 4}, new long[] {20 * SECOND}, 3 * s);
        }
        // count_over_time sees all three points of every series; sum by group of the last value: 3 * (sum of s in the group).
        List<Sample> counts = vector("count_over_time(m[1m])", 20 * SECOND);
        assertEquals(seriesCount, counts.size());
        counts.forEach(sample -> assertEquals(3.0, sample.value(), sample.labels().toString()));
        List<Sample> sums = vector("sum by (group) (m)", 20 * SECOND);
        assertEquals(List.of(3.0 * (0 + 4 + 8 + 12 + 16 + 20 + 24 + 28 + 32 + 36), 3.0 * (1 + 5 + 9 + 13 + 17 + 21 + 25 + 29 + 33 + 37),
                3.0 * (2 + 6 + 10 + 14 + 18 + 22 + 26 + 30 + 34 + 38), 3.0 * (3 + 7 + 11 + 15 + 19 + 23 + 27 + 31 + 35 + 39)),
                sums.stream().sorted(java.util.Comparator.comparing(Sample::labels)).map(Sample::value).toList());
        Value.Matrix range = engine.range("max(m)", 0, 20 * SECOND, 10 * SECOND, TIMEOUT);
        assertEquals(List.of(39.0, 78.0, 117.0), java.util.Arrays.stream(range.series().getFirst().values()).boxed().toList());
    }

    /**
     * A regex on the name over ten metrics of ten series, enough points together that helpers read
     * them (and an eleventh metric with no series the other matcher accepts): every series of every
     * metric is in the answer once and in full, and the samples limit counts them all.
     */
    @Test
    void theMetricsOfANameRegexAreReadTogether() throws IOException {
        int metricCount = 10;
        int hostCount = 10;
        int pointCount = 1200;
        long[] times = new long[pointCount];
        for (int i = 0; i < pointCount; i++) {
            times[i] = i * SECOND;
        }
        for (int m = 0; m < metricCount; m++) {
            for (int h = 0; h < hostCount; h++) {
                double[] values = new double[pointCount];
                java.util.Arrays.fill(values, 100 * m + h);
                write("m" + m, new String[] {"host", "h" + h}, times, values);
            }
        }
        write("m_other", new String[] {"host", "other"}, times, new double[pointCount]);
        long end = (pointCount - 1) * SECOND;
        String selector = "{__name__=~\"m.*\", host=~\"h.*\"}";
        List<Series> read = assertInstanceOf(Value.Matrix.class, engine.instant(selector + "[30m]", end, TIMEOUT)).series();
        assertEquals(metricCount * hostCount, read.size());
        read.forEach(series -> assertEquals(pointCount, series.size(), series.labels().toString()));
        List<Sample> maxima = vector("max by (host) (" + selector + ")", end);
        assertEquals(java.util.stream.IntStream.range(0, hostCount).mapToObj(h -> 100.0 * (metricCount - 1) + h).toList(),
                maxima.stream().sorted(java.util.Comparator.comparing(Sample::labels)).map(Sample::value).toList());
        long samples = (long) metricCount * hostCount * pointCount;
        PromQueryEngine limited = new PromQueryEngine(databases, Databases.DEFAULT,
                PromQueryEngine.Options.defaults().withSamplesMax(samples - 1));
        QueryException e = assertThrows(QueryException.class, () -> limited.instant(selector + "[30m]", end, TIMEOUT));
        assertTrue(e.getMessage().startsWith("query processing would load too many samples into memory"), e.getMessage());
        PromQueryEngine enough = new PromQueryEngine(databases, Databases.DEFAULT,
                PromQueryEngine.Options.defaults().withSamplesMax(samples));
        assertEquals(metricCount * hostCount,
                assertInstanceOf(Value.Matrix.class, enough.instant(selector + "[30m]", end, TIMEOUT)).series().size());
    }

    @Test
    void theSamplesLimitHoldsForSeriesReadInParallel() throws IOException {
        for (int s = 0; s < 40; s++) {
            write("m", new String[] {"host", "h" + s}, new long[] {0, SECOND, 2 * SECOND}, 1, 2, 3);
        }
        PromQueryEngine limited = new PromQueryEngine(databases, Databases.DEFAULT, PromQueryEngine.Options.defaults().withSamplesMax(119));
        QueryException e = assertThrows(QueryException.class, () -> limited.instant("sum(sum_over_time(m[1m]))", 2 * SECOND, TIMEOUT));
        assertTrue(e.getMessage().startsWith("query processing would load too many samples into memory"), e.getMessage());
        PromQueryEngine enough = new PromQueryEngine(databases, Databases.DEFAULT, PromQueryEngine.Options.defaults().withSamplesMax(120));
        assertEquals(240.0, ((Value.Vector) enough.instant("sum(sum_over_time(m[1m]))", 2 * SECOND, TIMEOUT)).samples().getFirst().value());
    }

    @Test
    void timeoutIsReported() throws IOException {
        write("m", new String[0], new long[] {0}, 1);
        assertThrows(PromTimeoutException.class, () -> engine.range("m", 0, 1000 * SECOND, SECOND, Duration.ofNanos(1)));
    }

    @Test
    void rangeQueryLimits() {
        assertThrows(QueryException.class, () -> engine.range("1", 10, 0, 1, TIMEOUT));
        assertThrows(QueryException.class, () -> engine.range("1", 0, 10, 0, TIMEOUT));
        QueryException e = assertThrows(QueryException.class, () -> engine.range("1", 0, 20_000, 1, TIMEOUT));
        assertTrue(e.getMessage().contains("exceeded maximum resolution of 11000 points"), e.getMessage());
        QueryException matrix = assertThrows(QueryException.class, () -> engine.range("m[5m]", 0, 10, 1, TIMEOUT));
        assertEquals("invalid expression type \"range vector\" for range query, must be Scalar or instant Vector", matrix.getMessage());
    }

    @Test
    void seriesAndLabelLookups() throws IOException {
        write("up", new String[] {"job", "api", "instance", "a"}, new long[] {10 * SECOND}, 1);
        write("up", new String[] {"job", "db", "instance", "b"}, new long[] {500 * SECOND}, 1);
        write("other", new String[] {"zone", "z1"}, new long[] {10 * SECOND}, 1);
        assertEquals(List.of(Labels.of("__name__", "up", "job", "api", "instance", "a")),
                engine.series(List.of("up"), 0, 100 * SECOND));
        assertEquals(2, engine.series(List.of("up", "other"), 0, 100 * SECOND).size());
        assertEquals(List.of("__name__", "instance", "job", "zone"), engine.labelNames(List.of(), 0, 1000 * SECOND));
        assertEquals(List.of("__name__", "instance", "job"), engine.labelNames(List.of("up"), 0, 1000 * SECOND));
        assertEquals(List.of("api", "db"), engine.labelValues("job", List.of(), 0, 1000 * SECOND));
        assertEquals(List.of("db"), engine.labelValues("job", List.of("up{instance=\"b\"}"), 0, 1000 * SECOND));
        assertThrows(QueryException.class, () -> engine.series(List.of("sum(up)"), 0, 1));
    }

    @Test
    void instantQueryOfRangeSelectorIsAMatrix() throws IOException {
        write("m", new String[0], new long[] {0, 30 * SECOND, 60 * SECOND}, 1, 2, 3);
        Value.Matrix m = assertInstanceOf(Value.Matrix.class, engine.instant("m[1m]", 60 * SECOND, TIMEOUT));
        assertEquals(3, m.series().getFirst().size());
        assertEquals(new Value.StringValue(5, "x"), engine.instant("\"x\"", 5, TIMEOUT));
        assertEquals(new Value.Scalar(5, 3), engine.instant("1 + 2", 5, TIMEOUT));
    }

    /**
     * Label sets are cached per engine by series id: a database dropped and created again numbers
     * its series from 0 again, so the same id must not bring back the old labels.
     */
    @Test
    void aRecreatedDatabaseDoesNotSeeTheOldLabels() throws IOException {
        write("up", new String[] {"job", "old"}, new long[] {0}, 1);
        assertEquals(Labels.of("__name__", "up", "job", "old"), vector("up", 0).getFirst().labels());
        databases.drop(Databases.DEFAULT);
        databases.create(Databases.DEFAULT);
        write("up", new String[] {"job", "new"}, new long[] {0}, 2);
        List<Sample> after = vector("up", 0);
        assertEquals(1, after.size());
        assertEquals(Labels.of("__name__", "up", "job", "new"), after.getFirst().labels());
        assertEquals(2.0, after.getFirst().value());
    }

    /** A second query over the same series answers from cached label sets, the same as the first. */
    @Test
    void repeatedQueriesAnswerTheSameLabels() throws IOException {
        write("cpu", new String[] {"host", "a", "region", "eu"}, new long[] {0}, 1);
        write("cpu", new String[] {"host", "b", "region", "us"}, new long[] {0}, 2);
        List<Sample> first = vector("sum by (region) (cpu)", 0);
        List<Sample> second = vector("sum by (region) (cpu)", 0);
        assertEquals(List.of(Labels.of("region", "eu"), Labels.of("region", "us")),
                first.stream().map(Sample::labels).sorted().toList());
        assertEquals(first.stream().map(Sample::labels).sorted().toList(), second.stream().map(Sample::labels).sorted().toList());
    }
}
