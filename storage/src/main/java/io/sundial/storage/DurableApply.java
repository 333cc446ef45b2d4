package io.sundial.storage;

import io.sundial.storage.memtable.Memtable;
import io.sundial.storage.memtable.PointBatch;
import io.sundial.storage.wal.Wal;
import java.io.IOException;
import java.util.concurrent.ConcurrentHashMap;
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
 * <p>How, without giving up group commit or applying on one core: a record is queued to the WAL
 * and given the memtable's next apply ticket under one short lock, so tickets follow WAL order.
 * After the group's fsync each writer applies its own batch with {@link Memtable#applyInOrder},
 * which takes tickets in order per memtable stripe: writers of one group fill different stripes at
 * the same time, and a writer that finds an earlier ticket's turn not yet taken on a stripe applies
 * that batch there itself (from {@link #inFlight}). The WAL settles records in queue order, so once
 * a writer's own record is settled, every earlier ticket's is too: it is applied if durable, passed
 * over if refused. Earlier, the first writer of a group applied the whole group under one lock
 * (flat combining), and with many series the memtable append kept one core busy while the other
 * waited. The WAL thread meanwhile writes and fsyncs the next group.
 *
 * <p>The engine's callers hold its state lock shared from {@link #enqueue} until
 * {@link #awaitAndApply} returns, so a memtable freeze (exclusive) never sees a batch queued to
 * the WAL but not yet applied to the memtable it was queued for, and every ticket of a memtable is
 * applied everywhere before the next memtable issues its first.
 */
final class DurableApply {
    /** One batch between its WAL enqueue and its memtable append. */
    static final class Entry {
        private final Wal.PendingAppend durable;
        private final Memtable.PreparedBatch batch;
        private final Memtable memtable;
        private final long ticket;

        private Entry(Wal.PendingAppend durable, Memtable.PreparedBatch batch, Memtable memtable, long ticket) {
            this.durable = durable;
            this.batch = batch;
            this.memtable = memtable;
            this.ticket = ticket;
        }

        /** The batch to apply, or null when the WAL refused it; waits (briefly) for the WAL to settle it. */
        private Memtable.PreparedBatch durableBatch() {
            try {
                durable.awaitUninterruptibly();
                return batch;
            } catch (IOException refused) {
                return null; // its writer reports the refusal; nothing of it becomes visible
            }
        }
    }

    private final ReentrantLock orderLock = new ReentrantLock();
    /**
     * Entries queued and not yet applied on every stripe, by (memtable, ticket); added under
     * {@link #orderLock}, removed by the owner once its apply returned.
     */
    private final ConcurrentHashMap<TicketKey, Entry> inFlight = new ConcurrentHashMap<>();

    private record TicketKey(Memtable memtable, long ticket) {}

    /**
     * Queues {@code record} to the WAL and {@code batch} behind every batch queued before it.
     *
     * @throws IOException when the WAL refuses the record at once (stopped or closed): nothing queued
     */
    Entry enqueue(Wal wal, Wal.EncodedRecord record, PointBatch batch, Memtable memtable) throws IOException {
        Memtable.PreparedBatch prepared = memtable.prepare(batch);
        orderLock.lock();
        try {
            Wal.PendingAppend durable = wal.appendAsync(record);
            Entry entry = new Entry(durable, prepared, memtable, memtable.issueTicket());
            inFlight.put(new TicketKey(memtable, entry.ticket), entry);
            return entry;
        } finally {
            orderLock.unlock();
        }
    }

    /**
     * Waits until the entry's record is settled, then applies it in ticket order. Returns once the
     * batch is durable and visible.
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
        try {
            entry.memtable.applyInOrder(entry.ticket, refusal == null ? entry.batch : null,
                    ticket -> earlierBatch(entry.memtable, ticket));
        } finally {
            inFlight.remove(new TicketKey(entry.memtable, entry.ticket));
        }
        if (refusal != null) {
            throw refusal;
        }
        RuntimeException failure = entry.batch.failure();
        if (failure != null) {
            throw new IllegalStateException("the batch is durable in the WAL but could not be added to the memtable: "
                    + failure.getMessage() + "; it is visible after a restart (WAL replay)", failure);
        }
    }

    /** Batches queued and not yet applied or dropped (for tests). */
    int pendingCount() {
        return inFlight.size();
    }

    private Memtable.PreparedBatch earlierBatch(Memtable memtable, long ticket) {
        Entry earlier = inFlight.get(new TicketKey(memtable, ticket));
        if (earlier == null) {
            // A stripe takes ticket t before t's owner returns, so t is still in flight here.
            throw new IllegalStateException("apply ticket " + ticket + " of memtable " + memtable.sequence()
                    + " is neither applied nor in flight");
        }
        return earlier.durableBatch();
    }
}
