package io.sundial.ingest.lineprotocol;

import io.sundial.ingest.text.LineReader;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The field keys seen at each position of the field set of recent lines, per measurement.
 * Writers emit the same keys in the same order on every line of a measurement, so the key at a
 * position is checked by comparing its raw bytes (and the {@code =} after them) a word at a
 * time against the previous line's, instead of scanning for the delimiter, hashing and
 * decoding. A mismatch only costs the comparison: the caller then scans the key and
 * {@link #remember remembers} it at that position.
 *
 * <p>Sound because scanning a token is a function of its bytes: the cached bytes were one whole
 * key ending at an unescaped {@code =}, so the same bytes followed by that {@code =} scan to the
 * same key, escapes included. Bounded: {@link #MEASUREMENTS} direct-mapped measurement slots of
 * up to {@link #POSITIONS_MAX} keys of up to {@link #KEY_BYTES_MAX} bytes. Not thread-safe.
 */
final class FieldKeyCache {
    static final int MEASUREMENTS = 64;
    static final int POSITIONS_MAX = 256;
    /** Longer keys are scanned every time: they are rare and would pin memory. */
    static final int KEY_BYTES_MAX = 128;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final String[] slotMeasurements = new String[MEASUREMENTS];
    private final Keys[] slotKeys = new Keys[MEASUREMENTS];
    private Keys current;

    /** The keys of one measurement by position: raw bytes with the '=' as little-endian words, and names. */
    private static final class Keys {
        long[][] words = new long[8][];
        /** Bytes of each key including its '='; 0 where nothing is cached. */
        int[] lengths = new int[8];
        String[] names = new String[8];
    }

    /** Makes the keys of {@code measurement} the ones {@link #match} and {@link #remember} use. */
    void select(String measurement) {
        int slot = measurement.hashCode() & (MEASUREMENTS - 1);
        String cached = slotMeasurements[slot];
        if (cached != measurement && !measurement.equals(cached)) {
            slotMeasurements[slot] = measurement;
            if (slotKeys[slot] == null) {
                slotKeys[slot] = new Keys();
            } else {
                // Reused, not replaced: measurements that share a slot and alternate line by line
                // must not allocate on every line.
                Arrays.fill(slotKeys[slot].lengths, 0);
            }
        }
        current = slotKeys[slot];
    }

    /**
     * Whether the key cached at {@code position} and its '=' start at {@code p} (and end before
     * {@code end}): then returns the index after the '=' and {@link #name} is the key; else -1.
     */
    int match(int position, byte[] buf, int p, int end) {
        Keys keys = current;
        if (position >= keys.lengths.length) {
            return -1;
        }
        int length = keys.lengths[position];
        int stop = p + length;
        if (length == 0 || stop > end) {
            return -1;
        }
        long[] words = keys.words[position];
        if (p + words.length * Long.BYTES > buf.length) {
            return matchBytes(words, length, buf, p) ? stop : -1;
        }
        int full = length >>> 3;
        for (int w = 0; w < full; w++) {
            if ((long) LONGS.get(buf, p + w * Long.BYTES) != words[w]) {
                return -1;
            }
        }
        int tail = length & 7;
        if (tail != 0) {
            long mask = -1L >>> (Long.SIZE - tail * Byte.SIZE);
            if (((long) LONGS.get(buf, p + full * Long.BYTES) & mask) != words[full]) {
                return -1;
            }
        }
        return stop;
    }

    /** The key at {@code position} after a {@link #match}. */
    String name(int position) {
        return current.names[position];
    }

    /**
     * Caches {@code name}, read from {@code buf[start, stop)} followed by '=', at {@code position}.
     * A key holding a line break is not cached: a {@link #match} then proves the bytes it
     * matched hold none, which lets the parser find a line's end while it parses the line.
     */
    void remember(int position, byte[] buf, int start, int stop, String name) {
        int length = stop + 1 - start;
        if (position >= POSITIONS_MAX || length > KEY_BYTES_MAX || LineReader.indexOfNewline(buf, start, stop) >= 0) {
            return;
        }
        Keys keys = current;
        if (position >= keys.lengths.length) {
            int capacity = Math.min(POSITIONS_MAX, Math.max(position + 1, keys.lengths.length * 2));
            keys.words = Arrays.copyOf(keys.words, capacity);
            keys.lengths = Arrays.copyOf(keys.lengths, capacity);
            keys.names = Arrays.copyOf(keys.names, capacity);
        }
        long[] words = new long[(length + 7) >>> 3];
        for (int i = 0; i < length; i++) {
            words[i >>> 3] |= (buf[start + i] & 0xFFL) << ((i & 7) * Byte.SIZE);
        }
        keys.words[position] = words;
        keys.lengths[position] = length;
        keys.names[position] = name;
    }

    private static boolean matchBytes(long[] words, int length, byte[] buf, int p) {
        for (int i = 0; i < length; i++) {
            if (buf[p + i] != (byte) (words[i >>> 3] >>> ((i & 7) * Byte.SIZE))) {
                return false;
            }
        }
        return true;
    }
}
