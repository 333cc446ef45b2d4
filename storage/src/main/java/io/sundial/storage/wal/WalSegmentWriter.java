package io.sundial.storage.wal;

import io.sundial.storage.format.FileHeaders;
import io.sundial.storage.format.FileKind;
import io.sundial.storage.io.DurableFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The open, active segment file. Used only by the WAL's writer thread, so application threads
 * that get interrupted never close this channel (an interrupt closes a FileChannel mid-I/O).
 */
final class WalSegmentWriter {
    private final long id;
    private final Path path;
    private final FileChannel channel;
    private final Instant createdAt;
    private final AtomicLong fsyncCount;
    private long bytes;

    private WalSegmentWriter(long id, Path path, FileChannel channel, Instant createdAt, AtomicLong fsyncCount) {
        this.id = id;
        this.path = path;
        this.channel = channel;
        this.createdAt = createdAt;
        this.fsyncCount = fsyncCount;
    }

    /**
     * Creates segment {@code id} with its header, and makes both the file and its directory entry
     * durable before any record can be acknowledged in it.
     */
    static WalSegmentWriter create(Path dir, long id, Instant now, AtomicLong fsyncCount, SegmentChannelOpener opener)
            throws IOException {
        Path path = WalSegmentFiles.path(dir, id);
        FileChannel channel = opener.open(path);
        WalSegmentWriter segment = new WalSegmentWriter(id, path, channel, now, fsyncCount);
        try {
            byte[] header = FileHeaders.encode(FileKind.WAL_SEGMENT, WalRecordFormat.VERSION_CURRENT);
            segment.write(new ByteBuffer[] {ByteBuffer.wrap(header)}, header.length);
            try {
                channel.force(true);
                fsyncCount.incrementAndGet();
                DurableFiles.fsyncDirectory(dir);
            } catch (IOException e) {
                throw WalWriter.syncFailure(path, e);
            }
        } catch (IOException | RuntimeException e) {
            segment.closeWithoutSync();
            // A segment that never held a record goes, so a retry can create it afresh (CREATE_NEW).
            try {
                Files.deleteIfExists(path);
            } catch (IOException ignored) {
                // Left behind, it is an incomplete last segment, which the next open removes.
            }
            throw e;
        }
        return segment;
    }

    long id() {
        return id;
    }

    Path path() {
        return path;
    }

    Instant createdAt() {
        return createdAt;
    }

    /** Bytes in the file, header included, as far as this writer has written them. */
    long bytes() {
        return bytes;
    }

    boolean hasRecords() {
        return bytes > FileHeaders.HEADER_BYTES;
    }

    /** Writes all of {@code buffers} ({@code total} bytes) at the end of the file, in as few system calls as the OS allows. */
    void write(ByteBuffer[] buffers, long total) throws IOException {
        long remaining = total;
        int first = 0;
        while (remaining > 0) {
            remaining -= channel.write(buffers, first, buffers.length - first);
            while (first < buffers.length && !buffers[first].hasRemaining()) {
                first++;
            }
        }
        bytes += total;
    }

    /** fdatasync: the file's size is part of what Linux syncs, so appended records are retrievable. */
    void force() throws IOException {
        channel.force(false);
        fsyncCount.incrementAndGet();
    }

    void close() throws IOException {
        channel.close();
    }

    /**
     * Cuts the file back to {@code length} bytes after a failed write, so that the refused records
     * never come back on replay, and carries on from there. False when even that failed.
     */
    boolean rollBackTo(long length) {
        try {
            if (channel.size() > length) {
                channel.truncate(length);
            }
            channel.position(length);
            bytes = length;
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * After a failed write, cuts whatever part of it reached the file, so that records whose
     * writers were told "failed" do not come back on replay. Best effort: when even the truncate
     * fails, replay may find some of them intact (the error message says they "may or may not" be).
     */
    void discardFailedWrite() {
        try {
            if (channel.size() > bytes) {
                channel.truncate(bytes);
            }
        } catch (IOException ignored) {
            // The write failure being handled is the error worth reporting.
        }
    }

    /** Closes after a failure: no fsync, because a retried fsync can report success for lost pages. */
    void closeWithoutSync() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // The failure being handled is the one worth reporting.
        }
    }
}
