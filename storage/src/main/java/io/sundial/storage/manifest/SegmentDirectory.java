package io.sundial.storage.manifest;

import java.nio.file.Path;
import java.util.Objects;

/** Where segment files live and how they are named; the manifest scans it for orphans on open. */
public record SegmentDirectory(Path directory, SegmentFileNames names) {
    public SegmentDirectory {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(names, "names");
    }

    /** The path of the file numbered {@code fileNumber}. */
    public Path path(long fileNumber) {
        return directory.resolve(names.fileName(fileNumber));
    }
}
