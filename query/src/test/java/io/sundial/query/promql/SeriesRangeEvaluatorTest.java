package io.sundial.query.promql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sundial.core.Point;
import io.sundial.storage.Databases;
import io.sundial.storage.EngineOptions;
import io.sundial.storage.wal.FsyncPolicy;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The series-at-a-time range evaluation must answer exactly as the step-by-step one (the
 * Prometheus semantics the conformance files check): same series, same step times, same
 * float bits. Random data with gaps, stale markers, counter resets and duplicate label sets.
 */
class SeriesRangeEvaluatorTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final long STALE_BITS = 0x7ff0000000000002L;
    private static final List<String> QUERIES = List.of(
            "m_counter",
            "m_gauge{host=~\"h[0-3]\"}",
            "m_gauge offset 2m",
            "m_gauge @ 600",
            "rate(m_counter[5m])",
            "rate(m_counter[1m] offset 3m)",
            "increase(m_counter{region=\"r1\"}[2m])",
            "delta(m_gauge[3m])",
            "irate(m_counter[5m])",
            "idelta(m_gauge[90s])",
            "deriv(m_gauge[5m])",
            "predict_linear(m_gauge[5m], 600)",
            "resets(m_counter[10m])",
            "changes(m_gauge[10m])",
            "avg_over_time(m_gauge[4m])",
            "sum_over_time(m_gauge[4m])",
            "count_over_time(m_gauge[4m] @ 1200)",
            "min_over_time(m_gauge[4m])",
            "max_over_time(m_gauge[4m])",
            "last_over_time(m_gauge[4m])",
            "present_over_time(m_gauge[4m])",
            "stddev_over_time(m_gauge[4m])",
            "stdvar_over_time(m_gauge[4m])",
            "quantile_over_time(0.9, m_gauge[4m])",
            "holt_winters(m_gauge[10m], 0.5, 0.3)",
            "rate({__name__=~\"m_.*\"}[5m])",
            "sum(rate(m_counter[5m]))",
            "sum by (region) (rate(m_counter[5m]))",
            "avg by (region) (m_gauge)",
            "max by (host) ({__name__=~\"m_.*\"})",
            "min without (host) (m_gauge)",
            "count by (region) (m_gauge)",
            "group by (region) (m_gauge)",
            "stddev by (region) (m_gauge)",
            "stdvar without (region, host) (irate(m_counter[5m]))",
            "sum by (host) (last_over_time({__name__=~\"m_.*\"}[5m]))",
            "sum(rate(m_gauge[30s]))");

    @TempDir
    Path dir;
    private Databases databases;

    @BeforeEach
    void open() throws IOException {
        databases = Databases.open(dir, EngineOptions.defaults().withBackgroundCompaction(false)
                .withFsyncPolicy(new FsyncPolicy.Interval(Duration.ofMinutes(10))));
    }

    @AfterEach
    void close() throws IOException {
        databases.close();
    }

    @Test
    void answersAsStepByStepEvaluation() throws IOException {
        long seed = System.nanoTime();
        System.out.println("SeriesRangeEvaluatorTest seed=" + seed);
        Random random = new Random(seed);
        writeRandomData(random);
        PromQueryEngine fast = new PromQueryEngine(databases, Databases.DEFAULT, PromQueryEngine.Options.defaults(), true);
        PromQueryEngine stepwise = new PromQueryEngine(databases, Databases.DEFAULT, PromQueryEngine.Options.defaults(), false);
        for (String query : QUERIES) {
            for (int round = 0; round < 3; round++) {
                long start = random.nextLong(-600_000, 1_800_000);
                long end = start + random.nextLong(0, 2_400_000);
                long step = 1 + random.nextLong(round == 0 ? 1_000 : 120_000);
                String where = query + " start=" + start + " end=" + end + " step=" + step + " (seed " + seed + ")";
                assertEquals(answer(stepwise, query, start, end, step), answer(fast, query, start, end, step), where);
            }
        }
    }

    static List<Object[]> shapes() {
        return List.of(new Object[] {"rate(m_counter[5m])", true}, new Object[] {"max by (host) (m_gauge)", true},
                new Object[] {"m_gauge", true}, new Object[] {"sum(rate(m_other[5m]))", false},
                new Object[] {"m_gauge * 2", false}, new Object[] {"topk(1, m_gauge)", false},
                new Object[] {"rate(m_counter[5m:1m])", false}, new Object[] {"sum(sum by (host) (m_gauge))", false});
    }

    /** The fast path is taken for the shapes it claims, so the comparison above tests it. */
    @Test
    void handlesItsShapesAndDeclinesTheRest() throws IOException {
        writeRandomData(new Random(1));
        for (Object[] shape : shapes()) {
            String query = (String) shape[0];
            Expr expr = Parser.parse(query);
            SampleBudget budget = new SampleBudget(1_000_000, System.nanoTime() + TIMEOUT.toNanos());
            Evaluator evaluator = new Evaluator(new MetricStore(databases.get(Databases.DEFAULT)), 0, 600_000, 300_000, 60_000, budget);
            evaluator.preload(expr);
            boolean isHandled = SeriesRangeEvaluator.evaluate(evaluator, expr, 0, 600_000, 60_000) != null;
            assertEquals(shape[1], isHandled, query);
        }
    }

    /** The matrix, or the error's message: both paths must fail alike too. */
    private static Object answer(PromQueryEngine engine, String query, long start, long end, long step) {
        try {
            return engine.range(query, start, end, step, TIMEOUT);
        } catch (RuntimeException e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    /** Two metrics over 8 hosts in 2 regions, irregular 5-40 s intervals, stale markers, counter resets. */
    private void writeRandomData(Random random) throws IOException {
        List<Point> points = new ArrayList<>();
        for (String metric : List.of("m_counter", "m_gauge")) {
            for (int host = 0; host < 8; host++) {
                double counter = 0;
                for (long t = random.nextLong(0, 60_000); t < 2_400_000; t += random.nextLong(5_000, 40_000)) {
                    double value;
                    if (random.nextInt(30) == 0) {
                        value = Double.longBitsToDouble(STALE_BITS);
                    } else if (metric.equals("m_counter")) {
                        counter = random.nextInt(40) == 0 ? 0 : counter + random.nextInt(100);
                        value = counter;
                    } else {
                        value = random.nextInt(10) == 0 ? random.nextInt(3) : random.nextGaussian() * 50;
                    }
                    points.add(Point.builder(metric).tag("host", "h" + host).tag("region", "r" + host % 2)
                            .floatField("value", value).timestamp(t * 1_000_000L).build());
                }
            }
        }
        // Metric m_other twice for host h0 (measurement m_other field value, measurement m field
        // other): selectors over it see duplicate label sets, which only the step-wise path handles.
        for (long t = 0; t < 2_400_000; t += 30_000) {
            points.add(Point.builder("m_other").tag("host", "h0").floatField("value", t).timestamp(t * 1_000_000L).build());
            points.add(Point.builder("m").tag("host", "h0").floatField("other", -t).timestamp(t * 1_000_000L).build());
        }
        databases.get(Databases.DEFAULT).write(points);
    }
}
