package io.sundial.storage.manifest;

import io.sundial.storage.format.CorruptFileException;
import io.sundial.storage.io.DurableFiles;
import java.io.Closeable;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The manifest: the single source of truth for which segment files are live. Every change is an
 * {@link VersionEdit} appended durably to a {@code MANIFEST-<n>} log before the {@link Version}
 * it produces is installed; readers pin versions and files are deleted only when no live version
 * holds them. Layout: docs/format/manifest.md.
 *
 * <p>Thread-safe. {@link #apply} calls are serialised among themselves; {@link #current()},
 * {@link #pin()}, {@link PinnedVersion#close()}, {@link #newFileNumber()} and {@link #nextSequence()}
 * never wait for an apply's fsync.
 *
 * <p>The engine must open the version set before it writes any segment file and must be the only
 * process using the directories: open deletes every segment file no version lists.
 */
public final class VersionSet implements Closeable {
    private static final System.Logger LOG = System.getLogger(VersionSet.class.getName());

    private final ManifestDirectory manifests;
    private final FileDeleter deleter;
    private final VersionSetOptions options;
    private final FileLifetimes lifetimes;
    private final AtomicLong lastSequence;
    private final Set<FileMeta> undeletedFiles = ConcurrentHashMap.newKeySet();
    /** Guarded by this: numbers handed out and not yet added by an applied edit. */
    private final Set<Long> allocatedFileNumbers = new HashSet<>();
    /** Guarded by this. */
    private long nextFileNumber;

    private final ReentrantLock applyLock = new ReentrantLock();
    /** Guarded by applyLock. */
    private ManifestLog log;
    /** Guarded by applyLock. */
    private long manifestNumber;
    /** Guarded by applyLock: set once the log's state is unknown; no edit is accepted after it. */
    private IOException failure;
    private volatile boolean closed;

    private VersionSet(ManifestDirectory manifests, FileDeleter deleter, VersionSetOptions options,
                       Version recovered, ManifestLog log, long manifestNumber) {
        this.manifests = manifests;
        this.deleter = deleter;
        this.options = options;
        this.lifetimes = new FileLifetimes(recovered);
        this.lastSequence = new AtomicLong(recovered.lastSequence());
        this.nextFileNumber = recovered.nextFileNumber();
        this.log = log;
        this.manifestNumber = manifestNumber;
    }

    /** Opens {@code dir} with segment files {@code %016x.seg} in {@code dir} itself (the LevelDB layout). */
    public static VersionSet open(Path dir, FileDeleter deleter) throws IOException {
        return open(dir, deleter, VersionSetOptions.defaults(dir));
    }

    /**
     * Recovers the version CURRENT's manifest describes (a torn last record is cut), or starts an
     * empty one in a new directory; then deletes stale manifests, temp files and orphan segment
     * files (through {@code deleter}) and makes sure no file number on disk is handed out again.
     *
     * @throws CorruptFileException when the manifest is damaged before its tail, when CURRENT is
     *     missing although manifests with files or segment files exist, or names a missing manifest
     */
    public static VersionSet open(Path dir, FileDeleter deleter, VersionSetOptions options) throws IOException {
        Objects.requireNonNull(deleter, "deleter");
        DurableFiles.createDirectories(dir);
        ManifestDirectory manifests = new ManifestDirectory(dir);
        manifests.deleteOwnTempFiles();
        OptionalLong live = manifests.readCurrent();
        Recovery recovery = live.isPresent()
                ? Recovery.recover(manifests, live.getAsLong())
                : Recovery.create(manifests, options.segments());
        VersionSet set = new VersionSet(manifests, deleter, options, recovery.version(), recovery.log(),
                recovery.manifestNumber());
        try {
            manifests.deleteManifestsOtherThan(recovery.manifestNumber());
            set.deleteOrphans();
            set.persistCountersIfAdvanced();
        } catch (IOException | RuntimeException e) {
            recovery.log().close();
            throw e;
        }
        return set;
    }

    private void deleteOrphans() throws IOException {
        SegmentDirectory segments = options.segments();
        if (!Files.isDirectory(segments.directory())) {
            return;
        }
        Version version = current();
        List<Path> orphans = new ArrayList<>();
        long highestOnDisk = -1;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(segments.directory())) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                OptionalLong number = segments.names().fileNumber(name);
                if (number.isPresent()) {
                    highestOnDisk = Math.max(highestOnDisk, number.getAsLong());
                    if (!version.contains(number.getAsLong())) {
                        orphans.add(entry);
                    }
                } else if (name.endsWith(DurableFiles.TEMP_SUFFIX)) {
                    orphans.add(entry);
                }
            }
        }
        synchronized (this) {
            nextFileNumber = Math.max(nextFileNumber, highestOnDisk + 1);
        }
        for (Path orphan : orphans) {
            try {
                deleter.deleteOrphan(orphan);
            } catch (IOException e) {
                LOG.log(Level.WARNING, "could not delete orphan " + orphan + "; it is retried on the next open", e);
            }
        }
    }

    private void persistCountersIfAdvanced() throws IOException {
        Version version = current();
        boolean advanced;
        synchronized (this) {
            advanced = nextFileNumber > version.nextFileNumber();
        }
        if (advanced || lastSequence.get() > version.lastSequence()) {
            apply(VersionEdit.builder().build());
        }
    }

    /** The newest version. Reading it is enough for metadata; to read files, {@link #pin()} it. */
    public Version current() {
        return lifetimes.current();
    }

    /**
     * A file number never handed out before, even across crashes (recovery starts above every
     * number the manifest recorded and every numbered file on disk). Only numbers from here may
     * be added by {@link #apply}.
     */
    public synchronized long newFileNumber() {
        if (nextFileNumber == Long.MAX_VALUE) {
            throw new IllegalStateException("file numbers are exhausted");
        }
        long number = nextFileNumber++;
        allocatedFileNumbers.add(number);
        return number;
    }

    /** A sequence above every sequence recorded or handed out; persisted with the next edit. */
    public long nextSequence() {
        return lastSequence.incrementAndGet();
    }

    /**
     * Appends the edit to the manifest durably (CRC'd record, write + fsync) and only then installs
     * the version it produces; files that leave every live version are deleted before this returns.
     * The edit is recorded with the current counters (next file number, last sequence) folded in.
     *
     * @throws IllegalArgumentException when the edit does not fit the current version or adds a
     *     file number {@link #newFileNumber()} did not hand out; nothing is written
     * @throws IOException when the manifest write fails; the edit may or may not be durable, so the
     *     version set refuses further edits and must be reopened
     */
    public Version apply(VersionEdit edit) throws IOException {
        Objects.requireNonNull(edit, "edit");
        Version next;
        List<FileMeta> dead;
        applyLock.lock();
        try {
            checkWritable();
            VersionEdit recorded = withCounters(edit);
            next = current().apply(recorded);
            write(next, VersionEditCodec.encode(recorded));
            synchronized (this) {
                edit.addedFiles().forEach(f -> allocatedFileNumbers.remove(f.fileNumber()));
                nextFileNumber = Math.max(nextFileNumber, next.nextFileNumber());
            }
            lastSequence.accumulateAndGet(next.lastSequence(), Math::max);
            dead = lifetimes.install(next);
        } finally {
            applyLock.unlock();
        }
        retryUndeletedFiles();
        delete(dead);
        return next;
    }

    private void checkWritable() throws IOException {
        if (closed) {
            throw new IllegalStateException("version set of " + manifests.directory() + " is closed");
        }
        if (failure != null) {
            throw new IOException("an earlier manifest write in " + manifests.directory()
                    + " failed, so its state on disk is unknown; reopen the version set to recover", failure);
        }
    }

    private synchronized VersionEdit withCounters(VersionEdit edit) {
        for (FileMeta f : edit.addedFiles()) {
            if (!allocatedFileNumbers.contains(f.fileNumber())) {
                throw new IllegalArgumentException("edit adds file " + f.fileNumber() + ", a number newFileNumber() did"
                        + " not hand out since open (or one already applied); file numbers are never reused");
            }
        }
        return edit.toBuilder()
                .setNextFileNumber(Math.max(nextFileNumber, edit.nextFileNumber().orElse(0)))
                .setLastSequence(Math.max(lastSequence.get(), edit.lastSequence().orElse(0)))
                .build();
    }

    private void write(Version next, byte[] payload) throws IOException {
        if (log.size() > Math.max(options.manifestRolloverBytes(), 2 * log.snapshotBytes())) {
            rollover(next);
            return;
        }
        try {
            log.append(payload);
        } catch (IOException e) {
            failure = e;
            throw new IOException("appending to " + log.file() + " failed; the edit may or may not be durable,"
                    + " so no further edit is accepted: reopen the version set to recover", e);
        }
    }

    /**
     * Replaces the log by a new manifest holding only a snapshot of {@code next}: written and
     * fsynced in full before CURRENT names it, so a crash leaves either the old log (without the
     * edit) or the new one (with it) live, never a partial file.
     */
    private void rollover(Version next) throws IOException {
        long number = manifestNumber + 1;
        Path path = manifests.manifestPath(number);
        ManifestLog fresh;
        try {
            fresh = ManifestLog.create(path, VersionEditCodec.encode(next.snapshotEdit()));
        } catch (IOException e) {
            deleteQuietly(path);
            throw new IOException("writing new manifest " + path + " failed; the edit was not applied", e);
        }
        try {
            manifests.writeCurrent(number);
        } catch (IOException e) {
            failure = e;
            fresh.close();
            throw new IOException("switching CURRENT to " + path + " failed; the edit may or may not be durable,"
                    + " so no further edit is accepted: reopen the version set to recover", e);
        }
        ManifestLog previous = log;
        log = fresh;
        manifestNumber = number;
        previous.close();
        deleteQuietly(previous.file());
    }

    private void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
            DurableFiles.fsyncDirectory(manifests.directory());
        } catch (IOException e) {
            LOG.log(Level.WARNING, "could not delete " + path + "; the next open removes it", e);
        }
    }

    /** Pins the current version for a reader (MVCC snapshot); close the result exactly once. */
    public PinnedVersion pin() {
        if (closed) {
            throw new IllegalStateException("version set of " + manifests.directory() + " is closed");
        }
        return new PinnedVersion(this, lifetimes.pin());
    }

    void unpin(Version version) {
        delete(lifetimes.unpin(version));
    }

    private void delete(List<FileMeta> dead) {
        for (FileMeta file : dead) {
            try {
                deleter.delete(file);
            } catch (IOException | RuntimeException e) {
                undeletedFiles.add(file);
                LOG.log(Level.WARNING, "could not delete file " + file.fileNumber()
                        + "; retried after the next edit, else removed as an orphan on the next open", e);
            }
        }
    }

    private void retryUndeletedFiles() {
        for (FileMeta file : List.copyOf(undeletedFiles)) {
            if (undeletedFiles.remove(file)) {
                delete(List.of(file));
            }
        }
    }

    /** Open {@link PinnedVersion}s, for tests and metrics. */
    public int pinnedCount() {
        return lifetimes.pinnedCount();
    }

    /** Dead files whose deletion failed and waits for a retry. */
    public Set<FileMeta> undeletedFiles() {
        return Set.copyOf(undeletedFiles);
    }

    /**
     * Files of the current version whose segment file does not exist. Open does not fail on them:
     * the engine decides whether to refuse to start or to drop them with an edit.
     */
    public List<FileMeta> missingFiles() {
        List<FileMeta> missing = new ArrayList<>();
        for (FileMeta file : current().files()) {
            if (!Files.exists(options.segments().path(file.fileNumber()))) {
                missing.add(file);
            }
        }
        return missing;
    }

    /** The live manifest file (for backup and inspection). */
    public Path manifestFile() {
        applyLock.lock();
        try {
            return log.file();
        } finally {
            applyLock.unlock();
        }
    }

    /** How many live versions hold a file; 0 once it is dead. */
    int liveVersionCount(long fileNumber) {
        return lifetimes.liveVersionCount(fileNumber);
    }

    /**
     * Records the counters if they advanced, then closes the log. Pinned versions stay usable and
     * still delete their files when closed; apply and pin throw afterwards.
     */
    @Override
    public void close() throws IOException {
        applyLock.lock();
        try {
            if (closed) {
                return;
            }
            try {
                if (failure == null) {
                    persistCountersIfAdvanced();
                }
            } finally {
                closed = true;
                log.close();
            }
        } finally {
            applyLock.unlock();
        }
    }
}
