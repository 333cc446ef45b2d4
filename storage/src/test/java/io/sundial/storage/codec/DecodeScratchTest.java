package io.sundial.storage.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.core.FieldType;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The pooled decode scratch: sets are reused, never shared by two decodes at once, and the pool stays bounded. */
class DecodeScratchTest {
    @Test
    void setsHeldAtOnceAreDistinctAndComeBackForReuse() {
        // A pool of its own: another thread of the test JVM decoding meanwhile cannot change its count.
        DecodeScratch.Pool pool = new DecodeScratch.Pool();
        List<DecodeScratch> held = new ArrayList<>();
        for (int i = 0; i < DecodeScratch.POOLED_MAX + 3; i++) {
            held.add(pool.take());
        }
        Set<DecodeScratch> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
        distinct.addAll(held);
        assertEquals(held.size(), distinct.size(), "a set was handed out twice while held");
        for (DecodeScratch scratch : held) {
            pool.release(scratch);
        }
        // Three more than the pool holds were given back: the pool keeps POOLED_MAX, the rest are dropped.
        assertEquals(DecodeScratch.POOLED_MAX, pool.pooled());
        List<DecodeScratch> again = new ArrayList<>();
        for (int i = 0; i < DecodeScratch.POOLED_MAX; i++) {
            DecodeScratch scratch = pool.take();
            assertTrue(distinct.contains(scratch), "take made a new set while the pool held one");
            again.add(scratch);
        }
        assertEquals(0, pool.pooled());
        DecodeScratch fresh = pool.take();
        assertFalse(distinct.contains(fresh), "an empty pool must make a new set");
        again.forEach(pool::release);
        pool.release(fresh);
    }

    @Test
    void arraysGrowToTheLargestChunkAndAreKept() {
        DecodeScratch scratch = DecodeScratch.take();
        try {
            long[] times = scratch.times(5_000);
            assertTrue(times.length >= 5_000);
            assertSame(times, scratch.times(100), "a smaller decode must reuse the grown array");
            assertTrue(scratch.values(ChunkCodec.POINTS_MAX).length >= ChunkCodec.POINTS_MAX);
            byte[] bytes = scratch.bytes(70_000);
            assertSame(bytes, scratch.bytes(10));
            // Beyond the bound a chunk gets its own array, so no pooled set ever holds more than BYTES_MAX.
            byte[] large = scratch.bytes(DecodeScratch.BYTES_MAX + 1);
            assertNotSame(bytes, large);
            assertSame(bytes, scratch.bytes(10));
        } finally {
            scratch.release();
        }
    }

    /** Many decodes at once on virtual and platform threads each see only their own chunk's points. */
    @Test
    void concurrentDecodesGiveEachChunkItsOwnPoints() throws Exception {
        long seed = System.nanoTime();
        System.out.println("DecodeScratchTest seed " + seed);
        SplittableRandom random = new SplittableRandom(seed);
        int chunks = 24;
        List<ChunkFixture> fixtures = new ArrayList<>();
        List<byte[]> bodies = new ArrayList<>();
        for (int c = 0; c < chunks; c++) {
            long[] values = new long[200 + random.nextInt(9_000)];
            double walk = random.nextDouble(-100, 100);
            for (int i = 0; i < values.length; i++) {
                walk += random.nextDouble(-1, 1);
                values[i] = Double.doubleToRawLongBits(walk);
            }
            ChunkFixture fixture = ChunkFixture.regular(FieldType.FLOAT, values);
            fixtures.add(fixture);
            bodies.add(fixture.encode());
        }
        try (ExecutorService virtual = Executors.newVirtualThreadPerTaskExecutor();
             ExecutorService platform = Executors.newFixedThreadPool(4)) {
            List<Future<String>> results = new ArrayList<>();
            for (int task = 0; task < 400; task++) {
                int c = task % chunks;
                ExecutorService on = task % 2 == 0 ? virtual : platform;
                results.add(on.submit(() -> checkDecodes(fixtures.get(c), bodies.get(c))));
            }
            for (Future<String> result : results) {
                assertEquals("", result.get(), "seed " + seed);
            }
        }
    }

    /** An empty string when every decode matched, else what differed. */
    private static String checkDecodes(ChunkFixture fixture, byte[] body) {
        MemorySegment segment = MemorySegment.ofArray(body);
        int count = fixture.count();
        long[] times = new long[count];
        long[] values = new long[count];
        ChunkCodec.decode(FieldType.FLOAT, segment, 0, body.length, count, times, values, null, 0);
        if (!Arrays.equals(times, fixture.timestamps()) || !Arrays.equals(values, fixture.values())) {
            return "whole decode of a " + count + "-point chunk differs";
        }
        int from = count / 3;
        int to = 2 * count / 3;
        ChunkCodec.DecodedRange range = ChunkCodec.decodeRange(FieldType.FLOAT, segment, 0, body.length, count,
                fixture.timestamps()[from], fixture.timestamps()[to - 1]);
        if (!Arrays.equals(range.timestamps(), Arrays.copyOfRange(fixture.timestamps(), from, to))
                || !Arrays.equals(range.values(), Arrays.copyOfRange(fixture.values(), from, to))) {
            return "range decode of a " + count + "-point chunk differs";
        }
        return "";
    }

    @Test
    void aDecodeGivesItsSetBackEvenWhenTheChunkIsBad() {
        byte[] garbage = new byte[64];
        Arrays.fill(garbage, (byte) 0xFF);
        List<DecodeScratch> drained = new ArrayList<>();
        for (int i = 0; i < DecodeScratch.POOLED_MAX; i++) {
            drained.add(DecodeScratch.take());
        }
        try {
            assertEquals(0, DecodeScratch.SHARED.pooled());
            long[] times = new long[10];
            assertThrows(ChunkFormatException.class, () -> ChunkCodec.decode(FieldType.FLOAT,
                    MemorySegment.ofArray(garbage), 0, garbage.length, 10, times, new long[10], null, 0));
            assertEquals(1, DecodeScratch.SHARED.pooled(), "the failed decode's set must return to the pool");
        } finally {
            drained.forEach(DecodeScratch::release);
        }
    }
}
