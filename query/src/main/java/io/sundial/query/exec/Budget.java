package io.sundial.query.exec;

import io.sundial.query.QueryContext;
import io.sundial.query.QueryException;
import io.sundial.query.QueryLimits;
import io.sundial.query.plan.PlanProfile;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The limits one query runs under: its deadline, the cancellation flag, the rows it may produce,
 * the series it may select and the bytes of decoded columns and buffered rows it may hold. Checked between series and
 * buckets and by every fetch thread, so a cancelled, slow or oversized query stops within one
 * series' work. Thread-safe except {@link #addRows} (the query's own thread).
 */
public final class Budget {
    private final QueryContext context;
    private final long deadlineNanos;
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong peakBytes = new AtomicLong();
    private final AtomicLong series = new AtomicLong();
    private final int seriesMax = QueryLimits.current().seriesMax();
    private long rows;
    private PlanProfile profile;
    private boolean isDryRun;

    public Budget(QueryContext context) {
        this.context = context;
        this.deadlineNanos = System.nanoTime() + context.timeLimit().toNanos();
    }

    public void check() {
        if (context.cancelled().get()) {
            throw new QueryException("query interrupted");
        }
        if (System.nanoTime() - deadlineNanos > 0) {
            throw new QueryException("query-timeout limit exceeded (" + context.timeLimit().toMillis() + " ms)");
        }
    }

    void addRows(long count) {
        rows += count;
        if (rows > context.rowsMax()) {
            throw new QueryException("the answer exceeds " + context.rowsMax()
                    + " rows; narrow the time range, add LIMIT or aggregate with GROUP BY time");
        }
    }

    /**
     * Accounts {@code count} more series selected by an index lookup, before any is read: a query
     * over too many series fails at once instead of after reading most of them.
     */
    void addSeries(int count) {
        if (isDryRun) {
            return; // EXPLAIN shows the plan of a query it would refuse, series count included
        }
        long selected = series.addAndGet(count);
        if (selected > seriesMax) {
            throw new QueryException("the query selects " + selected + " series, over the limit of " + seriesMax
                    + " (query-series-max); narrow it with tag conditions (WHERE host = '...') or aggregate fewer"
                    + " measurements");
        }
    }

    /** Accounts {@code count} more bytes held by the query; fails the query when over its memory limit. */
    public void reserveBytes(long count) {
        long held = bytes.addAndGet(count);
        peakBytes.accumulateAndGet(held, Math::max);
        if (held > context.memoryBytesMax()) {
            throw new QueryException("query memory limit exceeded: the query holds " + held
                    + " bytes of decoded columns and buffered rows, over the limit of " + context.memoryBytesMax()
                    + " bytes (query-memory-max); narrow the time range, select fewer series or fields, or"
                    + " aggregate with GROUP BY time");
        }
    }

    public void releaseBytes(long count) {
        bytes.addAndGet(-count);
    }

    /** The most bytes the query may hold (query-memory-max). */
    public long memoryBytesMax() {
        return context.memoryBytesMax();
    }

    public long heldBytes() {
        return bytes.get();
    }

    public long peakBytes() {
        return peakBytes.get();
    }

    /** Threads that may fetch series of this query at once. */
    public int parallelism() {
        return context.parallelism();
    }

    /** The profile EXPLAIN fills, or null when the query is not explained. */
    public PlanProfile profile() {
        return profile;
    }

    /** EXPLAIN without ANALYZE: plan and count, but decode nothing and produce no rows. */
    public boolean isDryRun() {
        return isDryRun;
    }

    public void explain(PlanProfile value, boolean dryRun) {
        this.profile = value;
        this.isDryRun = dryRun;
    }
}
