package io.sundial.server.warmup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The wait for the JIT compilers on a clock of the test's own: each sleep moves it on, each look reads the next compile time. */
class CompilerQuietTest {
    private static final long LOOK_MILLIS = CompilerQuiet.INTERVAL.toMillis();
    private static final long BUSY = CompilerQuiet.BUSY_MAX_MILLIS;

    /** Compilers' accumulated ms at the start and after each interval (the last value repeats), the bound, and what should come of it. */
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("quiet from the start", new long[] {500, 500, 500}, Duration.ofSeconds(10), true, 2, 0),
                Arguments.of("busy for three looks, then quiet", new long[] {0, 200, 400, 600, 600 + BUSY - 1, 600 + 2 * (BUSY - 1)},
                        Duration.ofSeconds(10), true, 5, 600 + 2 * (BUSY - 1)),
                Arguments.of("one quiet look between busy ones does not end it", new long[] {0, 100, 100, 200, 200, 200},
                        Duration.ofSeconds(10), true, 5, 200),
                Arguments.of("exactly the busy bound counts as busy", new long[] {0, BUSY, 2 * BUSY, 2 * BUSY, 2 * BUSY},
                        Duration.ofSeconds(10), true, 4, 2 * BUSY),
                Arguments.of("never quiet: the bound ends it", busyForever(), Duration.ofSeconds(2), false, 8, 8 * 100),
                Arguments.of("a bound shorter than two looks: no quiet possible", busyForever(), Duration.ofMillis(LOOK_MILLIS + 1),
                        false, 1, 100),
                Arguments.of("no wait at all", new long[] {0, 0}, Duration.ZERO, false, 0, 0));
    }

    private static long[] busyForever() {
        long[] millis = new long[100];
        for (int i = 0; i < millis.length; i++) {
            millis[i] = 100L * i;
        }
        return millis;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void waitsUntilTwoQuietLooksInARowOrItsBound(String name, long[] compileMillis, Duration waitMax, boolean isQuiet, int looks,
                                                 long compiledInWait) throws InterruptedException {
        FakeClock clock = new FakeClock();
        int[] reads = {0};
        CompilerQuiet.Result result = CompilerQuiet.await(() -> compileMillis[Math.min(reads[0]++, compileMillis.length - 1)], clock,
                waitMax);
        assertEquals(isQuiet, result.isQuiet(), name);
        assertEquals(looks, clock.sleeps, name);
        assertEquals(Duration.ofMillis(looks * LOOK_MILLIS), result.waited(), name);
        assertEquals(Duration.ofMillis(compiledInWait), result.compileTime(), name);
    }

    @Test
    void anInterruptEndsTheWait() {
        CompilerQuiet.Clock interrupted = new FakeClock() {
            @Override
            public void sleep(Duration duration) throws InterruptedException {
                throw new InterruptedException("server stopping");
            }
        };
        assertThrows(InterruptedException.class, () -> CompilerQuiet.await(() -> 0, interrupted, Duration.ofSeconds(10)));
    }

    @Test
    void aNegativeBoundIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> CompilerQuiet.await(() -> 0, new FakeClock(), Duration.ofMillis(-1)));
    }

    private static class FakeClock implements CompilerQuiet.Clock {
        long nanos = 1_000_000_000L;
        int sleeps;

        @Override
        public long nanoTime() {
            return nanos;
        }

        @Override
        public void sleep(Duration duration) throws InterruptedException {
            nanos += duration.toNanos();
            sleeps++;
        }
    }
}
