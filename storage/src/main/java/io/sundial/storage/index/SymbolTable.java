package io.sundial.storage.index;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Interns the measurement names, tag keys and tag values of all series as dense int symbols,
 * so each distinct string is held once however many series use it.
 *
 * <p>The strings are kept as bytes in 256 KiB pages, not as String objects: with a million
 * unique hostnames a String and its array cost 56 bytes for an 11-character name, the encoded
 * bytes 12 (about 44 MiB saved for 1M series). A symbol is a varint header
 * {@code charCount << 1 | isUtf16} followed by one byte a char (every char below 256, as
 * compact strings store them) or two big-endian bytes a char. {@link #positions} maps a symbol
 * to {@code page << PAGE_SHIFT | offset}; a symbol longer than a page gets a page of its own.
 *
 * <p>Mutated only under the catalog's write lock; {@link #get}, {@link #matches} and
 * {@link #hash} are also called lock-free on the ingest hit path, which is safe because
 * {@link #pages}, {@link #positions} and {@link #retained} are republished through volatile
 * fields whenever they change and a symbol's bytes are written before the series slot that
 * refers to it is released (a reader that misses a just-retained name compares its bytes).
 */
final class SymbolTable {
    static final int PAGE_SHIFT = 18;
    static final int PAGE_BYTES = 1 << PAGE_SHIFT;
    /** Positions are ints: page numbers must fit in the 31 - PAGE_SHIFT bits above the offset. */
    static final int PAGES_MAX = 1 << (31 - PAGE_SHIFT);
    /** The header holds the char count shifted left by one; series keys are far shorter anyway. */
    static final int SYMBOL_CHARS_MAX = 1 << 29;
    /** Interned strings stay for the process lifetime; only a reopen reclaims them. */
    private volatile byte[][] pages = new byte[16][];
    private int pageCount;
    private int pagePosition = PAGE_BYTES;
    private volatile int[] positions = new int[256];
    /**
     * The String of each measurement and tag key symbol, null for symbols only used as values.
     * Names are few and compared on every lookup (11 of the 21 comparisons of a TSBS key), so
     * they keep the intrinsic String.equals; the many distinct values are compared as bytes.
     */
    private volatile String[] retained = new String[256];
    private long retainedBytes;
    private int count;
    private int[] slots = new int[512];

    int count() {
        return count;
    }

    /** A new String with the symbol's text. */
    String get(int symbol) {
        String[] names = retained;
        if (symbol < names.length && names[symbol] != null) {
            return names[symbol];
        }
        int position = positions[symbol];
        byte[] page = pages[position >>> PAGE_SHIFT];
        int p = position & (PAGE_BYTES - 1);
        int header = 0;
        int shift = 0;
        byte b;
        do {
            b = page[p++];
            header |= (b & 0x7F) << shift;
            shift += 7;
        } while (b < 0);
        int length = header >>> 1;
        if ((header & 1) == 0) {
            return new String(page, p, length, StandardCharsets.ISO_8859_1);
        }
        char[] chars = new char[length];
        for (int i = 0; i < length; i++, p += 2) {
            chars[i] = (char) (((page[p] & 0xFF) << 8) | (page[p + 1] & 0xFF));
        }
        return new String(chars);
    }

    /** Whether the symbol's text equals {@code s}, without building a String. */
    boolean matches(int symbol, String s) {
        String[] names = retained;
        if (symbol < names.length && names[symbol] != null) {
            return names[symbol].equals(s);
        }
        Cursor c = new Cursor(symbol);
        if (c.length != s.length()) {
            return false;
        }
        for (int i = 0; i < c.length; i++) {
            if (c.charAt(i) != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** {@code String.hashCode()} of the symbol's text, computed from its bytes. */
    int hash(int symbol) {
        Cursor c = new Cursor(symbol);
        int h = 0;
        for (int i = 0; i < c.length; i++) {
            h = 31 * h + c.charAt(i);
        }
        return h;
    }

    /** The symbol's length in chars. */
    int length(int symbol) {
        return new Cursor(symbol).length;
    }

    /** The symbol of {@code s}, or -1. Caller holds the catalog lock (read or write). */
    int find(String s) {
        int[] t = slots;
        int mask = t.length - 1;
        for (int i = spread(s.hashCode()) & mask; ; i = (i + 1) & mask) {
            int slot = t[i];
            if (slot == 0) {
                return -1;
            }
            if (matches(slot - 1, s)) {
                return slot - 1;
            }
        }
    }

    /** The symbol of {@code s}, created if new. Caller holds the catalog write lock. */
    int intern(String s) {
        return intern(s, false);
    }

    /**
     * As {@link #intern(String)}; with {@code isName} (a measurement or tag key) the String is
     * also kept, for fast comparisons. Caller holds the catalog write lock.
     */
    int intern(String s, boolean isName) {
        int found = find(s);
        if (found >= 0) {
            if (isName && (found >= retained.length || retained[found] == null)) {
                retain(found, s);
            }
            return found;
        }
        if (count == Integer.MAX_VALUE - 1) {
            throw new IllegalStateException("symbol table full: " + count + " distinct tag strings");
        }
        if ((count + 1) * 2L > slots.length) {
            rehash(slots.length * 2);
        }
        int[] all = positions;
        if (count == all.length) {
            all = Arrays.copyOf(all, all.length * 2);
        }
        all[count] = append(s);
        positions = all;
        int symbol = count++;
        insertSlot(slots, symbol, s.hashCode());
        if (isName) {
            retain(symbol, s);
        }
        return symbol;
    }

    private void retain(int symbol, String s) {
        String[] kept = retained;
        if (symbol >= kept.length) {
            kept = Arrays.copyOf(kept, Math.max(symbol + 1, positions.length));
        }
        kept[symbol] = s;
        retained = kept;
        retainedBytes += 24 + 16 + 2L * s.length();
    }

    long estimatedMemoryBytes() {
        long pageBytes = 16L + 8L * pages.length;
        byte[][] all = pages;
        for (int i = 0; i < pageCount; i++) {
            pageBytes += 16L + all[i].length;
        }
        return pageBytes + 16L + 4L * positions.length + 16L + 4L * slots.length + 16L + 4L * retained.length
                + retainedBytes;
    }

    /** Writes the encoded symbol and returns its position. */
    private int append(String s) {
        if (s.length() > SYMBOL_CHARS_MAX) {
            throw new IllegalArgumentException("tag string of " + s.length() + " chars is over the catalog's limit of "
                    + SYMBOL_CHARS_MAX);
        }
        boolean isLatin1 = true;
        for (int i = 0; i < s.length() && isLatin1; i++) {
            isLatin1 = s.charAt(i) < 256;
        }
        int header = s.length() << 1 | (isLatin1 ? 0 : 1);
        long bytes = varintBytes(header) + (isLatin1 ? 1L : 2L) * s.length();
        if (bytes > PAGE_BYTES) {
            // Its own page, so the page-relative offset is 0 and still fits the position.
            newPage((int) bytes);
        } else if (pagePosition + bytes > PAGE_BYTES) {
            newPage(PAGE_BYTES);
        }
        byte[] page = pages[pageCount - 1];
        int position = (pageCount - 1) << PAGE_SHIFT | pagePosition;
        int p = pagePosition;
        int v = header;
        while ((v & ~0x7F) != 0) {
            page[p++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        page[p++] = (byte) v;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (isLatin1) {
                page[p++] = (byte) ch;
            } else {
                page[p++] = (byte) (ch >>> 8);
                page[p++] = (byte) ch;
            }
        }
        pagePosition = bytes > PAGE_BYTES ? PAGE_BYTES : p;
        return position;
    }

    private void newPage(int bytes) {
        if (pageCount == PAGES_MAX) {
            throw new IllegalStateException("symbol table full: " + count + " distinct tag strings fill "
                    + PAGES_MAX + " pages of " + PAGE_BYTES + " bytes; drop unused series or use fewer distinct tag values");
        }
        byte[][] all = pages;
        if (pageCount == all.length) {
            all = Arrays.copyOf(all, Math.min(PAGES_MAX, all.length * 2));
        }
        all[pageCount++] = new byte[bytes];
        pages = all;
        pagePosition = 0;
    }

    private static int varintBytes(int v) {
        int n = 1;
        while ((v & ~0x7F) != 0) {
            v >>>= 7;
            n++;
        }
        return n;
    }

    private void rehash(int capacity) {
        int[] t = new int[capacity];
        for (int symbol = 0; symbol < count; symbol++) {
            insertSlot(t, symbol, hash(symbol));
        }
        slots = t;
    }

    private static void insertSlot(int[] t, int symbol, int hash) {
        int mask = t.length - 1;
        int i = spread(hash) & mask;
        while (t[i] != 0) {
            i = (i + 1) & mask;
        }
        t[i] = symbol + 1;
    }

    private static int spread(int h) {
        int x = h * 0x9E3779B1;
        return x ^ (x >>> 15);
    }

    /** The decoded header of one symbol: where its chars start, how many, and their width. */
    private final class Cursor {
        final byte[] page;
        final int start;
        final int length;
        final boolean isUtf16;

        Cursor(int symbol) {
            int position = positions[symbol];
            page = pages[position >>> PAGE_SHIFT];
            int p = position & (PAGE_BYTES - 1);
            int header = 0;
            int shift = 0;
            byte b;
            do {
                b = page[p++];
                header |= (b & 0x7F) << shift;
                shift += 7;
            } while (b < 0);
            start = p;
            length = header >>> 1;
            isUtf16 = (header & 1) != 0;
        }

        char charAt(int i) {
            if (!isUtf16) {
                return (char) (page[start + i] & 0xFF);
            }
            int p = start + 2 * i;
            return (char) (((page[p] & 0xFF) << 8) | (page[p + 1] & 0xFF));
        }
    }
}
