package io.sundial.storage.memtable;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.sundial.core.FieldType;
import io.sundial.storage.Column;
import java.util.Arrays;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * {@link ColumnBuffer#copyRange} of a sorted column, in one page or many, against the same range
 * cut from the whole column ({@link ColumnBuffer#copyTimestamps()}) with a linear scan. Columns of more
 * than a few dozen points have native pages (see {@link PageArena}).
 */
class ColumnBufferRangeTest {
    @Property(tries = 300)
    void copyRangeIsTheWholeColumnCutToTheRange(@ForAll @IntRange(min = 0, max = 3_000) int points,
                                                @ForAll @IntRange(min = 1, max = 20) int gapMax, @ForAll long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        boolean isString = random.nextInt(4) == 0;
        PageArena arena = new PageArena();
        try {
            check(points, gapMax, seed, random, isString, new PageArena.Slab(arena));
        } finally {
            arena.close();
        }
    }

    private static void check(int points, int gapMax, long seed, SplittableRandom random, boolean isString,
                              PageArena.Slab slab) {
        ColumnBuffer column = new ColumnBuffer(1, 1, isString ? FieldType.STRING : FieldType.FLOAT);
        long time = random.nextLong(-1_000, 1_000);
        for (int i = 0; i < points; i++) {
            time += random.nextInt(1, gapMax + 1);
            column.append(time, random.nextLong(), isString ? "s" + i : null, slab);
        }
        column.normalize();
        long[] all = column.copyTimestamps();
        long[] allValues = column.copyValues(0);
        String[] allStrings = column.copyStrings();
        long first = points == 0 ? 0 : all[0];
        long last = points == 0 ? 0 : all[points - 1];
        long minTime = random.nextLong(first - 50, last + 50);
        long maxTime = random.nextInt(10) == 0 ? minTime - 1 : random.nextLong(minTime, last + 100);
        int from = 0;
        while (from < points && all[from] < minTime) {
            from++;
        }
        int to = from;
        while (to < points && all[to] <= maxTime) {
            to++;
        }
        Column range = column.copyRange(minTime, maxTime, 0);
        String where = "seed " + seed + ", points " + points + ", range [" + minTime + ", " + maxTime + "]";
        if (to == from) {
            assertNull(range, where);
            return;
        }
        assertEquals(to - from, range.size(), where);
        assertArrayEquals(Arrays.copyOfRange(all, from, to), Arrays.copyOf(range.timestamps(), range.size()), where);
        if (isString) {
            assertArrayEquals(Arrays.copyOfRange(allStrings, from, to), Arrays.copyOf(range.strings(), range.size()), where);
        } else {
            assertArrayEquals(Arrays.copyOfRange(allValues, from, to), Arrays.copyOf(range.values(), range.size()), where);
        }
    }
}
