package io.sundial.query;

/**
 * The per-query limits a server applies to every query it runs, whichever API it came from: the
 * rows one statement may produce, the memory one query may hold and the series one query
 * (SundialQL or PromQL) may select. Set once at server start from the configuration ({@code
 * query-rows-max}, {@code query-memory-max}, {@code query-series-max}); embedded use keeps the
 * defaults. Process-wide because every query path (HTTP, PostgreSQL, subqueries) builds its own
 * {@link QueryContext} and must obey the same operator's choice.
 *
 * @param rowsMax rows one statement may produce before it fails
 * @param memoryBytesMax bytes of decoded columns and buffered rows one query may hold
 * @param seriesMax series one query may select from the index (summed over its statements and measurements)
 */
public record QueryLimits(int rowsMax, long memoryBytesMax, int seriesMax) {
    /** A million series: far beyond any dashboard panel, well below what exhausts a heap. */
    public static final int SERIES_MAX_DEFAULT = 1_000_000;

    private static volatile QueryLimits current = defaults();

    /** Rows and memory as given, {@link #SERIES_MAX_DEFAULT} series. */
    public QueryLimits(int rowsMax, long memoryBytesMax) {
        this(rowsMax, memoryBytesMax, SERIES_MAX_DEFAULT);
    }

    public QueryLimits {
        if (seriesMax <= 0) {
            throw new IllegalArgumentException("seriesMax must be positive: " + seriesMax);
        }
        if (rowsMax <= 0) {
            throw new IllegalArgumentException("rowsMax must be positive: " + rowsMax);
        }
        if (memoryBytesMax <= 0) {
            throw new IllegalArgumentException("memoryBytesMax must be positive: " + memoryBytesMax);
        }
    }

    /** 10,000,000 rows, an eighth of the heap (4 MiB .. 4 GiB) and 1,000,000 series. */
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
