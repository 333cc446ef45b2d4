package io.sundial.storage.manifest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reference counts that decide when a file may be deleted. A version is live while it is current
 * or pinned; each file counts the live versions that hold it and is dead at zero. Counting per
 * version rather than per pin keeps {@link #pin()} O(1) (a query pins on every request) and puts
 * the O(files) work on {@link #install}, which runs once per flush or compaction.
 *
 * <p>One lock guards all of it; callers delete the returned dead files after the lock is released,
 * which is safe because a dead file can never become live again: file numbers are not reused.
 */
final class FileLifetimes {
    private final Map<Long, Integer> liveVersionsByFile = new HashMap<>();
    private final IdentityHashMap<Version, Integer> pinsByVersion = new IdentityHashMap<>();
    private Version current;
    private int pinnedCount;

    FileLifetimes(Version initial) {
        current = initial;
        for (FileMeta f : initial.files()) {
            liveVersionsByFile.merge(f.fileNumber(), 1, Integer::sum);
        }
    }

    synchronized Version current() {
        return current;
    }

    synchronized Version pin() {
        pinsByVersion.merge(current, 1, Integer::sum);
        pinnedCount++;
        return current;
    }

    /** @return files that became dead: in no pinned version and not in the current one */
    synchronized List<FileMeta> unpin(Version version) {
        Integer pins = pinsByVersion.get(version);
        if (pins == null) {
            throw new IllegalStateException("version is not pinned: " + version);
        }
        pinnedCount--;
        if (pins > 1) {
            pinsByVersion.put(version, pins - 1);
            return List.of();
        }
        pinsByVersion.remove(version);
        return version == current ? List.of() : release(version);
    }

    /** Makes {@code next} current. @return files that became dead */
    synchronized List<FileMeta> install(Version next) {
        for (FileMeta f : next.files()) {
            liveVersionsByFile.merge(f.fileNumber(), 1, Integer::sum);
        }
        Version previous = current;
        current = next;
        return pinsByVersion.containsKey(previous) ? List.of() : release(previous);
    }

    private List<FileMeta> release(Version version) {
        List<FileMeta> dead = new ArrayList<>();
        for (FileMeta f : version.files()) {
            int remaining = liveVersionsByFile.merge(f.fileNumber(), -1, Integer::sum);
            if (remaining == 0) {
                liveVersionsByFile.remove(f.fileNumber());
                dead.add(f);
            }
        }
        return dead;
    }

    /** Open {@link PinnedVersion}s. */
    synchronized int pinnedCount() {
        return pinnedCount;
    }

    /** How many live versions hold {@code fileNumber}; 0 once it is dead. */
    synchronized int liveVersionCount(long fileNumber) {
        return liveVersionsByFile.getOrDefault(fileNumber, 0);
    }
}
