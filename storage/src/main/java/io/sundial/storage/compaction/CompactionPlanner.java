package io.sundial.storage.compaction;

import io.sundial.storage.manifest.FileMeta;
import io.sundial.storage.manifest.Tombstone;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Chooses the next compaction from file metadata alone (pure; tested with tables of cases).
 *
 * <ol>
 *   <li>Overlap: files whose partition windows intersect are merged into one file, so each
 *       window ends with one file. In the background, a window that still receives writes (it
 *       ends less than a partition ago) waits until it has {@link #HOT_FILES_MIN} files, to
 *       avoid rewriting it after every flush. While flushes are still arriving (a bulk load of
 *       old data), every window waits the same way: otherwise each flush of a long load rewrote
 *       the whole window again, a cost that grows with the square of the load.</li>
 *   <li>Small old partitions: windows that ended more than {@link #OLD_PARTITIONS} partitions
 *       ago and whose files are all under {@link #SMALL_FILE_BYTES} are merged per
 *       {@link #MERGED_PARTITIONS}-partition window, so file count stays bounded under
 *       infinite retention.</li>
 *   <li>Tombstones: a window with a file older than a tombstone that overlaps the tombstone's
 *       range is rewritten, applying it, so deletes free disk space and tombstones retire.</li>
 * </ol>
 */
public final class CompactionPlanner {
    static final int HOT_FILES_MIN = 4;
    static final int OLD_PARTITIONS = 7;
    static final int MERGED_PARTITIONS = 7;
    static final long SMALL_FILE_BYTES = 16L << 20;

    private CompactionPlanner() {}

    /**
     * @param full an explicit compaction: merge every overlap now, hot windows included
     */
    public static Optional<CompactionTask> plan(List<FileMeta> files, long partitionNanos, long nowNanos, boolean full) {
        return plan(files, List.of(), partitionNanos, nowNanos, full);
    }

    /**
     * Like {@link #plan(List, long, long, boolean)}; when neither rule finds work, a window holding
     * a file older than a tombstone and overlapping its range is rewritten (step 3), so deleted points
     * leave the disk and the tombstone can be retired even where there is nothing to merge.
     */
    public static Optional<CompactionTask> plan(List<FileMeta> files, List<Tombstone> tombstones, long partitionNanos,
                                                long nowNanos, boolean full) {
        return plan(files, tombstones, partitionNanos, nowNanos, full, false);
    }

    /**
     * Like {@link #plan(List, List, long, long, boolean)}.
     *
     * @param flushesActive the engine flushed recently, so more files are on their way: every
     *                      window with overlapping files waits for {@link #HOT_FILES_MIN} of them
     */
    public static Optional<CompactionTask> plan(List<FileMeta> files, List<Tombstone> tombstones, long partitionNanos,
                                                long nowNanos, boolean full, boolean flushesActive) {
        List<List<FileMeta>> groups = overlapGroups(files);
        for (List<FileMeta> group : groups) {
            if (group.size() < 2) {
                continue;
            }
            long end = group.stream().mapToLong(FileMeta::partitionEnd).max().orElseThrow();
            boolean hot = flushesActive || end > saturatingSubtract(nowNanos, partitionNanos);
            if (full || !hot || group.size() >= HOT_FILES_MIN) {
                return Optional.of(task(group, "overlapping files"));
            }
        }
        Optional<CompactionTask> smallOld = planSmallOldMerge(groups, partitionNanos, nowNanos);
        return smallOld.isPresent() ? smallOld : planTombstoneRewrite(groups, tombstones);
    }

    /**
     * The first window with a file a tombstone still applies to. The compactor gives its output a
     * sequence at or above every tombstone it applied, so the same window is not chosen again.
     */
    private static Optional<CompactionTask> planTombstoneRewrite(List<List<FileMeta>> groups, List<Tombstone> tombstones) {
        for (List<FileMeta> group : groups) {
            for (FileMeta f : group) {
                for (Tombstone t : tombstones) {
                    if (f.sequence() < t.sequence() && f.maxTime() >= t.minTime() && f.minTime() <= t.maxTime()) {
                        return Optional.of(task(group, "apply tombstones"));
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<CompactionTask> planSmallOldMerge(List<List<FileMeta>> groups, long partitionNanos, long nowNanos) {
        long windowNanos = partitionNanos > Long.MAX_VALUE / MERGED_PARTITIONS ? Long.MAX_VALUE : partitionNanos * MERGED_PARTITIONS;
        long oldBefore = saturatingSubtract(nowNanos, partitionNanos > Long.MAX_VALUE / OLD_PARTITIONS
                ? Long.MAX_VALUE : partitionNanos * OLD_PARTITIONS);
        List<FileMeta> candidates = new ArrayList<>();
        long currentWindow = Long.MIN_VALUE;
        for (List<FileMeta> group : groups) {
            if (group.size() != 1) {
                continue;
            }
            FileMeta f = group.getFirst();
            long window = Math.floorDiv(f.partitionStart(), windowNanos);
            boolean eligible = f.partitionEnd() <= oldBefore && f.sizeBytes() < SMALL_FILE_BYTES
                    && Math.floorDiv(f.partitionEnd() - 1, windowNanos) == window
                    && f.partitionEnd() - f.partitionStart() < windowNanos;
            if (!eligible) {
                continue;
            }
            if (window != currentWindow) {
                if (candidates.size() >= 2) {
                    break;
                }
                candidates.clear();
                currentWindow = window;
            }
            candidates.add(f);
        }
        if (candidates.size() < 2) {
            return Optional.empty();
        }
        long start = Math.floorDiv(candidates.getFirst().partitionStart(), windowNanos) * windowNanos;
        long end = start > Long.MAX_VALUE - windowNanos ? Long.MAX_VALUE : start + windowNanos;
        // Every file in the window must join, or the merged file would overlap one left out.
        for (List<FileMeta> group : groups) {
            for (FileMeta f : group) {
                if (f.partitionStart() < end && f.partitionEnd() > start && !candidates.contains(f)) {
                    return Optional.empty();
                }
            }
        }
        return Optional.of(new CompactionTask(candidates, start, end, "small old partitions"));
    }

    private static CompactionTask task(List<FileMeta> group, String reason) {
        long start = group.stream().mapToLong(FileMeta::partitionStart).min().orElseThrow();
        long end = group.stream().mapToLong(FileMeta::partitionEnd).max().orElseThrow();
        return new CompactionTask(group, start, end, reason);
    }

    /** Files grouped by transitively intersecting partition windows, in time order. */
    static List<List<FileMeta>> overlapGroups(List<FileMeta> files) {
        List<FileMeta> sorted = new ArrayList<>(files);
        sorted.sort(Comparator.comparingLong(FileMeta::partitionStart).thenComparingLong(FileMeta::sequence));
        List<List<FileMeta>> groups = new ArrayList<>();
        List<FileMeta> current = null;
        long currentEnd = Long.MIN_VALUE;
        for (FileMeta f : sorted) {
            if (current != null && f.partitionStart() < currentEnd) {
                current.add(f);
                currentEnd = Math.max(currentEnd, f.partitionEnd());
            } else {
                current = new ArrayList<>();
                current.add(f);
                groups.add(current);
                currentEnd = f.partitionEnd();
            }
        }
        return groups;
    }

    private static long saturatingSubtract(long a, long b) {
        long r = a - b;
        return ((a ^ b) & (a ^ r)) < 0 ? Long.MIN_VALUE : r;
    }
}
