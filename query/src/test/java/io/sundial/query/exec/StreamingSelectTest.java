package io.sundial.query.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.core.Point;
import io.sundial.query.QueryExecutor;
import io.sundial.query.QueryFixture;
import io.sundial.query.QueryRegistry;
import io.sundial.query.result.AnswerCollector;
import io.sundial.query.result.AnswerSink;
import io.sundial.query.result.ColumnarRows;
import io.sundial.query.result.ResultColumn;
import io.sundial.query.result.ResultSeries;
import io.sundial.query.result.StatementResult;
import io.sundial.query.sundialql.Parser;
import io.sundial.storage.Databases;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The executor hands series to its sink while it still computes the rest, in the same order and
 * with the same rows as the whole answer; a raw SELECT of many rows streams within a memory
 * limit that holding its rows would exceed.
 */
class StreamingSelectTest extends QueryFixture {
    private final QueryExecutor executor = new QueryExecutor(new QueryRegistry());

    /** {@code seriesCount} series h0000.. of measurement m, each with {@code points} points 1 s apart. */
    private void writeSeries(int seriesCount, int points) {
        List<Point> batch = new ArrayList<>();
        for (int s = 0; s < seriesCount; s++) {
            String host = String.format("h%04d", s);
            for (int p = 0; p < points; p++) {
                batch.add(point("m", T0 + p * SECOND).tag("host", host).floatField("value", s * 1000.0 + p).build());
                if (batch.size() == 100_000) {
                    flush(batch);
                }
            }
        }
        flush(batch);
    }

    private void flush(List<Point> batch) {
        try {
            databases.get(Databases.DEFAULT).write(batch);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        batch.clear();
    }

    @Test
    void theFirstSeriesArrivesBeforeTheStatementEnds() throws Exception {
        writeSeries(40, 5);
        CountDownLatch firstSeries = new CountDownLatch(1);
        CountDownLatch resume = new CountDownLatch(1);
        AtomicBoolean ended = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<ResultSeries> streamed = new ArrayList<>();
        AnswerSink sink = new AnswerSink() {
            @Override
            public void series(int statementId, ResultSeries rows, boolean continues) {
                streamed.add(rows);
                if (streamed.size() == 1) {
                    firstSeries.countDown();
                    try {
                        assertTrue(resume.await(60, TimeUnit.SECONDS), "the test released the executor");
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }

            @Override
            public void end(int statementId, String error) {
                assertNull(error);
                ended.set(true);
            }
        };
        String query = "SELECT value FROM m GROUP BY *";
        Thread thread = new Thread(() -> {
            try {
                executor.execute(Parser.parseQuery(query), context, sink);
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        thread.start();
        assertTrue(firstSeries.await(60, TimeUnit.SECONDS), "a series reached the sink");
        assertFalse(ended.get(), "the statement is still running when its first series is out");
        assertEquals(1, streamed.size());
        resume.countDown();
        thread.join(60_000);
        assertNull(failure.get());
        assertTrue(ended.get());
        assertEquals(series(query), joined(streamed));
        assertEquals(40, streamed.size());
    }

    @Test
    void aCancelSeenWhileStreamingStopsTheRestWithAnError() {
        // 600 series: the scan checks for cancellation between fetch batches of 256 series.
        writeSeries(600, 2);
        AtomicBoolean cancelled = new AtomicBoolean();
        List<ResultSeries> streamed = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        executor.execute(Parser.parseQuery("SELECT value FROM m GROUP BY *"), context.withCancelled(cancelled),
                new AnswerSink() {
                    @Override
                    public void series(int statementId, ResultSeries rows, boolean continues) {
                        streamed.add(rows);
                        cancelled.set(true);
                    }

                    @Override
                    public void end(int statementId, String error) {
                        errors.add(error);
                    }
                });
        assertEquals(List.of("query interrupted"), errors);
        assertTrue(streamed.size() >= 1 && streamed.size() < 600, "series before the cancel: " + streamed.size());
        assertEquals(String.format("h%04d", 0), streamed.getFirst().tags().get("host"));
    }

    /** Queries whose streamed pieces must join to exactly the whole answer. */
    static Stream<Arguments> sameAnswer() {
        return Stream.of(
                Arguments.of("group by every tag", "SELECT value FROM m GROUP BY *"),
                Arguments.of("one group of many series", "SELECT value FROM m"),
                Arguments.of("limit and offset per series", "SELECT value FROM m GROUP BY host LIMIT 3 OFFSET 4998"),
                Arguments.of("slimit and soffset", "SELECT value FROM m GROUP BY * SLIMIT 2 SOFFSET 1"),
                Arguments.of("descending", "SELECT value FROM m GROUP BY * ORDER BY time DESC LIMIT 2"),
                Arguments.of("order by a value", "SELECT value FROM m GROUP BY * ORDER BY value DESC LIMIT 2"),
                Arguments.of("aggregate", "SELECT mean(value) FROM m GROUP BY time(10m), host"),
                Arguments.of("two measurements", "SELECT value FROM m, n GROUP BY * LIMIT 2"),
                Arguments.of("regex measurement", "SELECT * FROM /^[mn]$/ WHERE host =~ /h000[01]/ OR host = 'x'"),
                Arguments.of("a subquery", "SELECT max(value) FROM (SELECT value FROM m) GROUP BY host"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sameAnswer")
    void piecesJoinToTheWholeAnswer(String name, String query) {
        writeSeries(3, 5000);
        write(point("n", T0).tag("host", "x").floatField("value", 1), point("n", T0 + SECOND).floatField("value", 2));
        List<ResultSeries> streamed = new ArrayList<>();
        List<Boolean> continued = new ArrayList<>();
        AnswerCollector collector = new AnswerCollector();
        executor.execute(Parser.parseQuery(query), context, new AnswerSink() {
            @Override
            public void series(int statementId, ResultSeries rows, boolean continues) {
                assertFalse(rows.values().isEmpty(), "a piece has rows");
                streamed.add(rows);
                continued.add(continues);
                collector.series(statementId, rows, continues);
            }

            @Override
            public void end(int statementId, String error) {
                collector.end(statementId, error);
            }
        });
        List<StatementResult> whole = run(query);
        assertNull(whole.getFirst().error());
        assertEquals(whole, collector.results());
        assertTrue(continued.isEmpty() || !continued.getLast(), "the last piece ends its series");
        for (int i = 0; i < streamed.size(); i++) {
            if (continued.get(i)) {
                assertEquals(AnswerShaper.PIECE_ROWS, streamed.get(i).values().size(), "a piece that more rows follow");
            }
        }
    }

    @Test
    void aSeriesOfManyRowsLeavesInPieces() {
        writeSeries(1, 10_000);
        List<Integer> sizes = new ArrayList<>();
        List<Boolean> continued = new ArrayList<>();
        executor.execute(Parser.parseQuery("SELECT value FROM m"), context, new AnswerSink() {
            @Override
            public void series(int statementId, ResultSeries rows, boolean continues) {
                sizes.add(rows.values().size());
                continued.add(continues);
                // The pieces are slices of the series' primitive columns, never boxed rows.
                ColumnarRows columnar = assertInstanceOf(ColumnarRows.class, rows.values());
                assertEquals(ResultColumn.Kind.DOUBLE, columnar.column(1).kind());
            }

            @Override
            public void end(int statementId, String error) {
                assertNull(error);
            }
        });
        assertEquals(List.of(4096, 4096, 1808), sizes);
        assertEquals(List.of(true, true, false), continued);
    }

    @Test
    void aGroupOfSeveralSeriesLeavesInPiecesAsItIsMerged() {
        writeSeries(3, 3000);
        List<Integer> sizes = new ArrayList<>();
        List<Boolean> continued = new ArrayList<>();
        List<Long> times = new ArrayList<>();
        executor.execute(Parser.parseQuery("SELECT value FROM m"), context, new AnswerSink() {
            @Override
            public void series(int statementId, ResultSeries rows, boolean continues) {
                sizes.add(rows.values().size());
                continued.add(continues);
                for (List<Object> row : rows.values()) {
                    times.add((Long) row.getFirst());
                }
            }

            @Override
            public void end(int statementId, String error) {
                assertNull(error);
            }
        });
        // 9,000 merged rows: two whole pieces, then the rest; times never go back across pieces.
        assertEquals(List.of(4096, 4096, 808), sizes);
        assertEquals(List.of(true, true, false), continued);
        for (int i = 1; i < times.size(); i++) {
            assertTrue(times.get(i - 1) <= times.get(i), "row " + i + " in time order");
        }
    }

    /**
     * 48 bytes per retained row is what the budget charges (SeriesScan.RETAINED_POINT_BYTES): held
     * whole, the answer needs rows × 48 bytes, over the limit; streamed, one fetch batch of
     * decoded columns (256 series) and one piece of rows at a time.
     */
    static Stream<Arguments> largeRawSelects() {
        return Stream.of(Arguments.of(600, 500, 8L << 20));
    }

    @ParameterizedTest(name = "{0} series x {1} points under {2} bytes")
    @MethodSource("largeRawSelects")
    void aLargeRawSelectStreamsUnderAMemoryLimitItsRowsWouldExceed(int seriesCount, int points, long memoryBytesMax) {
        streamsUnderLimit(seriesCount, points, memoryBytesMax);
    }

    @Test
    @Tag("slow")
    void twoMillionRowsStreamUnderAMemoryLimit() {
        streamsUnderLimit(1000, 2000, 32L << 20);
    }

    private void streamsUnderLimit(int seriesCount, int points, long memoryBytesMax) {
        long rows = (long) seriesCount * points;
        assertTrue(rows * SeriesScan.RETAINED_POINT_BYTES > memoryBytesMax, "the rows alone exceed the limit");
        writeSeries(seriesCount, points);
        long[] seen = new long[2];
        executor.execute(Parser.parseQuery("SELECT value FROM m GROUP BY *"),
                context.withMemoryBytesMax(memoryBytesMax).withRowsMax(Integer.MAX_VALUE), new AnswerSink() {
                    @Override
                    public void series(int statementId, ResultSeries piece, boolean continues) {
                        seen[0] += piece.values().size();
                        seen[1] += continues ? 0 : 1;
                    }

                    @Override
                    public void end(int statementId, String error) {
                        assertNull(error);
                    }
                });
        assertEquals(rows, seen[0]);
        assertEquals(seriesCount, seen[1]);
        // Held whole, the same query fails on the same limit (ORDER BY value needs every row first).
        List<StatementResult> held = executor.execute(Parser.parseQuery("SELECT value FROM m GROUP BY * ORDER BY value"),
                context.withMemoryBytesMax(memoryBytesMax).withRowsMax(Integer.MAX_VALUE));
        assertTrue(held.getFirst().isError() && held.getFirst().error().startsWith("query memory limit exceeded"),
                () -> "held answer: " + held.getFirst().error());
    }

    private static List<ResultSeries> joined(List<ResultSeries> pieces) {
        AnswerCollector collector = new AnswerCollector();
        pieces.forEach(piece -> collector.series(0, piece, false));
        collector.end(0, null);
        return collector.results().getFirst().series();
    }
}
