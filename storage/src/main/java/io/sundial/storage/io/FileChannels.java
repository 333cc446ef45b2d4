package io.sundial.storage.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Writes of heap arrays to file channels in bounded slices. For every I/O call on a heap buffer
 * the JDK copies it into a temporary direct buffer of the same size and keeps that buffer cached
 * in the calling thread for good: one 30 MiB segment index or catalog batch written in one call
 * pinned 30 MiB of native memory, outside the heap limit, in the flush and compaction threads.
 */
public final class FileChannels {
    /** The largest slice passed to one channel call, so at most this much is cached per thread. */
    public static final int SLICE_BYTES_MAX = 1 << 20;

    private FileChannels() {}

    /** Writes {@code bytes[offset, offset + length)} at {@code position}. */
    public static void writeFully(FileChannel channel, byte[] bytes, int offset, int length, long position)
            throws IOException {
        long at = position;
        for (int done = 0; done < length; ) {
            ByteBuffer slice = ByteBuffer.wrap(bytes, offset + done, Math.min(SLICE_BYTES_MAX, length - done));
            while (slice.hasRemaining()) {
                int n = channel.write(slice, at);
                at += n;
                done += n;
            }
        }
    }

    /** Writes {@code bytes[offset, offset + length)} at the channel's position. */
    public static void writeFully(FileChannel channel, byte[] bytes, int offset, int length) throws IOException {
        for (int done = 0; done < length; ) {
            ByteBuffer slice = ByteBuffer.wrap(bytes, offset + done, Math.min(SLICE_BYTES_MAX, length - done));
            while (slice.hasRemaining()) {
                done += channel.write(slice);
            }
        }
    }
}
