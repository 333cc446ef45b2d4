package io.sundial.storage;

import io.sundial.storage.io.ByteOutput;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * The buffers an engine's writers encode their WAL records into, lent for one write and given
 * back after it. A pool rather than one buffer per thread: HTTP writes run on a fresh virtual
 * thread per request, so a per-thread buffer was made anew on every request and grown by doubling
 * to the record's size (set A, 5,000-line bodies: about 0.9 MB of garbage and copies per request,
 * 14 % of all the load allocated; docs/BENCHMARKS.md section 11). Bounded in count and in the
 * size of a buffer kept, so a burst of writers or one huge batch does not pin memory.
 */
final class RecordBuffers {
    /** Buffers kept between writes: a few more than the usual number of concurrent writers. */
    static final int KEPT_MAX = 8;
    /** A buffer grown past this is dropped after its write instead of kept. */
    static final int KEPT_BYTES_MAX = 1 << 22;
    private static final int INITIAL_BYTES = 1 << 16;

    private final ArrayBlockingQueue<ByteOutput> idle = new ArrayBlockingQueue<>(KEPT_MAX);

    /** An empty buffer, kept from an earlier write when one is idle. */
    ByteOutput take() {
        ByteOutput buffer = idle.poll();
        if (buffer == null) {
            return new ByteOutput(INITIAL_BYTES);
        }
        buffer.reset();
        return buffer;
    }

    /** Returns a buffer once nothing reads it any more (the WAL copied the record). */
    void giveBack(ByteOutput buffer) {
        if (buffer.array().length <= KEPT_BYTES_MAX) {
            idle.offer(buffer);
        }
    }

    /** Buffers kept now (for tests). */
    int keptCount() {
        return idle.size();
    }
}
