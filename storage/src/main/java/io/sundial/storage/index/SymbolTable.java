package io.sundial.storage.index;

import java.util.Arrays;

/**
 * Interns the measurement names, tag keys and tag values of all series as dense int symbols,
 * so each distinct string is held once however many series use it. Mutated only under the
 * catalog's write lock; {@link #get} is also called lock-free on the ingest hit path, which is
 * safe because {@link #strings} is republished through a volatile field whenever it grows and
 * symbols are written before the series slot that refers to them is released.
 */
final class SymbolTable {
    /** Interned strings stay alive for the process lifetime; only a reopen reclaims them. */
    private volatile String[] strings = new String[256];
    private int count;
    private int[] slots = new int[512];
    private long stringBytes;

    int count() {
        return count;
    }

    String get(int symbol) {
        return strings[symbol];
    }

    /** The symbol of {@code s}, or -1. Caller holds the catalog lock (read or write). */
    int find(String s) {
        int[] t = slots;
        int mask = t.length - 1;
        String[] all = strings;
        for (int i = spread(s.hashCode()) & mask; ; i = (i + 1) & mask) {
            int slot = t[i];
            if (slot == 0) {
                return -1;
            }
            if (all[slot - 1].equals(s)) {
                return slot - 1;
            }
        }
    }

    /** The symbol of {@code s}, created if new. Caller holds the catalog write lock. */
    int intern(String s) {
        int found = find(s);
        if (found >= 0) {
            return found;
        }
        if (count == Integer.MAX_VALUE - 1) {
            throw new IllegalStateException("symbol table full: " + count + " distinct tag strings");
        }
        if ((count + 1) * 2L > slots.length) {
            rehash(slots.length * 2);
        }
        String[] all = strings;
        if (count == all.length) {
            all = Arrays.copyOf(all, all.length * 2);
            strings = all;
        }
        int symbol = count++;
        all[symbol] = s;
        stringBytes += stringObjectBytes(s);
        insertSlot(slots, symbol, s);
        return symbol;
    }

    long estimatedMemoryBytes() {
        return 16L + 4L * strings.length + 16L + 4L * slots.length + stringBytes;
    }

    private void rehash(int capacity) {
        int[] t = new int[capacity];
        String[] all = strings;
        for (int symbol = 0; symbol < count; symbol++) {
            insertSlot(t, symbol, all[symbol]);
        }
        slots = t;
    }

    private static void insertSlot(int[] t, int symbol, String s) {
        int mask = t.length - 1;
        int i = spread(s.hashCode()) & mask;
        while (t[i] != 0) {
            i = (i + 1) & mask;
        }
        t[i] = symbol + 1;
    }

    private static int spread(int h) {
        int x = h * 0x9E3779B1;
        return x ^ (x >>> 15);
    }

    /** A String object plus its byte[] (compact Latin-1 strings hold 1 byte a char, others 2). */
    private static long stringObjectBytes(String s) {
        boolean isLatin1 = true;
        for (int i = 0; i < s.length() && isLatin1; i++) {
            isLatin1 = s.charAt(i) < 256;
        }
        long payload = isLatin1 ? s.length() : 2L * s.length();
        return 24 + ((16 + payload + 7) & ~7L);
    }
}
