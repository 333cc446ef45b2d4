package io.sundial.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.core.Point;
import io.sundial.query.result.ResultSeries;
import io.sundial.query.result.StatementResult;
import io.sundial.query.sundialql.Parser;
import io.sundial.storage.Databases;
import io.sundial.storage.EngineOptions;
import io.sundial.storage.wal.FsyncPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Databases in a temporary directory, a fixed now() and helpers to write points and run
 * queries. Times in tests are offsets from {@link #T0} (2020-01-01T00:00:00Z) so expected
 * answers read as small numbers.
 */
public abstract class QueryFixture {
    /** 2020-01-01T00:00:00Z in nanoseconds. */
    public static final long T0 = 1_577_836_800_000_000_000L;
    public static final long SECOND = 1_000_000_000L;
    public static final long MINUTE = 60 * SECOND;
    /** now() of every query: T0 + 1h. */
    public static final long NOW = T0 + 60 * MINUTE;

    @TempDir
    Path dir;
    protected Databases databases;
    protected QueryContext context;
    private final QueryExecutor executor = new QueryExecutor();

    @BeforeEach
    void openDatabases() throws IOException {
        EngineOptions options = EngineOptions.defaults().withBackgroundCompaction(false)
                .withFsyncPolicy(new FsyncPolicy.Interval(Duration.ofMinutes(10)));
        databases = Databases.open(dir, options);
        context = QueryContext.of(databases, "").withClock(InstantSource.fixed(Instant.ofEpochSecond(0, NOW)));
    }

    @AfterEach
    void closeDatabases() throws IOException {
        databases.close();
    }

    protected static Point.Builder point(String measurement, long time) {
        return Point.builder(measurement).timestamp(time);
    }

    protected void write(Point.Builder... points) {
        write(Databases.DEFAULT, points);
    }

    protected void write(String database, Point.Builder... points) {
        List<Point> built = new ArrayList<>();
        for (Point.Builder builder : points) {
            built.add(builder.build());
        }
        try {
            databases.get(database).write(built);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    protected List<StatementResult> run(String query) {
        return executor.execute(Parser.parseQuery(query), context);
    }

    /** The series of a single-statement query that must succeed. */
    protected List<ResultSeries> series(String query) {
        List<StatementResult> results = run(query);
        assertEquals(1, results.size(), "statements");
        assertNull(results.getFirst().error(), () -> "unexpected error for " + query);
        return results.getFirst().series();
    }

    /** The only series of a query. */
    protected ResultSeries one(String query) {
        List<ResultSeries> series = series(query);
        assertEquals(1, series.size(), () -> "series of " + query + ": " + series);
        return series.getFirst();
    }

    protected String error(String query) {
        List<StatementResult> results = run(query);
        assertTrue(results.getFirst().isError(), () -> "expected an error for " + query + ", got " + results);
        return results.getFirst().error();
    }

    /** A row: time offset from T0 in nanoseconds, then values. */
    protected static List<Object> row(long offset, Object... values) {
        List<Object> row = new ArrayList<>();
        row.add(T0 + offset);
        row.addAll(Arrays.asList(values));
        return row;
    }

    protected static List<Object> epochRow(long time, Object... values) {
        List<Object> row = new ArrayList<>();
        row.add(time);
        row.addAll(Arrays.asList(values));
        return row;
    }
}
