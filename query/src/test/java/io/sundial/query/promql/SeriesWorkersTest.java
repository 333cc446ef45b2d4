package io.sundial.query.promql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SeriesWorkersTest {
    private static SampleBudget budget() {
        return new SampleBudget(Long.MAX_VALUE, System.nanoTime() + 60_000_000_000L);
    }

    @ParameterizedTest(name = "{0} series")
    @ValueSource(ints = {0, 1, SeriesWorkers.PARALLEL_SERIES_MIN - 1, SeriesWorkers.PARALLEL_SERIES_MIN, 1_000})
    void resultsComeInIndexOrderWithoutTheNulls(int count) {
        Set<Integer> seen = ConcurrentHashMap.newKeySet();
        List<Integer> out = SeriesWorkers.map(count, Long.MAX_VALUE, i -> {
            assertEquals(true, seen.add(i), "index " + i + " read twice");
            return i % 7 == 3 ? null : i;
        }, budget());
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (i % 7 != 3) {
                expected.add(i);
            }
        }
        assertEquals(expected, out);
        assertEquals(count, seen.size());
    }

    @ParameterizedTest(name = "failing at {0}")
    @ValueSource(ints = {0, 499, 999})
    void aFailureOnAnyThreadIsThrownToTheQuery(int failingIndex) {
        IllegalStateException failure = new IllegalStateException("bad chunk");
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> SeriesWorkers.map(1_000, Long.MAX_VALUE, i -> {
            if (i == failingIndex) {
                throw failure;
            }
            return i;
        }, budget()));
        assertSame(failure, thrown);
    }

    @ParameterizedTest(name = "failing at {0}")
    @ValueSource(ints = {0, 999})
    void anErrorOnAnyThreadIsThrownToTheQuery(int failingIndex) {
        StackOverflowError failure = new StackOverflowError("deep");
        assertSame(failure, assertThrows(StackOverflowError.class, () -> SeriesWorkers.map(1_000, Long.MAX_VALUE, i -> {
            if (i == failingIndex) {
                throw failure;
            }
            return i;
        }, budget())));
    }

    @ParameterizedTest(name = "estimated work {0}")
    @ValueSource(longs = {0, 1, SeriesWorkers.PARALLEL_WORK_MIN - 1})
    void smallWorkStaysOnTheQueryThread(long estimatedWork) {
        Thread query = Thread.currentThread();
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        List<Integer> out = SeriesWorkers.map(1_000, estimatedWork, i -> {
            threads.add(Thread.currentThread());
            return i;
        }, budget());
        assertEquals(1_000, out.size());
        assertEquals(Set.of(query), threads);
    }

    @org.junit.jupiter.api.Test
    void anExpiredDeadlineStopsTheRead() {
        SampleBudget expired = new SampleBudget(Long.MAX_VALUE, System.nanoTime() - 1);
        assertThrows(PromTimeoutException.class, () -> SeriesWorkers.map(1_000, Long.MAX_VALUE, i -> i, expired));
    }
}
