package io.sundial.ingest.lineprotocol;

import io.sundial.core.SeriesTags;
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
        if (keys == null || end - start > KEY_BYTES_MAX) {
            return null;
        }
        int slot = slot(buf, start, end);
        byte[] key = keys[slot];
        if (key != null && Arrays.equals(key, 0, key.length, buf, start, end)) {
            return series[slot];
        }
        return null;
    }

    void put(byte[] buf, int start, int end, SeriesTags tags) {
        if (end - start > KEY_BYTES_MAX) {
            return;
        }
        if (keys == null) {
            keys = new byte[SLOTS][];
            series = new SeriesTags[SLOTS];
        }
        int slot = slot(buf, start, end);
        keys[slot] = Arrays.copyOfRange(buf, start, end);
        series[slot] = tags;
    }

    private static int slot(byte[] buf, int start, int end) {
        long hash = end - start;
        int i = start;
        // Eight bytes per step: keys run to a few hundred bytes and this runs on every line.
        for (; i + 8 <= end; i += 8) {
            hash = (hash ^ (long) LONGS.get(buf, i)) * 0x9E3779B97F4A7C15L;
        }
        for (; i < end; i++) {
            hash = (hash ^ buf[i]) * 0x9E3779B97F4A7C15L;
        }
        return (int) (hash >>> 51) & (SLOTS - 1);
    }
}
