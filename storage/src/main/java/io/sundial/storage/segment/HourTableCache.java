package io.sundial.storage.segment;

import io.sundial.storage.codec.FloatBlocks;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The parsed hour tables ({@link FloatBlocks}) of one segment file's float chunks, kept after the
 * first read: the file is immutable, and a query folding whole hours of every column (TSBS
 * double-groupby-all reads 2,000 tables of set A) otherwise re-reads each table's bytes and walks
 * its timestamps on every run. Like Prometheus' in-memory chunk metadata, but bounded: all readers
 * of the process together hold at most {@link #BYTES_MAX}; past it a table is parsed on every read
 * as before. A reader releases its share when it closes.
 */
final class HourTableCache {
    /**
     * Bytes of parsed tables all segment readers may hold: 32 MB (~20,000 tables of a day of
     * hours), or a 32nd of the heap when that is smaller, so a small heap keeps its room for
     * memtables and query buffers.
     */
    static final long BYTES_MAX = Math.min(32L << 20, Runtime.getRuntime().maxMemory() / 32);
    private static final AtomicLong HELD_BYTES = new AtomicLong();
    /** Marks a chunk known not to be stored in hour blocks. */
    private static final FloatBlocks NO_TABLE = new FloatBlocks(0, new int[1], new long[0], new long[0], new long[0],
            new long[0], new long[0], new double[0], new long[1]);

    private final ConcurrentHashMap<Integer, FloatBlocks> tables = new ConcurrentHashMap<>();
    private final AtomicLong ownBytes = new AtomicLong();

    /** True when the table of chunk {@code position} (or its absence) is cached. */
    boolean contains(int position) {
        return tables.containsKey(position);
    }

    /** The cached table of chunk {@code position}: null when it has none; only after {@link #contains}. */
    FloatBlocks get(int position) {
        FloatBlocks table = tables.get(position);
        return table == NO_TABLE ? null : table;
    }

    /** Keeps {@code table} (null: the chunk has none) when the process-wide budget has room. */
    void put(int position, FloatBlocks table) {
        long bytes = bytesOf(table);
        if (HELD_BYTES.addAndGet(bytes) > BYTES_MAX) {
            HELD_BYTES.addAndGet(-bytes);
            return;
        }
        if (tables.putIfAbsent(position, table == null ? NO_TABLE : table) == null) {
            ownBytes.addAndGet(bytes);
        } else {
            HELD_BYTES.addAndGet(-bytes);
        }
    }

    /** Gives this reader's share of the budget back; the reader is closing. */
    void release() {
        HELD_BYTES.addAndGet(-ownBytes.getAndSet(0));
        tables.clear();
    }

    /** Heap bytes of a table and its map entry: nine arrays, their headers, the record and the entry. */
    private static long bytesOf(FloatBlocks table) {
        int blocks = table == null ? 0 : table.blockCount();
        return 64 + 9 * 16 + 64 + blocks * (4L + 7 * 8L);
    }

    /** Bytes held by all readers' caches (for tests and metrics). */
    static long heldBytes() {
        return HELD_BYTES.get();
    }
}
