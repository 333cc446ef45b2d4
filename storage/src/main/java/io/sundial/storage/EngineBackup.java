package io.sundial.storage;

import io.sundial.storage.backup.BackupFiles;
import io.sundial.storage.index.SeriesCatalog;
import io.sundial.storage.io.DurableFiles;
import io.sundial.storage.manifest.FileMeta;
import io.sundial.storage.manifest.ManifestExport;
import io.sundial.storage.manifest.PinnedVersion;
import io.sundial.storage.manifest.Version;
import io.sundial.storage.manifest.VersionSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The copy step of {@link Engine#backup}: the files of one pinned version, the catalog and a
 * fresh manifest, laid out like a database directory so that a restore is a copy.
 */
final class EngineBackup {
    private EngineBackup() {}

    /** The absolute target, refused when inside the database or not empty. */
    static Path checkTarget(Path databaseDir, Path targetDir) throws IOException {
        Path target = targetDir.toAbsolutePath().normalize();
        if (target.startsWith(databaseDir)) {
            throw new IllegalArgumentException("backup target " + target + " is inside the database directory " + databaseDir);
        }
        if (Files.exists(target)) {
            try (var entries = Files.newDirectoryStream(target)) {
                if (entries.iterator().hasNext()) {
                    throw new IllegalArgumentException("backup target " + target + " is not empty; choose a new directory");
                }
            }
        }
        return target;
    }

    /**
     * Copies (or hard-links) the live files of a pinned version, then the catalog, then writes a
     * manifest of exactly that version. The caller has flushed, so every point acknowledged
     * before the backup began is in those files; the pin keeps compaction from deleting them
     * while writes go on.
     *
     * @return the files written, absolute
     */
    static List<Path> write(Path databaseDir, Path target, SegmentFiles files, VersionSet versions, SeriesCatalog catalog,
                            ReentrantLock flushLock) throws IOException {
        Path dataTarget = target.resolve("data");
        Path catalogTarget = target.resolve("catalog");
        DurableFiles.createDirectories(dataTarget);
        DurableFiles.createDirectories(catalogTarget);
        List<Path> written = new ArrayList<>();
        try (PinnedVersion pinned = versions.pin()) {
            Version version = pinned.version();
            for (FileMeta f : version.files()) {
                Path source = files.path(f.fileNumber());
                Path copy = dataTarget.resolve(source.getFileName());
                BackupFiles.linkOrCopy(source, copy);
                written.add(copy);
            }
            // The catalog is persisted after the pin, so it defines every series the pinned files hold.
            // Under flushLock no flush persists it concurrently; a drop's persist may append a batch
            // mid-copy, which the copy then ends with as a torn tail that open cuts.
            flushLock.lock();
            try {
                catalog.persist();
                Path catalogLog = databaseDir.resolve("catalog").resolve("catalog.log");
                Path copy = catalogTarget.resolve(catalogLog.getFileName());
                BackupFiles.copy(catalogLog, copy);
                written.add(copy);
            } finally {
                flushLock.unlock();
            }
            // A restored directory starts a new WAL at segment 1; the floor must not delete it on the next open.
            Version restorable = Version.EMPTY.apply(version.snapshotEdit().toBuilder().setWalSegmentFloor(0).build());
            written.addAll(List.of(ManifestExport.write(dataTarget, restorable)));
        }
        DurableFiles.fsyncDirectory(dataTarget);
        DurableFiles.fsyncDirectory(catalogTarget);
        DurableFiles.fsyncDirectory(target);
        return written;
    }
}
