package io.sundial.query.exec;

import io.sundial.core.SeriesKey;
import io.sundial.query.QueryContext;
import io.sundial.query.QueryException;
import io.sundial.query.plan.PlanProfile;
import io.sundial.query.plan.TagCondition;
import io.sundial.query.plan.TimeRange;
import io.sundial.storage.ChunkRef;
import io.sundial.storage.Column;
import io.sundial.storage.ColumnChunks;
import io.sundial.storage.ReadRequest;
import io.sundial.storage.ReadSnapshot;
import io.sundial.storage.index.FieldRef;
import io.sundial.storage.index.TagMatcher;
import io.sundial.storage.manifest.FileMeta;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.roaringbitmap.RoaringBitmap;

/**
 * Reads the series of one measurement that a tag condition selects, each once, from one
 * {@link ReadSnapshot}. A condition on tags that is an OR of matcher sets becomes one index lookup
 * per alternative, and a series found by several of them is read once (the union of the series
 * sets); a tag condition the index cannot express (NOT, comparisons with numbers) is evaluated per
 * series instead.
 *
 * <p>Series are fetched (chunks located, stats read, bodies decoded) on a bounded pool shared by
 * all queries, in batches, and handed to the consumer on the query's own thread in series id
 * order, so results do not depend on the thread count. Decoded bytes are charged to the query's
 * {@link Budget} while they are held.
 */
final class SeriesScan implements AutoCloseable {
    /** What to do with one series: its key and its columns, in the order of the requested fields (null when absent). */
    interface SeriesConsumer {
        void accept(SeriesKey key, Column[] columns);

        /** Before the first series: the keys of every series the scan will visit, in visiting order. */
        default void plan(SeriesKey[] keys) {
        }

        /** A planned series that has nothing to read (pruned, or no points in range): no accept call follows for it. */
        default void skipped(SeriesKey key) {
        }
    }

    /** Budget bytes charged per point of a series whose raw rows are retained (a row list and its boxed values). */
    static final int RETAINED_POINT_BYTES = 48;

    /** What {@link #runRaw} charges for the rows of a series it hands to a consumer that retains rows. */
    static long retainedBytes(Column[] columns) {
        long points = 0;
        for (Column column : columns) {
            points += column == null ? 0 : column.size();
        }
        return RETAINED_POINT_BYTES * points;
    }

    /** Stands for a series the work left out, so the consumer hears of it ({@link SeriesConsumer#skipped}). */
    private static final Column[] SKIPPED = new Column[0];

    /** Work done for one series on a fetch thread; null leaves the series out. */
    interface Work<T> {
        T fetch(Fetch fetch);
    }

    /** Receives each fetched series on the query's thread, in series id order. */
    interface Sink<T> {
        void accept(SeriesKey key, T value);
    }

    private static final int HELPER_NOT_STARTED = 0;
    private static final int HELPER_RUNNING = 1;
    private static final int HELPER_ABANDONED = 2;
    /** Series one fetch batch holds at most: bounds the decoded data waiting for the consumer. */
    private static final int BATCH_SERIES_MAX = 256;
    /** Newest-point scans of at most this many series run on the query's thread alone (a few ms of work). */
    private static final int LAZY_SOLO_SERIES_MAX = 1_000;
    private static final AtomicInteger THREAD_NUMBER = new AtomicInteger();
    /** One fetch thread per core, shared by every query: concurrent queries queue instead of oversubscribing. */
    private static final int POOL_THREADS = QueryContext.parallelismDefault();
    private static final ExecutorService POOL = Executors.newFixedThreadPool(POOL_THREADS, runnable -> {
        Thread thread = new Thread(runnable, "sundial-query-fetch-" + THREAD_NUMBER.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    });

    private final Budget budget;
    private final ReadSnapshot snapshot;
    private final FieldRef[] slots;
    private final int[] seriesIds;
    private final SeriesKey[] keys;
    private final PlanProfile.Scan profile;

    private SeriesScan(Budget budget, ReadSnapshot snapshot, FieldRef[] slots, int[] seriesIds, SeriesKey[] keys,
            PlanProfile.Scan profile) {
        this.budget = budget;
        this.snapshot = snapshot;
        this.slots = slots;
        this.seriesIds = seriesIds;
        this.keys = keys;
        this.profile = profile;
    }

    static SeriesScan open(Target target, TagCondition condition, List<String> fields, TimeRange range, Budget budget,
            Evaluator evaluator) {
        List<List<TagMatcher>> alternatives = List.of(List.of());
        boolean filterEachSeries = false;
        if (condition.seriesFilter() != null) {
            try {
                alternatives = TagCondition.disjunction(condition.seriesFilter(), "SELECT");
            } catch (QueryException notExpressible) {
                filterEachSeries = true;
            }
        }
        ReadRequest request = new ReadRequest(target.measurement(), condition.matchers(), fields, range.min(), range.max());
        ReadSnapshot snapshot = target.engine().snapshot(request);
        try {
            PlanProfile.Scan profile = budget.profile() == null ? null : budget.profile().scan(target.measurement());
            RoaringBitmap selected;
            if (alternatives.size() == 1 && alternatives.getFirst().isEmpty()) {
                selected = snapshot.seriesIds();
                if (profile != null && !condition.matchers().isEmpty()) {
                    profile.lookup(describe(condition.matchers()));
                }
            } else {
                selected = new RoaringBitmap();
                for (List<TagMatcher> alternative : alternatives) {
                    List<TagMatcher> matchers = new ArrayList<>(condition.matchers());
                    matchers.addAll(alternative);
                    selected.or(snapshot.selectSeries(matchers));
                    if (profile != null) {
                        profile.lookup("(" + describe(matchers) + ")");
                    }
                }
            }
            List<Integer> ids = new ArrayList<>();
            List<SeriesKey> seriesKeys = new ArrayList<>();
            for (int id : selected.toArray()) {
                SeriesKey key = snapshot.seriesKey(id);
                if (key == null || filterEachSeries
                        && !evaluator.isTrue(condition.seriesFilter(), SelectExecutor.tagBindings(key))) {
                    continue;
                }
                ids.add(id);
                seriesKeys.add(key);
            }
            budget.addSeries(ids.size());
            FieldRef[] slots = new FieldRef[fields.size()];
            for (FieldRef field : snapshot.fields()) {
                slots[fields.indexOf(field.name())] = field;
            }
            if (profile != null) {
                if (filterEachSeries) {
                    profile.lookup("tag condition evaluated per series");
                }
                Set<Long> partitions = new HashSet<>();
                for (FileMeta file : snapshot.files()) {
                    partitions.add(file.partitionStart());
                }
                profile.snapshot(describe(range), ids.size(), snapshot.files().size(), partitions.size(),
                        snapshot.memtableCount(), snapshot.tombstoneCount(), threads(budget, ids.size()));
            }
            return new SeriesScan(budget, snapshot, slots, ids.stream().mapToInt(Integer::intValue).toArray(),
                    seriesKeys.toArray(new SeriesKey[0]), profile);
        } catch (RuntimeException e) {
            snapshot.close();
            throw e;
        }
    }

    private static String describe(List<TagMatcher> matchers) {
        List<String> parts = new ArrayList<>();
        for (TagMatcher matcher : matchers) {
            parts.add(matcher.key() + " " + matcher.op().symbol() + " '" + matcher.value() + "'");
        }
        return String.join(" AND ", parts);
    }

    private static String describe(TimeRange range) {
        return (range.hasMin() ? java.time.Instant.ofEpochSecond(0, range.min()).toString() : "-inf") + " .. "
                + (range.hasMax() ? java.time.Instant.ofEpochSecond(0, range.max()).toString() : "+inf");
    }

    private static int threads(Budget budget, int seriesCount) {
        return Math.max(1, Math.min(Math.min(budget.parallelism(), POOL_THREADS), seriesCount));
    }

    PlanProfile.Scan profile() {
        return profile;
    }

    int seriesCount() {
        return seriesIds.length;
    }

    /** The key of the series at {@code index} of the scan's series (visiting order). */
    SeriesKey key(int index) {
        return keys[index];
    }

    /**
     * Runs {@code work} for every series on the pool and gives the results to {@code sink} in
     * series order. Under EXPLAIN (dry run) the work only plans: decoding is counted, not done, and
     * the sink is not called.
     */
    <T> void forEach(Work<T> work, Sink<T> sink) {
        forEach(work, sink, false);
    }

    /** {@code isPlanning}: the sink runs under EXPLAIN too (a pass whose results shape the plan). */
    <T> void forEach(Work<T> work, Sink<T> sink, boolean isPlanning) {
        forEach(work, sink, isPlanning, false);
    }

    /**
     * {@code isLazy}: the work reads each field's chunk list only when it asks for it
     * ({@link Fetch#chunks}), so a work that can take a field from {@link Fetch#newestPoint} never
     * lists its chunks; a series of which the work found no point is left out, as when every
     * field's list is empty.
     */
    private <T> void forEach(Work<T> work, Sink<T> sink, boolean isPlanning, boolean isLazy) {
        long started = System.nanoTime();
        // A newest-point work takes microseconds per series (lastpoint: 100 series in ~0.2 ms): waking
        // a pool thread for half of it costs more CPU than it saves, and on a busy machine its wake-up
        // comes after the query thread has done everything anyway. Many series still share the pool.
        boolean isSolo = isLazy && seriesIds.length <= LAZY_SOLO_SERIES_MAX;
        int threads = isSolo ? 1 : threads(budget, seriesIds.length);
        if (isSolo && profile != null) {
            profile.fetchThreads(threads);
        }
        for (int batchStart = 0; batchStart < seriesIds.length; batchStart += BATCH_SERIES_MAX) {
            budget.check();
            int batchEnd = Math.min(seriesIds.length, batchStart + BATCH_SERIES_MAX);
            Fetch[] fetches = new Fetch[batchEnd - batchStart];
            @SuppressWarnings("unchecked")
            T[] results = (T[]) new Object[fetches.length];
            try {
                fetchBatch(work, batchStart, fetches, results, threads, isLazy);
                if (budget.isDryRun() && !isPlanning) {
                    continue;
                }
                for (int i = 0; i < fetches.length; i++) {
                    if (results[i] != null) {
                        sink.accept(keys[batchStart + i], results[i]);
                    }
                    budget.releaseBytes(fetches[i] == null ? 0 : fetches[i].bytes);
                    if (fetches[i] != null) {
                        fetches[i].bytes = 0;
                    }
                }
            } finally {
                for (Fetch fetch : fetches) {
                    if (fetch != null) {
                        budget.releaseBytes(fetch.bytes);
                    }
                }
            }
        }
        if (profile != null) {
            profile.addFetchNanos(System.nanoTime() - started);
        }
    }

    /**
     * Fetches a batch on the query's thread and up to {@code threads - 1} pool threads. Series are
     * claimed one at a time from a shared counter, so the query's own thread never waits for a
     * helper that has not started: on a busy machine a pool thread may sit in the run queue for
     * milliseconds, and the query thread simply fetches everything itself meanwhile. It then waits
     * only for helpers that started; the others are told not to (a helper and the query thread race
     * for its state: NOT_STARTED becomes RUNNING or ABANDONED, never both).
     */
    private <T> void fetchBatch(Work<T> work, int batchStart, Fetch[] fetches, T[] results, int threads, boolean isLazy) {
        AtomicBoolean failed = new AtomicBoolean();
        AtomicInteger next = new AtomicInteger();
        int helpers = Math.max(0, Math.min(threads, fetches.length) - 1);
        List<Future<?>> futures = new ArrayList<>(helpers);
        AtomicInteger[] states = new AtomicInteger[helpers];
        RuntimeException failure = null;
        try {
            for (int t = 0; t < helpers; t++) {
                AtomicInteger state = new AtomicInteger(HELPER_NOT_STARTED);
                states[t] = state;
                futures.add(POOL.submit(() -> {
                    if (state.compareAndSet(HELPER_NOT_STARTED, HELPER_RUNNING)) {
                        fetchClaimed(work, batchStart, fetches, results, next, failed, isLazy);
                    }
                }));
            }
            fetchClaimed(work, batchStart, fetches, results, next, failed, isLazy);
        } catch (RuntimeException e) {
            failure = e;
        }
        // Wait for every helper that started even after a failure: none may touch the snapshot after close.
        for (int t = 0; t < futures.size(); t++) {
            Future<?> future = futures.get(t);
            if (states[t].compareAndSet(HELPER_NOT_STARTED, HELPER_ABANDONED)) {
                future.cancel(false); // it would do nothing when it runs; drop it from the queue if still there
                continue;
            }
            try {
                future.get();
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException runtime ? runtime
                            : new IllegalStateException("fetch failed: " + e.getCause(), e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failed.set(true);
                if (failure == null) {
                    failure = new QueryException("query interrupted");
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Fetches series of the batch, each claimed from {@code next}, until none is left or one failed. */
    private <T> void fetchClaimed(Work<T> work, int batchStart, Fetch[] fetches, T[] results, AtomicInteger next,
            AtomicBoolean failed, boolean isLazy) {
        try {
            for (int i = next.getAndIncrement(); i < fetches.length && !failed.get(); i = next.getAndIncrement()) {
                budget.check();
                int index = batchStart + i;
                // A fetch made beforehand (fetchEach) keeps its chunk lists across calls: not listed or counted again.
                boolean isMadeHere = fetches[i] == null;
                Fetch fetch = isMadeHere ? new Fetch(keys[index], seriesIds[index]) : fetches[i];
                if (!isLazy) {
                    for (int slot = 0; slot < slots.length; slot++) {
                        fetch.chunks(slot);
                    }
                    if (!fetch.hasPoints) {
                        continue;
                    }
                }
                fetches[i] = fetch;
                T result = work.fetch(fetch);
                results[i] = fetch.hasPoints ? result : null;
                if (results[i] != null && profile != null && isMadeHere) {
                    profile.seriesRead.increment();
                }
            }
        } catch (RuntimeException e) {
            failed.set(true);
            throw e;
        }
    }

    /** A fetch of the series at {@code index} of the scan's series (visiting order), to be run (repeatedly) by {@link #fetchEach}. */
    Fetch fetchOf(int index) {
        return new Fetch(keys[index], seriesIds[index]);
    }

    /**
     * Runs {@code work} over fetches made by {@link #fetchOf} on the pool (as {@link #forEach} runs
     * a batch); {@code results[i]} is the result for {@code fetches[i]}, null where the work gave
     * none or the series has no point. The fetches keep their chunk lists between calls, and what
     * they decode stays charged to the budget until {@link #detachBytes}.
     */
    <T> void fetchEach(Fetch[] fetches, Work<T> work, T[] results) {
        fetchBatch(work, 0, fetches, results, threads(budget, fetches.length), true);
    }

    /** The bytes the fetch's decoding charged to the budget since the last call; the caller releases them. */
    static long detachBytes(Fetch fetch) {
        long bytes = fetch.bytes;
        fetch.bytes = 0;
        return bytes;
    }

    /** One series' chunks on a fetch thread, with the decoding that is charged to the query. */
    final class Fetch {
        private final SeriesKey key;
        private final int seriesId;
        private final ColumnChunks[] chunks = new ColumnChunks[slots.length];
        private final boolean[] isListed = new boolean[slots.length];
        /** Whether some field has a point in range (a chunk list or a newest point was found). */
        private boolean hasPoints;
        private long bytes;
        /** Every field's newest point ({@link ReadSnapshot#newestPoints}), taken on the first {@link #newestPoint}. */
        private Column[] newestPoints;

        Fetch(SeriesKey key, int seriesId) {
            this.key = key;
            this.seriesId = seriesId;
        }

        SeriesKey key() {
            return key;
        }

        /** The chunks of the field in {@code slot} (listed on first use); null when the series has no point of it in range. */
        ColumnChunks chunks(int slot) {
            if (!isListed[slot]) {
                isListed[slot] = true;
                ColumnChunks listed = slots[slot] == null ? null : snapshot.read(seriesId, slots[slot]);
                chunks[slot] = listed;
                if (listed != null) {
                    hasPoints = true;
                    if (profile != null) {
                        profile.chunksExact.add(listed.exactChunks().size());
                        profile.chunksOverlapped.add(listed.restChunkCount());
                        profile.memtableColumns.add(listed.memtableCount());
                    }
                }
            }
            return chunks[slot];
        }

        /**
         * The newest point in range of the field in {@code slot} without listing its chunks
         * ({@link ReadSnapshot#newestPoint}): a one-point column, or an empty one when the field
         * has no point in range; null when the caller must use {@link #chunks} instead — the
         * snapshot cannot tell it cheaply, the chunks are already listed, or under EXPLAIN
         * (ANALYZE), whose chunk counts come from the chunk lists.
         */
        Column newestPoint(int slot) {
            if (isListed[slot] || slots[slot] == null || budget.isDryRun() || profile != null) {
                return null;
            }
            if (newestPoints == null) {
                // Every field's at once: the snapshot consults the files' series filters once per series.
                newestPoints = snapshot.newestPoints(seriesId, slots);
                int found = 0;
                for (Column point : newestPoints) {
                    found += point != null && point.size() > 0 ? 1 : 0;
                }
                chargePoints(found, found);
            }
            Column point = newestPoints[slot];
            if (point != null && point.size() > 0) {
                hasPoints = true;
            }
            return point;
        }

        int slotCount() {
            return chunks.length;
        }

        boolean isDryRun() {
            return budget.isDryRun();
        }

        /** The whole column of {@code slot} except the exact chunks {@code skip} accepts; null when empty or a dry run. */
        Column decodeExcept(int slot, Predicate<ChunkRef> skip) {
            ColumnChunks column = chunks(slot);
            if (column == null) {
                return null;
            }
            int decoded = column.restChunkCount();
            for (ChunkRef chunk : column.exactChunks()) {
                if (!skip.test(chunk)) {
                    decoded++;
                }
            }
            if (profile != null) {
                profile.chunksDecoded.add(decoded);
            }
            if (budget.isDryRun()) {
                return null;
            }
            Column out = column.decodeExcept(skip);
            charge(out);
            return out;
        }

        Column decodeAll(int slot) {
            return decodeExcept(slot, chunk -> false);
        }

        /** The rest (everything not in exact chunks) of {@code slot}; null when empty or a dry run. */
        Column decodeRest(int slot) {
            ColumnChunks column = chunks(slot);
            if (column == null || !column.hasRest()) {
                return null;
            }
            if (profile != null) {
                profile.chunksDecoded.add(column.restChunkCount());
            }
            if (budget.isDryRun()) {
                return null;
            }
            Column out = column.decodeRest();
            charge(out);
            return out;
        }

        /** One exact chunk; null in a dry run. */
        Column decode(ChunkRef chunk) {
            if (profile != null) {
                profile.chunksDecoded.increment();
            }
            if (budget.isDryRun()) {
                return null;
            }
            Column out = chunk.decode();
            charge(out);
            return out;
        }

        /** The points of one chunk (exact or clipped) within [minTime, maxTime]; null when none or a dry run. */
        Column decode(ChunkRef chunk, long minTime, long maxTime) {
            if (profile != null) {
                profile.chunksDecoded.increment();
            }
            if (budget.isDryRun()) {
                return null;
            }
            Column out = chunk.decode(minTime, maxTime);
            charge(out);
            return out;
        }

        /** The points of one chunk in several sorted disjoint inclusive ranges, timestamps decoded once; null when none or a dry run. */
        Column decode(ChunkRef chunk, long[] minTimes, long[] maxTimes) {
            if (profile != null) {
                profile.chunksDecoded.increment();
            }
            if (budget.isDryRun()) {
                return null;
            }
            Column out = chunk.decode(minTimes, maxTimes);
            charge(out);
            return out;
        }

        void answeredFromStats(int count) {
            if (profile != null) {
                profile.chunksFromStats.add(count);
            }
        }

        void hoursFromTable(int count) {
            if (profile != null) {
                profile.hoursFromTable.add(count);
            }
        }

        void pruned(int count) {
            if (profile != null) {
                profile.chunksPruned.add(count);
            }
        }

        void skipped(int count) {
            if (profile != null) {
                profile.chunksSkipped.add(count);
            }
        }

        private void charge(Column column) {
            if (column != null) {
                chargePoints(column.size(), 1);
            }
        }

        /** Charges {@code points} points held in {@code columns} columns, in one reservation. */
        private void chargePoints(long points, int columns) {
            long size = 16L * points + 64L * columns;
            bytes += size;
            budget.reserveBytes(size);
            if (profile != null) {
                profile.pointsDecoded.add(points);
            }
        }
    }

    @Override
    public void close() {
        snapshot.close();
    }

    // ------------------------------------------------------------------ whole columns (raw and general aggregates)

    /** Reads each series' columns whole (field predicates prune chunks first) and gives them to {@code consumer}. */
    static void run(Target target, TagCondition condition, List<String> fields, TimeRange range, Budget budget,
            Evaluator evaluator, SeriesConsumer consumer) {
        runRaw(target, condition, fields, range, budget, evaluator, RowLimit.NONE, false, consumer);
    }

    /**
     * Like {@link #run}, for raw rows: {@code limit} lets each series stop at the rows LIMIT can
     * reach, and the rows the consumer keeps are charged to the budget until the query ends.
     */
    static void runRaw(Target target, TagCondition condition, List<String> fields, TimeRange range, Budget budget,
            Evaluator evaluator, RowLimit limit, boolean retainsRows, SeriesConsumer consumer) {
        runRaw(target, condition, fields, range, budget, evaluator, limit, retainsRows, consumer, null);
    }

    /**
     * {@code windowed}: when set and it takes the scan's series ({@link RawWindowScan#takes}: a group
     * of several series, no LIMIT read per series), it reads them group by group, window by window,
     * instead of {@code consumer}.
     */
    static void runRaw(Target target, TagCondition condition, List<String> fields, TimeRange range, Budget budget,
            Evaluator evaluator, RowLimit limit, boolean retainsRows, SeriesConsumer consumer, RawWindowScan windowed) {
        if (target.subquery() != null) {
            target.subquery().scan(condition, fields, range, budget, evaluator, consumer);
            return;
        }
        ChunkPredicate predicate = ChunkPredicate.of(condition.rowFilter(), fields, target);
        RowLimit effective = condition.rowFilter() == null ? limit : RowLimit.NONE;
        try (SeriesScan scan = open(target, condition, fields, range, budget, evaluator)) {
            if (scan.profile != null) {
                if (!predicate.isEmpty()) {
                    scan.profile.pushdown("predicate " + predicate + " prunes chunks by min/max");
                }
                if (effective.isLimited()) {
                    scan.profile.pushdown("early termination: " + effective);
                }
            }
            // Under a field condition without LIMIT the rows kept are few and each series is read
            // whole faster (high-cpu-all: 1.7x the CPU read window by window): read as before.
            boolean readsWindows = !effective.isLimited() && (predicate.isEmpty() || limit.isLimited());
            if (windowed != null && readsWindows && windowed.takes(scan.keys, budget)) {
                windowed.run(scan, predicate, range);
                return;
            }
            if (!budget.isDryRun()) {
                consumer.plan(scan.keys.clone());
            }
            // The newest point of each field alone needs no chunk list (lastpoint): list lazily.
            boolean isLazy = predicate.isEmpty() && effective.isNewestPointOnly();
            scan.forEach(fetch -> {
                Column[] columns = predicate.isEmpty() ? effective.fetch(fetch)
                        : predicate.fetch(fetch, range.min(), range.max());
                return columns == null ? SKIPPED : columns;
            }, (key, columns) -> {
                if (columns == SKIPPED) {
                    consumer.skipped(key);
                    return;
                }
                if (retainsRows) {
                    budget.reserveBytes(retainedBytes(columns));
                }
                consumer.accept(key, columns);
            }, false, isLazy);
        }
    }
}
