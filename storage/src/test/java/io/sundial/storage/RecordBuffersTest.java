package io.sundial.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.sundial.storage.io.ByteOutput;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The WAL record buffers are reused empty, and the pool stays bounded in count and buffer size. */
class RecordBuffersTest {
    @Test
    void aBufferGivenBackIsLentAgainEmpty() {
        RecordBuffers buffers = new RecordBuffers();
        ByteOutput first = buffers.take();
        first.writeLong(42);
        buffers.giveBack(first);
        ByteOutput second = buffers.take();
        assertSame(first, second);
        assertEquals(0, second.size());
    }

    @Test
    void keepsAtMostKeptMaxBuffers() {
        RecordBuffers buffers = new RecordBuffers();
        List<ByteOutput> lent = new ArrayList<>();
        for (int i = 0; i < RecordBuffers.KEPT_MAX + 3; i++) {
            lent.add(buffers.take());
        }
        lent.forEach(buffers::giveBack);
        assertEquals(RecordBuffers.KEPT_MAX, buffers.keptCount());
    }

    @Test
    void dropsABufferGrownPastTheKeptSize() {
        RecordBuffers buffers = new RecordBuffers();
        ByteOutput huge = buffers.take();
        huge.ensure(RecordBuffers.KEPT_BYTES_MAX + 1);
        buffers.giveBack(huge);
        assertEquals(0, buffers.keptCount());
        assertNotSame(huge, buffers.take());
    }
}
