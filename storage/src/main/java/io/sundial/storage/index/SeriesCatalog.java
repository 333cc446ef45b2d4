package io.sundial.storage.index;

import io.sundial.core.FieldType;
import io.sundial.core.Point;
import io.sundial.core.SeriesKey;
import io.sundial.storage.io.ByteOutput;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.StampedLock;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.roaringbitmap.RoaringBitmap;

/**
 * The series catalog and inverted index: series key ↔ dense series id, field ids and types per
 * measurement, and tag postings for matcher queries, persisted in an append-only log
 * (docs/format/catalog.md).
 *
 * <p><b>Ids.</b> Series ids are dense ints from 0, never reused (a dropped id stays unused), and
 * below {@link CatalogOptions#SERIES_ID_LIMIT} (2^31 - 1) because RoaringBitmap holds 32-bit
 * values and Java arrays are int-indexed; on disk they are u64 so a later version can widen them.
 * Field ids are dense ints over all measurements.
 *
 * <p><b>WAL protocol.</b> Ids grow monotonically, so "what is new" is an id range. The engine
 * keeps a watermark {@code logged} (a {@link CatalogMark}, {@link CatalogMark#ORIGIN} or
 * {@link #mark()} after WAL replay). When it appends a WAL record (appends are serialised) it
 * takes {@code now = mark()}, writes the definitions {@link #forEachSeriesBetween} and
 * {@link #forEachFieldBetween} {@code (logged, now)} ahead of the points, and sets
 * {@code logged = now}. Every id a batch uses was created before the batch took its mark, so
 * its definition is in that record or an earlier one, even when batches race; a definition
 * logged twice or early is harmless because {@link #restoreSeries}/{@link #restoreField} are
 * idempotent. Replay calls them in WAL order after {@link #open}.
 *
 * <p><b>Durability.</b> {@link #persist()} appends every definition created since the last
 * persist plus pending drops, and fsyncs; the engine calls it at flush before truncating the
 * WAL, and right after a drop (drops are durable only once persisted). On reopen an id below the
 * persisted next id that the log does not define was dropped, and restoring it is ignored.
 *
 * <p><b>Concurrency.</b> {@link #seriesId(Point)} on an existing series takes no lock (see
 * {@link SeriesKeyStore}); creating a series takes the write lock of a StampedLock; queries take
 * its read lock and never call back user code while holding it. Field lookups are lock-free.
 *
 * <p><b>Memory.</b> No object per series: keys are varint symbol runs in byte pages, tag strings
 * are interned once, a tag value held by one series costs an int rather than a bitmap. A TSBS
 * series of 10 tags costs ~150 bytes of heap (docs/BENCHMARKS.md, "Series catalog"). Memory of dropped
 * series' keys and interned strings is reclaimed on reopen.
 */
public final class SeriesCatalog implements Closeable {
    private static final int CHUNK_SERIES = 1024;
    private static final int FLUSH_BYTES = 1 << 20;
    /** Source of id epochs: unique across every catalog of the process, so one number names catalog and drop state. */
    private static final AtomicLong EPOCHS = new AtomicLong();

    private final CatalogOptions options;
    private final StampedLock lock = new StampedLock();
    private final ReentrantLock persistLock = new ReentrantLock();
    private final SymbolTable symbols = new SymbolTable();
    private final SeriesKeyStore store = new SeriesKeyStore(symbols);
    private final InvertedIndex index = new InvertedIndex(symbols);
    private final FieldCatalog fields = new FieldCatalog();
    /** Ids dropped in memory (guarded by lock); below the persisted watermark "undefined" suffices. */
    private final RoaringBitmap dropped = new RoaringBitmap();
    private List<PendingDrop> pendingDrops = new ArrayList<>();
    private volatile int persistedSeriesNext;
    private volatile int persistedFieldNext;
    /** Series described in the log that are dropped; drives compaction. Guarded by lock. */
    private int deadSeriesInLog;
    private CatalogLog log;
    private volatile boolean isClosed;
    /** See {@link #idEpoch()}; a new value from {@link #EPOCHS} at open and after every drop. */
    private volatile long idEpoch = EPOCHS.incrementAndGet();

    private SeriesCatalog(CatalogOptions options) {
        this.options = options;
    }

    /** The catalog's log file in {@code dir}, for checks before opening. */
    public static Path logFile(Path dir) {
        return dir.resolve(CatalogLog.FILE_NAME);
    }

    /** Opens the catalog in {@code dir} (created if missing), loading every persisted entry. */
    public static SeriesCatalog open(Path dir, CatalogOptions options) throws IOException {
        SeriesCatalog catalog = new SeriesCatalog(options);
        catalog.log = CatalogLog.open(dir, catalog.new Loader());
        catalog.persistedSeriesNext = catalog.store.nextId();
        catalog.persistedFieldNext = catalog.fields.nextId();
        return catalog;
    }

    // ---------------------------------------------------------------- series

    /**
     * The id of the point's series, created if new. Lock-free and allocation-free when the
     * series exists.
     *
     * @throws CardinalityLimitException if the series is new and the catalog holds series-max series
     */
    public int seriesId(Point point) {
        long hash = SeriesKeyStore.hash(point);
        int id = store.find(hash, point);
        return id >= 0 ? id : create(hash, point.seriesKey());
    }

    /** As {@link #seriesId(Point)} for a key. */
    public int seriesId(SeriesKey key) {
        long hash = SeriesKeyStore.hash(key);
        int id = store.find(hash, key);
        return id >= 0 ? id : create(hash, checked(key));
    }

    /**
     * A number that stays the same exactly as long as every series id this catalog has handed
     * out still names the same key: it differs between catalogs (and between openings of one
     * directory) and changes on every drop, after which a dropped key gets a new id when written
     * again. Writers remember ids under it ({@link io.sundial.core.SeriesTags#rememberSeriesId}).
     */
    public long idEpoch() {
        return idEpoch;
    }

    /** The id of {@code key}, or -1; never creates. */
    public int lookup(SeriesKey key) {
        long hash = SeriesKeyStore.hash(key);
        int id = store.find(hash, key);
        if (id >= 0) {
            return id;
        }
        long stamp = lock.readLock(); // the lock-free probe may have read a table a resize replaced
        try {
            return store.find(hash, key);
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /** The key of a live series, or null if the id is unknown or dropped. */
    public SeriesKey seriesKey(int seriesId) {
        long stamp = lock.readLock();
        try {
            return store.isLive(seriesId) ? store.key(seriesId) : null;
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /** The measurement of a live series, or null. */
    public String measurementOf(int seriesId) {
        long stamp = lock.readLock();
        try {
            return store.isLive(seriesId) ? symbols.get(store.measurementSymbol(seriesId)) : null;
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /** Live series. */
    public int seriesCount() {
        long stamp = lock.readLock();
        try {
            return store.liveCount();
        } finally {
            lock.unlockRead(stamp);
        }
    }

    private int create(long hash, SeriesKey key) {
        long stamp = lock.writeLock();
        try {
            int id = store.find(hash, key);
            if (id >= 0) {
                return id;
            }
            if (isClosed) {
                throw new IllegalStateException("series catalog is closed");
            }
            if (store.liveCount() >= options.seriesMax()) {
                throw new CardinalityLimitException("series limit of " + options.seriesMax()
                        + " reached: cannot create series " + key
                        + "; raise the limit with series-max or drop unused series");
            }
            id = store.nextId();
            if (id >= CatalogOptions.SERIES_ID_LIMIT) {
                throw new CardinalityLimitException("series id space exhausted (" + CatalogOptions.SERIES_ID_LIMIT
                        + " ids ever created): cannot create series " + key);
            }
            store.insert(hash, key, id);
            index.add(id, store.cursor(id));
            return id;
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    private static SeriesKey checked(SeriesKey key) {
        if (key.measurement().isEmpty()) {
            throw new IllegalArgumentException("series key " + key + ": measurement name is empty");
        }
        if (!CatalogRecords.fits(key.measurement())) {
            throw new IllegalArgumentException("series key: measurement name over "
                    + CatalogRecords.STRING_BYTES_MAX + " bytes");
        }
        for (int i = 0; i < key.tagCount(); i++) {
            if (key.tagKey(i).isEmpty() || key.tagValue(i).isEmpty()) {
                throw new IllegalArgumentException("series key " + key + ": tag " + i + " has an empty key or value");
            }
            if (!CatalogRecords.fits(key.tagKey(i)) || !CatalogRecords.fits(key.tagValue(i))) {
                throw new IllegalArgumentException("series key of measurement " + key.measurement()
                        + ": tag '" + key.tagKey(i) + "' over " + CatalogRecords.STRING_BYTES_MAX + " bytes");
            }
        }
        if (key.tagCount() > 0xFFFF) {
            throw new IllegalArgumentException("series key of measurement " + key.measurement() + " has "
                    + key.tagCount() + " tags, over the limit 65535");
        }
        return key;
    }

    // ---------------------------------------------------------------- fields

    /**
     * The field, created with {@code type} if new.
     *
     * @throws FieldTypeConflictException if it exists with another type
     */
    public FieldRef field(String measurement, String fieldName, FieldType type) {
        return fields.getOrCreate(measurement, fieldName, type);
    }

    /** The field, or null. */
    public FieldRef lookupField(String measurement, String fieldName) {
        return fields.lookup(measurement, fieldName);
    }

    /** The field of a live id, or null. */
    public FieldRef field(int fieldId) {
        return fields.get(fieldId);
    }

    /** The fields of {@code measurement} sorted by name (SHOW FIELD KEYS). */
    public List<FieldRef> fields(String measurement) {
        return fields.fields(measurement);
    }

    // ---------------------------------------------------------------- recovery and WAL protocol

    /**
     * Defines series {@code seriesId} as {@code key} (WAL replay). Idempotent; ignores ids that were
     * dropped; ignores series-max, since recovery must never fail on a limit lowered since.
     *
     * @throws IllegalStateException if the id or key is already defined otherwise
     */
    public void restoreSeries(int seriesId, SeriesKey key) {
        long stamp = lock.writeLock();
        try {
            restoreLocked(seriesId, checked(key), persistedSeriesNext);
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    /** Defines a field with its original id (WAL replay). Idempotent; ignores dropped ids. */
    public void restoreField(FieldRef ref) {
        fields.restore(ref, persistedFieldNext);
    }

    private void restoreLocked(int seriesId, SeriesKey key, int undefinedMeansDropped) {
        long hash = SeriesKeyStore.hash(key);
        if (store.isLive(seriesId)) {
            SeriesKey existing = store.key(seriesId);
            if (!existing.equals(key)) {
                throw new IllegalStateException("catalog conflict: restoring series " + seriesId + " as " + key
                        + " but it is " + existing);
            }
            return;
        }
        if (seriesId < undefinedMeansDropped || dropped.contains(seriesId)) {
            return;
        }
        int other = store.find(hash, key);
        if (other >= 0) {
            throw new IllegalStateException("catalog conflict: restoring series " + seriesId + " as " + key
                    + " but that key has id " + other);
        }
        store.insert(hash, key, seriesId);
        index.add(seriesId, store.cursor(seriesId));
    }

    /** The current next ids: everything created so far has smaller ids. */
    public CatalogMark mark() {
        long stamp = lock.readLock();
        try {
            return new CatalogMark(store.nextId(), fields.nextId());
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /** Visits live series with ids in [from, to) in id order, outside any lock. */
    public void forEachSeriesBetween(CatalogMark from, CatalogMark to, IntObjConsumer<SeriesKey> consumer) {
        int[] ids = new int[CHUNK_SERIES];
        SeriesKey[] keys = new SeriesKey[CHUNK_SERIES];
        for (int start = from.nextSeriesId(); start < to.nextSeriesId(); start += CHUNK_SERIES) {
            int end = (int) Math.min(to.nextSeriesId(), (long) start + CHUNK_SERIES);
            int n = 0;
            long stamp = lock.readLock();
            try {
                for (int id = start; id < end; id++) {
                    if (store.isLive(id)) {
                        ids[n] = id;
                        keys[n++] = store.key(id);
                    }
                }
            } finally {
                lock.unlockRead(stamp);
            }
            for (int i = 0; i < n; i++) {
                consumer.accept(ids[i], keys[i]);
            }
        }
    }

    /** Visits live series created since {@code from}. */
    public void forEachSeriesSince(CatalogMark from, IntObjConsumer<SeriesKey> consumer) {
        forEachSeriesBetween(from, mark(), consumer);
    }

    /** Visits live fields with ids in [from, to) in id order. */
    public void forEachFieldBetween(CatalogMark from, CatalogMark to, Consumer<FieldRef> consumer) {
        fields.between(from.nextFieldId(), to.nextFieldId()).forEach(consumer);
    }

    // ---------------------------------------------------------------- drops

    /** Drops the measurement's series and fields; durable after the next {@link #persist()}. */
    public void dropMeasurement(String measurement) {
        long stamp = lock.writeLock();
        try {
            RoaringBitmap ids = index.seriesOf(measurement);
            ids.forEach((int id) -> dropLocked(id));
            int fieldLimit = fields.dropMeasurement(measurement);
            pendingDrops.add(new PendingDrop.Measurement(measurement, store.nextId(), fieldLimit));
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    /** Drops the live series among {@code ids}; durable after the next {@link #persist()}. */
    public void dropSeries(RoaringBitmap ids) {
        long stamp = lock.writeLock();
        try {
            RoaringBitmap live = new RoaringBitmap();
            ids.forEach((int id) -> {
                if (store.isLive(id)) {
                    dropLocked(id);
                    live.add(id);
                }
            });
            if (!live.isEmpty()) {
                pendingDrops.add(new PendingDrop.Series(live.toArray()));
            }
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    private void dropLocked(int id) {
        if (!store.isLive(id)) {
            return;
        }
        index.remove(id, store.cursor(id));
        store.remove(id);
        dropped.add(id);
        idEpoch = EPOCHS.incrementAndGet();
        if (id < persistedSeriesNext) {
            deadSeriesInLog++;
        }
    }

    // ---------------------------------------------------------------- queries

    /** Series of {@code measurement} matching all {@code matchers} (none: all its series). A new bitmap. */
    public RoaringBitmap select(String measurement, List<TagMatcher> matchers) {
        long stamp = lock.readLock();
        try {
            return index.select(measurement, matchers);
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /** Measurements with at least one live series, sorted. */
    public List<String> measurements() {
        return measurements(null);
    }

    /** Measurements whose name {@code regex} finds (null: all), sorted. */
    public List<String> measurements(Pattern regex) {
        long stamp = lock.readLock();
        try {
            return index.measurements(regex);
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /** Tag keys used by live series of {@code measurement}, sorted. */
    public List<String> tagKeys(String measurement) {
        long stamp = lock.readLock();
        try {
            return index.tagKeys(measurement);
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /** Values of tag {@code key} in {@code measurement}, of series in {@code restrictTo} if given, sorted. */
    public List<String> tagValues(String measurement, String key, RoaringBitmap restrictTo) {
        long stamp = lock.readLock();
        try {
            return index.tagValues(measurement, key, restrictTo);
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /** Heap held by the catalog, estimated from array lengths and bitmap sizes. */
    public long estimatedMemoryBytes() {
        long stamp = lock.readLock();
        try {
            return store.estimatedMemoryBytes() + symbols.estimatedMemoryBytes() + index.estimatedMemoryBytes()
                    + fields.estimatedMemoryBytes() + dropped.getLongSizeInBytes();
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /** Bytes of a torn tail cut from the log when it was opened (0 if it ended cleanly). */
    public long recoveredTornTailBytes() {
        return log.truncatedTailBytes();
    }

    // ---------------------------------------------------------------- persistence

    /**
     * Makes every definition created so far and every drop durable: appends them to the log and
     * fsyncs, or rewrites the log when dropped series dominate it. On failure nothing is lost
     * from memory and the next call retries.
     */
    public void persist() throws IOException {
        persistLock.lock();
        try {
            if (isClosed) {
                throw new IllegalStateException("series catalog is closed");
            }
            int seriesTo;
            int fieldTo;
            List<PendingDrop> drops;
            boolean isCompacting;
            long stamp = lock.writeLock();
            try {
                seriesTo = store.nextId();
                fieldTo = fields.nextId();
                drops = pendingDrops;
                pendingDrops = new ArrayList<>();
                isCompacting = deadSeriesInLog >= options.compactionDeadSeriesMin() && deadSeriesInLog > store.liveCount();
                index.runOptimize();
            } finally {
                lock.unlockWrite(stamp);
            }
            try {
                if (isCompacting) {
                    log.rewrite(sink -> writeLive(sink, seriesTo, fieldTo));
                } else {
                    log.appendBatch(sink -> writeSince(sink, seriesTo, fieldTo, drops));
                }
            } catch (IOException | RuntimeException e) {
                stamp = lock.writeLock();
                try {
                    pendingDrops.addAll(0, drops);
                } finally {
                    lock.unlockWrite(stamp);
                }
                throw e;
            }
            stamp = lock.writeLock();
            try {
                if (isCompacting) {
                    deadSeriesInLog = 0; // drops after the snapshot are pending and counted on their next persist
                }
                persistedSeriesNext = seriesTo;
                persistedFieldNext = fieldTo;
            } finally {
                lock.unlockWrite(stamp);
            }
        } finally {
            persistLock.unlock();
        }
    }

    private void writeSince(CatalogLog.RecordSink sink, int seriesTo, int fieldTo, List<PendingDrop> drops)
            throws IOException {
        ByteOutput out = new ByteOutput(64 * 1024);
        writeSeries(sink, out, persistedSeriesNext, seriesTo);
        for (FieldRef ref : fields.between(persistedFieldNext, fieldTo)) {
            CatalogRecords.writeField(out, ref);
        }
        for (PendingDrop drop : drops) {
            switch (drop) {
                case PendingDrop.Series s -> {
                    for (int i = 0; i < s.ids().length; i += CatalogRecords.DROP_SERIES_IDS_MAX) {
                        CatalogRecords.writeDropSeries(out, s.ids(), i,
                                Math.min(CatalogRecords.DROP_SERIES_IDS_MAX, s.ids().length - i));
                        flushIfFull(sink, out);
                    }
                }
                case PendingDrop.Measurement m ->
                        CatalogRecords.writeDropMeasurement(out, m.name(), m.seriesIdLimit(), m.fieldIdLimit());
            }
        }
        // Keeps ids of series created and dropped before any persist from being handed out again.
        CatalogRecords.writeNextIds(out, seriesTo, fieldTo);
        sink.write(out);
    }

    private void writeLive(CatalogLog.RecordSink sink, int seriesTo, int fieldTo) throws IOException {
        ByteOutput out = new ByteOutput(64 * 1024);
        CatalogRecords.writeNextIds(out, seriesTo, fieldTo);
        writeSeries(sink, out, 0, seriesTo);
        for (FieldRef ref : fields.between(0, fieldTo)) {
            CatalogRecords.writeField(out, ref);
        }
        sink.write(out);
    }

    /** Writes live series in [from, to), taking the read lock a chunk at a time so creators are not stalled. */
    private void writeSeries(CatalogLog.RecordSink sink, ByteOutput out, int from, int to) throws IOException {
        for (int start = from; start < to; start += CHUNK_SERIES) {
            int end = (int) Math.min(to, (long) start + CHUNK_SERIES);
            long stamp = lock.readLock();
            try {
                for (int id = start; id < end; id++) {
                    if (store.isLive(id)) {
                        CatalogRecords.writeSeries(out, id, store.key(id));
                    }
                }
            } finally {
                lock.unlockRead(stamp);
            }
            flushIfFull(sink, out);
        }
    }

    private static void flushIfFull(CatalogLog.RecordSink sink, ByteOutput out) throws IOException {
        if (out.size() >= FLUSH_BYTES) {
            sink.write(out);
            out.reset();
        }
    }

    /** Closes the log file. Does not persist: the engine decides what must be durable. */
    @Override
    public void close() throws IOException {
        persistLock.lock();
        try {
            if (!isClosed) {
                isClosed = true;
                log.close();
            }
        } finally {
            persistLock.unlock();
        }
    }

    /** Applies the log's records at open, before the catalog is shared. */
    private final class Loader implements CatalogRecords.Visitor {
        @Override
        public void series(int id, SeriesKey key) {
            restoreLocked(id, checked(key), 0);
        }

        @Override
        public void field(FieldRef ref) {
            fields.restore(ref, 0);
        }

        @Override
        public void dropSeries(int id) {
            dropLoaded(id);
        }

        @Override
        public void dropMeasurement(String measurement, int seriesIdLimit, int fieldIdLimit) {
            RoaringBitmap ids = index.seriesOf(measurement);
            ids.forEach((int id) -> {
                if (id < seriesIdLimit) {
                    dropLoaded(id);
                }
            });
            fields.dropMeasurement(measurement, fieldIdLimit);
        }

        private void dropLoaded(int id) {
            if (store.isLive(id)) {
                index.remove(id, store.cursor(id));
                store.remove(id);
                deadSeriesInLog++;
            }
            dropped.add(id);
        }

        @Override
        public void nextIds(int nextSeriesId, int nextFieldId) {
            store.reserveIdsBelow(nextSeriesId);
            fields.reserveIdsBelow(nextFieldId);
        }

        @Override
        public void commit(long batchStart) {
            // Batch boundaries matter only for telling a torn tail from damage (CatalogLog).
        }
    }
}
