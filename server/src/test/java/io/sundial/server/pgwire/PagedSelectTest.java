package io.sundial.server.pgwire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.core.Point;
import io.sundial.query.QueryContext;
import io.sundial.query.QueryExecutor;
import io.sundial.query.result.StatementResult;
import io.sundial.query.sundialql.Parser;
import io.sundial.query.sundialql.Query;
import io.sundial.query.sundialql.Statement;
import io.sundial.storage.Databases;
import io.sundial.storage.EngineOptions;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Raw SELECTs answered in time windows give exactly the rows of the single statement (the same
 * statement with a LIMIT above the row count, which is not windowed), while each window holds a
 * bounded number of rows; and pgjdbc pages through such an answer with a fetch size.
 */
class PagedSelectTest {
    @TempDir
    static Path dir;
    static PgServer server;
    /** Rows of the sample: 3 hosts x (40,000 at 1 s + 10,000 at 1 ms + 3 before 1970). */
    static final int ROWS = 3 * (40_000 + 10_000 + 3);

    @BeforeAll
    static void start() throws Exception {
        server = PgServer.start(dir.resolve("data"));
        List<Point> points = new ArrayList<>();
        for (String host : List.of("a", "b", "c")) {
            for (int i = 0; i < 40_000; i++) {
                points.add(point(host, PgServer.T0 + i * 1_000_000_000L, i));
            }
            long afterGap = PgServer.T0 + Duration.ofDays(30).toNanos();
            for (int i = 0; i < 10_000; i++) {
                points.add(point(host, afterGap + i * 1_000_000L, i));
            }
            for (int i = 1; i <= 3; i++) {
                points.add(point(host, -i * 86_400_000_000_000L, -i));
            }
        }
        server.databases.get(Databases.DEFAULT).write(points);
    }

    private static Point point(String host, long time, long value) {
        return Point.builder("load").tag("host", host).intField("n", value).floatField("x", value / 2.0).timestamp(time).build();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private static ResultTable single(String sql) {
        QueryContext context = new QueryContext(server.databases, "", InstantSource.system(), Duration.ofSeconds(60),
                new AtomicBoolean(), QueryContext.ROWS_MAX_DEFAULT);
        StatementResult result = new QueryExecutor().execute(Parser.parseQuery(sql), context).getFirst();
        assertFalse(result.isError(), result.error());
        return ResultTable.of(result.series());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', textBlock = """
            everything;            SELECT * FROM load
            fields_and_math;       SELECT n, x * 2 FROM load WHERE host != 'b'
            time_bounded;          SELECT x FROM load WHERE time >= '2023-11-15T00:00:00Z' AND time < '2023-12-20T00:00:00Z'
            before_1970;           SELECT n FROM load WHERE time < '1970-01-02T00:00:00Z'
            field_filter;          SELECT n, host FROM load WHERE n > 39990 OR n < -2
            empty_range;           SELECT n FROM load WHERE time > '2030-01-01T00:00:00Z'
            """)
    void windowsAnswerTheRowsOfTheSingleStatement(String name, String sql) throws Exception {
        ResultTable expected = single(sql + " LIMIT 100000000");
        Statement.Select select = (Statement.Select) Parser.parseQuery(sql).statements().getFirst();
        AtomicInteger windowRowsMax = new AtomicInteger();
        AtomicInteger statements = new AtomicInteger();
        PagedSelect.Runner runner = (window, left) -> {
            statements.incrementAndGet();
            ResultTable table = single(io.sundial.query.sundialql.Printer.print(window));
            windowRowsMax.accumulateAndGet(table.rows().size(), Math::max);
            return table;
        };
        Optional<PagedSelect> paged = PagedSelect.start(select, System.currentTimeMillis() * 1_000_000L, List.of(), runner,
                new AtomicBoolean(), Duration.ofSeconds(60));
        assertTrue(paged.isPresent(), name + " is windowable");
        List<Object[]> rows = new ArrayList<>();
        for (Object[] row = paged.get().next(); row != null; row = paged.get().next()) {
            rows.add(row);
        }
        assertEquals(expected.rows().size(), rows.size(), name);
        for (int i = 0; i < rows.size(); i++) {
            assertTrue(Arrays.equals(expected.rows().get(i), rows.get(i)), name + " row " + i + ": expected "
                    + Arrays.toString(expected.rows().get(i)) + ", got " + Arrays.toString(rows.get(i)));
        }
        assertTrue(windowRowsMax.get() <= PagedSelect.SPAN_FACTOR_MAX * PagedSelect.WINDOW_ROWS_TARGET,
                name + ": a window held " + windowRowsMax.get() + " rows");
        System.out.println(name + ": " + rows.size() + " rows in " + statements.get() + " statements, largest window "
                + windowRowsMax.get() + " rows");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', textBlock = """
            aggregate;        SELECT mean(x) FROM load
            group_by_tag;     SELECT x FROM load GROUP BY host
            limit;            SELECT x FROM load LIMIT 5
            order_desc;       SELECT x FROM load ORDER BY time DESC
            regex_source;     SELECT x FROM /lo.*/
            selector;         SELECT max(x), host FROM load
            """)
    void statementsWindowsWouldChangeRunWhole(String name, String sql) {
        Statement.Select select = (Statement.Select) Parser.parseQuery(sql).statements().getFirst();
        assertFalse(PagedSelect.isWindowable(select), name);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "on_target,       1000, 50000, 50000, 1000",
        "half_full,       1000, 25000, 50000, 2000",
        "empty_keeps,     1000,     0, 50000, 1000",
        "sparse_capped,   1000,     1, 50000, 8000",
        "dense_capped,    8000, 10000000, 50000, 1000",
        "never_zero,         1, 10000000, 50000, 1",
        "no_overflow, 4611686018427387904, 1, 50000, 9223372036854775807",
    })
    void nextSpanScalesTowardsTheTarget(String name, long span, long rows, long target, long expected) {
        assertEquals(expected, PagedSelect.nextSpan(span, rows, target), name);
    }

    @Test
    void pgjdbcFetchSizePagesThroughAStreamedAnswer() throws Exception {
        try (Connection connection = server.connect()) {
            connection.setAutoCommit(false); // pgjdbc uses Execute row limits (PortalSuspended) only in a transaction
            try (var statement = connection.createStatement()) {
                statement.setFetchSize(1_000);
                long previous = Long.MIN_VALUE;
                int count = 0;
                try (ResultSet rows = statement.executeQuery("SELECT n, host FROM load")) {
                    while (rows.next()) {
                        Timestamp time = rows.getTimestamp(1);
                        long nanos = time.getTime() * 1_000_000L;
                        assertTrue(nanos / 1_000_000_000L >= previous / 1_000_000_000L, "time order at row " + count);
                        previous = nanos;
                        count++;
                    }
                }
                assertEquals(ROWS, count);
            }
            connection.commit();
        }
    }
}
