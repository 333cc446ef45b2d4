package io.sundial.storage;

import io.sundial.core.SundialException;
import io.sundial.storage.backup.BackupFiles;
import io.sundial.storage.backup.BackupManifest;
import io.sundial.storage.io.DurableFiles;
import java.io.Closeable;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The databases of one data directory, each an independent {@link Engine} in
 * {@code <data-dir>/db/<name>/} with its own WAL, files and catalog. Independent engines make
 * DROP DATABASE a directory removal and keep one database's compaction or retention from touching
 * another's files. A default database exists from the first start, so writes without a database
 * name work with no configuration.
 */
public final class Databases implements Closeable {
    /** The database used when a request names none. */
    public static final String DEFAULT = "sundial";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.\\-]{0,254}");
    private static final String DROPPED_SUFFIX = ".dropped";

    private final Path root;
    private final EngineOptions options;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Map<String, Engine> engines = new TreeMap<>();
    private boolean closed;

    private Databases(Path dataDir, EngineOptions options) throws IOException {
        this.root = dataDir.toAbsolutePath();
        this.options = options;
        DurableFiles.createDirectories(root.resolve("db"));
        this.lockChannel = FileChannel.open(root.resolve("LOCK"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock acquired;
        try {
            acquired = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            acquired = null;
        }
        if (acquired == null) {
            lockChannel.close();
            throw new SundialException("data directory " + root + " is in use by another Sundial process");
        }
        this.lock = acquired;
    }

    /** Opens every database under {@code dataDir}, creating the directory and the default database if needed. */
    public static Databases open(Path dataDir, EngineOptions options) throws IOException {
        Databases databases = new Databases(dataDir, options);
        try {
            databases.openExisting();
            databases.create(DEFAULT);
            return databases;
        } catch (IOException | RuntimeException e) {
            databases.close();
            throw e;
        }
    }

    private void openExisting() throws IOException {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root.resolve("db"))) {
            for (Path dir : dirs) {
                String name = dir.getFileName().toString();
                if (name.endsWith(DROPPED_SUFFIX)) {
                    deleteRecursively(dir); // a drop interrupted by a crash
                } else if (Files.isDirectory(dir) && NAME.matcher(name).matches()) {
                    engines.put(name, Engine.open(dir, options));
                }
            }
        }
    }

    public Path directory() {
        return root;
    }

    /** The database named {@code name}. */
    public synchronized Engine get(String name) {
        ensureOpen();
        Engine engine = engines.get(name);
        if (engine == null) {
            throw new DatabaseNotFoundException(name);
        }
        return engine;
    }

    /** The named database, or the default one when {@code name} is null or empty. */
    public Engine getOrDefault(String name) {
        return get(name == null || name.isEmpty() ? DEFAULT : name);
    }

    /** Creates a database (a no-op when it exists, as InfluxDB's CREATE DATABASE). */
    public synchronized Engine create(String name) throws IOException {
        ensureOpen();
        checkName(name);
        Engine engine = engines.get(name);
        if (engine == null) {
            engine = Engine.open(root.resolve("db").resolve(name), options);
            engines.put(name, engine);
        }
        return engine;
    }

    /**
     * Drops a database and all its data. The directory is first renamed (atomic, durable), so a
     * crash mid-delete leaves a marked directory that the next open finishes removing.
     */
    public synchronized void drop(String name) throws IOException {
        ensureOpen();
        Engine engine = engines.remove(name);
        if (engine == null) {
            return; // InfluxDB: dropping a missing database is not an error
        }
        engine.close();
        Path dir = root.resolve("db").resolve(name);
        Path dropped = dir.resolveSibling(name + DROPPED_SUFFIX);
        Files.move(dir, dropped, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        DurableFiles.fsyncDirectory(dir.getParent());
        deleteRecursively(dropped);
    }

    public synchronized List<String> names() {
        ensureOpen();
        return new ArrayList<>(engines.keySet());
    }

    /**
     * Online backup of every database into {@code target/db/<name>/} (see {@link Engine#backup}),
     * then a {@code BACKUP} file listing every file with its size and CRC32C, written last so that
     * an interrupted backup is recognisable. Writes continue meanwhile.
     *
     * @throws IllegalArgumentException when {@code target} is inside the data directory (or holds
     *     it), or exists and is not an empty directory
     */
    public BackupManifest backup(Path target) throws IOException {
        Path root = target.toAbsolutePath().normalize();
        checkBackupTarget(root);
        List<String> names = names();
        DurableFiles.createDirectories(root.resolve("db"));
        List<BackupManifest.Entry> entries = new ArrayList<>();
        for (String name : names) {
            Engine engine;
            try {
                engine = get(name);
            } catch (DatabaseNotFoundException e) {
                continue; // dropped meanwhile
            }
            Path dbTarget = root.resolve("db").resolve(name).normalize();
            if (!dbTarget.getParent().equals(root.resolve("db"))) {
                throw new IllegalArgumentException("database name '" + name + "' leaves the backup directory");
            }
            for (Path file : engine.backup(dbTarget)) {
                String relative = root.relativize(file).toString().replace(java.io.File.separatorChar, '/');
                entries.add(new BackupManifest.Entry(relative, Files.size(file), BackupFiles.crc32c(file)));
            }
        }
        DurableFiles.fsyncDirectory(root.resolve("db"));
        String version = Databases.class.getPackage().getImplementationVersion();
        BackupManifest manifest = new BackupManifest(java.time.Instant.now(), version == null ? "development" : version,
                names, entries);
        manifest.write(root);
        return manifest;
    }

    private void checkBackupTarget(Path target) throws IOException {
        Path data = realOrSelf(root);
        Path real = realOrSelf(target);
        if (real.startsWith(data) || data.startsWith(real)) {
            throw new IllegalArgumentException("backup target " + target + " must be outside the data directory " + root
                    + " (and must not contain it)");
        }
        if (Files.exists(target)) {
            if (!Files.isDirectory(target)) {
                throw new IllegalArgumentException("backup target " + target + " exists and is not a directory");
            }
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(target)) {
                if (entries.iterator().hasNext()) {
                    throw new IllegalArgumentException("backup target " + target + " is not empty; choose a new directory");
                }
            }
        }
    }

    /** The real path of {@code p}'s nearest existing ancestor with the rest appended, so symlinks cannot hide nesting. */
    private static Path realOrSelf(Path p) throws IOException {
        Path existing = p;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return p;
        }
        return existing.toRealPath().resolve(existing.relativize(p)).normalize();
    }

    private static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid database name '" + name
                    + "': use 1 to 255 letters, digits, '_', '.' or '-', not starting with '.' or '-'");
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("databases at " + root + " are closed");
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
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

    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        IOException first = null;
        for (Engine engine : engines.values()) {
            try {
                engine.close();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        engines.clear();
        lock.release();
        lockChannel.close();
        if (first != null) {
            throw first;
        }
    }
}
