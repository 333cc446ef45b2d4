package io.sundial.ingest.remotewrite;

import io.sundial.core.SeriesTags;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Label sets of recently written series, keyed by the raw bytes of their {@code Label} fields
 * (field key, length and body, as on the wire), with the checked and sorted tags decoded from
 * them. Prometheus resends the same series in every request, usually with one to a few samples
 * each, so one hash and one byte comparison replace decoding a dozen UTF-8 strings, checking
 * the names, sorting and validating the tags of every series of every request.
 *
 * <p>The key holds each label's field key and length prefix, so two different label lists can
 * never concatenate to the same bytes. Only label sets that decoded and validated are stored: a
 * hit is a label set that was accepted before, byte for byte. Direct-mapped: a collision replaces
 * the slot. Bounded: {@link #slots()} entries (default {@link #SLOTS}, the server's
 * {@code remote-write-label-cache-entries}) of at most {@link #KEY_BYTES_MAX} key bytes each.
 * Full at the default size, it holds at most ~16 MiB of keys plus their strings.
 * Thread-safe: entries are immutable and published through an atomic array, so the requests of
 * all connections share one cache.
 */
public final class LabelSetCache {
    /** Enough for a Prometheus server's few tens of thousands of active series to mostly hit. */
    static final int SLOTS = 1 << 15;
    /** Bounds of a configured size: below, a Prometheus server's series thrash it; above, it may pin GiBs. */
    public static final int SLOTS_MIN = 1 << 10;
    public static final int SLOTS_MAX = 1 << 22;
    /** Size of caches made with {@link #LabelSetCache()}; set once at server start from the configuration. */
    private static volatile int slotsConfigured = SLOTS;
    /** Longer label sets are decoded every time: they are rare and would pin memory. */
    static final int KEY_BYTES_MAX = 512;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** One cached series: its label bytes, its tags, and its labels as text for error messages. */
    record Entry(byte[] key, SeriesTags tags, String[][] labels) {}

    private final AtomicReferenceArray<Entry> entries;
    /** 64 minus log2 of the slot count: the hash's top bits pick the slot. */
    private final int slotShift;

    /** A cache of the configured size ({@link #configure}, default {@link #SLOTS}). */
    public LabelSetCache() {
        this(slotsConfigured);
    }

    /**
     * @param slots entries, a power of two in [{@link #SLOTS_MIN}, {@link #SLOTS_MAX}]
     */
    public LabelSetCache(int slots) {
        checkSlots(slots);
        this.entries = new AtomicReferenceArray<>(slots);
        this.slotShift = 64 - Integer.numberOfTrailingZeros(slots);
    }

    /** Sets the size of caches made from now on (the server's {@code remote-write-label-cache-entries}). */
    public static void configure(int slots) {
        checkSlots(slots);
        slotsConfigured = slots;
    }

    /** The size caches get now. */
    public static int configuredSlots() {
        return slotsConfigured;
    }

    private static void checkSlots(int slots) {
        if (slots < SLOTS_MIN || slots > SLOTS_MAX || Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException(slots + " entries: must be a power of two in [" + SLOTS_MIN + ", "
                    + SLOTS_MAX + "] (e.g. 32768, 65536); the cache is direct-mapped by hash bits");
        }
    }

    /** Entries this cache holds at most. */
    public int slots() {
        return entries.length();
    }

    /** The entry for the Label fields that are exactly {@code message[start, end)}, or null. */
    Entry find(byte[] message, int start, int end) {
        int length = end - start;
        if (length > KEY_BYTES_MAX) {
            return null;
        }
        Entry entry = entries.get(slot(message, start, end));
        if (entry == null) {
            return null;
        }
        byte[] key = entry.key();
        return Arrays.equals(key, 0, key.length, message, start, end) ? entry : null;
    }

    void put(byte[] message, int start, int end, SeriesTags tags, String[][] labels) {
        if (end - start > KEY_BYTES_MAX) {
            return;
        }
        entries.set(slot(message, start, end), new Entry(Arrays.copyOfRange(message, start, end), tags, labels));
    }

    private int slot(byte[] message, int start, int end) {
        long hash = end - start;
        int i = start;
        // Eight bytes per step: label sets run to a few hundred bytes and this runs for every series.
        for (; i + 8 <= end; i += 8) {
            hash = (hash ^ (long) LONGS.get(message, i)) * 0x9E3779B97F4A7C15L;
        }
        for (; i < end; i++) {
            hash = (hash ^ message[i]) * 0x9E3779B97F4A7C15L;
        }
        return (int) (hash >>> slotShift);
    }
}
