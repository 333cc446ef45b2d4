package io.sundial.storage.memtable;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sundial.core.FieldType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * {@link ColumnBuffer#normalize()} against last-write-wins computed independently (a map where a
 * later put replaces an earlier one), for columns made of batches: in order, a few places out of
 * order (concurrent writers), overlapping, with duplicate timestamps, and in more pieces than
 * {@link ColumnBuffer#RUNS_MAX}.
 */
class ColumnBufferOrderTest {
    @Property(tries = 300)
    void normalizeKeepsTheLastWriteOfEachTimestampInTimeOrder(
            @ForAll @IntRange(min = 1, max = 700) int batches, @ForAll @IntRange(min = 1, max = 60) int batchPoints,
            @ForAll @IntRange(min = 0, max = 3) int shape, @ForAll long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<long[]> batchTimes = new ArrayList<>();
        for (int b = 0; b < batches; b++) {
            long[] times = new long[batchPoints];
            for (int i = 0; i < batchPoints; i++) {
                times[i] = switch (shape) {
                    case 0, 1 -> (long) b * batchPoints + i; // disjoint batches
                    case 2 -> (long) b * batchPoints + 2L * i; // batches overlapping their neighbours
                    default -> (long) b * batchPoints + i / 2; // duplicates inside a batch
                };
            }
            batchTimes.add(times);
        }
        if (shape == 1) {
            Collections.shuffle(batchTimes, new java.util.Random(seed));
        } else {
            for (int b = 1; b < batchTimes.size(); b++) {
                if (random.nextInt(3) == 0) {
                    Collections.swap(batchTimes, b - 1, b); // a neighbour's batch applied first
                }
            }
        }
        PageArena arena = new PageArena();
        PageArena.Slab slab = new PageArena.Slab(arena);
        ColumnBuffer column = new ColumnBuffer(1, 0, FieldType.INTEGER);
        Map<Long, Long> lastWrite = new TreeMap<>();
        long value = 0;
        for (long[] times : batchTimes) {
            for (long time : times) {
                value++;
                column.append(time, value, null, slab);
                lastWrite.put(time, value);
            }
        }
        column.normalize();
        long[] expectedTimes = lastWrite.keySet().stream().mapToLong(Long::longValue).toArray();
        long[] expectedValues = lastWrite.values().stream().mapToLong(Long::longValue).toArray();
        assertEquals(expectedTimes.length, column.size, "seed " + seed);
        assertArrayEquals(expectedTimes, column.copyTimestamps(), "seed " + seed);
        assertArrayEquals(expectedValues, column.copyValues(0), "seed " + seed);
        arena.close();
    }

    @Property(tries = 100)
    void stringsFollowTheirTimestamps(@ForAll @IntRange(min = 1, max = 40) int batches, @ForAll long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        PageArena arena = new PageArena();
        PageArena.Slab slab = new PageArena.Slab(arena);
        ColumnBuffer column = new ColumnBuffer(1, 0, FieldType.STRING);
        Map<Long, String> lastWrite = new TreeMap<>();
        for (int b = 0; b < batches; b++) {
            long start = random.nextLong(1000);
            for (int i = 0; i < 5; i++) {
                String text = "b" + b + "i" + i;
                column.append(start + i, 0, text, slab);
                lastWrite.put(start + i, text);
            }
        }
        column.normalize();
        assertArrayEquals(lastWrite.values().toArray(new String[0]), column.copyStrings(),
                "seed " + seed);
        arena.close();
    }
}
