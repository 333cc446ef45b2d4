package io.sundial.server.query;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The limit on queries running at once (the resource plan's {@code queriesConcurrentMax}): a query
 * over the limit waits for a slot up to {@code waitMax}, then is refused, so the memory and threads
 * all running queries hold stay bounded however many clients ask at once. Slots are handed out in
 * arrival order (a fair semaphore), so a burst cannot starve an early waiter.
 */
public final class QueryAdmission {
    /** How long a query waits for a slot before it is refused (Retry-After tells the client when to try again). */
    public static final Duration WAIT_MAX_DEFAULT = Duration.ofSeconds(5);
    /** Seconds a refused client is told to wait. */
    public static final int RETRY_AFTER_SECONDS = 1;

    private final int queriesMax;
    private final long waitNanos;
    private final Semaphore slots;

    public QueryAdmission(int queriesMax, Duration waitMax) {
        if (queriesMax < 1) {
            throw new IllegalArgumentException("queriesConcurrentMax must be at least 1, got " + queriesMax);
        }
        if (waitMax.isNegative()) {
            throw new IllegalArgumentException("the wait for a query slot must not be negative, got " + waitMax);
        }
        this.queriesMax = queriesMax;
        this.waitNanos = waitMax.toNanos();
        this.slots = new Semaphore(queriesMax, true);
    }

    /** A slot held until closed. */
    public interface Slot extends AutoCloseable {
        @Override
        void close();
    }

    /** Thrown when no slot freed within the wait; the message says why and what to do. */
    public static final class BusyException extends Exception {
        private static final long serialVersionUID = 1L;

        BusyException(String message) {
            super(message);
        }
    }

    /** Takes a slot, waiting up to the limit; close it when the query's answer is written. */
    public Slot enter() throws BusyException {
        boolean isAdmitted;
        try {
            isAdmitted = slots.tryAcquire(waitNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BusyException("interrupted while waiting for a query slot (the server is stopping)");
        }
        if (!isAdmitted) {
            throw new BusyException("too many queries at once: " + queriesMax + " are running (queriesConcurrentMax, "
                    + "two per core) and this one waited " + Duration.ofNanos(waitNanos).toMillis()
                    + " ms for a slot; retry after " + RETRY_AFTER_SECONDS + " s or send fewer queries at once");
        }
        return heldSlot();
    }

    /**
     * Takes a slot only if one is free now and no query is already waiting for one (waiters keep
     * their arrival order), else answers null. The HTTP handler asks this on the thread that read
     * the request: a query admitted at once runs there, one that would wait moves to a virtual
     * thread, so waiting never holds a platform thread.
     */
    public Slot tryEnter() {
        try {
            // The timed form honours fairness; the untimed tryAcquire() would barge past waiters.
            return slots.tryAcquire(0, TimeUnit.NANOSECONDS) ? heldSlot() : null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private Slot heldSlot() {
        return new Slot() {
            private boolean isClosed;

            @Override
            public void close() {
                if (!isClosed) {
                    isClosed = true;
                    slots.release();
                }
            }
        };
    }

    public int queriesMax() {
        return queriesMax;
    }

    /** Queries running now (for tests and metrics). */
    public int running() {
        return queriesMax - slots.availablePermits();
    }
}
