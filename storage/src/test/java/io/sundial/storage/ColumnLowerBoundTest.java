package io.sundial.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/** {@link Column#lowerBound}, from the start and galloping from any index, finds what a linear scan finds. */
class ColumnLowerBoundTest {
    @Property(tries = 2_000)
    void lowerBoundIsTheFirstTimeNotBelowTheKey(@ForAll @Size(max = 300) long[] raw, @ForAll @IntRange(max = 320) int from,
                                                @ForAll @LongRange(min = -50, max = 50) long time) {
        long[] stamps = Arrays.stream(raw).map(v -> Math.floorMod(v, 101) - 50).sorted().distinct().toArray();
        int size = stamps.length;
        int start = Math.min(from, size);
        int expected = start;
        while (expected < size && stamps[expected] < time) {
            expected++;
        }
        assertEquals(expected, Column.lowerBound(stamps, start, size, time));
        int fromZero = 0;
        while (fromZero < size && stamps[fromZero] < time) {
            fromZero++;
        }
        assertEquals(fromZero, Column.lowerBound(stamps, size, time));
    }
}
