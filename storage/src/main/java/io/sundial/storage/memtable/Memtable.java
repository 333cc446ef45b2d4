package io.sundial.storage.memtable;

import io.sundial.core.FieldType;
import io.sundial.storage.Column;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntPredicate;
import java.util.function.LongFunction;

/**
 * In-memory columns of recent writes, keyed by (series id, field id). Striped by series so
 * concurrent writers rarely meet on a lock. A memtable is written while active, then frozen
 * and flushed to segment files while a new one takes writes, so ingestion never waits for a flush.
 *
 * <p>Its {@link #sequence()} orders it against segment files and tombstones: among sources,
 * the higher sequence wins for the same (series, field, timestamp).
 *
 * <p>Lifetime: the engine holds one reference from creation until the memtable's flush is in the
 * manifest; each read holds one from its snapshot until it is closed ({@link #tryAcquire},
 * {@link #release}). When the last is released, the native pages of its columns ({@link PageArena})
 * are freed, so a read that began before the flush finished still sees every point.
 */
public final class Memtable {
    /** Bookkeeping bytes per column (object headers, map slot) on top of its arrays. */
    private static final long COLUMN_OVERHEAD_BYTES = 96;

    private final long sequence;
    private final long createdMillis;
    private final Stripe[] stripes;
    private final int stripeMask;
    private final AtomicLong sizeBytes = new AtomicLong();
    private final AtomicLong pointCount = new AtomicLong();
    private final AtomicLong minTime = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong maxTime = new AtomicLong(Long.MIN_VALUE);
    private final PageArena pageArena = new PageArena();
    private final AtomicInteger references = new AtomicInteger(1);
    private final AtomicLong ticketsIssued = new AtomicLong();

    public Memtable(long sequence, long createdMillis) {
        this(sequence, createdMillis, 64);
    }

    Memtable(long sequence, long createdMillis, int stripeCount) {
        if (Integer.bitCount(stripeCount) != 1) {
            throw new IllegalArgumentException("stripe count must be a power of two");
        }
        this.sequence = sequence;
        this.createdMillis = createdMillis;
        this.stripes = new Stripe[stripeCount];
        for (int i = 0; i < stripeCount; i++) {
            stripes[i] = new Stripe(pageArena);
        }
        this.stripeMask = stripeCount - 1;
    }

    public long sequence() {
        return sequence;
    }

    /** When this memtable began taking writes (engine clock), for age-based flushes. */
    public long createdMillis() {
        return createdMillis;
    }

    /**
     * Approximate bytes held: heap arrays, native pages (by their capacity; the unused tail of each
     * stripe's current slab is not counted) and per-column bookkeeping.
     */
    public long sizeBytes() {
        return sizeBytes.get();
    }

    /** Native bytes of column pages taken (whole slabs), until {@link #release} frees them. */
    public long nativeBytes() {
        return pageArena.slabBytes();
    }

    /** Columns (series × field) created so far; read without the stripe locks, so approximate while writes run. */
    public long columnCount() {
        long count = 0;
        for (Stripe stripe : stripes) {
            count += stripe.columnCount;
        }
        return count;
    }

    /**
     * Takes a reference for a read, so the pages stay until the read {@link #release}s it.
     *
     * @return false when the memtable was already released: its flush is in the manifest, so a
     *     read that pins the manifest version after this call finds the points in files
     */
    public boolean tryAcquire() {
        int count = references.get();
        while (count > 0) {
            if (references.compareAndSet(count, count + 1)) {
                return true;
            }
            count = references.get();
        }
        return false;
    }

    /** Drops a reference (the engine's after the flush is published, or a read's when closed); the last frees the pages. */
    public void release() {
        int count = references.decrementAndGet();
        if (count == 0) {
            pageArena.close();
        } else if (count < 0) {
            throw new IllegalStateException("memtable " + sequence + " released more often than acquired");
        }
    }

    public long pointCount() {
        return pointCount.get();
    }

    public boolean isEmpty() {
        return pointCount.get() == 0;
    }

    public long minTime() {
        return minTime.get();
    }

    public long maxTime() {
        return maxTime.get();
    }

    /**
     * Appends the fields of one point. {@code fieldIds[i]} and {@code types[i]} describe field i;
     * values are raw words or strings as in {@link io.sundial.core.Point}.
     */
    public void append(int seriesId, long timestamp, int fieldCount, int[] fieldIds, FieldType[] types,
                       long[] values, String[] strings) {
        Stripe stripe = stripes[mix(seriesId) & stripeMask];
        long grown;
        stripe.lock.lock();
        try {
            grown = appendLocked(stripe, seriesId, timestamp, 0, fieldCount, fieldIds, types, values, strings);
        } finally {
            stripe.lock.unlock();
        }
        sizeBytes.addAndGet(grown);
        pointCount.addAndGet(fieldCount);
        minTime.accumulateAndGet(timestamp, Math::min);
        maxTime.accumulateAndGet(timestamp, Math::max);
    }

    /**
     * Appends every accepted point of a batch. Equivalent to {@link #append} per point in batch
     * order, but each stripe is locked once per batch and the shared counters are updated once:
     * per-point locking made concurrent writers hand stripe locks back and forth (a futex wake
     * per point) and bounce the counters' cache lines, about half of their CPU time.
     */
    public void appendBatch(PointBatch batch) {
        PreparedBatch prepared = prepare(batch);
        long grown = eachStripe(prepared::isEmpty, (stripe, s) -> appendStripe(stripe, prepared, s));
        sizeBytes.addAndGet(grown);
        addTotals(prepared);
    }

    /**
     * Sorts a batch's point indexes by stripe (stable, so a column still sees its points in batch
     * order) and sums what it adds, without any lock, so that work runs in parallel ahead of the
     * ordered apply.
     */
    public PreparedBatch prepare(PointBatch batch) {
        int n = batch.pointCount();
        int[] seriesIds = batch.seriesIds();
        int[] stripeStarts = new int[stripes.length + 1];
        for (int i = 0; i < n; i++) {
            if (seriesIds[i] >= 0) {
                stripeStarts[(mix(seriesIds[i]) & stripeMask) + 1]++;
            }
        }
        for (int s = 0; s < stripes.length; s++) {
            stripeStarts[s + 1] += stripeStarts[s];
        }
        int[] order = new int[stripeStarts[stripes.length]];
        int[] fill = stripeStarts.clone();
        long values = 0;
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            if (seriesIds[i] >= 0) {
                order[fill[mix(seriesIds[i]) & stripeMask]++] = i;
                values += batch.fieldStarts()[i + 1] - batch.fieldStarts()[i];
                min = Math.min(min, batch.timestamps()[i]);
                max = Math.max(max, batch.timestamps()[i]);
            }
        }
        return new PreparedBatch(batch, order, stripeStarts, values, min, max);
    }

    /**
     * Issues the next apply ticket of this memtable: batches are applied in ticket order, so the
     * caller takes tickets in the order that must win (the WAL's), under its own lock.
     */
    public long issueTicket() {
        return ticketsIssued.getAndIncrement();
    }

    /**
     * Applies batch {@code ticket} (null: refused, only its turn passes) in ticket order, stripe
     * by stripe: a stripe takes ticket t only after every ticket before t, so for each column the
     * batches land in ticket order, while writers of different tickets fill different stripes at
     * the same time. Where an earlier ticket's turn on a stripe has not come yet, this thread
     * applies it from {@code earlier} (its owner may not have woken yet), so no writer waits for
     * another thread to be scheduled. Returns once every stripe is past {@code ticket}.
     *
     * <p>Replaces one thread applying a whole group under one lock (flat combining), which kept
     * the memtable append — half of the CPU loading 100,000 series — on one core.
     *
     * @param earlier the batch of each ticket below {@code ticket} not yet applied everywhere; null
     *     for a ticket not to be applied. Failures of a batch's append are stored in it
     *     ({@link PreparedBatch#failure()}) for its owner, and the turn passes.
     */
    public void applyInOrder(long ticket, PreparedBatch own, LongFunction<PreparedBatch> earlier) {
        // No stripe is skipped: each must take every ticket up to this one, empty or not.
        long grown = eachStripe(s -> false, (stripe, s) -> {
            long added = 0;
            while (stripe.nextTicket <= ticket) {
                PreparedBatch batch = stripe.nextTicket == ticket ? own : earlier.apply(stripe.nextTicket);
                if (batch != null && !batch.isEmpty(s)) {
                    try {
                        added += appendStripe(stripe, batch, s);
                    } catch (RuntimeException e) {
                        batch.failure = e;
                    }
                }
                stripe.nextTicket++;
            }
            return added;
        });
        sizeBytes.addAndGet(grown);
        if (own != null) {
            addTotals(own);
        }
    }

    /** Work on one stripe under its lock; returns the bytes the memtable grew by. */
    @FunctionalInterface
    private interface StripeWork {
        long run(Stripe stripe, int index);
    }

    /**
     * Runs {@code work} once on every stripe not {@code skipped}, each under its lock, and returns
     * the sum of what it returned. Busy stripes are skipped on the first pass and waited for on the
     * second, and threads start at different stripes, so two writers of similar batches do not
     * queue in lockstep.
     */
    private long eachStripe(IntPredicate skipped, StripeWork work) {
        boolean[] done = new boolean[stripes.length];
        int offset = mix((int) Thread.currentThread().threadId()) & stripeMask;
        long grown = 0;
        for (int pass = 0; pass < 2; pass++) {
            for (int k = 0; k < stripes.length; k++) {
                int s = (offset + k) & stripeMask;
                if (done[s] || skipped.test(s)) {
                    continue;
                }
                Stripe stripe = stripes[s];
                if (pass == 0) {
                    if (!stripe.lock.tryLock()) {
                        continue;
                    }
                } else {
                    stripe.lock.lock();
                }
                try {
                    grown += work.run(stripe, s);
                } finally {
                    stripe.lock.unlock();
                }
                done[s] = true;
            }
        }
        return grown;
    }

    private void addTotals(PreparedBatch batch) {
        if (batch.order.length > 0) {
            pointCount.addAndGet(batch.values);
            minTime.accumulateAndGet(batch.minTime, Math::min);
            maxTime.accumulateAndGet(batch.maxTime, Math::max);
        }
    }

    /** A batch with its points sorted by stripe ({@link #prepare}), for {@link #applyInOrder}. */
    public static final class PreparedBatch {
        private final PointBatch batch;
        private final int[] order;
        private final int[] stripeStarts;
        private final long values;
        private final long minTime;
        private final long maxTime;
        /** Set under a stripe lock by whichever thread applied it; read by the owner after its own apply locked every stripe. */
        private RuntimeException failure;

        private PreparedBatch(PointBatch batch, int[] order, int[] stripeStarts, long values, long minTime, long maxTime) {
            this.batch = batch;
            this.order = order;
            this.stripeStarts = stripeStarts;
            this.values = values;
            this.minTime = minTime;
            this.maxTime = maxTime;
        }

        /** Why appending (part of) this batch failed, or null; the owner reads it after {@link #applyInOrder}. */
        public RuntimeException failure() {
            return failure;
        }

        private boolean isEmpty(int stripe) {
            return stripeStarts[stripe] == stripeStarts[stripe + 1];
        }
    }

    private static long appendStripe(Stripe stripe, PreparedBatch prepared, int s) {
        long grown = 0;
        PointBatch batch = prepared.batch;
        int[] fieldStarts = batch.fieldStarts();
        for (int j = prepared.stripeStarts[s]; j < prepared.stripeStarts[s + 1]; j++) {
            int i = prepared.order[j];
            grown += appendLocked(stripe, batch.seriesIds()[i], batch.timestamps()[i], fieldStarts[i],
                    fieldStarts[i + 1] - fieldStarts[i], batch.fieldIds(), batch.fieldTypes(), batch.values(),
                    batch.strings());
        }
        return grown;
    }

    /**
     * Appends fields [first, first + fieldCount) of the arrays to their columns: to the series'
     * row column when the point has its fields, else one column per field. Caller holds the stripe's lock.
     */
    private static long appendLocked(Stripe stripe, int seriesId, long timestamp, int first, int fieldCount,
                                     int[] fieldIds, FieldType[] types, long[] values, String[] strings) {
        long grown = 0;
        StripeColumns.SeriesColumns series = stripe.columns.series(seriesId);
        ColumnBuffer row = series.row();
        if (row != null) {
            if (row.isRowOf(fieldIds, types, first, fieldCount)) {
                return row.appendRow(timestamp, values, first, stripe.slab);
            }
            grown += series.splitRow(COLUMN_OVERHEAD_BYTES);
        } else if (series.isEmpty() && ColumnBuffer.canHoldRow(fieldIds, types, first, fieldCount)) {
            row = new ColumnBuffer(seriesId, Arrays.copyOfRange(fieldIds, first, first + fieldCount),
                    Arrays.copyOfRange(types, first, first + fieldCount));
            series.add(row);
            stripe.columnCount += fieldCount;
            grown += COLUMN_OVERHEAD_BYTES + row.bytesPerPoint() * row.timestamps.length;
            return grown + row.appendRow(timestamp, values, first, stripe.slab);
        }
        for (int i = first; i < first + fieldCount; i++) {
            ColumnBuffer column = series.find(fieldIds[i], i - first);
            if (column == null) {
                column = new ColumnBuffer(seriesId, fieldIds[i], types[i]);
                series.add(column);
                stripe.columnCount++;
                grown += COLUMN_OVERHEAD_BYTES + 16L * column.timestamps.length;
            } else if (column.type != types[i]) {
                throw new IllegalStateException("field " + fieldIds[i] + " is " + column.type + " in memtable, got " + types[i]);
            }
            grown += column.append(timestamp, values[i], strings == null ? null : strings[i], stripe.slab);
        }
        return grown;
    }

    /**
     * A copy of the points of (series, field) with minTime <= t <= maxTime, sorted and
     * deduplicated, or null if the memtable has none.
     */
    public Column read(int seriesId, int fieldId, long minTimeInclusive, long maxTimeInclusive) {
        // A sorted column may still be in pages; copy the range without joining them, since the
        // flush of a frozen memtable reads its columns without the lock.
        return readSorted(seriesId, fieldId, (column, field) -> column.copyRange(minTimeInclusive, maxTimeInclusive, field));
    }

    /**
     * The newest point of (series, field) with minTime <= t <= maxTime, read in place (one point
     * copied, not the column), or null if the memtable has none.
     */
    public Column newestPoint(int seriesId, int fieldId, long minTimeInclusive, long maxTimeInclusive) {
        return readSorted(seriesId, fieldId, (column, field) -> column.newestInRange(minTimeInclusive, maxTimeInclusive, field));
    }

    /** {@code read} applied to the sorted, deduplicated column of (series, field) under its stripe lock, or null if none. */
    private Column readSorted(int seriesId, int fieldId, FieldRead read) {
        Stripe stripe = stripes[mix(seriesId) & stripeMask];
        stripe.lock.lock();
        try {
            ColumnBuffer column = stripe.columns.get(key(seriesId, fieldId));
            if (column == null) {
                return null;
            }
            column.normalize();
            return read.apply(column, column.fieldIndex(fieldId));
        } finally {
            stripe.lock.unlock();
        }
    }

    /** A read of one field (a position in {@link ColumnBuffer#fieldIds}) of a sorted column. */
    @FunctionalInterface
    private interface FieldRead {
        Column apply(ColumnBuffer column, int field);
    }

    /** Whether (series, field) has any point here. */
    public boolean contains(int seriesId, int fieldId) {
        Stripe stripe = stripes[mix(seriesId) & stripeMask];
        stripe.lock.lock();
        try {
            return stripe.columns.get(key(seriesId, fieldId)) != null;
        } finally {
            stripe.lock.unlock();
        }
    }

    /**
     * Every column, sorted and deduplicated, in ascending (series id, field id) order. Only for a
     * frozen memtable (the flush), which must hold its reference while it uses the columns: a
     * column wholly in page 0 is shared with the memtable, a paged one is a heap copy made when
     * asked for.
     */
    public List<FrozenColumn> sortedColumns() {
        List<ColumnBuffer> all = new ArrayList<>();
        for (Stripe stripe : stripes) {
            stripe.lock.lock();
            try {
                stripe.columns.forEachValue(all::add);
            } finally {
                stripe.lock.unlock();
            }
        }
        // A series has one row column or only single columns, so this order by first field and
        // each row's fields in id order list every (series, field) in ascending order.
        all.sort((a, b) -> a.seriesId != b.seriesId
                ? Integer.compare(a.seriesId, b.seriesId) : Integer.compare(a.fieldId, b.fieldId));
        ColumnBuffer[] columns = all.toArray(new ColumnBuffer[0]);
        int total = 0;
        for (ColumnBuffer c : columns) {
            total += c.width;
        }
        long[] fields = new long[total];
        int at = 0;
        for (int i = 0; i < columns.length; i++) {
            if (columns[i].width == 1) {
                fields[at++] = (long) i << 32;
                continue;
            }
            for (int f : fieldsInIdOrder(columns[i])) {
                fields[at++] = ((long) i << 32) | f;
            }
        }
        return new FrozenColumnList(columns, fields);
    }

    /** Positions of a column's fields in ascending field id order. */
    private static int[] fieldsInIdOrder(ColumnBuffer column) {
        int[] order = new int[column.width];
        for (int f = 0; f < column.width; f++) {
            int at = f;
            while (at > 0 && column.fieldIds[order[at - 1]] > column.fieldIds[f]) {
                order[at] = order[at - 1];
                at--;
            }
            order[at] = f;
        }
        return order;
    }

    /**
     * Wraps each column when it is asked for, not all up front: a flush of a million one-column
     * series would otherwise hold a million Column and FrozenColumn objects (56 bytes each, about
     * 55 MiB) on top of the memtable for the whole flush, and sorting every paged column up front
     * would put the whole memtable on the heap at once.
     */
    private final class FrozenColumnList extends AbstractList<FrozenColumn> implements RandomAccess {
        private final ColumnBuffer[] columns;
        /** Per (series, field) in order: index in {@link #columns} (high 32 bits) and field position in it (low). */
        private final long[] fields;
        /** The last column normalized and its sorted form: a row's fields are asked for one after another. */
        private ColumnBuffer lastColumn;
        private ColumnBuffer lastSorted;

        FrozenColumnList(ColumnBuffer[] columns, long[] fields) {
            this.columns = columns;
            this.fields = fields;
        }

        @Override
        public synchronized FrozenColumn get(int index) {
            ColumnBuffer c = columns[(int) (fields[index] >>> 32)];
            int field = (int) fields[index];
            if (c != lastColumn) {
                Stripe stripe = stripes[mix(c.seriesId) & stripeMask];
                // Under the stripe lock: a reader of the frozen memtable normalizes under it too, and two
                // unguarded normalizations interleave into unsorted, mismatched arrays. Once normalized,
                // a column in page 0 is never changed again, so sharing its arrays is safe.
                stripe.lock.lock();
                try {
                    lastSorted = c.normalizedCopy();
                } finally {
                    stripe.lock.unlock();
                }
                lastColumn = c;
            }
            ColumnBuffer sorted = lastSorted;
            // A row's fields share its timestamps, which no one changes any more; its values are cut per field.
            long[] values = c.width == 1 ? sorted.values : sorted.copyValues(field);
            return new FrozenColumn(c.seriesId, c.fieldIds[field],
                    new Column(c.types[field], sorted.timestamps, values, sorted.strings, sorted.size));
        }

        @Override
        public int size() {
            return fields.length;
        }
    }

    /** One column of a frozen memtable. */
    public record FrozenColumn(int seriesId, int fieldId, Column column) {}

    static long key(int seriesId, int fieldId) {
        return ((long) seriesId << 32) | (fieldId & 0xFFFFFFFFL);
    }

    private static int mix(int seriesId) {
        int h = seriesId * 0x9E3779B9;
        return h ^ (h >>> 16);
    }

    private static final class Stripe {
        final ReentrantLock lock = new ReentrantLock();
        final StripeColumns columns = new StripeColumns();
        final PageArena.Slab slab;
        /** The apply ticket this stripe takes next ({@link #applyInOrder}); guarded by {@link #lock}. */
        long nextTicket;
        /** Columns created in this stripe; written under {@link #lock}, read without it. */
        volatile int columnCount;

        Stripe(PageArena pageArena) {
            this.slab = new PageArena.Slab(pageArena);
        }
    }
}
