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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Memory budget, timeout, KILL QUERY / SHOW QUERIES and many queries in parallel with writes. */
class QueryControlTest {
    static final long T0 = 1_577_836_800_000_000_000L;
    static final long SECOND = 1_000_000_000L;
    static final int HOSTS = 10;
    static final int POINTS = 2000;

    @TempDir
    Path dir;
    private Databases databases;
    private Engine engine;
    private QueryContext context;
    private final QueryRegistry registry = new QueryRegistry();
    private final QueryExecutor executor = new QueryExecutor(registry);

    @BeforeEach
    void load() throws IOException {
        EngineOptions options = EngineOptions.defaults().withBackgroundCompaction(false).withChunkPointsMax(128)
                .withFsyncPolicy(new FsyncPolicy.Interval(Duration.ofMinutes(10)));
        databases = Databases.open(dir, options);
        engine = databases.get(Databases.DEFAULT);
        List<Point> points = new ArrayList<>();
        for (int host = 0; host < HOSTS; host++) {
            for (int i = 0; i < POINTS; i++) {
                points.add(Point.builder("cpu").tag("host", "h" + host).floatField("usage", (i * 31 + host) % 100)
                        .timestamp(T0 + i * SECOND).build());
            }
        }
        engine.write(points);
        engine.flush();
        context = QueryContext.of(databases, "").withClock(InstantSource.fixed(Instant.ofEpochSecond(0, T0 + 86_400 * SECOND)));
    }

    @AfterEach
    void close() throws IOException {
        databases.close();
    }

    private StatementResult run(String query, QueryContext at) {
        return executor.execute(Parser.parseQuery(query), at).getFirst();
    }

    @Test
    void aQueryOverItsMemoryLimitFailsClearlyAndTheNextOneRuns() {
        // 20,000 raw rows hold far more than 64 KiB of decoded columns and buffered rows; ORDER BY a
        // value holds them all (the same rows in time order stream window by window: RawWindowScanTest).
        StatementResult failed = run("SELECT usage FROM cpu ORDER BY usage", context.withMemoryBytesMax(64 * 1024));
        assertTrue(failed.isError());
        assertTrue(failed.error().startsWith("query memory limit exceeded: the query holds "), failed.error());
        assertTrue(failed.error().contains("over the limit of 65536 bytes (query-memory-max)"), failed.error());
        StatementResult small = run("SELECT count(usage) FROM cpu", context.withMemoryBytesMax(64 * 1024));
        assertNull(small.error(), "stats answer without holding decoded data");
        assertEquals((long) HOSTS * POINTS, small.series().getFirst().values().getFirst().get(1));
        StatementResult all = run("SELECT usage FROM cpu", context);
        assertNull(all.error());
        assertEquals(HOSTS * POINTS, all.series().getFirst().values().size());
    }

    @Test
    void anElapsedTimeLimitStopsTheQuery() {
        StatementResult result = run("SELECT usage FROM cpu", context.withTimeLimit(Duration.ofNanos(1)));
        assertEquals("query-timeout limit exceeded (0 ms)", result.error());
    }

    @Test
    void killQueryStopsARunningQueryAndShowQueriesListsQueries() throws Exception {
        AtomicBoolean cancelled = new AtomicBoolean();
        QueryContext killable = context.withCancelled(cancelled).withParallelism(1);
        String query = "SELECT usage FROM cpu WHERE usage > 10";
        AtomicReference<String> outcome = new AtomicReference<>();
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean testOver = new AtomicBoolean();
        Thread runner = new Thread(() -> {
            started.countDown();
            // Runs until killed: once the flag is set every later run stops at its first check too.
            while (outcome.get() == null && !testOver.get()) {
                StatementResult result = run(query, killable);
                if (result.isError()) {
                    outcome.set(result.error());
                }
            }
        });
        runner.start();
        try {
            started.await();
            killListed(query);
            runner.join(TimeUnit.SECONDS.toMillis(120));
        } finally {
            testOver.set(true);
        }
        assertEquals("query interrupted", outcome.get());
        assertEquals("no such query id: 999999 (SHOW QUERIES lists the running ones)",
                run("KILL QUERY 999999", context).error());
    }

    private void killListed(String query) {
        // The runner's queries come and go: one listed by SHOW QUERIES may end before KILL QUERY
        // reaches it ("no such query id"). Either outcome of that race is legitimate, so list and
        // kill again until a kill lands on a running query; a kill that never lands fails below.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        String killError = "no query listed";
        while (killError != null && System.nanoTime() < deadline) {
            long id = listedId(query);
            if (id > 0) {
                killError = run("KILL QUERY " + id, context).error();
                assertTrue(killError == null || killError.startsWith("no such query id: " + id + " "), killError);
            }
        }
        assertNull(killError, "a kill landed on a running query within 120 s");
    }

    /** The id SHOW QUERIES lists for {@code query}, or -1 when it is not running now. */
    private long listedId(String query) {
        StatementResult shown = run("SHOW QUERIES", context);
        ResultSeries table = shown.series().getFirst();
        assertEquals(List.of("qid", "query", "database", "duration", "status"), table.columns());
        boolean listsItself = false;
        long id = -1;
        for (List<Object> row : table.values()) {
            listsItself |= row.get(1).equals("SHOW QUERIES");
            if (row.get(1).equals(query)) {
                id = (Long) row.getFirst();
            }
        }
        assertTrue(listsItself, "SHOW QUERIES is running while it lists: " + table.values());
        return id;
    }

    @Test
    void parallelQueriesDuringWritesFlushesAndCompactionsAgreeWithTheirFirstAnswer() throws Exception {
        List<String> queries = List.of(
                "SELECT mean(usage), max(usage), count(usage) FROM cpu WHERE time < '2020-01-01T00:33:20Z' GROUP BY time(5m), host",
                "SELECT last(usage) FROM cpu WHERE time < '2020-01-01T00:33:20Z' GROUP BY host",
                "SELECT usage FROM cpu WHERE usage > 97 AND time < '2020-01-01T00:33:20Z'",
                "SELECT * FROM cpu WHERE time < '2020-01-01T00:33:20Z' GROUP BY host ORDER BY time DESC LIMIT 1");
        List<List<ResultSeries>> expected = new ArrayList<>();
        for (String query : queries) {
            StatementResult result = run(query, context);
            assertNull(result.error(), query);
            expected.add(result.series());
        }
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService threads = Executors.newFixedThreadPool(5);
        try {
            // The writer rewrites the same points (last write wins with equal values) and adds later
            // ones, flushing and compacting, so queries meet overlapped chunks and memtables.
            Future<?> writer = threads.submit(() -> {
                for (int round = 0; round < 4; round++) {
                    List<Point> points = new ArrayList<>();
                    for (int host = 0; host < HOSTS; host++) {
                        for (int i = round * 300; i < round * 300 + 300; i++) {
                            points.add(Point.builder("cpu").tag("host", "h" + host)
                                    .floatField("usage", (i * 31 + host) % 100).timestamp(T0 + i * SECOND).build());
                        }
                        points.add(Point.builder("cpu").tag("host", "h" + host).floatField("usage", 1000 + round)
                                .timestamp(T0 + (POINTS + round) * SECOND).build());
                    }
                    engine.write(points);
                    if (round % 2 == 1) {
                        engine.flush();
                    }
                    if (round == 2) {
                        engine.compact();
                    }
                }
                stop.set(true);
                return null;
            });
            List<Future<Integer>> readers = new ArrayList<>();
            for (int r = 0; r < 4; r++) {
                int reader = r;
                readers.add(threads.submit(() -> {
                    int runs = 0;
                    while (!stop.get() || runs < 3) {
                        int q = (reader + runs) % queries.size();
                        StatementResult result = run(queries.get(q), context);
                        assertNull(result.error(), queries.get(q));
                        PushdownTest.assertSameAnswer(expected.get(q), result.series(), queries.get(q));
                        runs++;
                    }
                    return runs;
                }));
            }
            writer.get(300, TimeUnit.SECONDS);
            for (Future<Integer> reader : readers) {
                assertTrue(reader.get(300, TimeUnit.SECONDS) >= 3);
            }
        } finally {
            stop.set(true);
            threads.shutdownNow();
        }
    }
}
