package io.sundial.storage.manifest;

import io.sundial.storage.format.FileHeaders;
import io.sundial.storage.format.FileKind;
import io.sundial.storage.io.DurableFiles;
import io.sundial.storage.io.FileChannels;
import io.sundial.storage.io.StorageIo;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** The open manifest file edits are appended to. Not thread-safe: {@link VersionSet} serialises appends. */
final class ManifestLog implements Closeable {
    private final Path file;
    private final FileChannel channel;
    private final long snapshotBytes;
    private long size;

    private ManifestLog(Path file, FileChannel channel, long size, long snapshotBytes) {
        this.file = file;
        this.channel = channel;
        this.size = size;
        this.snapshotBytes = snapshotBytes;
    }

    /**
     * Writes a new manifest holding the header and {@code snapshot}, durably (file and directory
     * fsynced), so that naming it in CURRENT afterwards can never point at a partial file.
     */
    static ManifestLog create(Path file, byte[] snapshot) throws IOException {
        FileChannel channel = StorageIo.at(file).open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        try {
            byte[] header = FileHeaders.encode(FileKind.MANIFEST, ManifestRecords.FORMAT_VERSION);
            byte[] record = ManifestRecords.frame(snapshot);
            writeFully(channel, header, 0);
            writeFully(channel, record, header.length);
            channel.force(true);
            DurableFiles.fsyncDirectory(file.toAbsolutePath().getParent());
            return new ManifestLog(file, channel, header.length + record.length, record.length);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Opens a recovered manifest for appending after its last intact record, cutting a torn tail durably. */
    static ManifestLog reopen(ManifestReader.Contents contents) throws IOException {
        FileChannel channel = StorageIo.at(contents.file()).open(contents.file(), StandardOpenOption.WRITE);
        try {
            if (contents.hasTornTail()) {
                channel.truncate(contents.validBytes());
                channel.force(true);
            }
            long snapshotBytes = contents.entries().size() > 1
                    ? contents.entries().get(1).offset() - contents.entries().get(0).offset()
                    : contents.validBytes() - ManifestRecords.FIRST_RECORD_OFFSET;
            return new ManifestLog(contents.file(), channel, contents.validBytes(), snapshotBytes);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Appends one record and fsyncs; when this returns the edit survives a crash. */
    void append(byte[] payload) throws IOException {
        byte[] record = ManifestRecords.frame(payload);
        writeFully(channel, record, size);
        channel.force(true);
        size += record.length;
    }

    private static void writeFully(FileChannel channel, byte[] bytes, long position) throws IOException {
        FileChannels.writeFully(channel, bytes, 0, bytes.length, position);
    }

    Path file() {
        return file;
    }

    long size() {
        return size;
    }

    /** Bytes of the snapshot record this file starts with; rollover waits until edits outweigh it. */
    long snapshotBytes() {
        return snapshotBytes;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
