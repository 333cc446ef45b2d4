package io.sundial.query.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * GROUP BY time with LIMIT under ORDER BY time DESC reads only the last buckets of each group
 * (StatsPushdown.runLastBuckets): its rows are rows [OFFSET, OFFSET + LIMIT) of the whole
 * descending answer (read without LIMIT, every bucket aggregated), over data in files of 16-point
 * chunks across three days (partitions), partly overwritten in the memtable and cut by a
 * tombstone, with a host whose points end hours before the others (its last buckets are fill rows).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DescendingBucketsLimitTest {
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
        Engine engine = databases.create("db");
        List<Point> points = new ArrayList<>();
        for (int host = 0; host < 4; host++) {
            // Three days at one point a minute; host h3 stops after the first day.
            int minutes = host == 3 ? 1440 : 3 * 1440;
            for (int i = 0; i < minutes; i++) {
                points.add(Point.builder("cpu").tag("host", "h" + host).tag("region", host < 2 ? "eu" : "us")
                        .floatField("usage", (i * 7 + host * 13) % 101 + 0.25).intField("n", i % 17 - 8L)
                        .timestamp(T0 + i * 60 * SECOND).build());
            }
        }
        engine.write(points);
        engine.flush();
        List<Point> later = new ArrayList<>();
        for (int i = 3 * 1440 - 200; i < 3 * 1440; i += 7) {
            later.add(Point.builder("cpu").tag("host", "h1").tag("region", "eu").floatField("usage", -i)
                    .timestamp(T0 + i * 60 * SECOND).build());
        }
        engine.write(later);
        engine.delete("cpu", List.of(TagMatcher.eq("host", "h2")), T0 + (3 * 1440 - 30) * 60 * SECOND, T0 + 3 * 1440 * 60 * SECOND);
        context = QueryContext.of(databases, "db").withClock(InstantSource.fixed(Instant.ofEpochSecond(0, T0 + 4 * 86_400 * SECOND)));
    }

    @AfterAll
    void close() throws IOException {
        databases.close();
    }

    static Stream<String> queries() {
        String end = "'2020-01-03T23:50:00Z'";
        return Stream.of(
                "SELECT max(usage), count(usage) FROM cpu WHERE time < " + end + " GROUP BY time(1m) ORDER BY time DESC LIMIT 5",
                "SELECT mean(usage) FROM cpu WHERE time >= '2020-01-02T00:00:00Z' AND time < " + end
                        + " GROUP BY time(7m), host ORDER BY time DESC LIMIT 3 OFFSET 2",
                "SELECT sum(n), last(usage) FROM cpu WHERE time < " + end + " GROUP BY time(90s), region fill(0)"
                        + " ORDER BY time DESC LIMIT 4",
                "SELECT count(usage), min(n) FROM cpu WHERE time < '2020-01-04T00:00:00Z' GROUP BY time(10m), host"
                        + " ORDER BY time DESC LIMIT 3",
                "SELECT first(usage) FROM cpu WHERE time < '2020-01-03T00:00:00Z' GROUP BY time(1h) ORDER BY time DESC LIMIT 30");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("queries")
    void rowsAreThePageOfTheWholeDescendingAnswer(String query) {
        Matcher page = Pattern.compile(" LIMIT (\\d+)(?: OFFSET (\\d+))?$").matcher(query);
        assertTrue(page.find());
        int limit = Integer.parseInt(page.group(1));
        int offset = page.group(2) == null ? 0 : Integer.parseInt(page.group(2));
        List<ResultSeries> whole = series(query.substring(0, page.start()));
        List<ResultSeries> expected = new ArrayList<>();
        for (ResultSeries each : whole) {
            List<List<Object>> rows = each.values();
            expected.add(new ResultSeries(each.name(), each.tags(), each.columns(),
                    rows.subList(Math.min(offset, rows.size()), Math.min(rows.size(), offset + limit)), each.partial()));
        }
        PushdownTest.assertSameAnswer(expected, series(query), query);
    }

    /** Chunks decoded or answered from stats, and chunks skipped, of an EXPLAIN ANALYZE. */
    private long[] counters(String query) {
        StringBuilder plan = new StringBuilder();
        for (List<Object> row : series("EXPLAIN ANALYZE " + query).getFirst().values()) {
            plan.append(row.getLast()).append('\n');
        }
        Matcher matcher = Pattern.compile("read: (\\d+) chunks decoded, (\\d+) answered from stats, \\d+ pruned by predicate,"
                + " (\\d+) skipped").matcher(plan);
        assertTrue(matcher.find(), plan::toString);
        return new long[] {Long.parseLong(matcher.group(1)) + Long.parseLong(matcher.group(2)), Long.parseLong(matcher.group(3))};
    }

    @Test
    void onlyTheLastBucketsChunksAreRead() {
        String query = "SELECT max(usage) FROM cpu WHERE time < '2020-01-03T23:50:00Z' GROUP BY time(1m)";
        long[] whole = counters(query + " ORDER BY time DESC");
        long[] limited = counters(query + " ORDER BY time DESC LIMIT 5");
        // 3 hosts x 270 chunks of 16 minutes + h3's 90. With LIMIT: the chunks of the last 5 minutes,
        // h1's memtable overwrites and the chunks overlapping them (13), h2's chunks the tombstone cuts,
        // and h3's newest chunk (its group keeps its fill rows).
        assertTrue(whole[0] > 800, "without LIMIT every chunk is read: " + whole[0]);
        assertTrue(limited[0] * 10 < whole[0], "LIMIT 5 reads the chunks of the last buckets: " + limited[0]);
        assertTrue(limited[1] >= whole[0] - limited[0] - 4, "the older chunks are skipped: " + limited[1]);
    }

    private List<ResultSeries> series(String query) {
        List<StatementResult> results = executor.execute(Parser.parseQuery(query), context);
        assertNull(results.getFirst().error(), query);
        return results.getFirst().series();
    }
}
