package io.sundial.server.http;

import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Whether users are writing over HTTP now: the write requests in flight and when the last one
 * ended. Background work that only makes later requests faster (the start-up query warm-up)
 * reads it to stay out of ingestion's way: a client that sends batch after batch leaves gaps of
 * well under a millisecond between them, so "busy" covers a short quiet time after the last
 * write as well, not only the requests in flight. Requests whose id starts with
 * {@link #INTERNAL_REQUEST_ID_PREFIX} (the warm-up's own, to its scratch server) are not counted.
 * Thread-safe; one per process ({@link #global()}).
 */
public final class WriteActivity {
    /** X-Request-Id prefix of Sundial's own background requests, which are not user activity. */
    public static final String INTERNAL_REQUEST_ID_PREFIX = "sundial-warmup-";
    /** The HTTP paths that write points. */
    static final Set<String> WRITE_PATHS = Set.of("/write", "/api/v2/write", "/api/v1/write", "/api/v1/import/prometheus");
    private static final WriteActivity GLOBAL = new WriteActivity();
    /** Ends nothing: the scope of a request that is not a counted write. */
    private static final Scope NOT_COUNTED = () -> { };

    private final AtomicInteger inFlight = new AtomicInteger();
    /** System.nanoTime() when the last counted write ended; meaningful only once {@link #hasEnded} is set. */
    private final AtomicLong lastEndNanos = new AtomicLong();
    private volatile boolean hasEnded;

    /** The end of one counted write request; closing it twice counts once. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    WriteActivity() {
    }

    public static WriteActivity global() {
        return GLOBAL;
    }

    /** Counts the request as a write in flight when its path writes and it is not an internal request. */
    public Scope begin(String path, String requestId) {
        if (!WRITE_PATHS.contains(path) || requestId.startsWith(INTERNAL_REQUEST_ID_PREFIX)) {
            return NOT_COUNTED;
        }
        inFlight.incrementAndGet();
        boolean[] closed = new boolean[1];
        return () -> {
            if (!closed[0]) {
                closed[0] = true;
                lastEndNanos.set(System.nanoTime());
                hasEnded = true;
                inFlight.decrementAndGet();
            }
        };
    }

    /** Counted writes in flight now. */
    int inFlight() {
        return inFlight.get();
    }

    /** True while a counted write is in flight or one ended less than {@code quietNanos} before {@code nowNanos}. */
    public boolean isBusy(long nowNanos, long quietNanos) {
        return inFlight.get() > 0 || hasEnded && nowNanos - lastEndNanos.get() < quietNanos;
    }
}
