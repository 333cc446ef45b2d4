package io.sundial.ingest.lineprotocol;

import io.sundial.core.SeriesTags;
import io.sundial.ingest.text.LineReader;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Series keys (the raw bytes of {@code measurement,tag=value,...} before the first unescaped
 * space) recently seen by one parser, with their checked and sorted tags. Most lines of real
 * input repeat a series of a previous line, and one hash plus one vectorized byte comparison
 * replaces decoding, sorting and checking a dozen tokens. Direct-mapped: a collision replaces
 * the slot. Bounded: {@link #SLOTS} slots of keys up to {@link #KEY_BYTES_MAX} bytes, filled
 * only as series appear. Not thread-safe (one per parser).
 */
final class SeriesCache {
    /** Enough for set B's 10,000 hosts to mostly hit; at most ~4.5 MiB of keys when full of long keys. */
    static final int SLOTS = 1 << 13;
    /** Longer keys are parsed every time: they are rare and would pin memory. */
    static final int KEY_BYTES_MAX = 512;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private byte[][] keys;
    private SeriesTags[] series;

    /** The tags cached for {@code buf[start, end)}, or null. */
    SeriesTags find(byte[] buf, int start, int end) {
        return find(buf, start, end, hash(buf, start, end));
    }

    /** The tags cached for {@code buf[start, end)}, whose {@link #hash} the caller computed while finding its end; or null. */
    SeriesTags find(byte[] buf, int start, int end, long hash) {
        if (keys == null || end - start > KEY_BYTES_MAX) {
            return null;
        }
        int slot = slot(hash);
        byte[] key = keys[slot];
        if (key != null && Arrays.equals(key, 0, key.length, buf, start, end)) {
            return series[slot];
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
        if (keys == null) {
            keys = new byte[SLOTS][];
            series = new SeriesTags[SLOTS];
        }
        int slot = slot(hash(buf, start, end));
        keys[slot] = Arrays.copyOfRange(buf, start, end);
        series[slot] = tags;
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

    private static int slot(long hash) {
        return (int) (hash >>> 51) & (SLOTS - 1);
    }
}
