package io.sundial.query;

/**
 * The per-query limits a server applies to every query it runs, whichever API it came from: the
 * rows one statement may produce and the memory one query may hold. Set once at server start from
 * the configuration ({@code query-rows-max}, {@code query-memory-max}); embedded use keeps the
 * defaults. Process-wide because every query path (HTTP, PostgreSQL, subqueries) builds its own
 * {@link QueryContext} and must obey the same operator's choice.
 *
 * @param rowsMax rows one statement may produce before it fails
 * @param memoryBytesMax bytes of decoded columns and buffered rows one query may hold
 */
public record QueryLimits(int rowsMax, long memoryBytesMax) {
    private static volatile QueryLimits current = defaults();

    public QueryLimits {
        if (rowsMax <= 0) {
            throw new IllegalArgumentException("rowsMax must be positive: " + rowsMax);
        }
        if (memoryBytesMax <= 0) {
            throw new IllegalArgumentException("memoryBytesMax must be positive: " + memoryBytesMax);
        }
    }

    /** 10,000,000 rows and an eighth of the heap (4 MiB .. 4 GiB). */
    public static QueryLimits defaults() {
        return new QueryLimits(QueryContext.ROWS_MAX_DEFAULT, QueryContext.memoryBytesMaxDefault());
    }

    /** The limits queries get now. */
    public static QueryLimits current() {
        return current;
    }

    /** Replaces the limits for queries that start from now on; returns the previous ones. */
    public static QueryLimits set(QueryLimits limits) {
        QueryLimits previous = current;
        current = java.util.Objects.requireNonNull(limits, "limits");
        return previous;
    }
}
