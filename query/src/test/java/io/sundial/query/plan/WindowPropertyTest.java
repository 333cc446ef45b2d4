package io.sundial.query.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZoneId;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

/** Invariants of bucket alignment over random times, intervals and offsets (jqwik reports the seed of a failure). */
class WindowPropertyTest {
    @Property(tries = 500)
    void aBucketHoldsItsTimeAndIsAligned(@ForAll @LongRange(min = -4_000_000_000_000_000_000L, max = 4_000_000_000_000_000_000L) long time,
            @ForAll @LongRange(min = 1, max = 400L * 24 * 3_600_000_000_000L) long interval,
            @ForAll @LongRange(min = 0, max = 1L << 40) long offsetSeed) {
        long offset = offsetSeed % interval;
        Window window = new Window(interval, offset, null);
        long start = window.start(time);
        assertTrue(start <= time && time - start < interval, "start " + start + " for " + time);
        assertEquals(0, Math.floorMod(start - offset, interval));
        assertEquals(start + interval, window.next(start));
    }

    @Property(tries = 300)
    void zonedDailyBucketsAreContiguous(@ForAll @LongRange(min = 0, max = 4_000_000_000_000_000_000L) long time) {
        Window window = new Window(24 * 3_600_000_000_000L, 0, ZoneId.of("Europe/Paris"));
        long start = window.start(time);
        long next = window.next(start);
        assertTrue(start <= time && time < next, start + " <= " + time + " < " + next);
        assertEquals(start, window.start(next - 1));
    }
}
