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

    /**
     * One cached series: its label bytes, its tags, and its labels as text for error messages, with
     * the slot of the series that came right after it the last time it was looked up.
     *
     * <p>Why the successor: a Prometheus shard sends its series in the same (scrape) order request
     * after request, so the next series is nearly always the one that followed last time. Trying
     * that slot first skips hashing the next label run. Only a slot number is kept, never a
     * reference, so an entry evicted from the table is not kept alive by its predecessor; a
     * prediction is a lookup of a table slot like any other and is taken only when its key is
     * byte for byte the run's, so a stale or wrong one only costs the normal lookup after it.
     * {@link #nextSlot} is written without synchronisation by the requests of all connections: an
     * int is read and written whole, and any value read names a slot of this table.
     */
    static final class Entry {
        private final byte[] key;
        private final SeriesTags tags;
        private final String[][] labels;
        /** Where this entry lies in the table; -1 for one that is not in it. */
        private final int slot;
        private int nextSlot = -1;

        /** An entry kept only for the request being decoded (a label set that is not cached). */
        Entry(SeriesTags tags, String[][] labels) {
            this(null, tags, labels, -1);
        }

        private Entry(byte[] key, SeriesTags tags, String[][] labels, int slot) {
            this.key = key;
            this.tags = tags;
            this.labels = labels;
            this.slot = slot;
        }

        SeriesTags tags() {
            return tags;
        }

        String[][] labels() {
            return labels;
        }

        private boolean isKeyOf(byte[] message, int start, int end) {
            return key != null && Arrays.equals(key, 0, key.length, message, start, end);
        }
    }

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
        return entry != null && entry.isKeyOf(message, start, end) ? entry : null;
    }

    /**
     * As {@link #find(byte[], int, int)}, trying first the slot of the series that followed
     * {@code previous} (the entry of the request's series before this one, or null) last time,
     * and noting the answer as its successor. Same result as without the hint: a key lives only
     * in the slot its hash picks.
     */
    Entry find(byte[] message, int start, int end, Entry previous) {
        if (previous != null && previous.nextSlot >= 0) {
            Entry predicted = entries.get(previous.nextSlot);
            if (predicted != null && predicted.isKeyOf(message, start, end)) {
                return predicted;
            }
        }
        Entry found = find(message, start, end);
        follow(previous, found);
        return found;
    }

    /**
     * Caches the label set and returns its entry, or null when its key is too long to cache;
     * {@code previous} (or null) learns it as its successor.
     */
    Entry put(byte[] message, int start, int end, SeriesTags tags, String[][] labels, Entry previous) {
        if (end - start > KEY_BYTES_MAX) {
            return null;
        }
        int slot = slot(message, start, end);
        Entry entry = new Entry(Arrays.copyOfRange(message, start, end), tags, labels, slot);
        entries.set(slot, entry);
        follow(previous, entry);
        return entry;
    }

    private static void follow(Entry previous, Entry next) {
        // Written only when it changes: in the steady state the line stays shared between the CPUs.
        if (previous != null && next != null && previous.nextSlot != next.slot) {
            previous.nextSlot = next.slot;
        }
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
