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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Planner tests through EXPLAIN: measurement "clean" holds one series of 320 points, one every
 * 10 s from T0 with value = index, flushed into one file as 20 chunks of 16 points (chunk k spans
 * [160k s, 160k + 150 s] and holds values 16k .. 16k + 15), so every count below is worked out by
 * hand from that layout.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExplainTest {
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
        Engine engine = databases.get(Databases.DEFAULT);
        List<Point> points = new ArrayList<>();
        for (int i = 0; i < 320; i++) {
            points.add(Point.builder("clean").tag("host", "a").floatField("v", i).timestamp(T0 + i * 10 * SECOND).build());
        }
        for (int host = 0; host < 4; host++) {
            points.add(Point.builder("cpu").tag("host", "h" + host).floatField("usage", host).timestamp(T0).build());
        }
        engine.write(points);
        engine.flush();
        context = QueryContext.of(databases, "").withClock(InstantSource.fixed(Instant.ofEpochSecond(0, T0 + 3600 * SECOND)));
    }

    @AfterAll
    void close() throws IOException {
        databases.close();
    }

    private List<String> plan(String query) {
        List<StatementResult> results = executor.execute(Parser.parseQuery(query), context);
        assertNull(results.getFirst().error(), query);
        ResultSeries series = results.getFirst().series().getFirst();
        assertEquals(List.of("QUERY PLAN"), series.columns());
        List<String> lines = new ArrayList<>();
        for (List<Object> row : series.values()) {
            lines.add((String) row.getFirst());
        }
        return lines;
    }

    private static String line(List<String> lines, String prefix) {
        for (String line : lines) {
            if (line.trim().startsWith(prefix)) {
                return line.trim();
            }
        }
        throw new AssertionError("no line starting with '" + prefix + "' in " + String.join("\n", lines));
    }

    static Stream<Arguments> chunkPlans() {
        String range = " WHERE time >= '2020-01-01T00:00:00Z' AND time < '2020-01-01T00:53:20Z'";
        return Stream.of(
                // The range holds all 20 chunks; without GROUP BY time each lies in the one bucket.
                Arguments.of("count over the range", "SELECT count(v) FROM clean" + range,
                        "to read: 0 chunks decoded, 20 answered from stats, 0 pruned by predicate, 0 skipped (early termination)"),
                // 320 s buckets hold chunks 2j and 2j+1 whole.
                Arguments.of("buckets of two chunks", "SELECT mean(v), max(v) FROM clean" + range + " GROUP BY time(320s)",
                        "to read: 0 chunks decoded, 20 answered from stats, 0 pruned by predicate, 0 skipped (early termination)"),
                // 100 s buckets are shorter than a chunk's 150 s span: every chunk straddles a boundary.
                Arguments.of("buckets shorter than chunks", "SELECT sum(v) FROM clean" + range + " GROUP BY time(100s)",
                        "to read: 20 chunks decoded, 0 answered from stats, 0 pruned by predicate, 0 skipped (early termination)"),
                // 5 m buckets: chunks 0 2 4 6 8 10 12 14 15 17 19 fit in one, the other 9 straddle.
                Arguments.of("five minute buckets", "SELECT min(v) FROM clean" + range + " GROUP BY time(5m)",
                        "to read: 9 chunks decoded, 11 answered from stats, 0 pruned by predicate, 0 skipped (early termination)"),
                // A range starting inside chunk 1 leaves chunks 0 and 1 out of the exact set (chunk 0 is outside).
                Arguments.of("range cuts a chunk", "SELECT count(v) FROM clean WHERE time >= '2020-01-01T00:03:00Z'"
                        + " AND time < '2020-01-01T00:53:20Z'",
                        "to read: 1 chunks decoded, 18 answered from stats, 0 pruned by predicate, 0 skipped (early termination)"),
                // v > 200: chunks 0..11 have max 16k + 15 <= 191 <= 200, so they are pruned.
                Arguments.of("predicate prunes by max", "SELECT v FROM clean WHERE v > 200",
                        "to read: 8 chunks decoded, 0 answered from stats, 12 pruned by predicate, 0 skipped (early termination)"),
                // The newest point per series comes from the last chunk's stats.
                Arguments.of("lastpoint", "SELECT * FROM clean GROUP BY host ORDER BY time DESC LIMIT 1",
                        "to read: 0 chunks decoded, 1 answered from stats, 0 pruned by predicate, 19 skipped (early termination)"),
                Arguments.of("LIMIT 20 reads two chunks", "SELECT v FROM clean LIMIT 20",
                        "to read: 2 chunks decoded, 0 answered from stats, 0 pruned by predicate, 18 skipped (early termination)"),
                Arguments.of("last() reads the newest chunk", "SELECT last(v) FROM clean",
                        "to read: 0 chunks decoded, 1 answered from stats, 0 pruned by predicate, 19 skipped (early termination)"),
                // LIMIT 3 over 320 s buckets reads chunks 0..5 (two per bucket), from stats; 14 skipped.
                Arguments.of("first buckets under LIMIT", "SELECT max(v) FROM clean WHERE time < '2020-01-01T01:00:00Z'"
                        + " GROUP BY time(320s) LIMIT 3",
                        "to read: 0 chunks decoded, 6 answered from stats, 0 pruned by predicate, 14 skipped (early termination)"),
                // max() alone reports its point's time, which stats do not keep: decode.
                Arguments.of("selector time needs decoding", "SELECT max(v) FROM clean",
                        "to read: 20 chunks decoded, 0 answered from stats, 0 pruned by predicate, 0 skipped (early termination)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("chunkPlans")
    void explainCountsTheChunksEachPlanReads(String name, String query, String expected) {
        List<String> lines = plan("EXPLAIN " + query);
        assertEquals(expected, line(lines, "to read:"), name);
        List<String> analyzed = plan("EXPLAIN ANALYZE " + query);
        assertEquals(expected.replace("to read:", "read:"), line(analyzed, "read:"), name + " (analyzed)");
    }

    @Test
    void explainShowsIndexLookupSourcesAndPushdowns() {
        List<String> lines = plan("EXPLAIN SELECT count(usage) FROM cpu WHERE host = 'h1' OR host = 'h2'");
        assertEquals("EXPLAIN SELECT count(usage) FROM cpu WHERE host = 'h1' OR host = 'h2'", lines.getFirst());
        assertEquals("SCAN cpu", line(lines, "SCAN"));
        assertEquals("index: (host = 'h1') OR (host = 'h2') -> 2 series", line(lines, "index:"));
        assertEquals("sources: 1 partitions, 1 files, 1 memtables, 0 tombstones", line(lines, "sources:"));
        assertEquals("chunks: 2 with exact stats, 0 overlapped (merged on read), 0 memtable columns", line(lines, "chunks:"));
        assertTrue(line(lines, "pushdown:").contains("aggregates from chunk stats"), lines.toString());
        assertTrue(lines.stream().noneMatch(l -> l.startsWith("RESULT")), "EXPLAIN does not run the query");
    }

    @Test
    void explainAnalyzeRunsTheQueryAndReportsRowsAndTime() {
        List<String> lines = plan("EXPLAIN ANALYZE SELECT v FROM clean WHERE v > 300");
        String result = line(lines, "RESULT");
        assertTrue(result.startsWith("RESULT rows 19, peak memory "), result); // v = 301 .. 319
        // Chunks 0..17 (max <= 287) are pruned; 18 and 19 (values 288 .. 319) are decoded.
        assertTrue(line(lines, "operator fetch:").startsWith("operator fetch: series 1, points decoded 32,"),
                lines.toString());
        assertEquals("pushdown: predicate v > 300 prunes chunks by min/max", line(lines, "pushdown:"));
    }

    @Test
    void explainOfAnUnknownMeasurementSaysNothingIsRead() {
        List<String> lines = plan("EXPLAIN SELECT count(x) FROM nothing");
        assertEquals("no measurement matches FROM (or the time range is empty): nothing is read", lines.get(1));
    }
}
