package io.sundial.query.promql;

import io.sundial.query.QueryException;
import io.sundial.query.QueryLimits;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * The limits of one query: the samples it may hold in memory, its deadline, and its client
 * still waiting. Crossing one fails the query with Prometheus' wording, so clients that parse
 * the message still work.
 */
final class SampleBudget {
    private final long samplesMax;
    private final long deadlineNanos;
    private final BooleanSupplier isCanceled;
    private long loaded;
    private final int seriesMax = QueryLimits.current().seriesMax();
    private long series;

    SampleBudget(long samplesMax, long deadlineNanos) {
        this(samplesMax, deadlineNanos, () -> false);
    }

    SampleBudget(long samplesMax, long deadlineNanos, BooleanSupplier isCanceled) {
        this.samplesMax = samplesMax;
        this.deadlineNanos = deadlineNanos;
        this.isCanceled = isCanceled;
    }

    /** Counts samples read from storage; they stay in memory for the whole query. */
    void load(long samples) {
        loaded += samples;
        if (loaded > samplesMax) {
            throw tooMany();
        }
    }

    /** Counts one more series read from storage (the server's {@code query-series-max}). */
    void loadSeries() {
        if (++series > seriesMax) {
            throw tooManySeries();
        }
    }

    private QueryException tooManySeries() {
        return new QueryException("query selects more than " + seriesMax + " series (query-series-max); narrow the"
                + " selectors with label matchers or raise the limit");
    }

    /**
     * Counters for reads on several threads: each series and its samples are counted as they are
     * read, against what this budget has left, so parallel reads stop at the same limits; then
     * {@link #settle} adds them here.
     */
    Shared shared() {
        return new Shared(samplesMax - loaded, seriesMax - series);
    }

    /** Adds what the parallel reads counted in {@code shared}. */
    void settle(Shared shared) {
        loaded += shared.samples.get();
        series += shared.series.get();
    }

    /** The thread-safe counters of {@link #shared()}. */
    final class Shared {
        private final long samplesLeft;
        private final long seriesLeft;
        private final AtomicLong samples = new AtomicLong();
        private final AtomicLong series = new AtomicLong();

        private Shared(long samplesLeft, long seriesLeft) {
            this.samplesLeft = samplesLeft;
            this.seriesLeft = seriesLeft;
        }

        /** Counts one series of {@code count} samples read. */
        void load(long count) {
            if (series.incrementAndGet() > seriesLeft) {
                throw tooManySeries();
            }
            if (samples.addAndGet(count) > samplesLeft) {
                throw tooMany();
            }
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

    /** Called between series and steps: a query stops within one series' or one step's work. */
    void checkDeadline() {
        if (isCanceled.getAsBoolean()) {
            throw new PromCanceledException("query was canceled in expression evaluation");
        }
        if (System.nanoTime() - deadlineNanos > 0) {
            throw new PromTimeoutException("query timed out in expression evaluation");
        }
    }
}
