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

    /** The pool every chunk decode uses. */
    static final Pool SHARED = new Pool();

    private byte[] bytes = new byte[4096];
    private long[] times = new long[1024];
    private long[] values = new long[1024];

    private DecodeScratch() {}

    /** A set from the shared pool, or a new one when all are in use; give it back with {@link #release}. */
    static DecodeScratch take() {
        return SHARED.take();
    }

    /** Returns this set to the shared pool; the caller must not touch its arrays afterwards. */
    void release() {
        SHARED.release(this);
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

    /**
     * At most {@link #POOLED_MAX} idle sets. An instance rather than static state so tests can
     * count the sets of a pool no other thread of the test JVM touches.
     */
    static final class Pool {
        private final AtomicReferenceArray<DecodeScratch> idle = new AtomicReferenceArray<>(POOLED_MAX);

        DecodeScratch take() {
            int start = probe();
            for (int i = 0; i < POOLED_MAX; i++) {
                int slot = (start + i) % POOLED_MAX;
                DecodeScratch pooled = idle.get(slot);
                if (pooled != null && idle.compareAndSet(slot, pooled, null)) {
                    return pooled;
                }
            }
            return new DecodeScratch();
        }

        /** Keeps {@code scratch} if a place is free; otherwise leaves it to the collector. */
        void release(DecodeScratch scratch) {
            int start = probe();
            for (int i = 0; i < POOLED_MAX; i++) {
                int slot = (start + i) % POOLED_MAX;
                if (idle.get(slot) == null && idle.compareAndSet(slot, null, scratch)) {
                    return;
                }
            }
        }

        /** Idle sets in this pool now (for tests). */
        int pooled() {
            int pooled = 0;
            for (int i = 0; i < POOLED_MAX; i++) {
                pooled += idle.get(i) == null ? 0 : 1;
            }
            return pooled;
        }

        /** Where a thread starts looking, so threads decoding at once mostly touch different slots. */
        private static int probe() {
            return (int) (Thread.currentThread().threadId() % POOLED_MAX);
        }
    }
}
