package io.sundial.storage;

import java.util.Arrays;

/**
 * Which series or field ids already have their definition durable (in the WAL or the catalog
 * file), so a write record repeats only definitions that might be lost. A stale read gives a
 * false "not durable", which costs one repeated definition and nothing else; so reads take no lock.
 */
final class DurableIds {
    private volatile long[] words = new long[64];

    boolean contains(int id) {
        long[] w = words;
        int i = id >>> 6;
        return i < w.length && (w[i] & (1L << id)) != 0;
    }

    synchronized void add(int id) {
        int i = id >>> 6;
        long[] w = words;
        if (i >= w.length) {
            w = Arrays.copyOf(w, Math.max(i + 1, w.length * 2));
        }
        w[i] |= 1L << id;
        words = w;
    }

    /** Marks ids [0, count) durable. */
    synchronized void addAllBelow(int count) {
        long[] w = words;
        int needed = (count + 63) >>> 6;
        if (needed > w.length) {
            w = Arrays.copyOf(w, needed);
        }
        for (int id = 0; id < count; id++) {
            w[id >>> 6] |= 1L << id;
        }
        words = w;
    }
}
