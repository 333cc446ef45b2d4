package io.sundial.server.auth;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Token-bucket rate limit per key (a user name, or the client IP for anonymous requests).
 * Bounded: at most {@link #KEYS_MAX} buckets; when full, buckets that refilled completely are
 * forgotten (they hold no state worth keeping), and if none did, new keys share one overflow
 * bucket so a flood of distinct IPs cannot grow the heap.
 */
public final class RateLimiter {
    public static final int KEYS_MAX = 100_000;
    private static final String OVERFLOW_KEY = "\0overflow";

    private final double perSecond;
    private final double burst;
    private final LongSupplier nanoClock;
    private final Map<String, TokenBucket> buckets = new HashMap<>();

    /**
     * @param perSecond sustained requests per second per key, &gt; 0
     * @param burst requests a key may send at once after being idle, &ge; 1
     * @param nanoClock monotonic nanoseconds ({@code System::nanoTime}; tests inject their own)
     */
    public RateLimiter(double perSecond, double burst, LongSupplier nanoClock) {
        if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
            throw new IllegalArgumentException("rate limit must be a positive number of requests per second, got " + perSecond);
        }
        if (!(burst >= 1) || Double.isInfinite(burst)) {
            throw new IllegalArgumentException("rate-limit burst must be at least 1 request, got " + burst);
        }
        this.perSecond = perSecond;
        this.burst = burst;
        this.nanoClock = nanoClock;
    }

    /** Takes one request from {@code key}'s bucket: 0 when allowed, else the nanoseconds to wait. */
    public synchronized long acquire(String key) {
        long now = nanoClock.getAsLong();
        TokenBucket bucket = buckets.get(key);
        if (bucket == null) {
            if (buckets.size() >= KEYS_MAX) {
                evictFull(now);
            }
            String slot = buckets.size() >= KEYS_MAX ? OVERFLOW_KEY : key;
            bucket = buckets.computeIfAbsent(slot, k -> new TokenBucket(perSecond, burst, now));
        }
        return bucket.take(now);
    }

    /** Nanoseconds until {@code key} may send again (0: now), without taking anything. */
    public synchronized long waitNanos(String key) {
        TokenBucket bucket = buckets.get(key);
        if (bucket == null && buckets.size() >= KEYS_MAX) {
            bucket = buckets.get(OVERFLOW_KEY);
        }
        return bucket == null ? 0 : bucket.waitNanos(nanoClock.getAsLong());
    }

    /** Seconds a client should wait, rounded up, for a Retry-After header (at least 1). */
    public static long retryAfterSeconds(long waitNanos) {
        return Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
    }

    synchronized int keyCount() {
        return buckets.size();
    }

    private void evictFull(long now) {
        for (Iterator<TokenBucket> it = buckets.values().iterator(); it.hasNext(); ) {
            if (it.next().isFull(now)) {
                it.remove();
            }
        }
    }
}
