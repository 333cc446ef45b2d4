package io.sundial.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
    private final AtomicLong nowNanos = new AtomicLong(1_000_000_000L);

    @Test
    void burstThenSustainedRate() {
        RateLimiter limiter = new RateLimiter(2, 3, nowNanos::get);
        for (int i = 0; i < 3; i++) {
            assertEquals(0, limiter.acquire("alice"), "burst request " + i);
        }
        // Empty bucket at 2/s: the next token is 0.5 s away.
        assertEquals(500_000_000L, limiter.acquire("alice"));
        nowNanos.addAndGet(250_000_000L);
        assertEquals(250_000_000L, limiter.acquire("alice"));
        nowNanos.addAndGet(250_000_000L);
        assertEquals(0, limiter.acquire("alice"));
        assertTrue(limiter.acquire("alice") > 0);
    }

    @Test
    void keysHaveTheirOwnBuckets() {
        RateLimiter limiter = new RateLimiter(1, 1, nowNanos::get);
        assertEquals(0, limiter.acquire("ip:10.0.0.1"));
        assertTrue(limiter.acquire("ip:10.0.0.1") > 0);
        assertEquals(0, limiter.acquire("ip:10.0.0.2"));
    }

    @Test
    void refillStopsAtTheBurst() {
        RateLimiter limiter = new RateLimiter(10, 2, nowNanos::get);
        nowNanos.addAndGet(3_600_000_000_000L);
        assertEquals(0, limiter.acquire("k"));
        assertEquals(0, limiter.acquire("k"));
        assertEquals(100_000_000L, limiter.acquire("k"));
    }

    @Test
    void waitNanosLooksWithoutTaking() {
        RateLimiter limiter = new RateLimiter(1, 1, nowNanos::get);
        assertEquals(0, limiter.waitNanos("k"), "unknown key: nothing to wait for");
        assertEquals(0, limiter.acquire("k"));
        assertEquals(1_000_000_000L, limiter.waitNanos("k"));
        assertEquals(1_000_000_000L, limiter.waitNanos("k"), "looking took nothing");
        nowNanos.addAndGet(1_000_000_000L);
        assertEquals(0, limiter.waitNanos("k"));
        assertEquals(0, limiter.acquire("k"));
    }

    @Test
    void retryAfterRoundsUpToWholeSeconds() {
        assertEquals(1, RateLimiter.retryAfterSeconds(1));
        assertEquals(1, RateLimiter.retryAfterSeconds(1_000_000_000L));
        assertEquals(2, RateLimiter.retryAfterSeconds(1_000_000_001L));
    }

    @Test
    void badSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new RateLimiter(0, 1, nowNanos::get));
        assertThrows(IllegalArgumentException.class, () -> new RateLimiter(1, 0.5, nowNanos::get));
    }
}
