package io.sundial.query.promql;

import io.sundial.query.QueryException;

/**
 * The two limits of one query: the samples it may hold in memory and its deadline. Exceeding
 * either fails the query with Prometheus' wording, so clients that parse the message still work.
 */
final class SampleBudget {
    private final long samplesMax;
    private final long deadlineNanos;
    private long loaded;

    SampleBudget(long samplesMax, long deadlineNanos) {
        this.samplesMax = samplesMax;
        this.deadlineNanos = deadlineNanos;
    }

    /** Counts samples read from storage; they stay in memory for the whole query. */
    void load(long samples) {
        loaded += samples;
        if (loaded > samplesMax) {
            throw tooMany();
        }
    }

    /** Checks that {@code inFlight} samples of one evaluation step fit beside what is loaded. */
    void checkStep(long inFlight) {
        if (inFlight > samplesMax) {
            throw tooMany();
        }
    }

    QueryException tooMany() {
        return new QueryException("query processing would load too many samples into memory in query execution"
                + " (limit " + samplesMax + " samples; narrow the selectors or the time range, or raise the limit)");
    }

    void checkDeadline() {
        if (System.nanoTime() - deadlineNanos > 0) {
            throw new PromTimeoutException("query timed out in expression evaluation");
        }
    }
}
