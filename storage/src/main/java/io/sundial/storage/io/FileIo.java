package io.sundial.storage.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.CopyOption;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;

/**
 * The operations through which the engine opens, reads, writes, fsyncs and renames its files
 * (WAL, segments, manifest, catalog). Writes and fsyncs go through the returned channel, so an
 * implementation that wants to fail them wraps the channel; the real one returns the JDK's channel
 * untouched, so production pays nothing per write.
 *
 * <p>Implementations: {@link #REAL} and {@link FaultInjectingFileIo} (tests, chaos runs). Which
 * one serves a path is decided by {@link StorageIo#at(Path)}.
 */
public interface FileIo {
    /** The operating system's file system, without any indirection on the returned channels. */
    FileIo REAL = new FileIo() {
        @Override
        public FileChannel open(Path file, OpenOption... options) throws IOException {
            return FileChannel.open(file, options);
        }

        @Override
        public void move(Path source, Path target, CopyOption... options) throws IOException {
            Files.move(source, target, options);
        }

        @Override
        public byte[] readAllBytes(Path file) throws IOException {
            return Files.readAllBytes(file);
        }
    };

    /** Opens a file (or, with READ only, a directory to fsync) as {@link FileChannel#open} does. */
    FileChannel open(Path file, OpenOption... options) throws IOException;

    /** Renames as {@link Files#move} does. */
    void move(Path source, Path target, CopyOption... options) throws IOException;

    /** Reads a whole small file as {@link Files#readAllBytes} does. */
    byte[] readAllBytes(Path file) throws IOException;
}
