package io.sundial.storage.memtable;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The native memory of one memtable's column pages: slabs from one shared {@link Arena}, all freed
 * at once when the memtable is released (its flush is in the manifest and no read holds it).
 *
 * <p>Why off the Java heap: a memtable lives from its first write until its flush is durable, long
 * enough that the collector promotes its pages; once flushed they were old-generation garbage that
 * only a full collection reclaims, so the heap grew by a memtable's worth per flush until its
 * maximum (set A over HTTP: 95 MiB live, 500-860 MiB committed; docs/BENCHMARKS.md section 11).
 * Here the pages are returned exactly when the memtable is done, and the heap holds only garbage
 * that dies young. A shared arena makes a read after the release fail with an exception instead of
 * reading freed memory, and closing it once per flush is cheap.
 */
final class PageArena {
    /**
     * Slab size: large enough that a slab serves many pages (at most {@link ColumnBuffer#PAGE_POINTS_MAX}
     * longs, 4 KiB, each), small enough that the unused tails of one slab per stripe stay a few MiB.
     */
    static final long SLAB_BYTES = 64 << 10;

    /** Created at the first page, so the many memtables that never grow a column cost nothing native. */
    private Arena arena;
    private boolean isClosed;
    private long slabBytes;

    /** A zeroed slab of {@link #SLAB_BYTES}. Thread-safe. */
    synchronized MemorySegment slab() {
        if (isClosed) {
            throw new IllegalStateException("memtable pages were already released after its flush; the memtable takes no more writes");
        }
        if (arena == null) {
            arena = Arena.ofShared();
        }
        slabBytes += SLAB_BYTES;
        return arena.allocate(SLAB_BYTES, Long.BYTES);
    }

    /** Native bytes taken so far (whole slabs). */
    synchronized long slabBytes() {
        return slabBytes;
    }

    /** Frees every slab; later reads of them throw {@link IllegalStateException}. Idempotent. */
    synchronized void close() {
        if (!isClosed) {
            isClosed = true;
            if (arena != null) {
                arena.close();
            }
        }
    }

    /**
     * Pages for the columns of one memtable stripe, cut from the stripe's current slab. Guarded by
     * the stripe's lock, like the columns it serves, so handing out a page takes no other lock.
     */
    static final class Slab {
        private final PageArena arena;
        private MemorySegment current;
        private long used;

        Slab(PageArena arena) {
            this.arena = arena;
        }

        /** A page of {@code bytes} (a multiple of 8, at most {@link #SLAB_BYTES}). */
        MemorySegment page(long bytes) {
            if (bytes > SLAB_BYTES || (bytes & 7) != 0) {
                throw new IllegalArgumentException("a memtable page holds 8 to " + SLAB_BYTES + " bytes in steps of 8, not " + bytes);
            }
            if (current == null || SLAB_BYTES - used < bytes) {
                current = arena.slab();
                used = 0;
            }
            MemorySegment page = current.asSlice(used, bytes);
            used += bytes;
            return page;
        }
    }
}
