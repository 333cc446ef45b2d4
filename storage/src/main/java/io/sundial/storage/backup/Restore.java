package io.sundial.storage.backup;

import io.sundial.core.SundialException;
import io.sundial.storage.Databases;
import io.sundial.storage.Engine;
import io.sundial.storage.EngineOptions;
import io.sundial.storage.EngineStats;
import io.sundial.storage.format.CorruptFileException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HexFormat;
import java.util.List;

/**
 * Offline restore of a backup written by {@link Databases#backup}: verify every file against the
 * BACKUP list, copy into an empty data directory, fsync, then open the result once so a restore
 * that "succeeds" is known to be readable.
 */
public final class Restore {
    private Restore() {}

    /** What was restored. */
    public record Result(BackupManifest manifest, List<String> databases, long seriesCount, long segmentFileCount) {}

    /**
     * Checks each listed file's presence, size and CRC32C, and that no path leaves the backup.
     *
     * @throws CorruptFileException naming the first file that does not match
     */
    public static BackupManifest verify(Path backupDir) throws IOException {
        Path root = backupDir.toAbsolutePath().normalize();
        BackupManifest manifest = BackupManifest.read(root);
        for (BackupManifest.Entry e : manifest.files()) {
            Path file = resolveInside(root, e.path());
            if (!Files.isRegularFile(file)) {
                throw new CorruptFileException(file, 0, "listed in BACKUP but missing; the backup is incomplete");
            }
            long size = Files.size(file);
            if (size != e.sizeBytes()) {
                throw new CorruptFileException(file, size, "is " + size + " bytes, BACKUP says " + e.sizeBytes()
                        + "; the backup is damaged, use another one");
            }
            int crc = BackupFiles.crc32c(file);
            if (crc != e.crc32c()) {
                throw new CorruptFileException(file, 0, "CRC32C is " + HexFormat.of().toHexDigits(crc) + ", BACKUP says "
                        + HexFormat.of().toHexDigits(e.crc32c()) + "; the backup is damaged, use another one");
            }
        }
        return manifest;
    }

    /** A path from the BACKUP file, refused when it is absolute or climbs out of {@code root}. */
    static Path resolveInside(Path root, String relative) {
        Path rel = Path.of(relative);
        Path resolved = root.resolve(rel).normalize();
        if (rel.isAbsolute() || !resolved.startsWith(root) || resolved.equals(root)) {
            throw new SundialException("BACKUP lists '" + relative + "', which is outside the backup directory;"
                    + " refusing to restore a tampered backup");
        }
        return resolved;
    }

    /**
     * Restores {@code backupDir} into {@code dataDir}, which must be empty or missing. With
     * {@code force}, a directory holding only an empty default database (a server started once and
     * stopped) is accepted too and that database is replaced.
     *
     * @throws SundialException when the directory is in use or holds data
     * @throws CorruptFileException when a backup file does not match its checksum (nothing is copied)
     */
    public static Result restore(Path backupDir, Path dataDir, boolean force) throws IOException {
        Path root = backupDir.toAbsolutePath().normalize();
        Path target = dataDir.toAbsolutePath().normalize();
        if (target.startsWith(root) || root.startsWith(target)) {
            throw new SundialException("data directory " + target + " and backup " + root + " must not contain each other");
        }
        BackupManifest manifest = verify(root);
        prepareTarget(target, force);
        try (FileChannel lockChannel = FileChannel.open(target.resolve("LOCK"), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock lock = tryLock(lockChannel);
            if (lock == null) {
                throw new SundialException("data directory " + target + " is in use by another Sundial process; stop it first");
            }
            try {
                for (BackupManifest.Entry e : manifest.files()) {
                    Path destination = resolveInside(target, e.path());
                    io.sundial.storage.io.DurableFiles.createDirectories(destination.getParent());
                    BackupFiles.copy(resolveInside(root, e.path()), destination);
                }
                for (BackupManifest.Entry e : manifest.files()) {
                    BackupFiles.fsyncDirectories(resolveInside(target, e.path()).getParent(), target);
                }
            } finally {
                lock.release();
            }
        }
        return openOnce(manifest, target);
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null;
        }
    }

    private static void prepareTarget(Path target, boolean force) throws IOException {
        if (!Files.exists(target)) {
            io.sundial.storage.io.DurableFiles.createDirectories(target);
            return;
        }
        if (!Files.isDirectory(target)) {
            throw new SundialException(target + " is not a directory");
        }
        if (isEmpty(target)) {
            return;
        }
        if (!force) {
            throw new SundialException("data directory " + target + " is not empty; restore into an empty directory"
                    + " (or --force when it holds only an empty default database)");
        }
        refuseForeignEntries(target);
        // Opening takes the lock, so a running server is detected here too.
        try (Databases databases = Databases.open(target, EngineOptions.defaults().withBackgroundCompaction(false))) {
            List<String> names = databases.names();
            Engine engine = databases.get(Databases.DEFAULT);
            EngineStats stats = engine.stats();
            if (!names.equals(List.of(Databases.DEFAULT)) || stats.seriesCount() > 0 || stats.segmentFileCount() > 0) {
                throw new SundialException("data directory " + target + " holds data (databases " + names + ", "
                        + stats.seriesCount() + " series); --force replaces only an empty default database");
            }
        }
        deleteRecursively(target.resolve("db"));
    }

    /**
     * --force deletes {@code db/}; it must be sure that is a Sundial directory holding nothing but
     * the default database, not somebody's folder that happens to be called {@code db}.
     */
    private static void refuseForeignEntries(Path target) throws IOException {
        List<String> top = names(target);
        List<String> databases = Files.isDirectory(target.resolve("db")) ? names(target.resolve("db")) : List.of();
        boolean looksLikeEmptyServer = top.stream().allMatch(n -> n.equals("LOCK") || n.equals("db"))
                && databases.stream().allMatch(n -> n.equals(Databases.DEFAULT));
        if (!looksLikeEmptyServer) {
            throw new SundialException("data directory " + target + " holds " + top + (databases.isEmpty() ? "" : " and db/"
                    + databases) + "; --force replaces only an empty default database, restore into an empty directory");
        }
    }

    private static List<String> names(Path dir) throws IOException {
        List<String> names = new java.util.ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            entries.forEach(e -> names.add(e.getFileName().toString()));
        }
        names.sort(null);
        return names;
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            return !entries.iterator().hasNext();
        }
    }

    private static Result openOnce(BackupManifest manifest, Path target) throws IOException {
        try (Databases databases = Databases.open(target, EngineOptions.defaults().withBackgroundCompaction(false))) {
            long series = 0;
            long files = 0;
            for (String name : databases.names()) {
                EngineStats stats = databases.get(name).stats();
                series += stats.seriesCount();
                files += stats.segmentFileCount();
            }
            return new Result(manifest, databases.names(), series, files);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
