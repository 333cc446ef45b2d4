package io.sundial.storage.wal;

import io.sundial.storage.io.DurableFiles;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Sundial's write-ahead log: a directory of segment files ({@code %016x.wal}) holding
 * checksummed records (docs/format/wal.md). Every point is appended here before it is
 * acknowledged; on start the log is replayed to rebuild what was not yet flushed.
 *
 * <p>Thread-safe. Concurrent appends are committed as a group: one write and one fsync serve all
 * records queued while the previous fsync ran.
 */
public final class Wal implements Closeable {
    /** Locks the directory so two processes (or two opens in one JVM) never append to the same log. */
    static final String LOCK_FILE = "wal.lock";

    private final Path dir;
    private final WalReplayReport replayReport;
    private final FileChannel lockChannel;
    private final WalWriter writer;
    private boolean isClosed;

    private Wal(Path dir, WalReplayReport replayReport, FileChannel lockChannel, WalWriter writer) {
        this.dir = dir;
        this.replayReport = replayReport;
        this.lockChannel = lockChannel;
        this.writer = writer;
    }

    /**
     * Opens (creating if needed) the WAL in {@code dir}, replays every record of every segment in
     * order to {@code replayer}, then is ready to append, always into a new segment.
     *
     * <p>A torn tail of the last segment is cut and reported in {@link #replayReport()}. Any other
     * damage throws {@link io.sundial.storage.format.CorruptFileException} naming the file and
     * offset, unless {@code options.repair()}, which skips damaged records and reports them. The
     * replayer may already have seen the records before the damage when open throws. Repair
     * leaves the damaged files as they are: flush what was replayed and call
     * {@link #removeSegmentsBefore} with {@link #activeSegmentId()} so the next start is clean.
     */
    public static Wal open(Path dir, WalOptions options, WalReplayer replayer) throws IOException {
        return open(dir, options, replayer, SegmentChannelOpener.FILE_SYSTEM);
    }

    static Wal open(Path dir, WalOptions options, WalReplayer replayer, SegmentChannelOpener opener)
            throws IOException {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(replayer, "replayer");
        DurableFiles.createDirectories(dir);
        FileChannel lockChannel = lock(dir);
        try {
            WalSegmentScanner scanner = new WalSegmentScanner(options.repair(), replayer);
            List<Long> ids = WalSegmentFiles.list(dir);
            TreeMap<Long, Long> segmentBytes = new TreeMap<>();
            for (int i = 0; i < ids.size(); i++) {
                long bytes = scanner.scan(dir, ids.get(i), i == ids.size() - 1);
                if (bytes >= 0) {
                    segmentBytes.put(ids.get(i), bytes);
                }
            }
            // Never append to a replayed segment: its cut tail may not be durable yet, and a fresh
            // segment keeps "older segments are always fsynced and whole" true.
            long nextId = ids.isEmpty() ? 1 : ids.getLast() + 1;
            WalWriter writer = new WalWriter(dir, options, segmentBytes, nextId, opener);
            return new Wal(dir, scanner.report(), lockChannel, writer);
        } catch (IOException | RuntimeException e) {
            lockChannel.close();
            throw e;
        }
    }

    private static FileChannel lock(Path dir) throws IOException {
        FileChannel channel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw new IOException("the WAL in " + dir + " is in use by another process; stop it first");
            }
            return channel;
        } catch (OverlappingFileLockException e) {
            channel.close();
            throw new IOException("the WAL in " + dir + " is already open in this process; close it first", e);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * Appends one record and returns once it is durable under the fsync policy. Thread-safe:
     * concurrent callers share one write and one fsync.
     *
     * @param entryCount how many points the payload holds, so repair can say how many were lost
     * @return where the record starts
     * @throws IllegalArgumentException when the payload exceeds 256 MiB or entryCount is negative
     * @throws IOException when the record could not be made durable; the WAL then refuses later
     *     appends until reopened
     */
    public WalPosition append(byte type, byte[] payload, int offset, int length, int entryCount) throws IOException {
        return appendAsync(type, payload, offset, length, entryCount).await();
    }

    /**
     * Queues one record and returns at once; {@link PendingAppend#await()} returns when it is
     * durable. Records are written in the order of these calls, and a later {@link #rotate()}
     * puts every record queued before it in an older segment.
     */
    public PendingAppend appendAsync(byte type, byte[] payload, int offset, int length, int entryCount) throws IOException {
        return appendAsync(encode(type, payload, offset, length, entryCount));
    }

    /**
     * Frames and checksums a record without touching the log, so callers can do this work in
     * parallel and keep only the {@link #appendAsync(EncodedRecord)} call inside their own
     * ordering lock (the engine's WAL order must equal its memtable order).
     *
     * @throws IllegalArgumentException when the payload exceeds 256 MiB or entryCount is negative
     */
    public static EncodedRecord encode(byte type, byte[] payload, int offset, int length, int entryCount) {
        if (length > WalRecordFormat.PAYLOAD_BYTES_MAX) {
            throw new IllegalArgumentException("WAL record payload of " + length + " bytes exceeds the limit of "
                    + WalRecordFormat.PAYLOAD_BYTES_MAX + " bytes (256 MiB); split the batch into smaller records");
        }
        Objects.checkFromIndexSize(offset, length, payload.length);
        if (entryCount < 0) {
            throw new IllegalArgumentException("WAL record entry count must not be negative, got " + entryCount);
        }
        return new EncodedRecord(WalRecordFormat.encode(type, payload, offset, length, entryCount));
    }

    /** Queues a record made by {@link #encode}; same order and durability rules as the other overload. */
    public PendingAppend appendAsync(EncodedRecord record) throws IOException {
        return new PendingAppend(writer.appendAsync(record.bytes));
    }

    /** A framed, checksummed record ready to append (see {@link #encode}). */
    public static final class EncodedRecord {
        private final byte[] bytes;

        private EncodedRecord(byte[] bytes) {
            this.bytes = bytes;
        }

        public int sizeBytes() {
            return bytes.length;
        }
    }

    /** A queued record; {@link #await()} once to learn that it is durable (or why it is not). */
    public static final class PendingAppend {
        private final CompletableFuture<WalPosition> result;

        private PendingAppend(CompletableFuture<WalPosition> result) {
            this.result = result;
        }

        /**
         * @return where the record starts, once durable
         * @throws IOException when it could not be made durable
         */
        public WalPosition await() throws IOException {
            return WalWriter.await(result);
        }

        /**
         * Like {@link #await()}, but an interrupt does not end the wait (it is restored afterwards):
         * a caller that must act on the outcome (make the record visible, or not) cannot leave
         * without knowing it. The WAL always settles a queued record, by success or refusal.
         */
        public WalPosition awaitUninterruptibly() throws IOException {
            boolean isInterrupted = false;
            try {
                while (true) {
                    try {
                        result.get();
                        break;
                    } catch (InterruptedException e) {
                        isInterrupted = true;
                    } catch (ExecutionException settled) {
                        break; // a refusal: await below rethrows it as the caller's IOException
                    }
                }
            } finally {
                if (isInterrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            // Settled now: get() of a completed future neither blocks nor looks at the interrupt flag.
            return WalWriter.await(result);
        }

        /** Whether the WAL has settled this record (durable or refused). */
        public boolean isDone() {
            return result.isDone();
        }

        /** Whether this record is durable under the fsync policy; false while pending or when refused. */
        public boolean isDurable() {
            return result.isDone() && !result.isCompletedExceptionally();
        }
    }

    /**
     * Closes the current segment (fsynced) and starts a new one; every record appended before this
     * call is in a segment with an id below the returned one. A segment without records is kept.
     */
    public long rotate() throws IOException {
        return writer.rotate();
    }

    /**
     * Deletes whole segments with id below {@code segmentId} (their contents must be durable
     * elsewhere), then fsyncs the directory. Never deletes the active segment.
     */
    public void removeSegmentsBefore(long segmentId) throws IOException {
        writer.removeSegmentsBefore(segmentId);
    }

    public long activeSegmentId() {
        return writer.activeSegmentId();
    }

    /** Ids of the segments on disk, ascending, the active one last. */
    public List<Long> segmentIds() {
        return writer.segmentIds();
    }

    /** Bytes in all segments, headers included. */
    public long sizeBytes() {
        return writer.sizeBytes();
    }

    /** What {@link #open} found: segments, records, a torn tail cut, damage skipped by repair. */
    public WalReplayReport replayReport() {
        return replayReport;
    }

    /** fsyncs of segment files since open (for tests and metrics): group commit keeps this far below appends. */
    public long fsyncCount() {
        return writer.fsyncCount();
    }

    /** Durations of the group-commit and rotation fsyncs of segment files since open. */
    public FsyncLatency.Snapshot fsyncLatency() {
        return writer.fsyncLatency();
    }

    public Path directory() {
        return dir;
    }

    /** For tests: waits until at least {@code count} fsyncs have happened; false on timeout. */
    boolean awaitFsyncCount(long count, Duration timeout) throws InterruptedException {
        return writer.awaitFsyncCount(count, timeout);
    }

    /** Writes what is queued, fsyncs it, closes the segment and releases the directory. */
    @Override
    public void close() throws IOException {
        synchronized (this) {
            if (isClosed) {
                return;
            }
            isClosed = true;
        }
        try {
            writer.close();
        } finally {
            lockChannel.close();
        }
    }
}
