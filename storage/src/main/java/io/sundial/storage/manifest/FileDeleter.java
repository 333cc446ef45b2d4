package io.sundial.storage.manifest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Removes files the manifest no longer needs. {@link #delete} is called exactly once per file,
 * once the file is in neither the current version nor any pinned one, on the thread that
 * released the last reference (an applier or a reader closing its {@link PinnedVersion}), never
 * while a {@link VersionSet} lock is held. A failure is logged and retried on the next apply;
 * files still left are orphans the next open removes.
 */
public interface FileDeleter {
    void delete(FileMeta file) throws IOException;

    /**
     * Removes a file found on open that no version lists: a temp file, or a segment file written
     * before a crash but never applied. The default simply deletes it.
     */
    default void deleteOrphan(Path file) throws IOException {
        Files.deleteIfExists(file);
    }

    /** Deletes segment files from {@code segments}. */
    static FileDeleter of(SegmentDirectory segments) {
        return file -> Files.deleteIfExists(segments.path(file.fileNumber()));
    }
}
