package io.sundial.storage.manifest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Shared builders for manifest tests. */
final class ManifestFixtures {
    static final long DAY_NANOS = 86_400_000_000_000L;

    private ManifestFixtures() {}

    /** A file of the day-partition {@code day}, holding its first hour. */
    static FileMeta file(long number, long day, long sequence) {
        long start = day * DAY_NANOS;
        return new FileMeta(number, start, start + DAY_NANOS, start, start + 3_600_000_000_000L, 4096, 100, sequence, 0);
    }

    /** Creates the segment file of {@code number} so orphan and missing-file checks see it. */
    static void touch(SegmentDirectory segments, long number) throws IOException {
        Files.createDirectories(segments.directory());
        Files.write(segments.path(number), new byte[] {1, 2, 3});
    }

    /** Records every call; really deletes, so tests can look at the directory too. */
    static final class RecordingDeleter implements FileDeleter {
        private final SegmentDirectory segments;
        final List<FileMeta> deleted = java.util.Collections.synchronizedList(new ArrayList<>());
        final List<Path> orphans = java.util.Collections.synchronizedList(new ArrayList<>());
        final Set<Long> deletedNumbers = ConcurrentHashMap.newKeySet();

        RecordingDeleter(SegmentDirectory segments) {
            this.segments = segments;
        }

        @Override
        public void delete(FileMeta file) throws IOException {
            deleted.add(file);
            if (!deletedNumbers.add(file.fileNumber())) {
                throw new AssertionError("file " + file.fileNumber() + " deleted twice");
            }
            Files.deleteIfExists(segments.path(file.fileNumber()));
        }

        @Override
        public void deleteOrphan(Path file) throws IOException {
            orphans.add(file);
            Files.deleteIfExists(file);
        }
    }
}
