package io.sundial.storage;

import io.sundial.core.FieldType;
import io.sundial.core.Point;
import io.sundial.core.PointColumns;
import io.sundial.core.SeriesKey;
import io.sundial.core.SundialException;
import io.sundial.storage.compaction.CompactionPlanner;
import io.sundial.storage.index.CatalogOptions;
import io.sundial.storage.index.FieldRef;
import io.sundial.storage.index.SeriesCatalog;
import io.sundial.storage.index.TagMatcher;
import io.sundial.storage.io.ByteOutput;
import io.sundial.storage.io.DurableFiles;
import io.sundial.storage.manifest.FileMeta;
import io.sundial.storage.manifest.PinnedVersion;
import io.sundial.storage.manifest.Tombstone;
import io.sundial.storage.manifest.Version;
import io.sundial.storage.manifest.VersionEdit;
import io.sundial.storage.manifest.VersionSet;
import io.sundial.storage.memtable.Memtable;
import io.sundial.storage.memtable.PointBatch;
import io.sundial.storage.wal.FsyncLatency;
import io.sundial.storage.wal.Wal;
import io.sundial.storage.wal.WalOptions;
import io.sundial.storage.wal.WalReplayReport;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.roaringbitmap.RoaringBitmap;

/**
 * Sundial's storage engine: the one API the query engine and servers use.
 *
 * <p>Write path: validate and resolve ids → one WAL record per batch (group commit; returns once
 * durable under the fsync policy) → active memtable, only after the record is durable and in WAL
 * order ({@link DurableApply}), so a refused batch is never visible. A full memtable is frozen (the WAL rotates
 * at the same instant, so every WAL segment below the rotation point holds only frozen data) and
 * flushed in the background into one segment file per time partition; the manifest edit that adds
 * the files also raises the WAL floor, after which the old WAL segments are deleted.
 *
 * <p>Reads see a snapshot: the memtables present at the start, then a pinned manifest version.
 * In that order a reader can see a memtable and the file it was flushed into (identical points,
 * deduplicated), never neither.
 *
 * <p>Ordering: every memtable, segment file and tombstone has a sequence number. For the same
 * (series, field, timestamp) the higher sequence wins; a tombstone deletes from sources with a
 * lower sequence only, so points written after a delete survive it.
 */
public final class Engine implements Closeable {
    private static final Logger LOG = Logger.getLogger(Engine.class.getName());
    private static final long STALL_WAIT_NANOS_MAX = TimeUnit.SECONDS.toNanos(60);
    /** Writers wait while native pages exceed this many memtables at their bound: one filling, two flushing. */
    private static final long NATIVE_MEMTABLES_MAX = 3;
    /**
     * The native-page bound applies to memtables whose columns are long on average (at least this
     * many native bytes per column, ~500 points): such columns live mostly in native pages, outside
     * the heap the budget is derived from. A memtable of many short columns (set B: 100,000 series,
     * ~150 native bytes a column) is bounded by the heap budget alone; flushing it at the native
     * bound flushed a million tiny columns every few seconds (+10-15 % CPU, +300 MiB RSS).
     */
    private static final long NATIVE_BYTES_PER_COLUMN_MIN = 4_096;
    /**
     * How long after a write background compaction still treats every window as receiving more
     * files (CompactionPlanner's flushesActive): a load flushes again and again, and merging after
     * each flush rewrote the same window each time (15 % of the server's CPU samples while set A
     * was loaded over HTTP with a 160 MiB heap). A window then holds at most three files until
     * writes pause for this long or a fourth file arrives. A write, not a flush, is the signal: on
     * a busy machine flushes of a load can be further apart than any fixed quiet period.
     */
    private static final long WRITE_QUIET_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Path dir;
    private final EngineOptions options;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final SeriesCatalog catalog;
    private final SegmentFiles files;
    private final VersionSet versions;
    private final Wal wal;
    private final WalReplayReport walReplayReport;
    private final long memtableBytesMax;
    private final long memtableNativeBytesMax;
    /** Set while a size-triggered flush waits in the flush queue, so writers do not queue one per request. */
    private final AtomicBoolean sizeFlushQueued = new AtomicBoolean();

    /** Writers hold it shared from the WAL enqueue to the memtable append; a freeze holds it exclusively. */
    private final ReentrantReadWriteLock stateLock = new ReentrantReadWriteLock();
    private final DurableApply durableApply = new DurableApply();
    private volatile Memtable active;
    private volatile List<FrozenMemtable> frozen = List.of();
    private final AtomicLong lastSequence = new AtomicLong();
    private final ReentrantLock flushLock = new ReentrantLock();
    private final ReentrantLock compactionLock = new ReentrantLock();
    private final Object memoryMonitor = new Object();
    private final DurableIds durableSeries = new DurableIds();
    private final DurableIds durableFields = new DurableIds();
    private final RecordBuffers recordBuffers = new RecordBuffers();
    private final ExecutorService flushExecutor;
    private final ScheduledExecutorService background;
    private final EngineMetrics metrics = new EngineMetrics();
    private volatile Throwable backgroundFailure;
    private volatile boolean closed;
    /** System.nanoTime() of the last acknowledged write; background compaction defers while writes keep coming. */
    private volatile long lastWriteNanos = System.nanoTime() - WRITE_QUIET_NANOS;

    /** A memtable being flushed, and the WAL segment from which on data is not in it. */
    record FrozenMemtable(Memtable memtable, long walSegmentFloor) {}

    /** Manifest property fixing a data directory's partition length at creation. */
    static final String PARTITION_NANOS_PROPERTY = "partition-nanos";

    private Engine(Path dir, EngineOptions requested) throws IOException {
        this.dir = dir.toAbsolutePath();
        EngineOptions options = requested;
        DurableFiles.createDirectories(this.dir);
        this.lockChannel = FileChannel.open(this.dir.resolve("LOCK"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock acquired;
        try {
            acquired = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            acquired = null; // this JVM holds it already
        } catch (IOException e) {
            lockChannel.close();
            throw e;
        }
        if (acquired == null) {
            lockChannel.close();
            throw new SundialException("data directory " + this.dir + " is in use by another Sundial process");
        }
        this.lock = acquired;
        this.memtableBytesMax = options.effectiveMemtableBytesMax();
        this.memtableNativeBytesMax = options.effectiveMemtableNativeBytesMax();
        boolean opened = false;
        SeriesCatalog openedCatalog = null;
        VersionSet openedVersions = null;
        SegmentFiles openedFiles = null;
        Wal openedWal = null;
        try {
            refuseMissingCatalog(this.dir);
            openedCatalog = SeriesCatalog.open(this.dir.resolve("catalog"), CatalogOptions.defaults().withSeriesMax(options.seriesMax()));
            this.catalog = openedCatalog;
            Path dataDir = this.dir.resolve("data");
            DurableFiles.createDirectories(dataDir);
            openedFiles = new SegmentFiles(dataDir);
            this.files = openedFiles;
            openedVersions = VersionSet.open(dataDir, openedFiles::delete);
            this.versions = openedVersions;
            options = fixPartitionDuration(versions, requested);
            Version version = versions.current();
            refuseMissingFiles(versions.missingFiles());
            files.openAll(version.files());
            lastSequence.set(version.lastSequence());
            long walFloor = version.walSegmentFloor();
            Memtable recovered = new Memtable(lastSequence.incrementAndGet(), options.clock().millis());
            WalReplay replay = new WalReplay(catalog, recovered, walFloor);
            WalOptions walOptions = new WalOptions(options.walSegmentBytesMax(), options.walSegmentAgeMax(),
                    options.fsyncPolicy(), options.walRepair(), options.clock());
            openedWal = Wal.open(this.dir.resolve("wal"), walOptions, replay);
            this.wal = openedWal;
            this.walReplayReport = wal.replayReport();
            logReplayProblems(walReplayReport);
            wal.removeSegmentsBefore(walFloor);
            durableSeries.addAllBelow(catalog.mark().nextSeriesId());
            durableFields.addAllBelow(catalog.mark().nextFieldId());
            this.active = recovered;
            this.options = options;
            LOG.info(() -> "opened " + this.dir + ": " + version.files().size() + " segment files, "
                    + catalog.seriesCount() + " series, " + replay.points() + " points replayed from the WAL");
            opened = true;
        } finally {
            if (!opened) {
                closeQuietly(openedWal);
                closeQuietly(openedVersions);
                closeQuietly(openedFiles);
                closeQuietly(openedCatalog);
                lock.release();
                lockChannel.close();
            }
        }
        this.flushExecutor = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("sundial-flush").daemon().factory());
        this.background = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("sundial-compaction").daemon().factory());
        if (!walReplayReport.damages().isEmpty()) {
            // Repair skipped damaged records only in memory: put what survived into segment files so
            // the damaged WAL segments are deleted and the next start needs no repair.
            flushInternal();
            long floor = wal.activeSegmentId();
            versions.apply(VersionEdit.builder().setWalSegmentFloor(floor).build());
            wal.removeSegmentsBefore(floor);
        }
        if (options.backgroundCompaction()) {
            background.scheduleWithFixedDelay(this::backgroundMaintenance, 1, 1, TimeUnit.SECONDS);
        }
    }

    /**
     * A data directory keeps the partition length it was created with (files and compaction
     * windows are aligned to it); a different requested value is ignored with a warning.
     */
    private static EngineOptions fixPartitionDuration(VersionSet versions, EngineOptions requested) throws IOException {
        long requestedNanos = requested.partitionDuration().toNanos();
        var stored = versions.current().property(PARTITION_NANOS_PROPERTY);
        if (stored.isEmpty()) {
            versions.apply(VersionEdit.builder().setProperty(PARTITION_NANOS_PROPERTY, Long.toString(requestedNanos)).build());
            return requested;
        }
        long storedNanos = Long.parseLong(stored.get());
        if (storedNanos != requestedNanos) {
            LOG.warning(() -> "data directory was created with partitions of " + java.time.Duration.ofNanos(storedNanos)
                    + "; ignoring the requested " + requested.partitionDuration());
        }
        return requested.withPartitionDuration(java.time.Duration.ofNanos(storedNanos));
    }

    private static void logReplayProblems(WalReplayReport report) {
        report.tornTail().ifPresent(t -> LOG.warning(() -> "WAL: cut a torn tail of " + t.bytes() + " bytes at "
                + t.file() + " offset " + t.offset() + " (" + t.reason() + "); that write was never acknowledged"));
        if (!report.damages().isEmpty()) {
            LOG.severe(() -> "WAL repair skipped " + report.damages().size() + " damaged regions: "
                    + report.recordsDropped() + " records, " + report.entriesDropped() + " points dropped"
                    + (report.damages().stream().allMatch(WalReplayReport.Damage::entriesExact) ? "" : " (at least)")
                    + "; first at " + report.damages().getFirst().file() + " offset " + report.damages().getFirst().offset());
        }
    }

    /**
     * The catalog is created before the manifest's CURRENT on a new directory, so CURRENT without
     * the catalog means the catalog was lost: opening would create an empty one and every series
     * in the segment files would silently become unreachable.
     */
    private static void refuseMissingCatalog(Path dir) {
        Path catalogFile = SeriesCatalog.logFile(dir.resolve("catalog"));
        Path current = dir.resolve("data").resolve("CURRENT");
        if (java.nio.file.Files.exists(current) && !java.nio.file.Files.exists(catalogFile)) {
            throw new SundialException("data directory " + dir + ": the series catalog " + catalogFile + " is missing"
                    + " although " + current + " shows the directory holds data; without it every series would be"
                    + " lost. Restore the catalog directory from a backup (sundial restore) before opening");
        }
    }

    /**
     * A live file that is gone means acknowledged data is gone; starting without it would answer
     * queries wrongly without a word, so open refuses and says which files to restore.
     */
    private void refuseMissingFiles(List<FileMeta> missing) {
        if (missing.isEmpty()) {
            return;
        }
        List<String> names = new ArrayList<>();
        for (FileMeta f : missing) {
            names.add(files.path(f.fileNumber()) + " (" + f.pointCount() + " points, time " + f.minTime() + " to "
                    + f.maxTime() + ")");
        }
        throw new SundialException("data directory " + dir + ": " + missing.size() + " segment file(s) listed in the"
                + " manifest are missing: " + String.join(", ", names) + "; restore them from a backup before opening");
    }

    /** Opens (creating if needed) the database in {@code dir}, replaying its WAL. */
    public static Engine open(Path dir, EngineOptions options) throws IOException {
        return new Engine(dir, options);
    }

    public Path directory() {
        return dir;
    }

    public EngineOptions options() {
        return options;
    }

    /** What replaying the WAL at open found (torn tail cut, records skipped by repair). */
    public WalReplayReport walReplayReport() {
        return walReplayReport;
    }

    // ---------------------------------------------------------------------------------- writes

    /**
     * Writes a batch. Valid points are durable (per the fsync policy) when this returns; invalid
     * ones (field type conflicts, series limit) are listed in the result and nothing of them is
     * stored. Thread-safe; concurrent batches share WAL fsyncs.
     *
     * @throws IOException when the WAL cannot make the batch durable: nothing of it is acknowledged
     */
    public WriteResult write(List<Point> points) throws IOException {
        ensureOpen();
        int n = points.size();
        int[] seriesIds = new int[n];
        int fieldTotal = 0;
        for (Point p : points) {
            fieldTotal += p.fieldCount();
        }
        int[] fieldIds = new int[fieldTotal];
        FieldType[] fieldTypes = new FieldType[fieldTotal];
        List<WriteResult.Rejection> rejections = new ArrayList<>();
        int rejected = 0;
        RoaringBitmap newSeries = null;
        RoaringBitmap newFields = null;
        int fieldPos = 0;
        BatchFields batchFields = new BatchFields(catalog);
        for (int i = 0; i < n; i++) {
            Point p = points.get(i);
            int firstField = fieldPos;
            try {
                for (int f = 0; f < p.fieldCount(); f++) {
                    FieldRef ref = batchFields.resolve(p.measurement(), p.fieldName(f), p.fieldType(f), f);
                    fieldIds[fieldPos] = ref.id();
                    fieldTypes[fieldPos] = ref.type();
                    fieldPos++;
                    if (!durableFields.contains(ref.id())) {
                        newFields = addTo(newFields, ref.id());
                    }
                }
                int id = catalog.seriesId(p);
                seriesIds[i] = id;
                if (!durableSeries.contains(id)) {
                    newSeries = addTo(newSeries, id);
                }
            } catch (SundialException e) {
                seriesIds[i] = -1;
                fieldPos = firstField + p.fieldCount();
                rejected++;
                if (rejections.size() < WriteResult.REJECTIONS_KEPT_MAX) {
                    rejections.add(new WriteResult.Rejection(i, e.getMessage()));
                }
            }
        }
        int accepted = n - rejected;
        if (accepted == 0) {
            return new WriteResult(0, rejected, List.copyOf(rejections));
        }
        ByteOutput record = recordBuffers.take();
        try {
            WalBatchCodec.encodeBatch(record, catalog, points, seriesIds, fieldIds, fieldTypes, accepted, newSeries, newFields);
            commit(record, accepted, toPointBatch(points, seriesIds, fieldIds, fieldTypes), newSeries, newFields,
                    countValues(points, seriesIds));
        } finally {
            recordBuffers.giveBack(record);
        }
        return new WriteResult(accepted, rejected, List.copyOf(rejections));
    }

    /**
     * Writes a columnar batch: the same semantics, WAL record and result as {@link #write(List)}
     * (row numbers stand for point indexes in rejections), without a {@link Point} per row; rows
     * sharing a {@link io.sundial.core.SeriesTags} instance cost one catalog lookup per batch.
     *
     * @throws IOException when the WAL cannot make the batch durable: nothing of it is acknowledged
     */
    public WriteResult write(PointColumns columns) throws IOException {
        ensureOpen();
        if (columns.isEmpty()) {
            return new WriteResult(0, 0, List.of());
        }
        ResolvedColumns resolved = ResolvedColumns.resolve(catalog, columns, durableSeries, durableFields);
        List<WriteResult.Rejection> rejections = List.copyOf(resolved.rejections);
        int accepted = resolved.accepted();
        if (accepted == 0) {
            return new WriteResult(0, resolved.rejected, rejections);
        }
        ByteOutput record = recordBuffers.take();
        try {
            WalBatchCodec.encodeColumns(record, catalog, columns, resolved);
            PointBatch batch = new PointBatch(resolved.seriesIds, columns.copyTimestamps(), columns.copyFieldStarts(),
                    resolved.fieldIds, resolved.fieldTypes, columns.copyFieldBits(), columns.copyFieldStrings());
            commit(record, accepted, batch, resolved.newSeries, resolved.newFields, resolved.valuesAccepted);
        } finally {
            recordBuffers.giveBack(record);
        }
        return new WriteResult(accepted, resolved.rejected, rejections);
    }

    /** Appends an encoded batch to the WAL and then the memtable; returns once it is durable and visible. */
    private void commit(ByteOutput record, int accepted, PointBatch batch, RoaringBitmap newSeries, RoaringBitmap newFields,
                        long values) throws IOException {
        applyBackpressure();
        // Framing and the CRC run here, in parallel; only the enqueue is ordered (see DurableApply).
        Wal.EncodedRecord encoded = Wal.encode(WalBatchCodec.RECORD_WRITE, record.array(), 0, record.size(), accepted);
        stateLock.readLock().lock();
        try {
            ensureOpen();
            // Held shared until the batch is in the memtable: a freeze (exclusive) rotates the WAL only
            // when every queued batch is applied to the memtable it was queued for, or refused.
            DurableApply.Entry entry = durableApply.enqueue(wal, encoded, batch, active);
            durableApply.awaitAndApply(entry);
        } finally {
            stateLock.readLock().unlock();
        }
        if (newSeries != null) {
            newSeries.forEach((int id) -> durableSeries.add(id));
        }
        if (newFields != null) {
            newFields.forEach((int id) -> durableFields.add(id));
        }
        metrics.pointsWritten.add(accepted);
        metrics.valuesWritten.add(values);
        lastWriteNanos = System.nanoTime();
        maybeScheduleFlush();
    }

    private static RoaringBitmap addTo(RoaringBitmap bitmap, int id) {
        RoaringBitmap b = bitmap == null ? new RoaringBitmap() : bitmap;
        b.add(id);
        return b;
    }

    private static long countValues(List<Point> points, int[] seriesIds) {
        long values = 0;
        for (int i = 0; i < seriesIds.length; i++) {
            if (seriesIds[i] >= 0) {
                values += points.get(i).fieldCount();
            }
        }
        return values;
    }

    private static PointBatch toPointBatch(List<Point> points, int[] seriesIds, int[] fieldIds, FieldType[] fieldTypes) {
        int n = seriesIds.length;
        long[] timestamps = new long[n];
        int[] fieldStarts = new int[n + 1];
        long[] values = new long[fieldIds.length];
        String[] strings = null;
        int fieldPos = 0;
        for (int i = 0; i < n; i++) {
            Point p = points.get(i);
            timestamps[i] = p.timestampNanos();
            fieldStarts[i] = fieldPos;
            for (int f = 0; f < p.fieldCount(); f++) {
                values[fieldPos + f] = p.fieldBits(f);
                if (fieldTypes[fieldPos + f] == FieldType.STRING && seriesIds[i] >= 0) {
                    if (strings == null) {
                        strings = new String[fieldIds.length];
                    }
                    strings[fieldPos + f] = p.stringValue(f);
                }
            }
            fieldPos += p.fieldCount();
        }
        fieldStarts[n] = fieldPos;
        return new PointBatch(seriesIds, timestamps, fieldStarts, fieldIds, fieldTypes, values, strings);
    }

    /** Writers wait (bounded) while memtables exceed their budget, so a surge cannot exhaust the heap. */
    private void applyBackpressure() throws IOException {
        if (!isOverMemoryBudget()) {
            return;
        }
        maybeScheduleFlush();
        long deadline = System.nanoTime() + STALL_WAIT_NANOS_MAX;
        synchronized (memoryMonitor) {
            while (isOverMemoryBudget()) {
                checkBackgroundFailure();
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new WriteStalledException("memtables hold " + memtableBytes() + " bytes (" + memtableNativeBytes()
                            + " of them native pages), over the budget of " + memtableBytesMax + " (native pages: "
                            + NATIVE_MEMTABLES_MAX * memtableNativeBytesMax + "), and the flush has not caught up for "
                            + TimeUnit.NANOSECONDS.toSeconds(STALL_WAIT_NANOS_MAX) + " s; retry later");
                }
                try {
                    memoryMonitor.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while waiting for a flush", e);
                }
            }
        }
    }

    /**
     * Over the budget, or native pages of more than {@link #NATIVE_MEMTABLES_MAX} memtables at their
     * bound: when the flush falls behind (a busy machine), frozen memtables queued for it would
     * otherwise keep their native pages up to the heap-derived budget (1 GiB), outside the heap.
     */
    private boolean isOverMemoryBudget() {
        return memtableBytes() > memtableBytesMax || memtableNativeBytes() > NATIVE_MEMTABLES_MAX * memtableNativeBytesMax;
    }

    private long memtableNativeBytes() {
        long bytes = longColumnNativeBytes(active);
        for (FrozenMemtable f : frozen) {
            bytes += longColumnNativeBytes(f.memtable());
        }
        return bytes;
    }

    /** The memtable's native bytes when its columns are long on average, else 0 (the heap budget bounds it). */
    private static long longColumnNativeBytes(Memtable memtable) {
        long bytes = memtable.nativeBytes();
        return bytes >= NATIVE_BYTES_PER_COLUMN_MIN * Math.max(1, memtable.columnCount()) ? bytes : 0;
    }

    private long memtableBytes() {
        long bytes = active.sizeBytes();
        for (FrozenMemtable f : frozen) {
            bytes += f.memtable().sizeBytes();
        }
        return bytes;
    }

    private void maybeScheduleFlush() {
        if (isFlushDue(active) && !closed && sizeFlushQueued.compareAndSet(false, true)) {
            flushExecutor.execute(() -> {
                sizeFlushQueued.set(false);
                try {
                    if (isFlushDue(active)) {
                        flushInternal();
                    }
                } catch (Throwable t) {
                    recordBackgroundFailure("flush", t);
                }
            });
        }
    }

    /**
     * Half the budget, so the next memtable fills while this one flushes; or native pages past their
     * own bound, so long columns (which live in native pages, outside the heap the budget is derived
     * from) keep the resident memory bounded however large the heap.
     */
    private boolean isFlushDue(Memtable memtable) {
        return memtable.sizeBytes() >= memtableBytesMax / 2 || longColumnNativeBytes(memtable) >= memtableNativeBytesMax;
    }

    // ---------------------------------------------------------------------------------- flush

    /** Makes every acknowledged point durable in segment files (memtables frozen and flushed). */
    public void flush() throws IOException {
        ensureOpen();
        flushInternal();
    }

    private void flushInternal() throws IOException {
        flushLock.lock();
        try {
            freezeActive(false);
            flushFrozen();
            clearDiskFullFailure();
        } finally {
            flushLock.unlock();
        }
    }

    /**
     * Swaps in a new active memtable and rotates the WAL at the same instant.
     *
     * @param reserveSequence also reserve a sequence number between the frozen and the new memtable
     * @return the reserved sequence, or -1
     */
    private long freezeActive(boolean reserveSequence) throws IOException {
        stateLock.writeLock().lock();
        try {
            Memtable current = active;
            long reserved = reserveSequence ? lastSequence.incrementAndGet() : -1;
            if (current.isEmpty()) {
                if (reserveSequence) {
                    active = new Memtable(lastSequence.incrementAndGet(), options.clock().millis());
                    current.release();
                }
                return reserved;
            }
            long walFloor = wal.rotate();
            List<FrozenMemtable> next = new ArrayList<>(frozen);
            next.add(new FrozenMemtable(current, walFloor));
            frozen = List.copyOf(next);
            active = new Memtable(lastSequence.incrementAndGet(), options.clock().millis());
            return reserved;
        } finally {
            stateLock.writeLock().unlock();
        }
    }

    /** Flushes frozen memtables oldest first. Caller holds flushLock. */
    private void flushFrozen() throws IOException {
        while (!frozen.isEmpty()) {
            FrozenMemtable f = frozen.getFirst();
            long started = System.nanoTime();
            List<FileMeta> written = new MemtableFlush(files, versions, options, f.memtable()).write();
            // Definitions of every series in the flushed data must outlive the WAL segments.
            catalog.persist();
            VersionEdit.Builder edit = VersionEdit.builder()
                    .setWalSegmentFloor(f.walSegmentFloor())
                    .setLastSequence(lastSequence.get());
            for (FileMeta meta : written) {
                edit.addFile(meta);
            }
            // Open before publishing: a reader or compaction that pins the new version must find its files open.
            files.openAll(written);
            versions.apply(edit.build());
            List<FrozenMemtable> next = new ArrayList<>(frozen);
            next.removeFirst();
            frozen = List.copyOf(next);
            // Its points are in the published version now; reads still holding it keep its pages.
            f.memtable().release();
            synchronized (memoryMonitor) {
                memoryMonitor.notifyAll();
            }
            wal.removeSegmentsBefore(f.walSegmentFloor());
            metrics.flushes.increment();
            metrics.flushNanos.add(System.nanoTime() - started);
        }
    }

    // ---------------------------------------------------------------------------------- reads

    /**
     * Reads raw points. The cursor sees one snapshot (memtables, then a pinned version) and must
     * be closed; it unpins the version.
     */
    public ReadCursor read(ReadRequest request) {
        ensureOpen();
        long minTime = effectiveMinTime(request);
        RoaringBitmap seriesIds = catalog.select(request.measurement(), request.matchers());
        List<FieldRef> fields = resolveFields(request.measurement(), request.fields());
        List<Memtable> memtables = memtablesSnapshot();
        // A flush adds the file and then drops the memtable, so take memtables first (see class comment).
        PinnedVersion pinned = versions.pin();
        try {
            return new ReadCursor(catalog, files, pinned, memtables, seriesIds, fields, minTime, request.maxTime());
        } catch (RuntimeException e) {
            pinned.close();
            memtables.forEach(Memtable::release);
            throw e;
        }
    }

    /**
     * A snapshot for a query planner: the same view as {@link #read}, but per (series, field) on
     * demand, with the chunks whose stats are exact listed apart (see {@link ReadSnapshot}).
     * Thread-safe; must be closed.
     */
    public ReadSnapshot snapshot(ReadRequest request) {
        ensureOpen();
        long minTime = effectiveMinTime(request);
        RoaringBitmap seriesIds = catalog.select(request.measurement(), request.matchers());
        List<FieldRef> fields = resolveFields(request.measurement(), request.fields());
        List<Memtable> memtables = memtablesSnapshot();
        PinnedVersion pinned = versions.pin();
        try {
            return new ReadSnapshot(catalog, files, pinned, memtables, request.measurement(), seriesIds, fields,
                    minTime, request.maxTime());
        } catch (RuntimeException e) {
            pinned.close();
            memtables.forEach(Memtable::release);
            throw e;
        }
    }

    private long effectiveMinTime(ReadRequest request) {
        long minTime = request.minTime();
        if (!options.retention().isZero()) {
            minTime = Math.max(minTime, retentionCutoffNanos());
        }
        return minTime;
    }

    /**
     * The memtables a read sees, in sequence order, each acquired (the read releases them when closed).
     * A memtable already released is left out: its flush is in the manifest, and the read pins the
     * version after this.
     */
    private List<Memtable> memtablesSnapshot() {
        // Active first, then the frozen list: a freeze in between moves that memtable into the list,
        // where it is found. In the other order a memtable frozen in between would be in neither
        // read (and, if its flush finished after the pin below, in no file either): lost to this read.
        Memtable current = active;
        List<Memtable> memtables = new ArrayList<>();
        boolean currentFrozen = false;
        for (FrozenMemtable f : frozen) {
            if (f.memtable().tryAcquire()) {
                memtables.add(f.memtable());
            }
            currentFrozen |= f.memtable() == current;
        }
        if (!currentFrozen && current.tryAcquire()) {
            memtables.add(current);
            // It may have been frozen and flushed meanwhile while newer ones were frozen after it:
            // the cursor merges memtables in list order, so keep the list in sequence order.
            memtables.sort(Comparator.comparingLong(Memtable::sequence));
        }
        return memtables;
    }

    /** Reads everything a request selects into memory (tests and small queries). */
    public List<SeriesData> readAll(ReadRequest request) {
        List<SeriesData> out = new ArrayList<>();
        try (ReadCursor cursor = read(request)) {
            while (cursor.next()) {
                out.add(cursor.toSeriesData());
            }
        }
        return out;
    }

    private List<FieldRef> resolveFields(String measurement, List<String> names) {
        if (names.isEmpty()) {
            return catalog.fields(measurement);
        }
        List<FieldRef> out = new ArrayList<>(names.size());
        for (String name : names) {
            FieldRef ref = catalog.lookupField(measurement, name);
            if (ref != null) {
                out.add(ref);
            }
        }
        return out;
    }

    private long retentionCutoffNanos() {
        long nowNanos = Math.multiplyExact(options.clock().millis(), 1_000_000L);
        return nowNanos - options.retention().toNanos();
    }

    // ---------------------------------------------------------------------------------- metadata

    public List<String> measurements() {
        return catalog.measurements();
    }

    public List<String> tagKeys(String measurement) {
        return catalog.tagKeys(measurement);
    }

    public List<String> tagValues(String measurement, String key, List<TagMatcher> matchers) {
        RoaringBitmap restrict = matchers.isEmpty() ? null : catalog.select(measurement, matchers);
        return catalog.tagValues(measurement, key, restrict);
    }

    public List<FieldRef> fieldKeys(String measurement) {
        return catalog.fields(measurement);
    }

    public List<SeriesKey> series(String measurement, List<TagMatcher> matchers) {
        RoaringBitmap ids = catalog.select(measurement, matchers);
        List<SeriesKey> out = new ArrayList<>(ids.getCardinality());
        ids.forEach((int id) -> {
            SeriesKey key = catalog.seriesKey(id);
            if (key != null) {
                out.add(key);
            }
        });
        return out;
    }

    public int seriesCount() {
        return catalog.seriesCount();
    }

    // ---------------------------------------------------------------------------------- deletes

    /**
     * Deletes the points of {@code measurement}'s series matching {@code matchers} with
     * minTime <= t <= maxTime. Durable when it returns; points written afterwards are kept.
     */
    public void delete(String measurement, List<TagMatcher> matchers, long minTime, long maxTime) throws IOException {
        ensureOpen();
        if (minTime > maxTime) {
            throw new IllegalArgumentException("empty time range: " + minTime + " > " + maxTime);
        }
        flushLock.lock();
        try {
            // Everything written before the delete goes to files whose sequence is below the tombstone's.
            long tombstoneSequence = freezeActive(true);
            flushFrozen();
            Tombstone tombstone = new Tombstone(tombstoneSequence, measurement, Tombstones.toManifest(matchers), minTime, maxTime);
            versions.apply(VersionEdit.builder().addTombstone(tombstone).setLastSequence(lastSequence.get()).build());
        } finally {
            flushLock.unlock();
        }
    }

    /** Deletes a measurement: its points, series and fields. */
    public void dropMeasurement(String measurement) throws IOException {
        delete(measurement, List.of(), Long.MIN_VALUE, Long.MAX_VALUE);
        catalog.dropMeasurement(measurement);
        catalog.persist();
    }

    /** Deletes the series of {@code measurement} matching {@code matchers} (all their points). */
    public void dropSeries(String measurement, List<TagMatcher> matchers) throws IOException {
        RoaringBitmap ids = catalog.select(measurement, matchers);
        delete(measurement, matchers, Long.MIN_VALUE, Long.MAX_VALUE);
        catalog.dropSeries(ids);
        catalog.persist();
    }

    // ---------------------------------------------------------------------------------- compaction

    /** Flushes, then compacts until the planner finds nothing to do. */
    public void compact() throws IOException {
        ensureOpen();
        flush();
        compactionLock.lock();
        try {
            while (compactOnce(true)) {
                ensureOpen();
            }
            applyRetention();
        } finally {
            compactionLock.unlock();
        }
    }

    private boolean compactOnce(boolean full) throws IOException {
        long nowNanos = Math.multiplyExact(options.clock().millis(), 1_000_000L);
        try (PinnedVersion pinned = versions.pin()) {
            boolean flushesActive = !full && System.nanoTime() - lastWriteNanos < WRITE_QUIET_NANOS;
            var plan = CompactionPlanner.plan(pinned.version().files(), pinned.version().tombstones(),
                    options.partitionDuration().toNanos(), nowNanos, full, flushesActive);
            if (plan.isEmpty()) {
                return false;
            }
            long started = System.nanoTime();
            // An explicit compaction runs at full speed; background work yields the disk to ingestion.
            Compactor compactor = new Compactor(files, versions, catalog, options, metrics,
                    full ? 0 : options.compactionBytesPerSecondMax());
            metrics.compactionsRunning.incrementAndGet();
            try {
                compactor.run(pinned.version(), plan.get());
            } finally {
                metrics.compactionsRunning.decrementAndGet();
                metrics.lastCompactionFinishedMillis = options.clock().millis();
            }
            metrics.compactions.increment();
            metrics.compactionNanos.add(System.nanoTime() - started);
            return true;
        }
    }

    private void applyRetention() throws IOException {
        if (options.retention().isZero()) {
            return;
        }
        long cutoff = retentionCutoffNanos();
        VersionEdit.Builder edit = VersionEdit.builder();
        int removed = 0;
        for (FileMeta f : versions.current().files()) {
            if (f.maxTime() < cutoff) {
                edit.removeFile(f.fileNumber());
                removed++;
            }
        }
        if (removed > 0) {
            versions.apply(edit.build());
            int count = removed;
            LOG.info(() -> "retention removed " + count + " segment files older than " + options.retention());
        }
    }

    private void backgroundMaintenance() {
        if (closed) {
            return;
        }
        try {
            Memtable current = active;
            if (!current.isEmpty() && options.clock().millis() - current.createdMillis() > options.walSegmentAgeMax().toMillis()) {
                flushExecutor.execute(() -> {
                    try {
                        flushInternal();
                    } catch (Throwable t) {
                        recordBackgroundFailure("flush", t);
                    }
                });
            }
            if (compactionLock.tryLock()) {
                try {
                    while (!closed && compactOnce(false)) {
                        // keep going while there is work: each step is bounded by one partition group
                    }
                    applyRetention();
                } finally {
                    compactionLock.unlock();
                }
            }
        } catch (Throwable t) {
            recordBackgroundFailure("compaction", t);
        }
    }

    private void recordBackgroundFailure(String what, Throwable t) {
        if (closed) {
            return;
        }
        LOG.log(Level.SEVERE, "background " + what + " failed; writes will be refused until restart", t);
        backgroundFailure = t;
        synchronized (memoryMonitor) {
            memoryMonitor.notifyAll();
        }
    }

    /**
     * A background flush that met a full disk left its memtable frozen, and the next flush retries
     * it; once a flush succeeds there is room again and writes may go on. Any other failure (a
     * failed fsync above all) stays until restart.
     */
    private void clearDiskFullFailure() {
        Throwable t = backgroundFailure;
        for (Throwable cause = t; cause != null; cause = cause.getCause()) {
            String message = cause.getMessage();
            if (message != null && message.contains("No space left on device")) {
                backgroundFailure = null;
                LOG.info("a flush succeeded after a full disk; writes are accepted again");
                return;
            }
        }
    }

    private void checkBackgroundFailure() throws IOException {
        Throwable t = backgroundFailure;
        if (t != null) {
            throw new IOException("a background flush or compaction failed: " + t.getMessage(), t);
        }
    }

    // ---------------------------------------------------------------------------------- lifecycle

    public EngineStats stats() {
        Version v = versions.current();
        long fileBytes = 0;
        for (FileMeta f : v.files()) {
            fileBytes += f.sizeBytes();
        }
        return new EngineStats(catalog.seriesCount(), v.files().size(), fileBytes, wal.sizeBytes(), memtableBytes(),
                catalog.estimatedMemoryBytes(),
                frozen.size(), versions.pinnedCount(), metrics.snapshot());
    }

    /** How long the WAL's fsyncs took since open (for /metrics). */
    public FsyncLatency.Snapshot walFsyncLatency() {
        return wal.fsyncLatency();
    }

    /**
     * Compaction now: runs in progress, tasks the planner would hand out next (it plans one at a
     * time, so 0 or 1), and when the last run ended (0: none since open).
     */
    public CompactionState compactionState() {
        long nowNanos = Math.multiplyExact(options.clock().millis(), 1_000_000L);
        Version v = versions.current();
        boolean hasWork = CompactionPlanner.plan(v.files(), v.tombstones(), options.partitionDuration().toNanos(), nowNanos,
                false).isPresent();
        int running = metrics.compactionsRunning.get();
        return new CompactionState(running, hasWork && running == 0 ? 1 : 0, metrics.lastCompactionFinishedMillis);
    }

    /** Pins the current version (for backup and inspection); close it when done. */
    public PinnedVersion pinVersion() {
        ensureOpen();
        return versions.pin();
    }

    /**
     * Online, consistent backup into the empty or missing {@code targetDir}, laid out like a
     * database directory ({@code data/} segment files + a fresh manifest, {@code catalog/}), so a
     * restore is a copy. Flushes first, so every point acknowledged before the call is in a segment
     * file; then pins the version, so compaction cannot delete what is being copied while writes
     * go on. The copy holds exactly the pinned files; points written during the backup are not in it.
     *
     * @return the files written, absolute
     */
    public List<Path> backup(Path targetDir) throws IOException {
        ensureOpen();
        Path target = EngineBackup.checkTarget(dir, targetDir);
        flush();
        return EngineBackup.write(dir, target, files, versions, catalog, flushLock);
    }

    /** Path of a segment file of the current or a pinned version. */
    public Path segmentPath(long fileNumber) {
        return files.path(fileNumber);
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("engine at " + dir + " is closed");
        }
    }

    /**
     * Stops background work and closes files. Memtables are not flushed: the WAL holds them and
     * the next open replays it (call {@link #flush()} first for a fast next start).
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        stateLock.writeLock().lock();
        try {
            closed = true;
        } finally {
            stateLock.writeLock().unlock();
        }
        background.shutdownNow();
        flushExecutor.shutdown();
        try {
            if (!flushExecutor.awaitTermination(60, TimeUnit.SECONDS)) {
                flushExecutor.shutdownNow();
            }
            background.awaitTermination(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        compactionLock.lock();
        flushLock.lock();
        try {
            // Unflushed points are in the WAL; reads still open keep the pages they hold.
            stateLock.writeLock().lock();
            try {
                for (FrozenMemtable f : frozen) {
                    f.memtable().release();
                }
                active.release();
                frozen = List.of();
            } finally {
                stateLock.writeLock().unlock();
            }
            closeQuietly(wal);
            catalog.persist();
            closeQuietly(catalog);
            closeQuietly(versions);
            closeQuietly(files);
        } finally {
            flushLock.unlock();
            compactionLock.unlock();
            lock.release();
            lockChannel.close();
        }
    }

    private static void closeQuietly(Closeable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "closing " + c, e);
        }
    }
}
