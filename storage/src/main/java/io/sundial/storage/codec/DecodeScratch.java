package io.sundial.storage.codec;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The reusable arrays one chunk decode works in: the chunk's bytes (copied once, padded, so bit
 * reads need no per-load bounds checks) and the timestamps and values of a range decode before
 * the points in range are copied out. A decode takes a set from a small shared pool and gives it
 * back when it returns; nothing it answers refers to these arrays.
 *
 * <p>A pool rather than a per-thread set: requests and queries run on virtual threads as well as
 * on pooled platform threads, and a virtual thread starts with empty thread-locals, so per-thread
 * scratch was allocated afresh (up to a few hundred KB for a day-long chunk) on every request.
 * The pool holds at most {@link #POOLED_MAX} sets, each bounded by the chunk limits, so what it
 * keeps is bounded too; a decode that finds the pool empty (more decodes at once than sets) makes
 * a set, which is pooled afterwards if a place is free and left to the collector otherwise.
 */
final class DecodeScratch {
    /** Sets kept for reuse: about the decodes that run at once (two per core), at most 32. */
    static final int POOLED_MAX = Math.clamp(2L * Runtime.getRuntime().availableProcessors(), 4, 32);
    /** Chunks up to this size are copied into the pooled byte array; larger ones get their own. */
    static final int BYTES_MAX = 1 << 20;

    private static final AtomicReferenceArray<DecodeScratch> POOL = new AtomicReferenceArray<>(POOLED_MAX);

    private byte[] bytes = new byte[4096];
    private long[] times = new long[1024];
    private long[] values = new long[1024];

    private DecodeScratch() {}

    /** A set from the pool, or a new one when all are in use; give it back with {@link #release}. */
    static DecodeScratch take() {
        int start = probe();
        for (int i = 0; i < POOLED_MAX; i++) {
            int slot = (start + i) % POOLED_MAX;
            DecodeScratch pooled = POOL.get(slot);
            if (pooled != null && POOL.compareAndSet(slot, pooled, null)) {
                return pooled;
            }
        }
        return new DecodeScratch();
    }

    /** Returns this set to the pool; the caller must not touch its arrays afterwards. */
    void release() {
        int start = probe();
        for (int i = 0; i < POOLED_MAX; i++) {
            int slot = (start + i) % POOLED_MAX;
            if (POOL.get(slot) == null && POOL.compareAndSet(slot, null, this)) {
                return;
            }
        }
    }

    /** Where a thread starts looking, so threads decoding at once mostly touch different slots. */
    private static int probe() {
        return (int) (Thread.currentThread().threadId() % POOLED_MAX);
    }

    /** A byte array of at least {@code needed} bytes: the pooled one up to {@link #BYTES_MAX}, else a fresh one. */
    byte[] bytes(int needed) {
        if (needed > BYTES_MAX) {
            return new byte[needed];
        }
        if (bytes.length < needed) {
            bytes = new byte[Math.min(BYTES_MAX, Math.max(needed, bytes.length * 2))];
        }
        return bytes;
    }

    /** Room for {@code count} timestamps (count is at most {@link ChunkCodec#POINTS_MAX}). */
    long[] times(int count) {
        if (times.length < count) {
            times = new long[grownLength(times.length, count)];
        }
        return times;
    }

    /** Room for {@code count} values (count is at most {@link ChunkCodec#POINTS_MAX}). */
    long[] values(int count) {
        if (values.length < count) {
            values = new long[grownLength(values.length, count)];
        }
        return values;
    }

    private static int grownLength(int length, int count) {
        return Math.max(count, Math.min(ChunkCodec.POINTS_MAX, length * 2));
    }

    /** Sets in the pool now (for tests). */
    static int pooled() {
        int pooled = 0;
        for (int i = 0; i < POOLED_MAX; i++) {
            pooled += POOL.get(i) == null ? 0 : 1;
        }
        return pooled;
    }
}
