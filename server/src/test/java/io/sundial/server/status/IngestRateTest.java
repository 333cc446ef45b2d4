package io.sundial.server.status;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class IngestRateTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void noRateBeforeTwoSamples() {
        IngestRate rate = new IngestRate();
        assertEquals(0, rate.pointsPerSecond());
        rate.sample(0, 100, 1000);
        assertEquals(0, rate.pointsPerSecond());
    }

    @Test
    void rateSpansTheLastMinute() {
        IngestRate rate = new IngestRate();
        // 100 points/s for the first minute, then 10 points/s.
        for (int s = 0; s <= 60; s += 5) {
            rate.sample(s * SECOND, 100L * s, 1000L * s);
        }
        assertEquals(100, rate.pointsPerSecond(), 1e-9);
        assertEquals(1000, rate.valuesPerSecond(), 1e-9);
        for (int s = 65; s <= 120; s += 5) {
            rate.sample(s * SECOND, 6000 + 10L * (s - 60), 60_000 + 100L * (s - 60));
        }
        // Window 60 s .. 120 s: (6600 - 6000) / 60.
        assertEquals(10, rate.pointsPerSecond(), 1e-9);
        assertEquals(100, rate.valuesPerSecond(), 1e-9);
    }

    @Test
    void shorterHistoryGivesTheRateOfWhatThereIs() {
        IngestRate rate = new IngestRate();
        rate.sample(0, 0, 0);
        rate.sample(4 * SECOND, 400, 800);
        assertEquals(100, rate.pointsPerSecond(), 1e-9);
        assertEquals(200, rate.valuesPerSecond(), 1e-9);
    }

    @Test
    void aBurstOfSamplesKeepsTheWholeMinute() {
        IngestRate rate = new IngestRate();
        rate.sample(0, 0, 0);
        // 1,000 status requests within 10 ms of each other around t = 30 s, then one at 60 s.
        for (int i = 0; i < 1_000; i++) {
            rate.sample(30 * SECOND + i * 10_000L, 3_000, 3_000);
        }
        rate.sample(60 * SECOND, 6_000, 6_000);
        assertEquals(100, rate.pointsPerSecond(), 1e-9, "the sample at 0 s must survive the burst");
    }

    @Test
    void droppedDatabaseGivesZeroNotNegative() {
        IngestRate rate = new IngestRate();
        rate.sample(0, 1000, 1000);
        rate.sample(5 * SECOND, 10, 10);
        assertEquals(0, rate.pointsPerSecond());
    }
}
