package io.sundial.server.auth;

/**
 * A token bucket: holds up to {@code burst} tokens, refilled at {@code perSecond}; each request
 * takes one. Not thread-safe on its own: {@link RateLimiter} serializes access per bucket.
 */
final class TokenBucket {
    private final double perSecond;
    private final double burst;
    private double tokens;
    private long refilledNanos;

    TokenBucket(double perSecond, double burst, long nowNanos) {
        this.perSecond = perSecond;
        this.burst = burst;
        this.tokens = burst;
        this.refilledNanos = nowNanos;
    }

    /** Takes a token: 0 when one was there, else the nanoseconds until one will be. */
    long take(long nowNanos) {
        refill(nowNanos);
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        return (long) Math.ceil((1 - tokens) / perSecond * 1e9);
    }

    /** Nanoseconds until a token is there (0: one is), without taking it. */
    long waitNanos(long nowNanos) {
        refill(nowNanos);
        return tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) / perSecond * 1e9);
    }

    /** Whether the bucket is full at {@code nowNanos} (so forgetting it changes nothing). */
    boolean isFull(long nowNanos) {
        refill(nowNanos);
        return tokens >= burst;
    }

    private void refill(long nowNanos) {
        long elapsed = nowNanos - refilledNanos;
        if (elapsed > 0) {
            tokens = Math.min(burst, tokens + elapsed * perSecond / 1e9);
            refilledNanos = nowNanos;
        }
    }
}
