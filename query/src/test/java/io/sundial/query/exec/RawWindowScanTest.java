package io.sundial.query.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.core.Point;
import io.sundial.query.QueryContext;
import io.sundial.query.QueryExecutor;
import io.sundial.query.QueryRegistry;
import io.sundial.query.result.AnswerCollector;
import io.sundial.query.result.AnswerSink;
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
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Raw rows of a group of several series read window by window ({@link RawWindowScan}) come in the
 * order of one merge over the whole group, with the same values: checked against an answer worked
 * out from the written points (last write wins per series, field and time; rows ordered by time,
 * then by host, the only tag), over random series whose points share timestamps, repeat times,
 * leave gaps and lie partly in files of 16-point chunks, partly in overlapping files and partly in
 * the memtable. A small memory limit makes the windows small (1,024 points), the default one window.
 */
class RawWindowScanTest {
    static final long T0 = 1_577_836_800_000_000_000L;
    static final long SECOND = 1_000_000_000L;
    /** Memory limit whose window is 1,024 points: several windows per group. */
    static final long SMALL_MEMORY_BYTES = 256L << 10;

    @TempDir
    Path dir;
    private Databases databases;
    private final QueryExecutor executor = new QueryExecutor(new QueryRegistry());

    @AfterEach
    void close() throws IOException {
        if (databases != null) {
            databases.close();
        }
    }

    private Engine open() throws IOException {
        return open(16);
    }

    private Engine open(int chunkPointsMax) throws IOException {
        EngineOptions options = EngineOptions.defaults().withBackgroundCompaction(false).withChunkPointsMax(chunkPointsMax)
                .withFsyncPolicy(new FsyncPolicy.Interval(Duration.ofMinutes(10)));
        databases = Databases.open(dir, options);
        return databases.create("db");
    }

    private QueryContext context(long memoryBytesMax) {
        return QueryContext.of(databases, "db").withClock(InstantSource.fixed(Instant.ofEpochSecond(0, T0 + 86_400 * SECOND)))
                .withMemoryBytesMax(memoryBytesMax).withRowsMax(Integer.MAX_VALUE);
    }

    /** What the test wrote: per host, per time, the last written value and n (null when never written). */
    private final Map<String, TreeMap<Long, Object[]>> written = new TreeMap<>();

    private void write(Engine engine, List<Point> points) throws IOException {
        engine.write(points);
        for (Point point : points) {
            Object[] cells = written.computeIfAbsent(point.tag("host"), host -> new TreeMap<>())
                    .computeIfAbsent(point.timestampNanos(), time -> new Object[2]);
            for (int i = 0; i < point.fieldCount(); i++) {
                if (point.fieldName(i).equals("value")) {
                    cells[0] = point.doubleValue(i);
                } else {
                    cells[1] = point.longValue(i);
                }
            }
        }
    }

    /** Random series: {@code hosts} hosts, region by host parity, points at random seconds of [0, 400). */
    private void writeRandom(Engine engine, long seed) throws IOException {
        Random random = new Random(seed);
        int hosts = 2 + random.nextInt(5);
        for (int batch = 0; batch < 3; batch++) {
            List<Point> points = new ArrayList<>();
            for (int host = 0; host < hosts; host++) {
                int count = 20 + random.nextInt(120);
                for (int i = 0; i < count; i++) {
                    long second = random.nextInt(400);
                    Point.Builder point = Point.builder("m").tag("host", "h" + host).tag("region", host % 2 == 0 ? "a" : "b")
                            .floatField("value", Math.round(random.nextDouble() * 1000) / 10.0)
                            .timestamp(T0 + second * SECOND);
                    if (random.nextInt(3) > 0) {
                        point.intField("n", random.nextInt(100) - 50L);
                    }
                    points.add(point.build());
                }
            }
            write(engine, points);
            if (batch < 2) {
                engine.flush(); // the second file overlaps the first; the third batch stays in the memtable
            }
        }
    }

    /** The rows the query's rules give: rows of the hosts {@code group} keeps, filtered, by time then host. */
    private List<List<Object>> expected(java.util.function.Predicate<String> group, java.util.function.Predicate<Object[]> filter,
            boolean isDescending, long offset, long limit) {
        List<Object[]> rows = new ArrayList<>();
        written.forEach((host, byTime) -> {
            if (group.test(host)) {
                byTime.forEach((time, cells) -> {
                    if (filter.test(cells)) {
                        rows.add(new Object[] {time, host, cells[0], cells[1]});
                    }
                });
            }
        });
        Comparator<Object[]> order = Comparator.<Object[]>comparingLong(row -> (Long) row[0])
                .thenComparing(row -> (String) row[1]);
        rows.sort(isDescending ? order.reversed() : order);
        List<List<Object>> out = new ArrayList<>();
        for (Object[] row : rows.subList((int) Math.min(offset, rows.size()), (int) Math.min(rows.size(), offset + limit))) {
            out.add(Arrays.asList(row[0], row[1], row[2], row[3]));
        }
        return out;
    }

    static Stream<Arguments> seeds() {
        long base = 20261123L;
        return LongStream.range(0, 12).mapToObj(i -> Arguments.of(base + i));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void windowedMergeEqualsTheRowsWorkedOutFromThePoints(long seed) throws IOException {
        System.out.println("RawWindowScanTest seed " + seed);
        Engine engine = open();
        writeRandom(engine, seed);
        for (long memory : new long[] {SMALL_MEMORY_BYTES, 64L << 20}) {
            String where = "seed " + seed + ", memory " + memory + ": ";
            assertEquals(expected(host -> true, cells -> true, false, 0, Long.MAX_VALUE),
                    rows("SELECT host, value, n FROM m", memory), where + "ascending");
            assertEquals(expected(host -> true, cells -> true, true, 0, Long.MAX_VALUE),
                    rows("SELECT host, value, n FROM m ORDER BY time DESC", memory), where + "descending");
            assertEquals(expected(host -> true, cells -> (Double) cells[0] > 50, false, 7, 90),
                    rows("SELECT host, value, n FROM m WHERE value > 50 LIMIT 90 OFFSET 7", memory), where + "predicate page");
            assertEquals(expected(host -> true, cells -> cells[1] != null && (Long) cells[1] < 0, true, 30, 40),
                    rows("SELECT host, value, n FROM m WHERE n < 0 ORDER BY time DESC LIMIT 40 OFFSET 30", memory),
                    where + "descending predicate page");
            List<ResultSeries> grouped = series("SELECT host, value, n FROM m GROUP BY region", memory);
            assertEquals(2, grouped.size(), where + "two regions");
            assertEquals(expected(host -> Integer.parseInt(host.substring(1)) % 2 == 0, cells -> true, false, 0, Long.MAX_VALUE),
                    grouped.getFirst().values(), where + "region a");
            assertEquals(expected(host -> Integer.parseInt(host.substring(1)) % 2 == 1, cells -> true, false, 0, Long.MAX_VALUE),
                    grouped.getLast().values(), where + "region b");
        }
    }

    private List<List<Object>> rows(String query, long memoryBytesMax) {
        List<ResultSeries> series = series(query, memoryBytesMax);
        assertTrue(series.size() <= 1, query);
        List<List<Object>> rows = new ArrayList<>();
        if (series.isEmpty()) {
            return rows;
        }
        for (List<Object> row : series.getFirst().values()) {
            rows.add(new ArrayList<>(row));
        }
        return rows;
    }

    private List<ResultSeries> series(String query, long memoryBytesMax) {
        List<StatementResult> results = executor.execute(Parser.parseQuery(query), context(memoryBytesMax));
        assertNull(results.getFirst().error(), query);
        return results.getFirst().series();
    }

    /** {@code hosts} series of {@code points} points 1 s apart, flushed into files of 16-point chunks. */
    private void writeFiles(Engine engine, int hosts, int points) throws IOException {
        List<Point> batch = new ArrayList<>();
        for (int host = 0; host < hosts; host++) {
            for (int p = 0; p < points; p++) {
                batch.add(Point.builder("m").tag("host", String.format("h%03d", host)).floatField("value", host * 1000.0 + p)
                        .timestamp(T0 + p * SECOND).build());
            }
        }
        write(engine, batch);
        engine.flush();
    }

    /**
     * Held whole, the 40,000 rows of one group need 48 bytes each (1.9 MB) of a 1 MiB limit; read
     * window by window, the group streams its rows in time order, and the first pieces reach the
     * sink before the last window is read (the sink sees the budget still holding a window).
     */
    @Test
    void aGroupOfSeveralSeriesStreamsUnderAMemoryLimitItsRowsWouldExceed() throws IOException {
        Engine engine = open();
        writeFiles(engine, 40, 1000);
        long memory = 1L << 20;
        assertTrue(40_000L * SeriesScan.RETAINED_POINT_BYTES > memory, "the rows alone exceed the limit");
        long[] seen = new long[3];
        long[] lastTime = {Long.MIN_VALUE};
        String[] error = new String[1];
        executor.execute(Parser.parseQuery("SELECT value FROM m"), context(memory), new AnswerSink() {
            @Override
            public void series(int statementId, ResultSeries piece, boolean continues) {
                for (List<Object> row : piece.values()) {
                    long time = (Long) row.getFirst();
                    assertTrue(time >= lastTime[0], "rows in time order across pieces");
                    lastTime[0] = time;
                }
                seen[0] += piece.values().size();
                seen[1]++;
                seen[2] += continues ? 0 : 1;
            }

            @Override
            public void end(int statementId, String failure) {
                error[0] = failure;
            }
        });
        assertNull(error[0]);
        assertEquals(40_000, seen[0]);
        assertTrue(seen[1] > 1, "several pieces");
        assertEquals(1, seen[2], "one series, ended once");
        List<StatementResult> held = executor.execute(Parser.parseQuery("SELECT value FROM m ORDER BY value"), context(memory));
        assertTrue(held.getFirst().isError() && held.getFirst().error().startsWith("query memory limit exceeded"),
                () -> "held answer: " + held.getFirst().error());
    }

    private static final Pattern READ = Pattern.compile("read: (\\d+) chunks decoded, \\d+ answered from stats, \\d+ pruned by"
            + " predicate, (\\d+) skipped");

    /** Chunks decoded and chunks skipped of an EXPLAIN ANALYZE. */
    private long[] readCounters(String query, long memoryBytesMax) {
        StringBuilder plan = new StringBuilder();
        for (List<Object> row : series("EXPLAIN ANALYZE " + query, memoryBytesMax).getFirst().values()) {
            plan.append(row.getLast()).append('\n');
        }
        Matcher matcher = READ.matcher(plan);
        assertTrue(matcher.find(), plan::toString);
        assertTrue(plan.toString().contains("streaming merge"), plan::toString);
        return new long[] {Long.parseLong(matcher.group(1)), Long.parseLong(matcher.group(2))};
    }

    /**
     * LIMIT under a field condition (no per-series LIMIT read applies) stops the walk after the
     * first windows: of 10 series × 63 chunks (1,000 points each in 16-point chunks) far fewer are
     * decoded than without LIMIT, and the rest are counted as skipped; backwards alike.
     */
    @Test
    void limitStopsTheWindowWalkEarly() throws IOException {
        Engine engine = open();
        writeFiles(engine, 10, 1000);
        long[] whole = readCounters("SELECT value FROM m", SMALL_MEMORY_BYTES);
        assertEquals(10 * 63, whole[0], "every chunk decoded without LIMIT");
        assertEquals(0, whole[1]);
        for (String order : List.of("", " ORDER BY time DESC")) {
            long[] limited = readCounters("SELECT value FROM m WHERE value >= 0" + order + " LIMIT 5", SMALL_MEMORY_BYTES);
            assertTrue(limited[0] <= 10 * 10, "LIMIT 5 decodes the first window only:" + order + " " + limited[0]);
            assertEquals(10 * 63 - limited[0], limited[1], "the rest skipped" + order);
        }
        // The answer is the first rows of the whole merge.
        List<List<Object>> first = rows("SELECT host, value FROM m WHERE value >= 0 LIMIT 5", SMALL_MEMORY_BYTES);
        assertEquals(List.of(Arrays.asList(T0, "h000", 0.0), Arrays.asList(T0, "h001", 1000.0),
                Arrays.asList(T0, "h002", 2000.0), Arrays.asList(T0, "h003", 3000.0), Arrays.asList(T0, "h004", 4000.0)), first);
        List<List<Object>> last = rows("SELECT host, value FROM m WHERE value >= 0 ORDER BY time DESC LIMIT 2", SMALL_MEMORY_BYTES);
        assertEquals(List.of(Arrays.asList(T0 + 999 * SECOND, "h009", 9999.0), Arrays.asList(T0 + 999 * SECOND, "h008", 8999.0)),
                last);
    }

    /**
     * Six series of one 3,000-point chunk each, under a 1 MiB limit whose windows hold 4,096 points:
     * the windows end inside the chunks, each decoded once and held while windows cut it (one chunk
     * per column); the rows are still those of the whole merge.
     */
    @Test
    void windowsEndInsideChunksLargerThanAWindow() throws IOException {
        Engine engine = open(8192);
        writeFiles(engine, 6, 3000);
        assertEquals(expected(host -> true, cells -> true, false, 0, Long.MAX_VALUE),
                rows("SELECT host, value, n FROM m", 1L << 20), "ascending");
        assertEquals(expected(host -> true, cells -> (Double) cells[0] > 2500, true, 5, 3000),
                rows("SELECT host, value, n FROM m WHERE value > 2500 ORDER BY time DESC LIMIT 3000 OFFSET 5",
                        1L << 20), "descending page");
    }

    /** Pieces of a windowed group join to the whole answer; the last piece ends the series. */
    @Test
    void piecesOfAWindowedGroupJoinToTheWholeAnswer() throws IOException {
        Engine engine = open();
        writeFiles(engine, 8, 600);
        write(engine, List.of(Point.builder("m").tag("host", "h003").floatField("value", -1).timestamp(T0 + 17 * SECOND).build(),
                Point.builder("m").tag("host", "h009").floatField("value", -2).timestamp(T0 + 900 * SECOND).build()));
        for (String query : List.of("SELECT * FROM m", "SELECT * FROM m ORDER BY time DESC", "SELECT value FROM m WHERE value > 100 LIMIT 4000")) {
            AnswerCollector collector = new AnswerCollector();
            List<Boolean> continued = new ArrayList<>();
            executor.execute(Parser.parseQuery(query), context(SMALL_MEMORY_BYTES), new AnswerSink() {
                @Override
                public void series(int statementId, ResultSeries rows, boolean continues) {
                    assertTrue(!rows.values().isEmpty(), "a piece has rows");
                    continued.add(continues);
                    collector.series(statementId, rows, continues);
                }

                @Override
                public void end(int statementId, String error) {
                    collector.end(statementId, error);
                }
            });
            assertTrue(continued.size() > 2, query + ": several pieces");
            assertEquals(executor.execute(Parser.parseQuery(query), context(64L << 20)), collector.results(), query);
        }
    }
}
