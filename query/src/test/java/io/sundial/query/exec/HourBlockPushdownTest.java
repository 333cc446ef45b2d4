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
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Aggregation from the hour blocks of long float chunks (the HOUR_BLOCKS encoding): database
 * "files" holds 26 hours of 10 s points per host in default-size chunks (8,192 points, each with
 * an hour-block table), partly overwritten and deleted after the flush; database "memory" holds
 * the same writes never flushed, so every point there is decoded. Answers must match at one and
 * at four fetch threads, whole hours must be answered without decoding, and a field condition
 * must skip the hours its block table proves false.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HourBlockPushdownTest {
    static final long T0 = 1_577_836_800_000_000_000L; // 2020-01-01T00:00:00Z
    static final long SECOND = 1_000_000_000L;
    static final int POINTS = 26 * 360;

    @TempDir
    static Path dir;
    private Databases databases;
    private final QueryExecutor executor = new QueryExecutor(new QueryRegistry());
    private InstantSource clock;

    @BeforeAll
    void load() throws IOException {
        EngineOptions options = EngineOptions.defaults().withBackgroundCompaction(false)
                .withFsyncPolicy(new FsyncPolicy.Interval(Duration.ofMinutes(10)));
        databases = Databases.open(dir, options);
        Engine files = databases.create("files");
        Engine memory = databases.create("memory");
        List<Point> points = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(7);
        for (int host = 0; host < 4; host++) {
            double usage = 50;
            for (int i = 0; i < POINTS; i++) {
                usage = Math.min(100, Math.max(0, usage + random.nextGaussian()));
                points.add(Point.builder("cpu").tag("host", "h" + host).tag("region", host < 2 ? "eu" : "us")
                        .floatField("usage", usage).intField("n", i).timestamp(T0 + i * 10 * SECOND).build());
            }
        }
        for (Engine engine : List.of(files, memory)) {
            engine.write(points);
        }
        files.flush();
        files.compact();
        // h1 rewritten over 07:00-07:30 in a newer file (its chunk overlaps: merged on read), h2 deleted 09:10-11:50.
        List<Point> later = new ArrayList<>();
        for (int i = 7 * 360; i < 7 * 360 + 180; i += 2) {
            later.add(Point.builder("cpu").tag("host", "h1").tag("region", "eu").floatField("usage", -i)
                    .timestamp(T0 + i * 10 * SECOND).build());
        }
        for (Engine engine : List.of(files, memory)) {
            engine.write(later);
            engine.delete("cpu", List.of(TagMatcher.eq("host", "h2")), T0 + 33_000 * SECOND, T0 + 42_600 * SECOND);
        }
        files.flush();
        clock = InstantSource.fixed(Instant.ofEpochSecond(0, T0 + 30 * 3600 * SECOND));
    }

    @AfterAll
    void close() throws IOException {
        databases.close();
    }

    static Stream<String> queries() {
        String aligned = " WHERE time >= '2020-01-01T05:00:00Z' AND time < '2020-01-01T17:00:00Z'";
        String unaligned = " WHERE time >= '2020-01-01T03:17:43Z' AND time < '2020-01-01T15:17:43Z'";
        return Stream.of(
                "SELECT mean(usage), max(usage) FROM cpu" + aligned + " GROUP BY time(1h), host",
                "SELECT count(usage), sum(usage), mean(usage), min(usage), max(usage), spread(usage), first(usage)"
                        + " FROM cpu" + unaligned + " GROUP BY time(1h), host",
                "SELECT mean(usage), min(usage) FROM cpu" + unaligned + " GROUP BY time(2h)",
                "SELECT max(usage), min(usage) FROM cpu" + unaligned + " GROUP BY time(1h), host",
                "SELECT max(usage) FROM cpu" + unaligned + " GROUP BY time(1h)",
                "SELECT min(usage) FROM cpu" + unaligned + " GROUP BY time(2h), host",
                "SELECT max(usage), max(n) FROM cpu" + unaligned + " GROUP BY time(30m), host",
                "SELECT max(usage) FROM cpu" + unaligned + " GROUP BY time(1h, 30m), region",
                "SELECT mean(usage), count(usage) FROM cpu" + unaligned + " GROUP BY time(20m), host",
                "SELECT sum(usage), max(usage) FROM cpu" + unaligned + " GROUP BY host",
                "SELECT first(usage), last(usage), mean(usage) FROM cpu" + unaligned + " GROUP BY time(1h)",
                "SELECT count(usage), spread(usage) FROM cpu GROUP BY time(1d), host",
                "SELECT max(usage), mean(n) FROM cpu WHERE host = 'h3' AND time >= '2020-01-01T23:59:59Z'"
                        + " GROUP BY time(1h)",
                "SELECT mean(usage) FROM cpu" + unaligned + " GROUP BY time(1h), host LIMIT 3",
                "SELECT * FROM cpu WHERE usage > 70 AND time >= '2020-01-01T03:17:43Z' AND time < '2020-01-01T15:17:43Z'",
                "SELECT usage, n FROM cpu WHERE usage < 30 AND n >= 100 GROUP BY host",
                "SELECT * FROM cpu WHERE usage >= 60 AND usage <= 65",
                "SELECT mean(usage), count(n) FROM cpu WHERE usage > 55 AND time >= '2020-01-01T03:17:43Z'"
                        + " AND time < '2020-01-01T15:17:43Z' GROUP BY time(1h), host");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("queries")
    void answersMatchTheDecodePathAtEveryThreadCount(String query) {
        List<ResultSeries> expected = series(query, "memory", 1);
        assertTrue(!expected.isEmpty(), "the query has an answer");
        for (int threads : new int[] {1, 4}) {
            PushdownTest.assertSameAnswer(expected, series(query, "files", threads), query + " with " + threads + " threads");
        }
    }

    /** 12 whole hours of h0 and h3 (neither rewritten nor deleted) come from the block tables: nothing is decoded. */
    @Test
    void wholeHoursAreNotDecoded() {
        String query = "SELECT mean(usage), max(usage) FROM cpu WHERE (host = 'h0' OR host = 'h3') AND"
                + " time >= '2020-01-01T05:00:00Z' AND time < '2020-01-01T17:00:00Z' GROUP BY time(1h), host";
        assertEquals(0, pointsDecoded(query));
        // 12 hours of one field of two hosts, each read once for both calls.
        assertEquals(2 * 12, counter(query, "hours from tables "));
    }

    /** The cut hours are decoded, the ten whole ones between them come from the tables. */
    @Test
    void hoursFromTablesCountOnlyWholeHours() {
        assertEquals(2 * 11, counter("SELECT mean(usage) FROM cpu WHERE (host = 'h0' OR host = 'h3')"
                + " AND time >= '2020-01-01T03:17:43Z' AND time < '2020-01-01T15:17:43Z' GROUP BY time(1h), host",
                "hours from tables "));
    }

    /**
     * A range from 03:17:43 to 15:17:43 cuts two hours: only their points inside the range are
     * decoded (03:17:50..03:59:50 is 253 points, 15:00:00..15:17:40 is 107), for each of two hosts.
     */
    @Test
    void onlyTheHoursTheRangeCutsAreDecoded() {
        assertEquals(2 * (253 + 107), pointsDecoded("SELECT mean(usage) FROM cpu WHERE (host = 'h0' OR host = 'h3')"
                + " AND time >= '2020-01-01T03:17:43Z' AND time < '2020-01-01T15:17:43Z' GROUP BY time(1h), host"));
    }

    /**
     * Read only by max, the hour the range start cuts (03:00..03:59:50) is answered by its table
     * entry when the points cut off (03:00:00..03:17:40, 107) do not hold the hour's max: then only
     * those 107 are decoded, not the 253 in range. Which case holds per host is worked out here
     * from the raw points of the hour.
     */
    @Test
    void maxOfAnHourCutAtItsStartComesFromTheTableWhenTheCutPointsMissIt() {
        long expectedDecoded = 0;
        long expectedHours = 0;
        for (String host : new String[] {"h0", "h3"}) {
            List<List<Object>> hour = series("SELECT usage FROM cpu WHERE host = '" + host + "' AND"
                    + " time >= '2020-01-01T03:00:00Z' AND time < '2020-01-01T04:00:00Z'", "memory", 1)
                    .getFirst().values();
            assertEquals(360, hour.size());
            double headMax = Double.NEGATIVE_INFINITY;
            double hourMax = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < hour.size(); i++) {
                double value = ((Number) hour.get(i).get(1)).doubleValue();
                hourMax = Math.max(hourMax, value);
                if (i < 107) {
                    headMax = Math.max(headMax, value);
                }
            }
            boolean fromTable = headMax < hourMax && hourMax != 0;
            expectedDecoded += 107 + (fromTable ? 0 : 253) + 107;
            expectedHours += 11 + (fromTable ? 1 : 0);
        }
        String query = "SELECT max(usage) FROM cpu WHERE (host = 'h0' OR host = 'h3')"
                + " AND time >= '2020-01-01T03:17:43Z' AND time < '2020-01-01T15:17:43Z' GROUP BY time(1h), host";
        assertEquals(expectedDecoded, pointsDecoded(query));
        assertEquals(expectedHours, counter(query, "hours from tables "));
    }

    /**
     * Each host is a group of one series, folded on the fetch thread that read it: its hourly means
     * must equal its raw points summed in time order per hour (worked out here from the raw rows),
     * over h1's rewritten hour and h2's deleted span too, and come as primitive columns.
     */
    @Test
    void meansOfOneSeriesGroupsEqualTheirRawPointsSummedInTimeOrder() {
        String range = " time >= '2020-01-01T03:17:43Z' AND time < '2020-01-01T15:17:43Z'";
        List<ResultSeries> answer = series("SELECT mean(usage) FROM cpu WHERE" + range + " GROUP BY time(1h), host",
                "files", 4);
        assertEquals(4, answer.size());
        for (ResultSeries group : answer) {
            String host = group.tags().get("host");
            List<List<Object>> raw = series("SELECT usage FROM cpu WHERE host = '" + host + "' AND" + range, "memory", 1)
                    .getFirst().values();
            java.util.TreeMap<Long, double[]> hours = new java.util.TreeMap<>();
            for (List<Object> row : raw) {
                long hour = Math.floorDiv((Long) row.getFirst(), 3600 * SECOND) * 3600 * SECOND;
                double[] sumAndCount = hours.computeIfAbsent(hour, h -> new double[2]);
                sumAndCount[0] += ((Number) row.get(1)).doubleValue();
                sumAndCount[1]++;
            }
            assertEquals(13, group.values().size(), host);
            assertTrue(group.values() instanceof io.sundial.query.result.ColumnarRows, host + " rows as columns");
            for (List<Object> row : group.values()) {
                double[] sumAndCount = hours.get((Long) row.getFirst());
                Object expected = sumAndCount == null ? null : sumAndCount[0] / sumAndCount[1];
                assertEquals(expected, row.get(1), host + " at " + row.getFirst());
            }
        }
    }

    /** Under ORDER BY time DESC the rows are reversed in place, so they stay boxed rows: the answer is the ascending one backwards. */
    @Test
    void descendingBucketsAreTheAscendingOnesBackwards() {
        String query = "SELECT mean(usage), max(usage) FROM cpu WHERE time >= '2020-01-01T03:17:43Z'"
                + " AND time < '2020-01-01T15:17:43Z' GROUP BY time(1h), host";
        List<ResultSeries> ascending = series(query, "files", 4);
        List<ResultSeries> descending = series(query + " ORDER BY time DESC", "files", 4);
        assertEquals(4, descending.size());
        java.util.Map<Object, List<List<Object>>> descendingByTags = new java.util.HashMap<>();
        for (ResultSeries group : descending) {
            descendingByTags.put(group.tags(), group.values());
        }
        for (ResultSeries group : ascending) {
            List<List<Object>> backwards = new ArrayList<>(group.values());
            java.util.Collections.reverse(backwards);
            assertEquals(backwards, descendingByTags.get(group.tags()), group.tags().toString());
        }
    }

    private long pointsDecoded(String query) {
        return counter(query, "points decoded ");
    }

    /** The number after {@code label} in the EXPLAIN ANALYZE line holding it. */
    private long counter(String query, String label) {
        List<ResultSeries> plan = series("EXPLAIN ANALYZE " + query, "files", 1);
        for (List<Object> line : plan.getFirst().values()) {
            String text = (String) line.getFirst();
            int at = text.indexOf(label);
            if (at >= 0) {
                return Long.parseLong(text.substring(at + label.length(), text.indexOf(',', at)));
            }
        }
        throw new AssertionError("no '" + label + "' in " + plan.getFirst().values());
    }

    private List<ResultSeries> series(String query, String database, int threads) {
        QueryContext at = QueryContext.of(databases, database).withClock(clock).withParallelism(threads);
        List<StatementResult> results = executor.execute(Parser.parseQuery(query), at);
        assertNull(results.getFirst().error(), query);
        return results.getFirst().series();
    }
}
