package io.sundial.storage.compaction;

import io.sundial.storage.manifest.FileMeta;
import java.util.List;

/**
 * Merge {@code inputs} into one file covering the window [partitionStart, partitionEnd). The
 * inputs are every live file whose window intersects that one, so the output never overlaps a
 * file left out (which would make last-write-wins depend on which files were picked).
 */
public record CompactionTask(List<FileMeta> inputs, long partitionStart, long partitionEnd, String reason) {
    public CompactionTask {
        inputs = List.copyOf(inputs);
    }
}
