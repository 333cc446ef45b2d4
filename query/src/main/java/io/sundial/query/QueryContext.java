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
    /** Most threads one query fetches series with; bounded by the cores the JVM sees. */
    public static final int PARALLELISM_MAX = 64;

    /**
     * Bytes of decoded columns and buffered rows one query may hold by default: an eighth of the
     * heap (4 MiB .. 4 GiB), so four queries at their limit and a full memtable (a quarter) still
     * fit, and the server stays up. The server's ResourcePlan reports this same rule.
     */
    public static long memoryBytesMaxDefault() {
        return Math.clamp(Runtime.getRuntime().maxMemory() / 8, 4L << 20, 4L << 30);
    }

    /** Fetch threads by default: one per core the JVM sees. */
    public static int parallelismDefault() {
        return Math.min(PARALLELISM_MAX, Math.max(1, Runtime.getRuntime().availableProcessors()));
    }

    private final Databases databases;
    private final String defaultDatabase;
    private final InstantSource clock;
    private final Duration timeLimit;
    private final AtomicBoolean cancelled;
    private final int rowsMax;
    private final long memoryBytesMax;
    private final int parallelism;

    public QueryContext(Databases databases, String defaultDatabase, InstantSource clock, Duration timeLimit,
            AtomicBoolean cancelled, int rowsMax) {
        this(databases, defaultDatabase, clock, timeLimit, cancelled, rowsMax, QueryLimits.current().memoryBytesMax(),
                parallelismDefault());
    }

    public QueryContext(Databases databases, String defaultDatabase, InstantSource clock, Duration timeLimit,
            AtomicBoolean cancelled, int rowsMax, long memoryBytesMax, int parallelism) {
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
        if (memoryBytesMax <= 0) {
            throw new IllegalArgumentException("memoryBytesMax must be positive: " + memoryBytesMax);
        }
        if (parallelism < 1 || parallelism > PARALLELISM_MAX) {
            throw new IllegalArgumentException("parallelism must be in [1, " + PARALLELISM_MAX + "]: " + parallelism);
        }
        this.memoryBytesMax = memoryBytesMax;
        this.parallelism = parallelism;
    }

    /** A context with the system clock, a one-minute limit and a fresh cancellation flag. */
    public static QueryContext of(Databases databases, String defaultDatabase) {
        return new QueryContext(databases, defaultDatabase, InstantSource.system(), Duration.ofMinutes(1),
                new AtomicBoolean(), QueryLimits.current().rowsMax(), QueryLimits.current().memoryBytesMax(),
                parallelismDefault());
    }

    public QueryContext withClock(InstantSource value) {
        return new QueryContext(databases, defaultDatabase, value, timeLimit, cancelled, rowsMax, memoryBytesMax,
                parallelism);
    }

    public QueryContext withTimeLimit(Duration value) {
        return new QueryContext(databases, defaultDatabase, clock, value, cancelled, rowsMax, memoryBytesMax,
                parallelism);
    }

    public QueryContext withRowsMax(int value) {
        return new QueryContext(databases, defaultDatabase, clock, timeLimit, cancelled, value, memoryBytesMax,
                parallelism);
    }

    /** Bytes of decoded columns and buffered rows the query may hold before it fails. */
    public QueryContext withMemoryBytesMax(long value) {
        return new QueryContext(databases, defaultDatabase, clock, timeLimit, cancelled, rowsMax, value, parallelism);
    }

    /** Threads that fetch series at once; 1 reads on the query's own thread. */
    public QueryContext withParallelism(int value) {
        return new QueryContext(databases, defaultDatabase, clock, timeLimit, cancelled, rowsMax, memoryBytesMax, value);
    }

    /** A context like this one with another cancellation flag (the query registry's). */
    public QueryContext withCancelled(AtomicBoolean value) {
        return new QueryContext(databases, defaultDatabase, clock, timeLimit, value, rowsMax, memoryBytesMax,
                parallelism);
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

    public long memoryBytesMax() {
        return memoryBytesMax;
    }

    public int parallelism() {
        return parallelism;
    }
}
