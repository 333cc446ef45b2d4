package io.sundial.query.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.core.FieldType;
import io.sundial.query.function.Aggregate;
import io.sundial.query.function.Aggregates;
import io.sundial.query.plan.TimeRange;
import io.sundial.query.plan.Window;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Dense bucket arrays give the same states, first bucket and windows as a sorted map. */
class BucketStatesTest {
    private static final long MINUTE = 60_000_000_000L;
    private static final long HOUR = 60 * MINUTE;
    /** 2016-01-01T05:00:00Z. */
    private static final long FIVE = 1_451_624_400_000_000_000L;

    static Stream<Arguments> layouts() {
        return Stream.of(
                Arguments.of(Named.of("12 hours by the hour: 12 dense buckets",
                        new Window(HOUR, 0, null)), new TimeRange(FIVE, FIVE + 12 * HOUR - 1), 12),
                Arguments.of(Named.of("range starting mid-bucket, offset 7 minutes",
                        new Window(HOUR, 7 * MINUTE, null)), new TimeRange(FIVE + 1, FIVE + 3 * HOUR), 4),
                Arguments.of(Named.of("1,024 minutes: the dense limit",
                        new Window(MINUTE, 0, null)), new TimeRange(FIVE, FIVE + 1024 * MINUTE - 1), 1024),
                Arguments.of(Named.of("1,025 minutes: a map", new Window(MINUTE, 0, null)),
                        new TimeRange(FIVE, FIVE + 1025 * MINUTE - 1), 0),
                Arguments.of(Named.of("open start: a map", new Window(MINUTE, 0, null)),
                        new TimeRange(Long.MIN_VALUE, FIVE), 0),
                Arguments.of(Named.of("tz(): a map", new Window(HOUR, 0, ZoneId.of("Europe/Berlin"))),
                        new TimeRange(FIVE, FIVE + 2 * HOUR), 0));
    }

    @ParameterizedTest
    @MethodSource("layouts")
    void layoutIsDenseOnlyForFixedBoundedSpans(Window window, TimeRange range, int denseBuckets) {
        BucketStates.Layout layout = BucketStates.Layout.of(window, range);
        if (denseBuckets == 0) {
            assertNull(layout);
        } else {
            assertNotNull(layout);
            assertEquals(denseBuckets, layout.bucketCount());
            assertEquals(window.start(range.min()), layout.firstBucket());
        }
    }

    /** Random buckets in and around the dense span (a moving window's look-back lies before it). */
    @Test
    void denseAndMapAgreeOnEveryQuestion() {
        long seed = System.nanoTime();
        System.out.println("BucketStatesTest.denseAndMapAgreeOnEveryQuestion seed " + seed);
        SplittableRandom random = new SplittableRandom(seed);
        Window window = new Window(MINUTE, 0, null);
        BucketStates.Layout layout = BucketStates.Layout.of(window, new TimeRange(FIVE, FIVE + 60 * MINUTE - 1));
        assertNotNull(layout);
        BucketStates dense = new BucketStates(layout);
        TreeMap<Long, Aggregate> expected = new TreeMap<>();
        assertTrue(dense.isEmpty());
        for (int i = 0; i < 300; i++) {
            long bucket = FIVE + (random.nextInt(90) - 20) * MINUTE;
            double value = random.nextDouble();
            Aggregate state = dense.computeIfAbsent(bucket, () -> Aggregates.create("sum", FieldType.FLOAT, 0));
            Aggregate same = expected.computeIfAbsent(bucket, key -> state);
            assertSame(same, state, "seed " + seed + ": one state per bucket " + bucket);
            state.add(new io.sundial.storage.Column(FieldType.FLOAT, new long[] {bucket},
                    new long[] {Double.doubleToRawLongBits(value)}, null, 1), 0, 1);
        }
        assertEquals(expected.firstKey(), dense.firstBucket(), "seed " + seed);
        for (long bucket = FIVE - 25 * MINUTE; bucket < FIVE + 75 * MINUTE; bucket += MINUTE) {
            assertSame(expected.get(bucket), dense.get(bucket), "seed " + seed + ", bucket " + bucket);
        }
        for (int i = 0; i < 100; i++) {
            long from = FIVE + (random.nextInt(100) - 25) * MINUTE;
            long to = from + random.nextInt(40) * MINUTE;
            List<Aggregate> want = new ArrayList<>(expected.subMap(from, true, to, true).values());
            assertEquals(want, dense.between(from, to), "seed " + seed + ", [" + from + ", " + to + "]");
        }
    }

    @Test
    void firstBucketOfADenseSpanIsItsEarliestState() {
        Window window = new Window(HOUR, 0, null);
        BucketStates states = new BucketStates(BucketStates.Layout.of(window, new TimeRange(FIVE, FIVE + 12 * HOUR - 1)));
        states.computeIfAbsent(FIVE + 7 * HOUR, () -> Aggregates.create("max", FieldType.FLOAT, 0));
        states.computeIfAbsent(FIVE + 3 * HOUR, () -> Aggregates.create("max", FieldType.FLOAT, 0));
        assertEquals(FIVE + 3 * HOUR, states.firstBucket());
        assertNull(states.get(FIVE + 4 * HOUR));
    }
}
