package io.sundial.ingest.lineprotocol;

import io.sundial.core.SeriesTags;
import io.sundial.ingest.text.LineReader;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Series keys (the raw bytes of {@code measurement,tag=value,...} before the first unescaped
 * space) recently seen by any line-protocol parser of the process, with their checked and
 * sorted tags. Most lines of real input repeat a series seen before, and one hash plus one
 * vectorized byte comparison replaces decoding, sorting and checking a dozen tokens; the cached
 * {@link SeriesTags} instance also remembers its catalog id, so the writer skips the catalog
 * lookup too.
 *
 * <p>Shared, not one per parser: a parser lives for one request, and a request of 5,000 lines
 * over 100,000 series (set B of the benchmarks) names each series once, so a per-request cache
 * never hit and every line paid for tag parsing, validation and a catalog lookup by key (a
 * quarter of the server's CPU loading set B). What a line's series parses to depends only on its
 * bytes, so any parser may use any entry.
 *
 * <p>Two-way set associative, a random way replaced when both are taken, so a load cycling over
 * more series than slots still hits on most of them (a direct-mapped table thrashes on every
 * pair of series that share a slot). Bounded: the slot count is sized from the heap
 * ({@link #slotsFor}) and keys over {@link #KEY_BYTES_MAX} bytes are never cached.
 *
 * <p>Thread-safe without locks: a slot holds an immutable {@link Entry} whose fields are final
 * (the key a private copy, the tags immutable), so a reader that sees an entry sees it whole.
 * Racing writers may overwrite each other's entry; that only costs a later miss.
 */
final class SeriesCache {
    /** Longer keys are parsed every time: they are rare and would pin memory. */
    static final int KEY_BYTES_MAX = 512;
    /** Fewest slots: what one parser had before the cache was shared. */
    static final int SLOTS_MIN = 1 << 13;
    /** Most slots: 2^18 covers set B's 100,000 series with few evictions. */
    static final int SLOTS_MAX = 1 << 18;
    /**
     * Heap an entry may hold, rounded up: a 200-byte key of 10 tags costs its copy, the tags'
     * strings and arrays and, once written, the series key the writer builds (about 1.7 KiB).
     */
    static final long ENTRY_BYTES_ESTIMATE = 2048;
    /** Share of the maximum heap the cache may fill: 1/16 (128 MiB of a 2 GiB heap). */
    private static final int HEAP_SHARE_DIVISOR = 16;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final SeriesCache SHARED = new SeriesCache(slotsFor(Runtime.getRuntime().maxMemory()));

    private record Entry(byte[] key, SeriesTags tags) {}

    private final Entry[] slots;
    private final int setMask;

    /** @param slotCount a power of two, at least 2 */
    SeriesCache(int slotCount) {
        if (slotCount < 2 || Integer.bitCount(slotCount) != 1) {
            throw new IllegalArgumentException("series cache slots must be a power of two >= 2, got " + slotCount);
        }
        slots = new Entry[slotCount];
        setMask = slotCount / 2 - 1;
    }

    /** The cache every line-protocol parser of the process uses. */
    static SeriesCache shared() {
        return SHARED;
    }

    /**
     * Slots for a heap of {@code heapBytesMax}: its share at {@link #ENTRY_BYTES_ESTIMATE} each,
     * within [SLOTS_MIN, SLOTS_MAX].
     */
    static int slotsFor(long heapBytesMax) {
        long entries = heapBytesMax / HEAP_SHARE_DIVISOR / ENTRY_BYTES_ESTIMATE;
        return Integer.highestOneBit(Math.clamp(entries, SLOTS_MIN, SLOTS_MAX));
    }

    int slotCount() {
        return slots.length;
    }

    /** The tags cached for {@code buf[start, end)}, or null. */
    SeriesTags find(byte[] buf, int start, int end) {
        return find(buf, start, end, hash(buf, start, end));
    }

    /** The tags cached for {@code buf[start, end)}, whose {@link #hash} the caller computed while finding its end; or null. */
    SeriesTags find(byte[] buf, int start, int end, long hash) {
        if (end - start > KEY_BYTES_MAX) {
            return null;
        }
        int first = firstSlot(hash);
        Entry entry = slots[first];
        if (entry != null && Arrays.equals(entry.key, 0, entry.key.length, buf, start, end)) {
            return entry.tags;
        }
        entry = slots[first + 1];
        if (entry != null && Arrays.equals(entry.key, 0, entry.key.length, buf, start, end)) {
            return entry.tags;
        }
        return null;
    }

    /**
     * Caches the tags of {@code buf[start, end)}. A key holding a line break is not cached: a hit
     * then proves the bytes it matched hold none, which lets the parser find a line's end while
     * it parses the line.
     */
    void put(byte[] buf, int start, int end, SeriesTags tags) {
        if (end - start > KEY_BYTES_MAX || LineReader.indexOfNewline(buf, start, end) >= 0) {
            return;
        }
        int first = firstSlot(hash(buf, start, end));
        int slot;
        if (slots[first] == null) {
            slot = first;
        } else if (slots[first + 1] == null) {
            slot = first + 1;
        } else {
            slot = first + (ThreadLocalRandom.current().nextInt() & 1);
        }
        slots[slot] = new Entry(Arrays.copyOfRange(buf, start, end), tags);
    }

    /**
     * The hash of a key: each little-endian word of eight bytes from {@code start} mixed in turn,
     * the last one zero-padded, then the length. {@code LineScanner} computes the same while it
     * scans for the key's end, word by word.
     */
    static long hash(byte[] buf, int start, int end) {
        long hash = 0;
        int i = start;
        for (; i + Long.BYTES <= end; i += Long.BYTES) {
            hash = mix(hash, (long) LONGS.get(buf, i));
        }
        if (i < end) {
            long word = 0;
            for (int b = 0; i + b < end; b++) {
                word |= (buf[i + b] & 0xFFL) << (b * Byte.SIZE);
            }
            hash = mix(hash, word);
        }
        return finish(hash, end - start);
    }

    static long mix(long hash, long word) {
        return (hash ^ word) * 0x9E3779B97F4A7C15L;
    }

    static long finish(long hash, int length) {
        return (hash ^ length) * 0x9E3779B97F4A7C15L;
    }

    /** The first of the two slots of the key's set; the high bits, as the low ones vary least among similar keys. */
    private int firstSlot(long hash) {
        return ((int) (hash >>> 40) & setMask) << 1;
    }
}
