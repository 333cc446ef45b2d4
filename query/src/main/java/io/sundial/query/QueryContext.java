package io.sundial.query;

import io.sundial.storage.Databases;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What a query runs against and under: the databases, the database used when a statement names
 * none (the HTTP {@code db} parameter), the clock behind {@code now()}, a time limit and a
 * cancellation flag that another thread may set (client gone, KILL QUERY).
 *
 * <p>{@code now()} is read once per query, so every statement of a query sees the same instant,
 * as in InfluxDB.
 */
public final class QueryContext {
    /** Rows one statement may produce before it fails; bounds the memory of an answer. */
    public static final int ROWS_MAX_DEFAULT = 10_000_000;

    private final Databases databases;
    private final String defaultDatabase;
    private final InstantSource clock;
    private final Duration timeLimit;
    private final AtomicBoolean cancelled;
    private final int rowsMax;

    public QueryContext(Databases databases, String defaultDatabase, InstantSource clock, Duration timeLimit,
            AtomicBoolean cancelled, int rowsMax) {
        this.databases = Objects.requireNonNull(databases, "databases");
        this.defaultDatabase = defaultDatabase == null ? "" : defaultDatabase;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.timeLimit = Objects.requireNonNull(timeLimit, "timeLimit");
        this.cancelled = Objects.requireNonNull(cancelled, "cancelled");
        if (timeLimit.isNegative() || timeLimit.isZero()) {
            throw new IllegalArgumentException("timeLimit must be positive: " + timeLimit);
        }
        if (rowsMax <= 0) {
            throw new IllegalArgumentException("rowsMax must be positive: " + rowsMax);
        }
        this.rowsMax = rowsMax;
    }

    /** A context with the system clock, a one-minute limit and a fresh cancellation flag. */
    public static QueryContext of(Databases databases, String defaultDatabase) {
        return new QueryContext(databases, defaultDatabase, InstantSource.system(), Duration.ofMinutes(1),
                new AtomicBoolean(), ROWS_MAX_DEFAULT);
    }

    public QueryContext withClock(InstantSource value) {
        return new QueryContext(databases, defaultDatabase, value, timeLimit, cancelled, rowsMax);
    }

    public QueryContext withTimeLimit(Duration value) {
        return new QueryContext(databases, defaultDatabase, clock, value, cancelled, rowsMax);
    }

    public QueryContext withRowsMax(int value) {
        return new QueryContext(databases, defaultDatabase, clock, timeLimit, cancelled, value);
    }

    public Databases databases() {
        return databases;
    }

    /** The database of statements that name none; empty means the server's default database. */
    public String defaultDatabase() {
        return defaultDatabase;
    }

    public InstantSource clock() {
        return clock;
    }

    public Duration timeLimit() {
        return timeLimit;
    }

    public AtomicBoolean cancelled() {
        return cancelled;
    }

    public int rowsMax() {
        return rowsMax;
    }
}
