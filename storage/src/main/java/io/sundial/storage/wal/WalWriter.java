package io.sundial.storage.wal;

import io.sundial.storage.io.DurableFiles;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.SyncFailedException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit. Application threads queue encoded records and wait; one writer thread takes
 * everything queued, writes it with one gathering write and makes it durable with one fsync, then
 * releases every waiter of the group. The longer an fsync takes, the more records the next group
 * holds, so throughput rises with concurrency instead of collapsing.
 *
 * <p>Only the writer thread touches the active segment's channel: an interrupted application
 * thread cannot close it (FileChannel closes itself when a thread doing I/O on it is interrupted).
 *
 * <p>Failure of a write (a full disk): the records of the group are refused, the bytes of them
 * that reached the file are cut off again, and the writer stays usable, so writing resumes by
 * itself once space is freed ({@link WalRefusedException#isRetryable()}). Failure of an fsync
 * (or of cutting a failed write off): every record of the group fails and the writer refuses all
 * further records. It never fsyncs the failed file again, because after a failed fsync Linux may
 * drop the dirty pages and report the next fsync as a success ("fsyncgate", PostgreSQL 2018). The
 * damaged segment stays the last one, so the next open treats whatever reached the disk of it as
 * a possibly torn tail and continues in a fresh segment.
 */
final class WalWriter {
    /** Bound on bytes queued and not yet written; appenders wait for room beyond it (back-pressure). */
    static final long QUEUE_BYTES_MAX = 64L << 20;

    private sealed interface Request permits Append, Rotate, Close {}

    private static final class Append implements Request {
        final byte[] record;
        final CompletableFuture<WalPosition> result = new CompletableFuture<>();
        WalPosition position;

        Append(byte[] record) {
            this.record = record;
        }
    }

    private record Rotate(CompletableFuture<Long> result) implements Request {}

    private record Close(CompletableFuture<Void> result) implements Request {}

    private final Path dir;
    private final WalOptions options;
    private final AtomicLong fsyncCount;
    private final FsyncLatency fsyncLatency = new FsyncLatency();
    private final SegmentChannelOpener opener;
    private final Thread thread;

    private final ReentrantLock queueLock = new ReentrantLock();
    private final Condition queueNotEmpty = queueLock.newCondition();
    private final Condition queueHasRoom = queueLock.newCondition();
    private final Condition forced = queueLock.newCondition();
    private List<Request> queue = new ArrayList<>();
    private long queuedBytes;
    private boolean isCloseQueued;
    private boolean isWriterStopped;
    private volatile WalRefusedException failure;

    private final Object segmentsLock = new Object();
    private final TreeMap<Long, Long> closedSegmentBytes;
    private volatile long activeId;
    private volatile long activeBytes;

    /** Bytes of the direct buffer records are copied into for writing. */
    static final int STAGING_BYTES = 1 << 20;

    // Owned by the writer thread.
    /**
     * Records are copied here and written from it. Writing heap buffers instead makes the JDK copy
     * each into a temporary direct buffer of the record's size and keep those cached per thread:
     * 20-45 MiB of native memory outside the heap limit, held for good (seen in NMT as "Other").
     */
    private final ByteBuffer staging = ByteBuffer.allocateDirect(STAGING_BYTES);
    private WalSegmentWriter active;
    /** The requests being processed; settled by {@link #failRemaining} if the thread dies mid-way. */
    private List<Request> inFlight = List.of();
    private boolean isDirty;
    private long syncDueNanos;
    /** Size of the active segment before the records being written now; -1 between writes. */
    private long partStartBytes = -1;

    WalWriter(Path dir, WalOptions options, TreeMap<Long, Long> existingSegmentBytes, long firstSegmentId,
            SegmentChannelOpener opener) throws IOException {
        this.dir = dir;
        this.opener = opener;
        this.options = options;
        this.fsyncCount = new AtomicLong();
        this.closedSegmentBytes = new TreeMap<>(existingSegmentBytes);
        this.active = WalSegmentWriter.create(dir, firstSegmentId, options.clock().instant(), fsyncCount, opener);
        this.activeId = active.id();
        this.activeBytes = active.bytes();
        this.thread = Thread.ofPlatform().daemon().name("sundial-wal-writer-" + dir.getFileName()).unstarted(this::run);
        thread.start();
    }

    WalPosition append(byte[] record) throws IOException {
        return await(appendAsync(record));
    }

    /** Queues a record; the future completes once it is durable under the policy. */
    CompletableFuture<WalPosition> appendAsync(byte[] record) throws IOException {
        Append request = new Append(record);
        enqueue(request, record.length);
        return request.result;
    }

    long rotate() throws IOException {
        Rotate request = new Rotate(new CompletableFuture<>());
        enqueue(request, 0);
        return await(request.result());
    }

    void close() throws IOException {
        Close request = new Close(new CompletableFuture<>());
        queueLock.lock();
        try {
            if (isCloseQueued || isWriterStopped) {
                return;
            }
            isCloseQueued = true;
            queue.add(request);
            queueNotEmpty.signal();
            queueHasRoom.signalAll();
        } finally {
            queueLock.unlock();
        }
        await(request.result());
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the WAL writer of " + dir + " to stop");
        }
    }

    long fsyncCount() {
        return fsyncCount.get();
    }

    FsyncLatency.Snapshot fsyncLatency() {
        return fsyncLatency.snapshot();
    }

    /** Waits until at least {@code count} fsyncs have happened; false on timeout. */
    boolean awaitFsyncCount(long count, Duration timeout) throws InterruptedException {
        long remainingNanos = timeout.toNanos();
        queueLock.lock();
        try {
            while (fsyncCount.get() < count) {
                if (remainingNanos <= 0) {
                    return false;
                }
                remainingNanos = forced.awaitNanos(remainingNanos);
            }
            return true;
        } finally {
            queueLock.unlock();
        }
    }

    long activeSegmentId() {
        return activeId;
    }

    List<Long> segmentIds() {
        synchronized (segmentsLock) {
            List<Long> ids = new ArrayList<>(closedSegmentBytes.keySet());
            ids.add(activeId);
            return ids;
        }
    }

    long sizeBytes() {
        synchronized (segmentsLock) {
            long total = activeBytes;
            for (long bytes : closedSegmentBytes.values()) {
                total += bytes;
            }
            return total;
        }
    }

    void removeSegmentsBefore(long segmentId) throws IOException {
        boolean isAnyDeleted = false;
        synchronized (segmentsLock) {
            long limit = Math.min(segmentId, activeId);
            var doomed = closedSegmentBytes.headMap(limit, false);
            for (var it = doomed.entrySet().iterator(); it.hasNext();) {
                Map.Entry<Long, Long> segment = it.next();
                Files.deleteIfExists(WalSegmentFiles.path(dir, segment.getKey()));
                it.remove();
                isAnyDeleted = true;
            }
        }
        if (isAnyDeleted) {
            DurableFiles.fsyncDirectory(dir);
        }
    }

    private void enqueue(Request request, long bytes) throws IOException {
        queueLock.lock();
        try {
            while (true) {
                if (isCloseQueued || isWriterStopped) {
                    throw new IOException("the WAL in " + dir + " is closed");
                }
                if (failure != null) {
                    throw new WalRefusedException(failure);
                }
                if (queuedBytes == 0 || queuedBytes + bytes <= QUEUE_BYTES_MAX) {
                    break;
                }
                try {
                    queueHasRoom.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while waiting for room in the WAL queue of " + dir
                            + "; the record was not written");
                }
            }
            queue.add(request);
            queuedBytes += bytes;
            queueNotEmpty.signal();
        } finally {
            queueLock.unlock();
        }
    }

    static <T> T await(CompletableFuture<T> result) throws IOException {
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the WAL; the record may or may not be durable");
        } catch (ExecutionException e) {
            // A new exception, so the stack trace shows this caller as well as the writer thread's cause.
            if (e.getCause() instanceof WalRefusedException refused) {
                throw new WalRefusedException(refused);
            }
            throw new IOException(e.getCause().getMessage(), e.getCause());
        }
    }

    private void run() {
        try {
            boolean isClosed = false;
            while (!isClosed) {
                inFlight = takeBatch();
                isClosed = process(inFlight);
                inFlight = List.of();
                syncIfDue();
            }
        } catch (Throwable t) {
            failure = new WalRefusedException("the WAL writer thread of " + dir + " stopped unexpectedly: " + t
                    + "; restart Sundial to replay the WAL", false, t);
            active.closeWithoutSync();
            throw t;
        } finally {
            failRemaining();
        }
    }

    /** Waits for requests; returns an empty batch when an interval fsync is due. */
    private List<Request> takeBatch() {
        queueLock.lock();
        try {
            while (queue.isEmpty()) {
                // After a failure nothing is synced again, so a dirty failed segment must not wake this loop.
                boolean isSyncPending = isDirty && failure == null
                        && options.fsyncPolicy() instanceof FsyncPolicy.Interval;
                long waitNanos = isSyncPending ? syncDueNanos - System.nanoTime() : Long.MAX_VALUE;
                if (waitNanos <= 0) {
                    return List.of();
                }
                try {
                    queueNotEmpty.awaitNanos(Math.min(waitNanos, TimeUnit.SECONDS.toNanos(60)));
                } catch (InterruptedException ignored) {
                    // Nobody but this class owns the writer thread: an interrupt is no reason to stop
                    // serving appenders who are waiting for their records.
                }
            }
            List<Request> batch = queue;
            queue = new ArrayList<>();
            queuedBytes = 0;
            queueHasRoom.signalAll();
            return batch;
        } finally {
            queueLock.unlock();
        }
    }

    /** @return true once a Close request was served */
    private boolean process(List<Request> batch) {
        List<Append> group = new ArrayList<>();
        for (Request request : batch) {
            switch (request) {
                case Append append -> group.add(append);
                case Rotate rotate -> {
                    commit(group);
                    group.clear();
                    completeRotate(rotate);
                }
                case Close close -> {
                    commit(group);
                    group.clear();
                    closeActive();
                    close.result().complete(null);
                    return true;
                }
            }
        }
        commit(group);
        return false;
    }

    private void commit(List<Append> group) {
        if (group.isEmpty()) {
            return;
        }
        if (failure != null) {
            group.forEach(append -> append.result.completeExceptionally(failure));
            return;
        }
        try {
            if (active.hasRecords()
                    && !options.clock().instant().isBefore(active.createdAt().plus(options.segmentAgeMax()))) {
                rotateSegment();
            }
            List<Append> part = new ArrayList<>();
            long partBytes = 0;
            for (Append append : group) {
                long size = append.record.length;
                boolean isSegmentUsed = active.hasRecords() || !part.isEmpty();
                if (isSegmentUsed && active.bytes() + partBytes + size > options.segmentBytesMax()) {
                    writePart(part);
                    part.clear();
                    partBytes = 0;
                    rotateSegment();
                }
                append.position = new WalPosition(active.id(), active.bytes() + partBytes);
                part.add(append);
                partBytes += size;
            }
            writePart(part);
        } catch (IOException | RuntimeException e) {
            WalRefusedException refusal = refuseOrFail(e);
            group.forEach(append -> append.result.completeExceptionally(refusal));
        }
    }

    /**
     * A failed write (not fsync) whose bytes can be cut off again leaves the WAL exactly as it was
     * before the group, so only the group is refused; anything else stops the WAL for good.
     */
    private WalRefusedException refuseOrFail(Exception cause) {
        long keepBytes = partStartBytes >= 0 ? partStartBytes : active.bytes();
        partStartBytes = -1;
        if (cause instanceof IOException && !(cause instanceof SyncFailedException) && active.rollBackTo(keepBytes)) {
            activeBytes = active.bytes();
            return new WalRefusedException("WAL write to " + active.path() + " failed: " + cause.getMessage()
                    + "; the records of this batch were not written (their partial bytes were cut off again) and"
                    + " records acknowledged before are intact. Free disk space; writes resume by themselves",
                    true, cause);
        }
        fail(cause);
        return failure;
    }

    /** Writes records to the active segment and acknowledges them once durable under the policy. */
    private void writePart(List<Append> part) throws IOException {
        if (part.isEmpty()) {
            return;
        }
        partStartBytes = active.bytes();
        staging.clear();
        for (Append append : part) {
            byte[] record = append.record;
            for (int offset = 0; offset < record.length; ) {
                if (!staging.hasRemaining()) {
                    writeStaged();
                }
                int n = Math.min(staging.remaining(), record.length - offset);
                staging.put(record, offset, n);
                offset += n;
            }
        }
        writeStaged();
        partStartBytes = -1;
        activeBytes = active.bytes();
        if (!isDirty) {
            isDirty = true;
            if (options.fsyncPolicy() instanceof FsyncPolicy.Interval interval) {
                syncDueNanos = System.nanoTime() + interval.period().toNanos();
            }
        }
        if (options.fsyncPolicy() instanceof FsyncPolicy.Always) {
            force();
        }
        part.forEach(append -> append.result.complete(append.position));
    }

    private void writeStaged() throws IOException {
        staging.flip();
        if (staging.hasRemaining()) {
            active.write(new ByteBuffer[] {staging}, staging.remaining());
        }
        staging.clear();
    }

    private void force() throws IOException {
        long started = System.nanoTime();
        try {
            active.force();
        } catch (IOException e) {
            throw syncFailure(active.path(), e);
        }
        fsyncLatency.record(System.nanoTime() - started);
        isDirty = false;
        queueLock.lock();
        try {
            forced.signalAll();
        } finally {
            queueLock.unlock();
        }
    }

    private void syncIfDue() {
        if (!isDirty || failure != null || System.nanoTime() - syncDueNanos < 0) {
            return;
        }
        try {
            force();
        } catch (IOException | RuntimeException e) {
            fail(e);
        }
    }

    private void completeRotate(Rotate rotate) {
        if (failure != null) {
            rotate.result().completeExceptionally(failure);
            return;
        }
        try {
            if (active.hasRecords()) {
                rotateSegment();
            }
            rotate.result().complete(active.id());
        } catch (IOException | RuntimeException e) {
            // Creating the next segment on a full disk leaves the active one open and intact.
            rotate.result().completeExceptionally(refuseOrFail(e));
        }
    }

    /** Seals the active segment (fsynced before its successor exists, see WalSegmentScanner) and starts the next. */
    private void rotateSegment() throws IOException {
        if (isDirty) {
            force();
        }
        // The successor is created before the active segment is closed: when creating it fails
        // (a full disk), the active segment is still open and the WAL can go on once space returns.
        WalSegmentWriter next =
                WalSegmentWriter.create(dir, active.id() + 1, options.clock().instant(), fsyncCount, opener);
        WalSegmentWriter previous = active;
        synchronized (segmentsLock) {
            closedSegmentBytes.put(previous.id(), previous.bytes());
            active = next;
            activeId = next.id();
            activeBytes = next.bytes();
        }
        previous.close();
    }

    /** Marks an fsync failure, so it is never mistaken for a retryable write failure. */
    static SyncFailedException syncFailure(Path file, IOException cause) {
        SyncFailedException failed = new SyncFailedException("fsync of " + file + " failed: " + cause.getMessage());
        failed.initCause(cause);
        return failed;
    }

    private void closeActive() {
        if (failure != null) {
            active.closeWithoutSync();
            return;
        }
        try {
            if (isDirty) {
                force();
            }
            active.close();
        } catch (IOException | RuntimeException e) {
            fail(e);
        }
    }

    private void fail(Exception cause) {
        failure = new WalRefusedException("WAL write failed in " + active.path() + " (" + active.bytes() + " bytes written): "
                + cause + ". The WAL accepts no more records: records acknowledged before are durable, the failed"
                + " ones may or may not be; close and reopen the WAL (or restart Sundial) to replay what reached the"
                + " disk and continue in a new segment", false, cause);
        active.discardFailedWrite();
        active.closeWithoutSync();
        queueLock.lock();
        try {
            queueHasRoom.signalAll();
        } finally {
            queueLock.unlock();
        }
    }

    /** After the writer thread ends, nobody may wait forever for it (callers wait uninterruptibly). */
    private void failRemaining() {
        List<Request> remaining = new ArrayList<>(inFlight);
        queueLock.lock();
        try {
            isWriterStopped = true;
            remaining.addAll(queue);
            queue = new ArrayList<>();
            queueHasRoom.signalAll();
        } finally {
            queueLock.unlock();
        }
        IOException closed = failure != null ? failure : new IOException("the WAL in " + dir + " is closed");
        for (Request request : remaining) {
            switch (request) {
                case Append append -> append.result.completeExceptionally(closed);
                case Rotate rotate -> rotate.result().completeExceptionally(closed);
                case Close close -> close.result().complete(null);
            }
        }
    }
}
