package io.sundial.storage;

import io.sundial.storage.memtable.Memtable;
import io.sundial.storage.memtable.PointBatch;
import io.sundial.storage.wal.Wal;
import java.io.IOException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Makes a batch visible (appends it to the memtable) only once its WAL record is durable, and in
 * WAL order.
 *
 * <p>Why after durability: a batch the WAL refuses (a full disk, a failed fsync) is answered as not
 * written; had it been put into the memtable first, queries would serve it until the next restart,
 * and a restart would take it away again.
 *
 * <p>Why in WAL order: for the same series, field and timestamp the later write wins, in the
 * memtable by arrival order and at replay by WAL order. Two writers racing between "queue the WAL
 * record" and "fill the memtable" could otherwise leave one value visible now and the other after
 * a restart.
 *
 * <p>How, without giving up group commit: records are queued to the WAL and to {@link #pending}
 * under one short lock, so both queues have the same order. After the group's fsync each writer
 * drains the head of {@link #pending} while its records are settled: the first writer to take the
 * apply lock applies every settled batch of the group in order (flat combining), the others find
 * theirs applied already. The WAL settles records in queue order, so once a writer's own record is
 * settled, every record before it is too, and its own drain reaches its batch. The WAL thread
 * meanwhile writes and fsyncs the next group.
 *
 * <p>The engine's callers hold its state lock shared from {@link #enqueue} until
 * {@link #awaitAndApply} returns, so a memtable freeze (exclusive) never sees a batch queued to
 * the WAL but not yet applied to the memtable it was queued for.
 */
final class DurableApply {
    /** One batch between its WAL enqueue and its memtable append. */
    static final class Entry {
        private final Wal.PendingAppend durable;
        private final PointBatch batch;
        private final Memtable memtable;
        /** Set under {@link #applyLock}; read by the owner after its own drain took that lock. */
        private RuntimeException applyFailure;

        private Entry(Wal.PendingAppend durable, PointBatch batch, Memtable memtable) {
            this.durable = durable;
            this.batch = batch;
            this.memtable = memtable;
        }
    }

    private final ReentrantLock orderLock = new ReentrantLock();
    private final ReentrantLock applyLock = new ReentrantLock();
    /** In WAL order; added under {@link #orderLock}, removed under {@link #applyLock}. */
    private final ConcurrentLinkedQueue<Entry> pending = new ConcurrentLinkedQueue<>();

    /**
     * Queues {@code record} to the WAL and {@code batch} behind every batch queued before it.
     *
     * @throws IOException when the WAL refuses the record at once (stopped or closed): nothing queued
     */
    Entry enqueue(Wal wal, Wal.EncodedRecord record, PointBatch batch, Memtable memtable) throws IOException {
        orderLock.lock();
        try {
            Entry entry = new Entry(wal.appendAsync(record), batch, memtable);
            pending.add(entry);
            return entry;
        } finally {
            orderLock.unlock();
        }
    }

    /**
     * Waits until the entry's record is settled, then applies every settled batch up to and
     * including it. Returns once the batch is durable and visible.
     *
     * @throws IOException when the WAL refused the record: the batch was never made visible
     */
    void awaitAndApply(Entry entry) throws IOException {
        IOException refusal = null;
        try {
            entry.durable.awaitUninterruptibly();
        } catch (IOException e) {
            refusal = e;
        }
        drain();
        if (refusal != null) {
            throw refusal;
        }
        if (entry.applyFailure != null) {
            throw new IllegalStateException("the batch is durable in the WAL but could not be added to the memtable: "
                    + entry.applyFailure.getMessage() + "; it is visible after a restart (WAL replay)", entry.applyFailure);
        }
    }

    /** Batches queued and not yet applied or dropped (for tests). */
    int pendingCount() {
        return pending.size();
    }

    private void drain() {
        applyLock.lock();
        try {
            for (Entry head = pending.peek(); head != null && head.durable.isDone(); head = pending.peek()) {
                pending.poll();
                if (!head.durable.isDurable()) {
                    continue; // refused: its writer reports it, nothing becomes visible
                }
                try {
                    head.memtable.appendBatch(head.batch);
                } catch (RuntimeException e) {
                    // Not this thread's batch, maybe: hand the failure to its owner and keep the order going.
                    head.applyFailure = e;
                }
            }
        } finally {
            applyLock.unlock();
        }
    }
}
