package io.sundial.ingest.lineprotocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sundial.core.SeriesTags;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The process-wide series-key cache: sizing, two-way sets, what it refuses, sharing between parsers and threads. */
class SeriesCacheTest {
    private static final long MIB = 1L << 20;

    static Stream<Arguments> heaps() {
        return Stream.of(
                // heap / 16 / 2 KiB entries, rounded down to a power of two, within [2^13, 2^18]
                Arguments.of("160 MiB heap: the floor", 160 * MIB, 1 << 13),
                Arguments.of("512 MiB heap: 16,384 entries", 512 * MIB, 1 << 14),
                Arguments.of("2 GiB heap: 65,536 entries", 2048 * MIB, 1 << 16),
                Arguments.of("3 GiB heap: 98,304 rounds down", 3072 * MIB, 1 << 16),
                Arguments.of("12 GiB heap: the ceiling", 12288 * MIB, 1 << 18),
                Arguments.of("1 TiB heap: the ceiling", 1L << 40, 1 << 18));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("heaps")
    void slotsFollowTheHeap(String name, long heapBytes, int expectedSlots) {
        assertEquals(expectedSlots, SeriesCache.slotsFor(heapBytes));
    }

    @Test
    void theSharedCacheIsSizedFromThisProcesssHeap() {
        assertEquals(SeriesCache.slotsFor(Runtime.getRuntime().maxMemory()), SeriesCache.shared().slotCount());
    }

    @Test
    void rejectsSlotCountsThatAreNotPowersOfTwo() {
        assertThrows(IllegalArgumentException.class, () -> new SeriesCache(3));
        assertThrows(IllegalArgumentException.class, () -> new SeriesCache(1));
    }

    @Test
    void twoKeysOfOneSetBothStayAndAThirdEvictsExactlyOne() {
        SeriesCache cache = new SeriesCache(2); // one set: every key collides
        byte[] a = bytes("cpu,host=a");
        byte[] b = bytes("cpu,host=b");
        byte[] c = bytes("cpu,host=c");
        SeriesTags ta = tags("a");
        SeriesTags tb = tags("b");
        SeriesTags tc = tags("c");
        cache.put(a, 0, a.length, ta);
        cache.put(b, 0, b.length, tb);
        assertSame(ta, cache.find(a, 0, a.length));
        assertSame(tb, cache.find(b, 0, b.length));
        cache.put(c, 0, c.length, tc);
        assertSame(tc, cache.find(c, 0, c.length));
        int survivors = (cache.find(a, 0, a.length) == ta ? 1 : 0) + (cache.find(b, 0, b.length) == tb ? 1 : 0);
        assertEquals(1, survivors, "one of the two older keys is replaced, the other kept");
    }

    @Test
    void findsAKeyInsideALargerBufferAndNotAPrefixOfIt() {
        SeriesCache cache = new SeriesCache(1 << 4);
        byte[] line = bytes("cpu,host=a usage=1 10\n");
        int keyEnd = 10;
        SeriesTags t = tags("a");
        cache.put(line, 0, keyEnd, t);
        assertSame(t, cache.find(bytes("xxcpu,host=a"), 2, 12));
        assertNull(cache.find(line, 0, keyEnd - 1));
        assertNull(cache.find(bytes("cpu,host=b"), 0, 10));
    }

    @Test
    void keysWithALineBreakOrOverTheLengthLimitAreNotCached() {
        SeriesCache cache = new SeriesCache(1 << 4);
        byte[] broken = bytes("cpu,host=a\nb");
        cache.put(broken, 0, broken.length, tags("a"));
        assertNull(cache.find(broken, 0, broken.length));
        byte[] longKey = bytes("cpu,host=" + "x".repeat(SeriesCache.KEY_BYTES_MAX));
        cache.put(longKey, 0, longKey.length, tags("x"));
        assertNull(cache.find(longKey, 0, longKey.length));
    }

    @Test
    void aSeriesParsedByOneParserIsFoundByTheNextOnAnotherThread() throws Exception {
        // A request-sized stream of distinct series, as set B sends: the second parser, on another
        // thread, must get the very instances the first cached (which carry the remembered catalog id).
        String key = "cache_test_shared,host=h-" + System.nanoTime();
        byte[] bytes = bytes(key);
        SeriesTags first = SeriesTags.of("cache_test_shared", new String[] {"host"}, new String[] {key.substring(key.indexOf('=') + 1)}, 1);
        CyclicBarrier barrier = new CyclicBarrier(2);
        AtomicReference<SeriesTags> seen = new AtomicReference<>();
        Thread writer = Thread.ofPlatform().start(() -> {
            SeriesCache.shared().put(bytes, 0, bytes.length, first);
            await(barrier);
        });
        Thread reader = Thread.ofPlatform().start(() -> {
            await(barrier);
            seen.set(SeriesCache.shared().find(bytes, 0, bytes.length));
        });
        writer.join();
        reader.join();
        assertSame(first, seen.get());
    }

    @Test
    void concurrentWritersAndReadersOnlyEverSeeWholeEntries() throws Exception {
        SeriesCache cache = new SeriesCache(1 << 6); // 64 slots for 400 keys: constant replacement
        int threads = 4;
        int keys = 400;
        List<byte[]> keyBytes = new ArrayList<>();
        List<SeriesTags> keyTags = new ArrayList<>();
        for (int k = 0; k < keys; k++) {
            keyBytes.add(bytes("cpu,host=h" + k));
            keyTags.add(tags("h" + k));
        }
        CyclicBarrier start = new CyclicBarrier(threads);
        AtomicReference<String> failure = new AtomicReference<>();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int offset = t * 37;
            workers.add(Thread.ofPlatform().start(() -> {
                await(start);
                for (int round = 0; round < 50; round++) {
                    for (int i = 0; i < keys; i++) {
                        int k = (i + offset) % keys;
                        byte[] b = keyBytes.get(k);
                        SeriesTags found = cache.find(b, 0, b.length);
                        if (found != null && found != keyTags.get(k)) {
                            failure.compareAndSet(null, "key " + k + " found the tags of another key: " + found.tagValue(0));
                        }
                        cache.put(b, 0, b.length, keyTags.get(k));
                    }
                }
            }));
        }
        for (Thread w : workers) {
            w.join();
        }
        assertNull(failure.get());
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static SeriesTags tags(String host) {
        return SeriesTags.of("cpu", new String[] {"host"}, new String[] {host}, 1);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
