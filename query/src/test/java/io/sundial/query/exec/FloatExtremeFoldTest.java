package io.sundial.query.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.sundial.core.FieldType;
import io.sundial.query.function.Aggregate;
import io.sundial.query.function.Aggregates;
import io.sundial.query.function.PointList;
import io.sundial.query.plan.TimeRange;
import io.sundial.query.plan.Window;
import io.sundial.storage.Column;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bucket walk leaves in every bucket the state that adding that bucket's points one by one
 * leaves ({@link Aggregate#add}, which offers every point): same value, same selected time, same
 * set of buckets with a state. Columns have gaps of whole buckets, points before the dense span
 * (a moving window's look-back), ties, NaN, signed zeros and infinities.
 */
class FloatExtremeFoldTest {
    private static final long MINUTE = 60_000_000_000L;
    private static final double[] SPECIAL = {Double.NaN, -0.0, 0.0, 1.5, -1.5, 7.0, Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY, Double.MIN_VALUE, -Double.MAX_VALUE};

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("dense, 10 s points, 1 m buckets", MINUTE, 10_000_000_000L, true),
                Arguments.of("dense, offset buckets", MINUTE, 7_000_000_000L, true),
                Arguments.of("sparse map (open range)", MINUTE, 10_000_000_000L, false),
                Arguments.of("dense, one point per bucket or fewer", 5_000_000_000L, 13_000_000_000L, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void everyBucketMatchesPointByPointAdds(String name, long intervalNanos, long stepNanos, boolean isDense) {
        long seed = System.nanoTime();
        System.out.println("FloatExtremeFoldTest " + name + " seed " + seed);
        SplittableRandom random = new SplittableRandom(seed);
        for (int trial = 0; trial < 300; trial++) {
            String where = name + ", seed " + seed + " trial " + trial;
            Window window = new Window(intervalNanos, random.nextInt(3) * 1_000_000_000L, null);
            long rangeStart = 1_000 * MINUTE;
            BucketStates.Layout layout = isDense
                    ? BucketStates.Layout.of(window, new TimeRange(rangeStart, rangeStart + 200 * intervalNanos))
                    : null;
            Column column = randomColumn(random, rangeStart - 3 * intervalNanos, stepNanos, intervalNanos);
            boolean isMin = random.nextBoolean();
            String function = isMin ? "min" : "max";
            BucketStates actual = new BucketStates(layout);
            FloatExtremeFold.fold(actual, window, column, isMin, () -> Aggregates.create(function, FieldType.FLOAT, 0));

            TreeMap<Long, Aggregate> expected = new TreeMap<>();
            for (int i = 0; i < column.size(); i++) {
                expected.computeIfAbsent(window.start(column.timestamp(i)),
                        bucket -> Aggregates.create(function, FieldType.FLOAT, 0)).add(column, i, i + 1);
            }
            long first = expected.firstKey() - 2 * intervalNanos;
            long last = expected.lastKey() + 2 * intervalNanos;
            for (long bucket = first; bucket <= last; bucket += intervalNanos) {
                Aggregate want = expected.get(bucket);
                Aggregate got = actual.get(bucket);
                if (want == null) {
                    assertNull(got, where + " bucket " + bucket);
                    continue;
                }
                PointList wantPoints = want.result();
                PointList gotPoints = got.result();
                assertEquals(wantPoints.time(0), gotPoints.time(0), where + " bucket " + bucket);
                assertEquals(wantPoints.value(0), gotPoints.value(0), where + " bucket " + bucket);
            }
            assertEquals(new ArrayList<>(expected.values()).size(),
                    actual.between(Long.MIN_VALUE, Long.MAX_VALUE).size(), where + ": buckets with a state");
        }
    }

    /** Ascending times from {@code start}, steps of one to a few {@code stepNanos}, now and then a gap of buckets. */
    private static Column randomColumn(SplittableRandom random, long start, long stepNanos, long intervalNanos) {
        int size = 1 + random.nextInt(120);
        List<Long> times = new ArrayList<>();
        long time = start + random.nextLong(intervalNanos);
        for (int i = 0; i < size; i++) {
            times.add(time);
            time += random.nextInt(10) == 0 ? intervalNanos * (1 + random.nextInt(4)) : stepNanos * (1 + random.nextInt(2));
        }
        long[] timestamps = new long[size];
        long[] values = new long[size];
        for (int i = 0; i < size; i++) {
            timestamps[i] = times.get(i);
            double value = random.nextInt(3) == 0 ? SPECIAL[random.nextInt(SPECIAL.length)]
                    : random.nextInt(5) - 2 + random.nextInt(2) * 0.25;
            values[i] = Double.doubleToRawLongBits(value);
        }
        return new Column(FieldType.FLOAT, timestamps, values, null, size);
    }
}
