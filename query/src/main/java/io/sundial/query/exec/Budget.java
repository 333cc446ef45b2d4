package io.sundial.query.exec;

import io.sundial.query.QueryContext;
import io.sundial.query.QueryException;

/**
 * The limits one query runs under: its deadline, the cancellation flag and the rows it may
 * produce. Checked between series and buckets, so a cancelled or slow query stops within one
 * series' work.
 */
public final class Budget {
    private final QueryContext context;
    private final long deadlineNanos;
    private long rows;

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
}
