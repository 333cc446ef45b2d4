package io.sundial.query.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sundial.storage.Column;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/** The galloping search that keeps a column's alive times finds what a plain bisection of the rest finds. */
class ChunkPredicateGallopTest {
    @Property(tries = 2_000)
    void gallopIsTheLowerBoundOfTheRest(@ForAll @Size(max = 300) long[] raw, @ForAll @IntRange(max = 320) int from,
                                        @ForAll @LongRange(min = -50, max = 50) long time) {
        long[] stamps = Arrays.stream(raw).map(v -> Math.floorMod(v, 101) - 50).sorted().distinct().toArray();
        int size = stamps.length;
        int start = Math.min(from, size);
        int expected = start + Column.lowerBound(Arrays.copyOfRange(stamps, start, size), size - start, time);
        assertEquals(expected, ChunkPredicate.gallop(stamps, start, size, time));
    }
}
