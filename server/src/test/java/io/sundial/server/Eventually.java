package io.sundial.server;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;

/**
 * Polls an observation until it shows what a test waits for, with a deadline generous enough for
 * a machine at load 30. For state another thread settles after the client has its answer: the
 * server counts a request in its metrics, status and query log after the response has gone out,
 * so a scrape right after a response may not see it yet, however rarely.
 */
public final class Eventually {
    /** Long enough that only a real bug, never a slow machine, reaches it. */
    public static final Duration DEADLINE = Duration.ofSeconds(120);
    private static final long POLL_INTERVAL_NANOS = Duration.ofMillis(20).toNanos();

    private Eventually() {}

    /** What an observation must show; may throw, e.g. while parsing the observed answer. */
    @FunctionalInterface
    public interface Condition<T> {
        boolean test(T seen) throws Exception;
    }

    /**
     * Observes until {@code isDone} holds or the deadline passes, and returns the last observation
     * either way: the caller asserts on it, so a failure shows what was last seen.
     */
    public static <T> T observe(Callable<T> observation, Condition<? super T> isDone) throws Exception {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        T seen = observation.call();
        while (!isDone.test(seen) && System.nanoTime() < deadline) {
            LockSupport.parkNanos(POLL_INTERVAL_NANOS); // the interval between polls, bounded by the deadline
            seen = observation.call();
        }
        return seen;
    }
}
