package io.sundial.query.promql;

import io.sundial.query.QueryContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs one piece of work per series (read, decode, convert) on the query's thread and on helper
 * threads of a pool shared by all PromQL queries, results in input order. Decoding dominates a
 * query over many series, and a dashboard's query is otherwise one core's work however many the
 * machine has.
 *
 * <p>The query's thread takes batches like every helper, so it never waits for a helper that has
 * not started (the pool may be busy with other queries): a helper that had not started by the
 * time the work ran out is abandoned and does nothing when it runs. Only the query's thread
 * checks the deadline and cancellation ({@link SampleBudget#checkDeadline} polls the client's
 * connection, which is not thread-safe); helpers stop at the next batch once anything failed.
 */
final class SeriesWorkers {
    /** One helper per core at most, shared: concurrent queries queue for them instead of oversubscribing. */
    private static final int HELPERS_MAX = Math.max(0, QueryContext.parallelismDefault() - 1);
    private static final AtomicInteger THREAD_NUMBER = new AtomicInteger();
    private static final ExecutorService POOL = HELPERS_MAX == 0 ? null : Executors.newFixedThreadPool(HELPERS_MAX, runnable -> {
        Thread thread = new Thread(runnable, "sundial-promql-worker-" + THREAD_NUMBER.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    });
    /** Fewer series than this are read on the query's thread alone: a hand-off costs more than they do. */
    static final int PARALLEL_SERIES_MIN = 4;
    /**
     * Less estimated work than this (points decoded, or points and steps a fill visits: each some nanoseconds) runs on
     * the query's thread alone. Waking a helper and handing results back costs tens of microseconds
     * of CPU on both threads, and on a busy machine the helper competes with other queries' threads:
     * dashboards' small queries (one host, a few hosts) would pay that for work of about the same size.
     */
    static final long PARALLEL_WORK_MIN = 100_000;
    private static final int HELPER_NOT_STARTED = 0;
    private static final int HELPER_RUNNING = 1;
    private static final int HELPER_ABANDONED = 2;

    /** The work for the series at one index; null leaves it out of the result. */
    interface Work<T> {
        T apply(int index);
    }

    private SeriesWorkers() {
    }

    /**
     * {@code work} for indexes [0, count), results (nulls dropped) in index order; helpers join only
     * when {@code estimatedWork} (in points, or points and steps, all indexes together) is at least
     * {@link #PARALLEL_WORK_MIN}.
     */
    static <T> List<T> map(int count, long estimatedWork, Work<T> work, SampleBudget budget) {
        budget.checkDeadline();
        Object[] results = new Object[count];
        int helpers = count < PARALLEL_SERIES_MIN || estimatedWork < PARALLEL_WORK_MIN ? 0 : Math.min(HELPERS_MAX, count - 1);
        // Batches small enough to balance uneven series, large enough that the counter is not contended.
        int batch = Math.max(1, count / (4 * (helpers + 1)));
        AtomicInteger next = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Helper> started = new ArrayList<>(helpers);
        for (int h = 0; h < helpers; h++) {
            Helper helper = new Helper(() -> runBatches(count, batch, next, failure, results, work, null));
            try {
                POOL.execute(helper);
                started.add(helper);
            } catch (RejectedExecutionException e) {
                break; // the pool is shut down (JVM exit): the query's thread does the work
            }
        }
        runBatches(count, batch, next, failure, results, work, budget);
        for (Helper helper : started) {
            helper.awaitOrAbandon();
        }
        Throwable error = failure.get();
        if (error instanceof RuntimeException e) {
            throw e;
        }
        if (error instanceof Error e) {
            throw e;
        }
        List<T> out = new ArrayList<>(count);
        for (Object result : results) {
            if (result != null) {
                @SuppressWarnings("unchecked")
                T value = (T) result;
                out.add(value);
            }
        }
        return out;
    }

    /** Takes batches until none is left or anything failed; {@code budget} only on the query's thread. */
    private static <T> void runBatches(int count, int batch, AtomicInteger next, AtomicReference<Throwable> failure,
                                       Object[] results, Work<T> work, SampleBudget budget) {
        while (failure.get() == null) {
            int from = next.getAndAdd(batch);
            if (from >= count) {
                return;
            }
            try {
                if (budget != null) {
                    budget.checkDeadline();
                }
                int to = Math.min(count, from + batch);
                for (int i = from; i < to; i++) {
                    results[i] = work.apply(i);
                }
            } catch (RuntimeException | Error e) {
                // An Error too: a helper's would otherwise vanish in the pool and leave a hole in the results.
                failure.compareAndSet(null, e);
                return;
            }
        }
    }

    /** A helper task that the query's thread either waits for (it started) or abandons (it had not). */
    private static final class Helper implements Runnable {
        private final Runnable body;
        private final AtomicInteger state = new AtomicInteger(HELPER_NOT_STARTED);
        private final CountDownLatch done = new CountDownLatch(1);

        Helper(Runnable body) {
            this.body = body;
        }

        @Override
        public void run() {
            if (!state.compareAndSet(HELPER_NOT_STARTED, HELPER_RUNNING)) {
                return;
            }
            try {
                body.run();
            } finally {
                done.countDown();
            }
        }

        /** Returns once the helper is finished or will never run its body. */
        void awaitOrAbandon() {
            if (state.compareAndSet(HELPER_NOT_STARTED, HELPER_ABANDONED)) {
                return;
            }
            boolean isInterrupted = false;
            while (true) {
                try {
                    done.await();
                    break;
                } catch (InterruptedException e) {
                    // The helper writes into this query's arrays: wait for it whatever happens.
                    isInterrupted = true;
                }
            }
            if (isInterrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
