package io.sundial.server.write;

import io.sundial.core.PointColumns;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * The row buffers that streaming writes parse into, lent for one request and given back after it.
 * Each write request runs on its own virtual thread, and a buffer made per request grew by
 * doubling to its batch's size every time (set A, 5,000-line bodies: 420 MB of the load's 1.08 GB
 * allocated, with its copies; docs/BENCHMARKS.md section 11). Bounded in count and in the values
 * a kept buffer held, so a burst of writers or one huge batch does not pin memory.
 */
final class PointColumnsPool {
    /** Buffers kept between requests: the usual handful of concurrent writers. */
    static final int KEPT_MAX = 4;
    /** A buffer that held more values than this in one batch is dropped after its request (its arrays hold up to twice as many). */
    static final int KEPT_VALUES_MAX = 1 << 16;

    private final ArrayBlockingQueue<PointColumns> idle = new ArrayBlockingQueue<>(KEPT_MAX);

    /** An empty buffer, kept from an earlier request when one is idle; else a small one that grows as needed. */
    PointColumns take() {
        PointColumns columns = idle.poll();
        return columns != null ? columns : new PointColumns(256, 8);
    }

    /**
     * Returns a buffer its request no longer reads; {@code valuesMax} is the most values it held
     * in one batch. It is cleared, so a kept buffer refers to nothing of the request. One that
     * held a string value is not kept: it keeps its string column for good, and with it every
     * later batch would take the full row checks and copy that column.
     */
    void giveBack(PointColumns columns, int valuesMax) {
        boolean isKept = valuesMax <= KEPT_VALUES_MAX && !columns.hasStrings();
        columns.clear();
        if (isKept) {
            idle.offer(columns);
        }
    }

    /** Buffers kept now (for tests). */
    int keptCount() {
        return idle.size();
    }
}
