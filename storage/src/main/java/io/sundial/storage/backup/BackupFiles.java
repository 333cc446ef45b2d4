package io.sundial.storage.backup;

import io.sundial.storage.format.Checksums;
import io.sundial.storage.io.DurableFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/** Copying, linking and checksumming whole files for backup and restore. */
public final class BackupFiles {
    private static final int BUFFER_BYTES = 1 << 16;

    private BackupFiles() {}

    /**
     * Hard-links an immutable file when source and target share a file system (instant, no extra
     * space; safe because segment files are never modified, only unlinked), else copies it.
     */
    public static void linkOrCopy(Path source, Path target) throws IOException {
        if (Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new java.nio.file.FileAlreadyExistsException(target.toString(), null, "a backup never overwrites a file");
        }
        try {
            Files.createLink(target, source);
        } catch (UnsupportedOperationException | FileSystemException e) {
            // Another file system (EXDEV), or links not supported: a copy is always correct.
            Files.deleteIfExists(target);
            copy(source, target);
        }
    }

    /** Copies {@code source} to a new {@code target} and fsyncs the copy. */
    public static void copy(Path source, Path target) throws IOException {
        Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
        fsync(target);
    }

    public static void fsync(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    /** Fsyncs every directory from {@code dir} up to and including {@code top}. */
    public static void fsyncDirectories(Path dir, Path top) throws IOException {
        for (Path d = dir; d != null; d = d.getParent()) {
            DurableFiles.fsyncDirectory(d);
            if (d.equals(top)) {
                return;
            }
        }
    }

    /** CRC32C (the checksum of every Sundial file format, {@link Checksums}) of the whole file. */
    public static int crc32c(Path file) throws IOException {
        CRC32C crc = new CRC32C();
        byte[] buffer = new byte[BUFFER_BYTES];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                crc.update(buffer, 0, n);
            }
        }
        return (int) crc.getValue();
    }
}
