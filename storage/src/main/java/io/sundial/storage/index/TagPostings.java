package io.sundial.storage.index;

import java.util.Arrays;
import org.roaringbitmap.RoaringBitmap;

/**
 * For one tag key of one measurement: tag value symbol → the series having that value.
 * A value held by a single series (the common case for unique tags such as a host name, where
 * a RoaringBitmap would cost ~200 bytes) is stored as a bare int; a second series promotes it
 * to a bitmap. Values whose series were all dropped keep an empty entry until reopen.
 * Guarded by the catalog lock.
 */
final class TagPostings {
    private static final int NONE = -1;

    /** Every series of the measurement that has this key (so "k absent" = all minus this). */
    final RoaringBitmap withKey = new RoaringBitmap();
    private int[] slots = new int[16];
    private int[] valueSymbols = new int[8];
    private int[] singles = new int[8];
    private RoaringBitmap[] bitmaps = new RoaringBitmap[8];
    private int entryCount;

    int entryCount() {
        return entryCount;
    }

    int valueSymbol(int entry) {
        return valueSymbols[entry];
    }

    boolean isEmpty(int entry) {
        return singles[entry] == NONE && bitmaps[entry] == null;
    }

    /** The entry of a value symbol, or -1. */
    int entryOf(int valueSymbol) {
        int mask = slots.length - 1;
        for (int i = spread(valueSymbol) & mask; ; i = (i + 1) & mask) {
            int slot = slots[i];
            if (slot == 0) {
                return -1;
            }
            if (valueSymbols[slot - 1] == valueSymbol) {
                return slot - 1;
            }
        }
    }

    void add(int valueSymbol, int seriesId) {
        withKey.add(seriesId);
        int e = entryOf(valueSymbol);
        if (e < 0) {
            e = newEntry(valueSymbol);
        }
        if (bitmaps[e] != null) {
            bitmaps[e].add(seriesId);
        } else if (singles[e] == NONE) {
            singles[e] = seriesId;
        } else {
            bitmaps[e] = RoaringBitmap.bitmapOf(singles[e], seriesId);
            singles[e] = NONE;
        }
    }

    void remove(int valueSymbol, int seriesId) {
        withKey.remove(seriesId);
        int e = entryOf(valueSymbol);
        if (e < 0) {
            return;
        }
        if (bitmaps[e] != null) {
            bitmaps[e].remove(seriesId);
            if (bitmaps[e].isEmpty()) {
                bitmaps[e] = null;
            }
        } else if (singles[e] == seriesId) {
            singles[e] = NONE;
        }
    }

    /** Adds the series of {@code entry} to {@code out}. */
    void addTo(int entry, RoaringBitmap out) {
        if (bitmaps[entry] != null) {
            out.or(bitmaps[entry]);
        } else if (singles[entry] != NONE) {
            out.add(singles[entry]);
        }
    }

    /** A new bitmap of the series of {@code entry}. */
    RoaringBitmap series(int entry) {
        RoaringBitmap out = new RoaringBitmap();
        addTo(entry, out);
        return out;
    }

    /** Whether {@code entry} has a series in {@code restrictTo}. */
    boolean intersects(int entry, RoaringBitmap restrictTo) {
        if (bitmaps[entry] != null) {
            return RoaringBitmap.intersects(bitmaps[entry], restrictTo);
        }
        return singles[entry] != NONE && restrictTo.contains(singles[entry]);
    }

    void runOptimize() {
        withKey.runOptimize();
        for (int e = 0; e < entryCount; e++) {
            if (bitmaps[e] != null) {
                bitmaps[e].runOptimize();
            }
        }
    }

    long estimatedMemoryBytes() {
        long bytes = 64 + withKey.getLongSizeInBytes() + 4L * slots.length + 4L * valueSymbols.length
                + 4L * singles.length + 4L * bitmaps.length;
        for (int e = 0; e < entryCount; e++) {
            if (bitmaps[e] != null) {
                bytes += 48 + bitmaps[e].getLongSizeInBytes();
            }
        }
        return bytes;
    }

    private int newEntry(int valueSymbol) {
        if (entryCount == valueSymbols.length) {
            int n = entryCount * 2;
            valueSymbols = Arrays.copyOf(valueSymbols, n);
            singles = Arrays.copyOf(singles, n);
            bitmaps = Arrays.copyOf(bitmaps, n);
        }
        if ((entryCount + 1) * 2 > slots.length) {
            slots = new int[slots.length * 2];
            for (int e = 0; e < entryCount; e++) {
                insertSlot(e);
            }
        }
        int e = entryCount++;
        valueSymbols[e] = valueSymbol;
        singles[e] = NONE;
        insertSlot(e);
        return e;
    }

    private void insertSlot(int entry) {
        int mask = slots.length - 1;
        int i = spread(valueSymbols[entry]) & mask;
        while (slots[i] != 0) {
            i = (i + 1) & mask;
        }
        slots[i] = entry + 1;
    }

    private static int spread(int v) {
        int x = v * 0x9E3779B1;
        return x ^ (x >>> 16);
    }
}
