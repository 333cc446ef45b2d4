package io.sundial.storage.index;

import io.sundial.core.Point;
import io.sundial.core.SeriesKey;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * Series id to key and key to id, with no object per series. A key is stored as a run of
 * varint symbols {@code measurement, tagCount, (key, value)*} in 1 MiB byte pages (a TSBS key
 * of 10 tags takes ~25 bytes); {@link #offsets} maps an id to its run. Lookup is an
 * open-addressing table of longs, each slot {@code (upper 32 bits of the key hash) << 32 | id + 1}:
 * the stored hash bits filter probes without decoding and let the table grow without rehashing
 * keys, and the slot index is derived from the same bits.
 *
 * <p>Concurrency: mutations happen under the catalog's write lock. {@link #find(long, Point)} is
 * lock-free: a new entry's bytes, offset and symbols are written before its slot is stored with
 * release semantics, and the finder reads the slot with acquire semantics, so whatever slot it
 * sees refers to a complete entry. A finder holding a table that a resize has replaced may miss
 * a just-created series; it then falls back to the locked path, which re-checks.
 */
final class SeriesKeyStore {
    static final int PAGE_SHIFT = 20;
    static final int PAGE_BYTES = 1 << PAGE_SHIFT;
    /** The largest table a Java long[] allows with a power-of-two length. */
    static final int SLOTS_MAX = 1 << 30;
    private static final long EMPTY = 0L;
    private static final long TOMBSTONE = -1L;
    private static final long ABSENT = -1L;
    private static final double LOAD_MAX = 0.6;
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);

    private final SymbolTable symbols;
    private volatile byte[][] pages = new byte[8][];
    private int pageCount;
    private int pagePosition = PAGE_BYTES;
    /** Entry position by id ({@code page << PAGE_SHIFT | offset}), ABSENT if never defined or dropped. */
    private volatile long[] offsets = newOffsets(1024);
    private volatile long[] slots = new long[1024];
    private int slotsUsed;
    private int liveCount;
    private int nextId;

    SeriesKeyStore(SymbolTable symbols) {
        this.symbols = symbols;
    }

    int nextId() {
        return nextId;
    }

    int liveCount() {
        return liveCount;
    }

    boolean isLive(int id) {
        return id >= 0 && id < nextId && offsets[id] != ABSENT;
    }

    // ---- hashing: the same function over a Point, a SeriesKey or a stored entry ----

    static long hash(Point p) {
        long h = mix(0x5EED5EED5EEDL, p.measurement());
        for (int i = 0, n = p.tagCount(); i < n; i++) {
            h = mix(mix(h, p.tagKey(i)), p.tagValue(i));
        }
        return finish(h);
    }

    static long hash(SeriesKey k) {
        long h = mix(0x5EED5EED5EEDL, k.measurement());
        for (int i = 0, n = k.tagCount(); i < n; i++) {
            h = mix(mix(h, k.tagKey(i)), k.tagValue(i));
        }
        return finish(h);
    }

    private long hashOfEntry(int id) {
        EntryCursor c = cursor(id);
        long h = mix(0x5EED5EED5EEDL, c.next());
        for (int n = c.next(); n > 0; n--) {
            h = mix(mix(h, c.next()), c.next());
        }
        return finish(h);
    }

    /** String.hashCode is cached per String and vectorised, so this costs little per tag. */
    private static long mix(long h, String s) {
        return mix(h, s.hashCode(), s.length());
    }

    /** The same as {@link #mix(long, String)} for a stored symbol, computed from its bytes. */
    private long mix(long h, int symbol) {
        return mix(h, symbols.hash(symbol), symbols.length(symbol));
    }

    private static long mix(long h, int stringHash, int length) {
        long x = h ^ (stringHash & 0xFFFFFFFFL) ^ ((long) length << 32);
        return Long.rotateLeft(x * 0x9E3779B97F4A7C15L, 29);
    }

    private static long finish(long h) {
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        return h ^ (h >>> 33);
    }

    // ---- lookup ----

    /** Lock-free: the id of the point's series, or -1 if absent (or created concurrently). */
    int find(long hash, Point p) {
        long[] t = slots;
        int mask = t.length - 1;
        int high = (int) (hash >>> 32);
        for (int i = high & mask; ; i = (i + 1) & mask) {
            long slot = (long) SLOT.getAcquire(t, i);
            if (slot == EMPTY) {
                return -1;
            }
            if (slot != TOMBSTONE && (int) (slot >>> 32) == high) {
                int id = (int) slot - 1;
                if (matches(id, p)) {
                    return id;
                }
            }
        }
    }

    /** As {@link #find(long, Point)} for a SeriesKey. */
    int find(long hash, SeriesKey k) {
        long[] t = slots;
        int mask = t.length - 1;
        int high = (int) (hash >>> 32);
        for (int i = high & mask; ; i = (i + 1) & mask) {
            long slot = (long) SLOT.getAcquire(t, i);
            if (slot == EMPTY) {
                return -1;
            }
            if (slot != TOMBSTONE && (int) (slot >>> 32) == high) {
                int id = (int) slot - 1;
                if (matches(id, k)) {
                    return id;
                }
            }
        }
    }

    private boolean matches(int id, Point p) {
        long position = offsets[id];
        if (position == ABSENT) {
            return false;
        }
        EntryCursor c = new EntryCursor(pages[(int) (position >>> PAGE_SHIFT)], (int) (position & (PAGE_BYTES - 1)));
        if (!symbols.matches(c.next(), p.measurement()) || c.next() != p.tagCount()) {
            return false;
        }
        for (int i = 0, n = p.tagCount(); i < n; i++) {
            if (!symbols.matches(c.next(), p.tagKey(i)) || !symbols.matches(c.next(), p.tagValue(i))) {
                return false;
            }
        }
        return true;
    }

    private boolean matches(int id, SeriesKey k) {
        long position = offsets[id];
        if (position == ABSENT) {
            return false;
        }
        EntryCursor c = new EntryCursor(pages[(int) (position >>> PAGE_SHIFT)], (int) (position & (PAGE_BYTES - 1)));
        if (!symbols.matches(c.next(), k.measurement()) || c.next() != k.tagCount()) {
            return false;
        }
        for (int i = 0, n = k.tagCount(); i < n; i++) {
            if (!symbols.matches(c.next(), k.tagKey(i)) || !symbols.matches(c.next(), k.tagValue(i))) {
                return false;
            }
        }
        return true;
    }

    // ---- reading entries (callers hold the catalog lock) ----

    /** A cursor over the symbols of a live entry: measurement, tag count, then key/value pairs. */
    EntryCursor cursor(int id) {
        long position = offsets[id];
        if (position == ABSENT) {
            throw new IllegalStateException("series " + id + " is not live");
        }
        return new EntryCursor(pages[(int) (position >>> PAGE_SHIFT)], (int) (position & (PAGE_BYTES - 1)));
    }

    SeriesKey key(int id) {
        EntryCursor c = cursor(id);
        String measurement = symbols.get(c.next());
        int n = c.next();
        String[] keys = new String[n];
        String[] values = new String[n];
        for (int i = 0; i < n; i++) {
            keys[i] = symbols.get(c.next());
            values[i] = symbols.get(c.next());
        }
        return SeriesKey.ofSorted(measurement, keys, values);
    }

    int measurementSymbol(int id) {
        return cursor(id).next();
    }

    // ---- mutation (callers hold the catalog write lock) ----

    /** Stores {@code k} under {@code id} (>= nextId or a never-defined gap) with symbols interned. */
    void insert(long hash, SeriesKey k, int id) {
        if (id >= CatalogOptions.SERIES_ID_LIMIT || id < 0) {
            throw new IllegalStateException("series id " + id + " outside [0, " + CatalogOptions.SERIES_ID_LIMIT + ")");
        }
        if ((slotsUsed + 1) > slots.length * LOAD_MAX) {
            resize();
        }
        int n = k.tagCount();
        int[] entry = new int[2 + 2 * n];
        entry[0] = symbols.intern(k.measurement(), true);
        entry[1] = n;
        for (int i = 0; i < n; i++) {
            entry[2 + 2 * i] = symbols.intern(k.tagKey(i), true);
            entry[3 + 2 * i] = symbols.intern(k.tagValue(i), false);
        }
        long position = append(entry);
        long[] offs = offsets;
        if (id >= offs.length) {
            long[] grown = Arrays.copyOf(offs, Math.max(id + 1, (int) Math.min(CatalogOptions.SERIES_ID_LIMIT, offs.length * 2L)));
            Arrays.fill(grown, offs.length, grown.length, ABSENT);
            offs = grown;
            offsets = grown;
        }
        offs[id] = position;
        nextId = Math.max(nextId, id + 1);
        liveCount++;
        long[] t = slots;
        int mask = t.length - 1;
        int high = (int) (hash >>> 32);
        int i = high & mask;
        while (t[i] != EMPTY && t[i] != TOMBSTONE) {
            i = (i + 1) & mask;
        }
        if (t[i] == EMPTY) {
            slotsUsed++;
        }
        SLOT.setRelease(t, i, ((long) high << 32) | (id + 1));
    }

    /** Forgets a live series: its slot becomes a tombstone and its id stays unused forever. */
    void remove(int id) {
        long hash = hashOfEntry(id);
        long[] t = slots;
        int mask = t.length - 1;
        int high = (int) (hash >>> 32);
        long wanted = ((long) high << 32) | (id + 1);
        for (int i = high & mask; ; i = (i + 1) & mask) {
            long slot = t[i];
            if (slot == wanted) {
                SLOT.setRelease(t, i, TOMBSTONE);
                break;
            }
            if (slot == EMPTY) {
                throw new IllegalStateException("series " + id + " missing from the lookup table");
            }
        }
        offsets[id] = ABSENT;
        liveCount--;
    }

    /** Marks ids up to {@code next} as used, so they are never handed out (after compaction). */
    void reserveIdsBelow(int next) {
        if (next > nextId) {
            long[] offs = offsets;
            if (next > offs.length) {
                long[] grown = Arrays.copyOf(offs, next);
                Arrays.fill(grown, offs.length, next, ABSENT);
                offsets = grown;
            }
            nextId = next;
        }
    }

    long estimatedMemoryBytes() {
        return (long) pageCount * PAGE_BYTES + 16L + 8L * pages.length + 16L + 8L * offsets.length + 16L + 8L * slots.length;
    }

    private long append(int[] entry) {
        int bytesMax = 5 * entry.length;
        if (bytesMax > PAGE_BYTES) {
            throw new IllegalArgumentException("series key of " + entry[1] + " tags is too large for the catalog");
        }
        if (pagePosition + bytesMax > PAGE_BYTES) {
            byte[][] all = pages;
            if (pageCount == all.length) {
                all = Arrays.copyOf(all, all.length * 2);
            }
            all[pageCount++] = new byte[PAGE_BYTES];
            pages = all;
            pagePosition = 0;
        }
        byte[] page = pages[pageCount - 1];
        long position = ((long) (pageCount - 1) << PAGE_SHIFT) | pagePosition;
        int p = pagePosition;
        for (int v : entry) {
            while ((v & ~0x7F) != 0) {
                page[p++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            page[p++] = (byte) v;
        }
        pagePosition = p;
        return position;
    }

    /**
     * Doubles when live entries need it, else rebuilds at the same size to shed tombstones. A
     * table rebuilt for live entries is left at most three quarters of {@link #LOAD_MAX} full, not
     * half: half made a million series take a 4M-slot table (32 MiB) where 2M slots (16 MiB) do.
     */
    private void resize() {
        long[] old = slots;
        int capacity = old.length;
        while ((liveCount + 1) * 4L > capacity * 3 * LOAD_MAX) {
            if (capacity >= SLOTS_MAX) {
                throw new IllegalStateException("series lookup table full at " + liveCount
                        + " live series; drop unused series");
            }
            capacity *= 2;
        }
        long[] t = new long[capacity];
        int mask = capacity - 1;
        int used = 0;
        for (long slot : old) {
            if (slot != EMPTY && slot != TOMBSTONE) {
                int i = (int) (slot >>> 32) & mask;
                while (t[i] != EMPTY) {
                    i = (i + 1) & mask;
                }
                t[i] = slot;
                used++;
            }
        }
        slotsUsed = used;
        slots = t;
    }

    private static long[] newOffsets(int n) {
        long[] a = new long[n];
        Arrays.fill(a, ABSENT);
        return a;
    }

    /** Reads the varints of one entry. */
    static final class EntryCursor {
        private final byte[] page;
        private int position;

        EntryCursor(byte[] page, int position) {
            this.page = page;
            this.position = position;
        }

        int next() {
            int v = 0;
            int shift = 0;
            byte b;
            do {
                b = page[position++];
                v |= (b & 0x7F) << shift;
                shift += 7;
            } while (b < 0);
            return v;
        }
    }
}
