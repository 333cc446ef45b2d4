package io.sundial.server.warmup;

import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Waits until the JIT compilers have gone quiet after the warm-up's last request. The warm-up's
 * requests queue more compilations than the compiler threads finish while it runs; without the
 * wait the queue drained into the first user queries after it (about 30 C2 compilations in the
 * next 0.5 s on a quiet machine, more on a busy one: docs/BENCHMARKS.md section 10, "The warm-up and
 * the JIT at query time"), which then shared the cores with the compilers and ran code the
 * compilers were still replacing. A benchmark that waits for {@code sundial_query_warmup_running}
 * 0 then starts on a settled JIT.
 *
 * <p>Quiet means: in {@link #QUIET_INTERVALS} intervals of {@link #INTERVAL} in a row, the
 * compilers' accumulated time (the JVM's CompilationMXBean, summed over compiler threads) grew by
 * less than {@link #BUSY_MAX_MILLIS}. The wait is bounded ({@code waitMax}): compilations that users'
 * requests cause, or a compiler slowed by a busy machine, must not keep the warm-up running.
 */
final class CompilerQuiet {
    /** One look at the compilers' work. */
    static final Duration INTERVAL = Duration.ofMillis(250);
    /** Compile time within one interval below which the compilers count as quiet (5 % of it). */
    static final long BUSY_MAX_MILLIS = 12;
    /** Quiet intervals in a row that end the wait: one could fall between two queued compilations. */
    static final int QUIET_INTERVALS = 2;

    /** Time source and sleep, so tests can run the wait on a clock of their own. */
    interface Clock {
        long nanoTime();

        void sleep(Duration duration) throws InterruptedException;

        Clock SYSTEM = new Clock() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public void sleep(Duration duration) throws InterruptedException {
                Thread.sleep(duration);
            }
        };
    }

    /**
     * How the wait ended.
     *
     * @param isQuiet true when the compilers went quiet, false when {@code waitMax} ended the wait first
     * @param waited time from the start of the wait to its end
     * @param compileTime compilers' time accumulated while it waited
     */
    record Result(boolean isQuiet, Duration waited, Duration compileTime) {}

    private CompilerQuiet() {
    }

    /**
     * Waits until the compilers are quiet or {@code waitMax} has passed, whichever comes first.
     *
     * @param compileMillis the compilers' accumulated time in ms, never decreasing
     * @throws InterruptedException when the thread is interrupted (server stop)
     */
    static Result await(LongSupplier compileMillis, Clock clock, Duration waitMax) throws InterruptedException {
        Objects.requireNonNull(compileMillis, "compileMillis");
        Objects.requireNonNull(clock, "clock");
        if (waitMax.isNegative()) {
            throw new IllegalArgumentException("compiler quiet wait " + waitMax + " is negative");
        }
        long startNanos = clock.nanoTime();
        long startMillis = compileMillis.getAsLong();
        long previousMillis = startMillis;
        int quietIntervals = 0;
        while (quietIntervals < QUIET_INTERVALS) {
            if (clock.nanoTime() - startNanos + INTERVAL.toNanos() > waitMax.toNanos()) {
                return result(false, clock, startNanos, previousMillis - startMillis);
            }
            clock.sleep(INTERVAL);
            long millis = compileMillis.getAsLong();
            quietIntervals = millis - previousMillis < BUSY_MAX_MILLIS ? quietIntervals + 1 : 0;
            previousMillis = millis;
        }
        return result(true, clock, startNanos, previousMillis - startMillis);
    }

    private static Result result(boolean isQuiet, Clock clock, long startNanos, long compileMillis) {
        return new Result(isQuiet, Duration.ofNanos(clock.nanoTime() - startNanos), Duration.ofMillis(compileMillis));
    }
}
