package io.sundial.storage.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The steps that make a file durable. A new file is written under a temporary name, fsynced,
 * renamed over its final name and then its directory is fsynced: without the last step a crash
 * can lose the rename even though the data reached the disk (see the LevelDB/RocksDB
 * "SyncDir" discussions and ext4's data=ordered caveats).
 */
public final class DurableFiles {
    /** Suffix of files being written; such files are garbage after a crash and removed on open. */
    public static final String TEMP_SUFFIX = ".tmp";

    private DurableFiles() {}

    /** Writes {@code bytes} to {@code target} atomically and durably (temp, fsync, rename, dir fsync). */
    public static void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path temp = target.resolveSibling(target.getFileName() + TEMP_SUFFIX);
        try (FileChannel ch = StorageIo.at(temp).open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            FileChannels.writeFully(ch, bytes, 0, bytes.length);
            ch.force(true);
        }
        install(temp, target);
    }

    /** Renames an already fsynced {@code temp} to {@code target} and fsyncs the directory. */
    public static void install(Path temp, Path target) throws IOException {
        try {
            StorageIo.at(target).move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("file system of " + target + " cannot rename atomically", e);
        }
        fsyncDirectory(target.toAbsolutePath().getParent());
    }

    /** Makes a directory's entries (creations, renames, deletions) durable. */
    public static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel ch = StorageIo.at(dir).open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /** Creates {@code dir} and any missing parents, fsyncing each parent that gained an entry. */
    public static void createDirectories(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath();
        if (Files.isDirectory(abs)) {
            return;
        }
        createDirectories(abs.getParent());
        Files.createDirectory(abs);
        fsyncDirectory(abs.getParent());
    }
}
