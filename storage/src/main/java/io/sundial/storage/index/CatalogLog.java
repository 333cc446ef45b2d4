package io.sundial.storage.index;

import io.sundial.storage.format.Checksums;
import io.sundial.storage.format.CorruptFileException;
import io.sundial.storage.format.FileHeaders;
import io.sundial.storage.format.FileKind;
import io.sundial.storage.io.BigEndian;
import io.sundial.storage.io.ByteOutput;
import io.sundial.storage.io.DurableFiles;
import io.sundial.storage.io.FileChannels;
import io.sundial.storage.io.StorageIo;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The append-only catalog log file (docs/format/catalog.md): the common file header, then
 * batches of records, each batch closed by a COMMIT record naming the batch's start offset and
 * fsynced before {@link #appendBatch} returns.
 *
 * <p>On open, a bad record (short, bad length, bad checksum) is a torn tail, cut off, when no
 * batch committed after it: either no valid COMMIT follows it, or the only one is the last
 * record of the file and closes the batch the bad record is in (a crash during that batch's
 * fsync may persist its pages in any order). Anything else is damage to durable data and
 * fails with {@link CorruptFileException} naming the file and offset. Records of a torn batch
 * that precede the damage are kept: each is a self-contained definition whose checksum holds,
 * and whatever the torn batch lost is still in the WAL, which is truncated only after
 * {@link #appendBatch} returns.
 */
final class CatalogLog implements Closeable {
    static final String FILE_NAME = "catalog.log";
    /** Version 1: records SERIES, FIELD, DROP_SERIES, DROP_MEASUREMENT, NEXT_IDS, COMMIT. */
    static final int FORMAT_VERSION = 1;
    private static final int SCAN_WINDOW_BYTES = 1 << 20;

    /** Where a batch's records go; a writer may call it many times to bound its buffer. */
    interface RecordSink {
        void write(ByteOutput records) throws IOException;
    }

    /** Produces the records of one batch. */
    interface RecordSource {
        void writeTo(RecordSink sink) throws IOException;
    }

    private final Path file;
    private FileChannel channel;
    private long size;
    private long truncatedTailBytes;

    private CatalogLog(Path file) {
        this.file = file;
    }

    /** Opens (creating if missing) the log in {@code dir} and feeds every record to {@code visitor}. */
    static CatalogLog open(Path dir, CatalogRecords.Visitor visitor) throws IOException {
        DurableFiles.createDirectories(dir);
        Path file = dir.resolve(FILE_NAME);
        Files.deleteIfExists(tempOf(file));
        if (!Files.exists(file)) {
            DurableFiles.writeAtomically(file, FileHeaders.encode(FileKind.CATALOG, FORMAT_VERSION));
        }
        CatalogLog log = new CatalogLog(file);
        log.channel = StorageIo.at(file).open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            log.replay(visitor);
        } catch (IOException | RuntimeException e) {
            log.channel.close();
            throw e;
        }
        return log;
    }

    Path file() {
        return file;
    }

    long sizeBytes() {
        return size;
    }

    /** Bytes cut from a torn tail when the log was opened (0 if it ended cleanly). */
    long truncatedTailBytes() {
        return truncatedTailBytes;
    }

    /** Appends one batch plus its COMMIT and fsyncs; on failure the file is cut back to its old end. */
    void appendBatch(RecordSource source) throws IOException {
        long batchStart = size;
        try {
            source.writeTo(this::writeAtEnd);
            ByteOutput commit = new ByteOutput(32);
            CatalogRecords.writeCommit(commit, batchStart);
            writeAtEnd(commit);
            channel.force(true);
        } catch (IOException | RuntimeException e) {
            try {
                channel.truncate(batchStart);
                channel.force(true);
                size = batchStart;
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** Replaces the log by a new one holding only {@code source}'s records, atomically. */
    void rewrite(RecordSource source) throws IOException {
        Path temp = tempOf(file);
        long newSize;
        try (FileChannel out = StorageIo.at(temp).open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            long[] position = {0};
            RecordSink sink = records -> {
                writeFully(out, records.array(), records.size(), position[0]);
                position[0] += records.size();
            };
            ByteOutput head = new ByteOutput(64);
            FileHeaders.write(head, FileKind.CATALOG, FORMAT_VERSION);
            sink.write(head);
            source.writeTo(sink);
            ByteOutput commit = new ByteOutput(32);
            CatalogRecords.writeCommit(commit, FileHeaders.HEADER_BYTES);
            sink.write(commit);
            out.force(true);
            newSize = position[0];
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        channel.close();
        DurableFiles.install(temp, file);
        channel = StorageIo.at(file).open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        size = newSize;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private void writeAtEnd(ByteOutput records) throws IOException {
        writeFully(channel, records.array(), records.size(), size);
        size += records.size();
    }

    private static void writeFully(FileChannel ch, byte[] bytes, int length, long position) throws IOException {
        FileChannels.writeFully(ch, bytes, 0, length, position);
    }

    private static Path tempOf(Path file) {
        return file.resolveSibling(file.getFileName() + DurableFiles.TEMP_SUFFIX);
    }

    private void replay(CatalogRecords.Visitor visitor) throws IOException {
        long fileSize = channel.size();
        byte[] header = new byte[FileHeaders.HEADER_BYTES];
        int headerRead = readAt(header, 0);
        FileHeaders.check(header, headerRead, file, FileKind.CATALOG, FORMAT_VERSION, FORMAT_VERSION);
        InputStream in = new BufferedInputStream(Channels.newInputStream(channel.position(FileHeaders.HEADER_BYTES)), 1 << 16);
        byte[] head = new byte[CatalogRecords.HEADER_BYTES];
        byte[] body = new byte[4096];
        long position = FileHeaders.HEADER_BYTES;
        while (true) {
            int n = in.readNBytes(head, 0, head.length);
            if (n == 0) {
                break;
            }
            if (n < head.length) {
                cutTornTail(position, fileSize, "record header cut short after " + n + " bytes");
                return;
            }
            int length = BigEndian.getInt(head, 0);
            if (length < 1 || length > CatalogRecords.RECORD_BYTES_MAX) {
                cutTornTail(position, fileSize, "record length " + Integer.toUnsignedString(length)
                        + " outside [1, " + CatalogRecords.RECORD_BYTES_MAX + "]");
                return;
            }
            if (length > body.length) {
                body = new byte[Math.max(length, body.length * 2)];
            }
            n = in.readNBytes(body, 0, length);
            if (n < length) {
                cutTornTail(position, fileSize, "record of " + length + " bytes extends past the end of the file");
                return;
            }
            if (Checksums.crc32c(body, 0, length) != BigEndian.getInt(head, 4)) {
                cutTornTail(position, fileSize, "record checksum mismatch");
                return;
            }
            try {
                CatalogRecords.decode(body, length, visitor);
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new CorruptFileException(file, position, "invalid catalog record: " + e.getMessage(), e);
            }
            position += CatalogRecords.HEADER_BYTES + length;
        }
        size = position;
    }

    private void cutTornTail(long position, long fileSize, String why) throws IOException {
        long[] commit = findCommitAfter(position, fileSize);
        boolean isTorn = commit == null || (commit[1] <= position && commit[0] + CatalogRecords.HEADER_BYTES
                + CatalogRecords.COMMIT_LENGTH == fileSize);
        if (!isTorn) {
            throw new CorruptFileException(file, position, why + "; a batch committed at offset " + commit[0]
                    + " follows, so this is damage to durable data, not a torn write: restore the data"
                    + " directory from a backup");
        }
        channel.truncate(position);
        channel.force(true);
        truncatedTailBytes = fileSize - position;
        size = position;
    }

    /** The first valid COMMIT record after {@code position}: {offset, batch start}, or null. */
    private long[] findCommitAfter(long position, long fileSize) throws IOException {
        int recordBytes = CatalogRecords.HEADER_BYTES + CatalogRecords.COMMIT_LENGTH;
        byte[] window = new byte[SCAN_WINDOW_BYTES + recordBytes];
        for (long start = position + 1; start + recordBytes <= fileSize; start += SCAN_WINDOW_BYTES) {
            int n = readAt(window, start);
            for (int i = 0; i + recordBytes <= n && i < SCAN_WINDOW_BYTES; i++) {
                if (BigEndian.getInt(window, i) == CatalogRecords.COMMIT_LENGTH
                        && window[i + CatalogRecords.HEADER_BYTES] == CatalogRecords.COMMIT
                        && Checksums.crc32c(window, i + CatalogRecords.HEADER_BYTES, CatalogRecords.COMMIT_LENGTH)
                                == BigEndian.getInt(window, i + 4)) {
                    return new long[] {start + i, BigEndian.getLong(window, i + CatalogRecords.HEADER_BYTES + 1)};
                }
            }
        }
        return null;
    }

    private int readAt(byte[] dst, long position) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(dst);
        long at = position;
        while (buf.hasRemaining()) {
            int n = channel.read(buf, at);
            if (n < 0) {
                break;
            }
            at += n;
        }
        return buf.position();
    }
}
