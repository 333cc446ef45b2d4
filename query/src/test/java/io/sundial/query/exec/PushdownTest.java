package io.sundial.query.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.sundial.core.Point;
import io.sundial.query.QueryContext;
import io.sundial.query.QueryExecutor;
import io.sundial.query.QueryRegistry;
import io.sundial.query.result.ResultSeries;
import io.sundial.query.result.StatementResult;
import io.sundial.query.sundialql.Parser;
import io.sundial.storage.Databases;
import io.sundial.storage.Engine;
import io.sundial.storage.EngineOptions;
import io.sundial.storage.index.TagMatcher;
import io.sundial.storage.wal.FsyncPolicy;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Aggregation and predicate pushdown, early termination and parallel fetch give the answers the
 * plain decode path gives: every query runs against database "files" (data flushed into segment
 * files of 16-point chunks, then partly rewritten, deleted and extended in the memtable, so exact
 * and overlapped chunks mix) and against database "memory" (the same writes and deletes, never
 * flushed: no chunk has stats, everything is decoded), with one and with four fetch threads.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PushdownTest {
    static final long T0 = 1_577_836_800_000_000_000L;
    static final long SECOND = 1_000_000_000L;

    @TempDir
    static Path dir;
    private Databases databases;
    private QueryContext context;
    private final QueryExecutor executor = new QueryExecutor(new QueryRegistry());

    @BeforeAll
    void load() throws IOException {
        EngineOptions options = EngineOptions.defaults().withBackgroundCompaction(false).withChunkPointsMax(16)
                .withFsyncPolicy(new FsyncPolicy.Interval(Duration.ofMinutes(10)));
        databases = Databases.open(dir, options);
        Engine files = databases.create("files");
        Engine memory = databases.create("memory");
        List<Point> points = new ArrayList<>();
        for (int host = 0; host < 5; host++) {
            for (int i = 0; i < 720; i++) {
                // A walk with repeats and exact ties, so min/max ties and first/last matter.
                double usage = (i * 7 + host * 13) % 101 + (i % 3 == 0 ? 0.5 : 0.0);
                points.add(Point.builder("cpu").tag("host", "h" + host).tag("region", host < 2 ? "eu" : "us")
                        .floatField("usage", usage).intField("n", i - 300L * host).boolField("ok", i % 4 == 0)
                        .stringField("s", "v" + (i % 5)).timestamp(T0 + i * 10 * SECOND).build());
            }
        }
        for (int i = 0; i < 720; i++) {
            // Fields at different times: n lies between usage's points, so a row of n alone fails a usage condition.
            points.add(Point.builder("cpu").tag("host", "h5").tag("region", "us").floatField("usage", (i * 11) % 97)
                    .timestamp(T0 + i * 10 * SECOND).build());
            points.add(Point.builder("cpu").tag("host", "h5").tag("region", "us").intField("n", i)
                    .timestamp(T0 + i * 10 * SECOND + 5 * SECOND).build());
        }
        for (Engine engine : List.of(files, memory)) {
            engine.write(points);
        }
        files.flush();
        List<Point> later = new ArrayList<>();
        for (int i = 100; i < 140; i += 3) {
            later.add(Point.builder("cpu").tag("host", "h1").tag("region", "eu").floatField("usage", -i)
                    .timestamp(T0 + i * 10 * SECOND).build());
        }
        for (Engine engine : List.of(files, memory)) {
            engine.write(later);
        }
        files.flush();
        for (Engine engine : List.of(files, memory)) {
            engine.delete("cpu", List.of(TagMatcher.eq("host", "h2")), T0 + 2000 * SECOND, T0 + 2600 * SECOND);
            engine.write(List.of(Point.builder("cpu").tag("host", "h3").tag("region", "us").floatField("usage", 500)
                    .timestamp(T0 + 3000 * SECOND + 1).build()));
        }
        context = QueryContext.of(databases, "").withClock(InstantSource.fixed(Instant.ofEpochSecond(0, T0 + 7200 * SECOND)));
    }

    @AfterAll
    void close() throws IOException {
        databases.close();
    }

    static Stream<String> queries() {
        String range = " WHERE time >= '2020-01-01T00:00:00Z' AND time < '2020-01-01T02:00:00Z'";
        return Stream.of(
                "SELECT count(usage), sum(usage), mean(usage), min(usage), max(usage), first(usage), last(usage),"
                        + " spread(usage) FROM cpu" + range + " GROUP BY time(5m)",
                "SELECT count(usage), sum(usage), mean(usage), min(usage), max(usage) FROM cpu" + range
                        + " GROUP BY time(5m), host",
                "SELECT mean(usage), max(usage) FROM cpu" + range + " GROUP BY time(1h), region",
                "SELECT count(s), first(ok), last(ok), last(n), sum(n), min(n), max(n), spread(n) FROM cpu" + range
                        + " GROUP BY time(10m), host",
                "SELECT last(*) FROM cpu GROUP BY host",
                "SELECT first(usage), first(n) FROM cpu GROUP BY host",
                "SELECT last(usage), first(usage) FROM cpu",
                "SELECT max(usage) FROM cpu GROUP BY host",
                "SELECT min(usage), max(n) FROM cpu" + range + " GROUP BY host",
                "SELECT mean(usage) FROM cpu WHERE usage > 50 AND time >= '2020-01-01T00:00:00Z' AND"
                        + " time < '2020-01-01T02:00:00Z' GROUP BY time(5m)",
                "SELECT * FROM cpu WHERE usage > 95 AND host = 'h1'",
                "SELECT usage, n FROM cpu WHERE 10 > usage AND n >= 200",
                "SELECT * FROM cpu WHERE usage > 50 AND host = 'h5'",
                "SELECT n, s, usage FROM cpu WHERE usage > 40 AND usage < 70 AND time < '2020-01-01T01:30:00Z'",
                "SELECT * FROM cpu GROUP BY host ORDER BY time DESC LIMIT 1",
                "SELECT usage FROM cpu GROUP BY host ORDER BY time DESC LIMIT 20 OFFSET 3",
                "SELECT usage, s FROM cpu WHERE host = 'h2' LIMIT 25",
                "SELECT usage, s FROM cpu WHERE host = 'h3' ORDER BY time DESC LIMIT 2",
                "SELECT count(usage) FROM cpu WHERE host = 'h0' OR host = 'h3' GROUP BY time(30m)",
                "SELECT max(usage), count(usage) FROM cpu WHERE time < '2020-01-01T02:00:00Z' GROUP BY time(1m) LIMIT 5",
                "SELECT mean(usage) FROM cpu WHERE time < '2020-01-01T02:00:00Z' GROUP BY time(7m), host LIMIT 3 OFFSET 2",
                "SELECT sum(n), last(usage) FROM cpu WHERE time >= '2020-01-01T00:33:00Z' AND time < '2020-01-01T02:00:00Z'"
                        + " GROUP BY time(90s), region fill(0) LIMIT 4",
                "SELECT min(usage) FROM cpu WHERE host = 'h2' AND time >= '2020-01-01T00:30:00Z' AND"
                        + " time < '2020-01-01T02:00:00Z' GROUP BY time(2m) LIMIT 6");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("queries")
    void answersMatchTheDecodePathAtEveryThreadCount(String query) {
        List<ResultSeries> expected = series(query, "memory", 1);
        assertTrue(!expected.isEmpty(), "the query has an answer");
        for (int threads : new int[] {1, 4}) {
            List<ResultSeries> actual = series(query, "files", threads);
            assertSameAnswer(expected, actual, query + " with " + threads + " threads");
        }
        assertEquals(series(query, "files", 1), series(query, "files", 4), "identical at any thread count");
    }

    /**
     * The newest row per series (read from each field's newest point without listing chunks where
     * the snapshot allows, else from the chunk lists: h2 has a tombstone, s is a string field, h3's
     * newest point is in the memtable) is the first row of the whole answer in descending order.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("newestRowQueries")
    void theNewestRowIsTheFirstRowOfTheWholeDescendingAnswer(String query) {
        for (String database : List.of("files", "memory")) {
            List<ResultSeries> whole = series(query.replace(" LIMIT 1", ""), database, 1);
            List<ResultSeries> expected = new ArrayList<>();
            for (ResultSeries each : whole) {
                expected.add(new ResultSeries(each.name(), each.tags(), each.columns(), List.of(each.values().getFirst()),
                        each.partial()));
            }
            for (int threads : new int[] {1, 4}) {
                assertSameAnswer(expected, series(query, database, threads), query + " on " + database + " with "
                        + threads + " threads");
            }
        }
    }

    static Stream<String> newestRowQueries() {
        return Stream.of(
                "SELECT * FROM cpu GROUP BY host ORDER BY time DESC LIMIT 1",
                "SELECT usage, n, ok FROM cpu GROUP BY * ORDER BY time DESC LIMIT 1",
                "SELECT usage FROM cpu WHERE time < '2020-01-01T00:30:00Z' GROUP BY host ORDER BY time DESC LIMIT 1",
                "SELECT usage, n FROM cpu WHERE host = 'h3' ORDER BY time DESC LIMIT 1");
    }

    private List<ResultSeries> series(String query, String database, int threads) {
        QueryContext at = QueryContext.of(databases, database).withClock(context.clock()).withParallelism(threads);
        List<StatementResult> results = executor.execute(Parser.parseQuery(query), at);
        assertNull(results.getFirst().error(), query);
        return results.getFirst().series();
    }

    /** Equal, except that float sums and means may differ in their last bits (chunk sums add in another order). */
    static void assertSameAnswer(List<ResultSeries> expected, List<ResultSeries> actual, String where) {
        assertEquals(expected.size(), actual.size(), where + ": series");
        for (int s = 0; s < expected.size(); s++) {
            ResultSeries e = expected.get(s);
            ResultSeries a = actual.get(s);
            assertEquals(e.name(), a.name(), where);
            assertEquals(e.tags(), a.tags(), where);
            assertEquals(e.columns(), a.columns(), where);
            assertEquals(e.values().size(), a.values().size(), where + ": rows of " + e.tags());
            for (int r = 0; r < e.values().size(); r++) {
                List<Object> er = e.values().get(r);
                List<Object> ar = a.values().get(r);
                for (int c = 0; c < er.size(); c++) {
                    Object x = er.get(c);
                    Object y = ar.get(c);
                    if (x instanceof Double dx && y instanceof Double dy) {
                        if (Math.abs(dx - dy) > 1e-9 * Math.max(1, Math.abs(dx))) {
                            fail(where + ": row " + r + " column " + e.columns().get(c) + ": " + dx + " != " + dy);
                        }
                    } else {
                        assertEquals(x, y, where + ": row " + r + " column " + e.columns().get(c));
                    }
                }
            }
        }
    }
}
