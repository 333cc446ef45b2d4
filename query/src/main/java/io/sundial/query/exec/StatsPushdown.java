package io.sundial.query.exec;

import io.sundial.core.FieldType;
import io.sundial.core.SeriesKey;
import io.sundial.query.function.StatsFold;
import io.sundial.query.plan.TagCondition;
import io.sundial.query.plan.TimeRange;
import io.sundial.query.plan.Window;
import io.sundial.query.sundialql.Expr;
import io.sundial.storage.ChunkRef;
import io.sundial.storage.Column;
import io.sundial.storage.ColumnChunks;
import io.sundial.storage.codec.FloatBlocks;
import io.sundial.storage.segment.ChunkStats;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * Aggregation pushdown for {@link AggregateQuery}: a chunk with exact stats that lies wholly in
 * one bucket is folded into that bucket from its stats (count, sum, mean, min, max, first, last,
 * spread) without decoding; every other chunk, and the points merged from overlapping sources and
 * memtables, is decoded and added as usual. Without GROUP BY time, a field read only by last()
 * (or only by first()) needs just its newest (oldest) chunk, plus the merged rest when that could
 * hold a later (earlier) point: the others are skipped.
 *
 * <p>Chunks are classified, stats read and the rest decoded on the fetch threads. A group of one
 * series is folded, and its rows made, on the fetch thread that read the series; a group of
 * several series is folded on the query's thread in series order. Either way each group's states
 * see its series in the same order, so answers do not depend on the thread count.
 */
final class StatsPushdown {
    /** One field of one series, as the fetch thread prepared it. */
    private record FieldInput(List<ChunkRef> statsChunks, List<ChunkStats> stats, List<Block> blocks, Column decoded) {}

    /** What a fetch thread hands on for a series it folded itself: nothing left to fold. */
    private static final FieldInput[] FOLDED = new FieldInput[0];

    /** An hour block of a float chunk answered from the chunk's block table. */
    private record Block(int count, long minTime, double sum, double min, double max, double first) {}

    private final AggregateQuery query;
    private final Target target;
    private final List<String> fields;
    private final Map<String, Integer> slots;
    private final List<String> groupKeys;
    private final Map<GroupKey, AggregateQuery.GroupState> states;
    /** Per slot: the leaves that read it. */
    private final List<List<Expr.Call>> callsBySlot = new ArrayList<>();
    /** Per slot: the same leaves resolved once (state index, function, parameter), for the fold loop. */
    private final List<Leaf[]> leavesBySlot = new ArrayList<>();

    private record Leaf(Expr.Call call, int index, String function, double parameter) {}

    StatsPushdown(AggregateQuery query, Target target, List<String> fields, Map<String, Integer> slots,
            List<String> groupKeys, Map<GroupKey, AggregateQuery.GroupState> states) {
        this.query = query;
        this.target = target;
        this.fields = fields;
        this.slots = slots;
        this.groupKeys = groupKeys;
        this.states = states;
        for (int i = 0; i < fields.size(); i++) {
            callsBySlot.add(new ArrayList<>());
        }
        for (Expr.Call call : query.leaves().keySet()) {
            Integer slot = slots.get(AggregateQuery.fieldOf(call));
            if (slot != null) {
                callsBySlot.get(slot).add(call);
            }
        }
        for (List<Expr.Call> calls : callsBySlot) {
            Leaf[] leaves = new Leaf[calls.size()];
            for (int i = 0; i < leaves.length; i++) {
                Expr.Call call = calls.get(i);
                leaves[i] = new Leaf(call, query.leaves().get(call), AggregateQuery.functionOf(call),
                        query.parameterOf(call));
            }
            leavesBySlot.add(leaves);
        }
    }

    void run(TagCondition condition) {
        try (SeriesScan scan = SeriesScan.open(target, condition, fields, query.readRange(), query.budget(),
                query.evaluator())) {
            if (scan.profile() != null) {
                scan.profile().pushdown("aggregates from chunk stats where a chunk lies wholly in one "
                        + (query.window() == null ? "range" : "bucket"));
                for (int slot = 0; slot < fields.size(); slot++) {
                    String edge = edgeFunction(slot);
                    if (edge != null) {
                        scan.profile().pushdown("early termination: " + edge + "(" + fields.get(slot) + ") reads the "
                                + (edge.equals("last") ? "newest" : "oldest") + " chunk only");
                    }
                }
            }
            Map<SeriesKey, AggregateQuery.GroupState> soloGroups = soloGroups(scan);
            LongAdder foldNanos = new LongAdder();
            scan.forEach(fetch -> {
                FieldInput[] inputs = fetch(fetch);
                AggregateQuery.GroupState solo = soloGroups.get(fetch.key());
                if (inputs == null || solo == null || fetch.isDryRun()) {
                    return inputs;
                }
                // The group's only series: folded (and its rows made) on this fetch thread, in the
                // order the query's thread would have used, while other series are still fetched.
                long started = System.nanoTime();
                fold(solo, inputs);
                query.finishGroup(solo);
                foldNanos.add(System.nanoTime() - started);
                return FOLDED;
            }, (key, inputs) -> {
                if (inputs == FOLDED) {
                    return;
                }
                long started = System.nanoTime();
                AggregateQuery.GroupState state = states.computeIfAbsent(
                        GroupKey.of(target.measurement(), groupKeys, key), group -> query.newGroupState());
                fold(state, inputs);
                foldNanos.add(System.nanoTime() - started);
            });
            if (scan.profile() != null) {
                scan.profile().addFoldNanos(foldNanos.sum());
                scan.profile().groups(states.size());
            }
        }
    }

    /**
     * The states of the groups that hold one series of the scan, by that series' key (identity:
     * the scan hands out its own key objects), created here on the query's thread before any fetch
     * starts, so each is touched by the one fetch thread that folds its series. Groups of several
     * series are folded on the query's thread in series order (a sum in another order could differ
     * in its last digit), so they are not listed.
     */
    private Map<SeriesKey, AggregateQuery.GroupState> soloGroups(SeriesScan scan) {
        Map<GroupKey, Integer> seriesPerGroup = new HashMap<>();
        GroupKey[] groupOf = new GroupKey[scan.seriesCount()];
        for (int i = 0; i < groupOf.length; i++) {
            groupOf[i] = GroupKey.of(target.measurement(), groupKeys, scan.key(i));
            seriesPerGroup.merge(groupOf[i], 1, Integer::sum);
        }
        Map<SeriesKey, AggregateQuery.GroupState> solo = new IdentityHashMap<>();
        for (int i = 0; i < groupOf.length; i++) {
            if (seriesPerGroup.get(groupOf[i]) == 1) {
                solo.put(scan.key(i), states.computeIfAbsent(groupOf[i], group -> query.newGroupState()));
            }
        }
        return solo;
    }

    /**
     * Early termination for GROUP BY time with LIMIT (ascending, fill other than none): a group's
     * first {@code buckets} rows are its first {@code buckets} buckets, from the one holding the
     * range start (or, without one, the group's first point). A first pass finds each series'
     * first point (from chunk metadata; a merged rest is decoded), a second reads only those
     * buckets of each group.
     */
    void runFirstBuckets(TagCondition condition, long buckets) {
        Window window = query.window();
        try (SeriesScan scan = SeriesScan.open(target, condition, fields, query.readRange(), query.budget(),
                query.evaluator())) {
            if (scan.profile() != null) {
                scan.profile().pushdown("aggregates from chunk stats where a chunk lies wholly in one bucket");
                scan.profile().pushdown("early termination: LIMIT reads the first " + buckets + " buckets of each group");
            }
            Map<GroupKey, long[]> groupRanges = new java.util.HashMap<>();
            scan.forEach(StatsPushdown::firstTime, (key, first) -> {
                long[] range = groupRanges.computeIfAbsent(GroupKey.of(target.measurement(), groupKeys, key),
                        group -> new long[] {Long.MAX_VALUE, 0});
                range[0] = Math.min(range[0], first);
            }, true);
            for (long[] range : groupRanges.values()) {
                long start = window.start(query.readRange().hasMin() ? query.readRange().min() : range[0]);
                long end = start;
                for (long b = 0; b < buckets && end != Long.MAX_VALUE; b++) {
                    end = window.next(end);
                }
                range[0] = Math.max(start, query.readRange().min());
                range[1] = end == Long.MAX_VALUE ? query.readRange().max() : Math.min(end - 1, query.readRange().max());
            }
            scan.forEach(fetch -> {
                long[] range = groupRanges.get(GroupKey.of(target.measurement(), groupKeys, fetch.key()));
                return range == null ? null : fetch(fetch, range[0], range[1]);
            }, (key, inputs) -> fold(states.computeIfAbsent(GroupKey.of(target.measurement(), groupKeys, key),
                    group -> query.newGroupState()), inputs));
            if (scan.profile() != null) {
                scan.profile().groups(states.size());
            }
        }
    }

    /**
     * Early termination for GROUP BY time with LIMIT under ORDER BY time DESC (fill other than
     * none): a group's first {@code buckets} rows are its last {@code buckets} buckets, ending with
     * the one holding the range's end. A first pass finds each series' first and last points (from
     * chunk metadata; a merged rest is decoded when it reaches past the chunks); the second reads
     * each group only from the earlier of those buckets' start and its newest point's bucket, so the
     * older chunks (older partitions, files) are never decoded. The newest point keeps a group that
     * has no point in those buckets in the answer (its rows are fill values), and its first point
     * keeps the answer's buckets starting where the whole group's start (without a range start).
     */
    void runLastBuckets(TagCondition condition, long buckets) {
        Window window = query.window();
        TimeRange range = query.readRange();
        try (SeriesScan scan = SeriesScan.open(target, condition, fields, range, query.budget(), query.evaluator())) {
            if (scan.profile() != null) {
                scan.profile().pushdown("aggregates from chunk stats where a chunk lies wholly in one bucket");
                scan.profile().pushdown("early termination: LIMIT under ORDER BY time DESC reads the last " + buckets
                        + " buckets of each group");
            }
            Map<GroupKey, long[]> groupEdges = new java.util.HashMap<>();
            scan.forEach(StatsPushdown::edgeTimes, (key, edges) -> {
                long[] group = groupEdges.computeIfAbsent(GroupKey.of(target.measurement(), groupKeys, key),
                        g -> new long[] {Long.MAX_VALUE, Long.MIN_VALUE});
                group[0] = Math.min(group[0], edges[0]);
                group[1] = Math.max(group[1], edges[1]);
            }, true);
            long start = window.start(range.max());
            for (long b = 1; b < buckets && start != Long.MIN_VALUE; b++) {
                start = window.start(start - 1);
            }
            Map<GroupKey, long[]> groupRanges = new java.util.HashMap<>();
            for (Map.Entry<GroupKey, long[]> group : groupEdges.entrySet()) {
                long from = Math.max(Math.min(start, window.start(group.getValue()[1])), range.min());
                groupRanges.put(group.getKey(), new long[] {from, range.max()});
            }
            scan.forEach(fetch -> {
                long[] read = groupRanges.get(GroupKey.of(target.measurement(), groupKeys, fetch.key()));
                return read == null ? null : fetch(fetch, read[0], read[1]);
            }, (key, inputs) -> {
                GroupKey group = GroupKey.of(target.measurement(), groupKeys, key);
                AggregateQuery.GroupState state = states.computeIfAbsent(group, g -> query.newGroupState());
                state.firstPointTime = Math.min(state.firstPointTime, groupEdges.get(group)[0]);
                fold(state, inputs);
            });
            if (scan.profile() != null) {
                scan.profile().groups(states.size());
            }
        }
    }

    /** The times of the series' first and last points in range over all its fields (metadata, or the merged rest decoded). */
    private static long[] edgeTimes(SeriesScan.Fetch fetch) {
        Long first = firstTime(fetch);
        if (first == null) {
            return null;
        }
        long last = Long.MIN_VALUE;
        for (int slot = 0; slot < fetch.slotCount(); slot++) {
            ColumnChunks chunks = fetch.chunks(slot);
            if (chunks == null) {
                continue;
            }
            long exactLast = chunks.exactChunks().isEmpty() ? Long.MIN_VALUE : chunks.exactChunks().getLast().maxTime();
            last = Math.max(last, exactLast);
            if (chunks.hasRest() && chunks.restMaxTime() > exactLast) {
                // The rest's sources end later, but tombstones may have removed those points: decode to know.
                Column rest = fetch.decodeRest(slot);
                if (rest != null && rest.size() > 0) {
                    last = Math.max(last, rest.timestamp(rest.size() - 1));
                }
            }
        }
        return last == Long.MIN_VALUE ? null : new long[] {first, last};
    }

    /** The time of the series' first point in range over all its fields (metadata, or the merged rest decoded). */
    private static Long firstTime(SeriesScan.Fetch fetch) {
        long first = Long.MAX_VALUE;
        for (int slot = 0; slot < fetch.slotCount(); slot++) {
            ColumnChunks chunks = fetch.chunks(slot);
            if (chunks == null) {
                continue;
            }
            long exactFirst = chunks.exactChunks().isEmpty() ? Long.MAX_VALUE : chunks.exactChunks().getFirst().minTime();
            first = Math.min(first, exactFirst);
            if (chunks.hasRest() && chunks.restMinTime() < exactFirst) {
                // The rest's sources start earlier, but tombstones may have removed those points: decode to know.
                Column rest = fetch.decodeRest(slot);
                if (rest != null && rest.size() > 0) {
                    first = Math.min(first, rest.timestamp(0));
                }
            }
        }
        return first == Long.MAX_VALUE ? null : first;
    }

    /** The points of {@code column} with from <= t <= to; null when none. */
    private static Column slice(Column column, long from, long to) {
        if (column == null) {
            return null;
        }
        int start = Column.lowerBound(column.timestamps(), column.size(), from);
        int end = Column.upperBound(column.timestamps(), column.size(), to);
        if (start >= end) {
            return null;
        }
        if (start == 0 && end == column.size()) {
            return column;
        }
        long[] times = java.util.Arrays.copyOfRange(column.timestamps(), start, end);
        long[] values = column.values() == null ? null : java.util.Arrays.copyOfRange(column.values(), start, end);
        String[] strings = column.strings() == null ? null : java.util.Arrays.copyOfRange(column.strings(), start, end);
        return new Column(column.type(), times, values, strings, end - start);
    }

    /** "last" or "first" when every leaf on the slot is that function and there is no GROUP BY time; else null. */
    private String edgeFunction(int slot) {
        List<Expr.Call> calls = callsBySlot.get(slot);
        if (query.window() != null || calls.isEmpty()) {
            return null;
        }
        String function = AggregateQuery.functionOf(calls.getFirst());
        if (!function.equals("last") && !function.equals("first")) {
            return null;
        }
        for (Expr.Call call : calls) {
            if (!AggregateQuery.functionOf(call).equals(function)) {
                return null;
            }
        }
        return function;
    }

    /** On a fetch thread: which chunks answer from stats, and the decoded rest. */
    private FieldInput[] fetch(SeriesScan.Fetch fetch) {
        return fetch(fetch, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /** The series' fields within [from, to] (both inclusive): chunks outside are skipped, chunks cut by it decoded. */
    private FieldInput[] fetch(SeriesScan.Fetch fetch, long from, long to) {
        FieldInput[] inputs = new FieldInput[fields.size()];
        boolean any = false;
        for (int slot = 0; slot < inputs.length; slot++) {
            ColumnChunks chunks = fetch.chunks(slot);
            if (chunks == null || callsBySlot.get(slot).isEmpty()) {
                continue;
            }
            List<ChunkRef> candidates = chunks.exactChunks();
            String edge = edgeFunction(slot);
            boolean readRest = chunks.hasRest() && chunks.restMaxTime() >= from && chunks.restMinTime() <= to;
            int skipped = 0;
            boolean isRestricted = from != Long.MIN_VALUE || to != Long.MAX_VALUE;
            if (isRestricted) {
                List<ChunkRef> inRange = new ArrayList<>();
                for (ChunkRef chunk : candidates) {
                    if (chunk.maxTime() >= from && chunk.minTime() <= to) {
                        inRange.add(chunk);
                    }
                }
                skipped = candidates.size() - inRange.size();
                candidates = inRange;
            }
            if (edge != null && !candidates.isEmpty()) {
                ChunkRef chosen = edge.equals("last") ? candidates.getLast() : candidates.getFirst();
                skipped = candidates.size() - 1;
                readRest = chunks.hasRest() && (edge.equals("last") ? chunks.restMaxTime() > chosen.maxTime()
                        : chunks.restMinTime() < chosen.minTime());
                candidates = List.of(chosen);
            }
            List<ChunkRef> statsChunks = new ArrayList<>();
            List<ChunkStats> stats = new ArrayList<>();
            Set<ChunkRef> toDecode = Collections.newSetFromMap(new IdentityHashMap<>());
            for (ChunkRef chunk : candidates) {
                if (isAnswerable(slot, chunk) && chunk.minTime() >= from && chunk.maxTime() <= to) {
                    statsChunks.add(chunk);
                    stats.add(chunk.stats());
                } else {
                    toDecode.add(chunk);
                }
            }
            fetch.answeredFromStats(statsChunks.size());
            fetch.skipped(skipped);
            List<Block> blocks = new ArrayList<>(32);
            Column blockPoints = null;
            if (edge == null && !fetch.isDryRun() && answersFromFloatBlocks(slot, chunks.type())) {
                // Chunks spanning several buckets and chunks the range cuts: whole hours from the
                // block table, the other hours decoded alone.
                List<ChunkRef> byBlocks = new ArrayList<>(toDecode);
                toDecode.clear();
                if (readRest && chunks.isRestClippedOnly()) {
                    readRest = false;
                    byBlocks.addAll(chunks.clippedChunks());
                }
                long lo = Math.max(from, query.readRange().min());
                long hi = Math.min(to, query.readRange().max());
                Extremes extremes = extremesOnly(slot);
                for (ChunkRef chunk : byBlocks) {
                    blockPoints = DisjointColumns.union(blockPoints, foldBlocks(fetch, chunk, lo, hi, blocks, extremes));
                }
            }
            Column decoded = null;
            if (!toDecode.isEmpty() || readRest) {
                if (edge != null || !readRest || isRestricted) {
                    decoded = decodeChosen(fetch, slot, toDecode, readRest);
                } else {
                    decoded = fetch.decodeExcept(slot, chunk -> !toDecode.contains(chunk));
                }
                if (isRestricted) {
                    decoded = slice(decoded, from, to);
                }
            }
            decoded = DisjointColumns.union(decoded, blockPoints);
            inputs[slot] = new FieldInput(statsChunks, stats, blocks, decoded);
            any = true;
        }
        return any ? inputs : null;
    }

    /** True when the field is FLOAT and every leaf on it folds an hour block of a float chunk. */
    private boolean answersFromFloatBlocks(int slot, FieldType type) {
        if (type != FieldType.FLOAT) {
            return false;
        }
        for (Expr.Call call : callsBySlot.get(slot)) {
            if (!StatsFold.supportsFloatBlock(AggregateQuery.functionOf(call))) {
                return false;
            }
        }
        return true;
    }

    /** Which of max and min the leaves on a field ask for, when they ask for nothing else (else null). */
    private record Extremes(boolean max, boolean min) {}

    private Extremes extremesOnly(int slot) {
        boolean max = false;
        boolean min = false;
        for (Expr.Call call : callsBySlot.get(slot)) {
            switch (AggregateQuery.functionOf(call)) {
                case "max" -> max = true;
                case "min" -> min = true;
                default -> {
                    return null;
                }
            }
        }
        return max || min ? new Extremes(max, min) : null;
    }

    /**
     * Adds to {@code blocks} the hour blocks of {@code chunk} that lie in [lo, hi] and in one
     * bucket, and returns the chunk's other points in [lo, hi], decoded run by run of adjacent
     * blocks (null when none). A chunk without a block table is decoded over [lo, hi].
     * {@code extremes}: the field is read only by max and min, so a block the range start cuts may
     * be answered by its table entry ({@link #extremesAfterCut}).
     */
    private Column foldBlocks(SeriesScan.Fetch fetch, ChunkRef chunk, long lo, long hi, List<Block> blocks,
            Extremes extremes) {
        FloatBlocks table = chunk.floatBlocks();
        if (table == null) {
            return fetch.decode(chunk, lo, hi);
        }
        Window window = query.window();
        Column out = null;
        int wholeBlocks = 0;
        long runMin = Long.MAX_VALUE;
        long runMax = Long.MIN_VALUE;
        for (int b = 0; b < table.blockCount(); b++) {
            long minTime = table.minTimes()[b];
            long maxTime = table.maxTimes()[b];
            if (maxTime < lo || minTime > hi) {
                continue;
            }
            boolean isWhole = minTime >= lo && maxTime <= hi
                    && (window == null || window.start(minTime) == window.start(maxTime));
            if (!isWhole && extremes != null && minTime < lo && maxTime <= hi && lo <= maxTime
                    && (window == null || window.start(minTime) == window.start(maxTime))
                    && extremesAfterCut(fetch, chunk, table, b, lo, extremes, blocks)) {
                continue;
            }
            if (isWhole) {
                if (runMin != Long.MAX_VALUE) {
                    out = DisjointColumns.union(out, fetch.decode(chunk, Math.max(lo, runMin), Math.min(hi, runMax)));
                    runMin = Long.MAX_VALUE;
                }
                wholeBlocks++;
                blocks.add(new Block(table.count(b), minTime, table.sums()[b],
                        Double.longBitsToDouble(table.mins()[b]), Double.longBitsToDouble(table.maxes()[b]),
                        Double.longBitsToDouble(table.firsts()[b])));
            } else {
                runMin = Math.min(runMin, minTime);
                runMax = maxTime;
            }
        }
        if (runMin != Long.MAX_VALUE) {
            out = DisjointColumns.union(out, fetch.decode(chunk, Math.max(lo, runMin), Math.min(hi, runMax)));
        }
        fetch.hoursFromTable(wholeBlocks);
        return out;
    }

    /**
     * A block of one bucket that the range start {@code lo} cuts, read only by max and min: when
     * the points cut off (the block's head, a few decoded values) hold neither the block's max nor
     * its min, both lie in the part in range, so the table entry answers it — stamped at {@code lo},
     * as a chunk's first time stands in for the time of its max. Adds that entry and returns true,
     * or returns false when the part in range must be decoded. Zero is left to the decoder, whose
     * comparisons do not tell -0.0 from 0.0.
     */
    private static boolean extremesAfterCut(SeriesScan.Fetch fetch, ChunkRef chunk, FloatBlocks table, int block,
            long lo, Extremes extremes, List<Block> blocks) {
        double max = Double.longBitsToDouble(table.maxes()[block]);
        double min = Double.longBitsToDouble(table.mins()[block]);
        if (extremes.max() && max == 0 || extremes.min() && min == 0) {
            return false;
        }
        Column head = fetch.decode(chunk, table.minTimes()[block], lo - 1);
        if (head == null || head.size() == 0) {
            return false;
        }
        double headMax = Double.NEGATIVE_INFINITY;
        double headMin = Double.POSITIVE_INFINITY;
        for (int i = 0; i < head.size(); i++) {
            double value = head.doubleValue(i);
            headMax = Math.max(headMax, value);
            headMin = Math.min(headMin, value);
        }
        if (extremes.max() && !(headMax < max) || extremes.min() && !(headMin > min)) {
            return false;
        }
        blocks.add(new Block(table.count(block) - head.size(), lo, Double.NaN, min, max, Double.NaN));
        fetch.hoursFromTable(1);
        return true;
    }

    /** The chosen exact chunks decoded one by one, plus the rest when asked; null when nothing. */
    private static Column decodeChosen(SeriesScan.Fetch fetch, int slot, Set<ChunkRef> chosen, boolean withRest) {
        Column out = withRest ? fetch.decodeRest(slot) : null;
        for (ChunkRef chunk : chosen) {
            out = DisjointColumns.union(out, fetch.decode(chunk));
        }
        return out;
    }

    /** Stats answer a chunk when it lies in one bucket and every leaf on its field folds stats of its type. */
    private boolean isAnswerable(int slot, ChunkRef chunk) {
        Window window = query.window();
        if (window != null && window.start(chunk.minTime()) != window.start(chunk.maxTime())) {
            return false;
        }
        for (Expr.Call call : callsBySlot.get(slot)) {
            if (!foldsType(AggregateQuery.functionOf(call), chunk.type())) {
                return false;
            }
        }
        return true;
    }

    private static boolean foldsType(String function, FieldType type) {
        return switch (type) {
            case FLOAT, INTEGER, UNSIGNED -> true;
            case BOOLEAN -> function.equals("count") || function.equals("first") || function.equals("last");
            case STRING -> function.equals("count");
        };
    }

    /** On the query's thread: stats into their buckets, decoded points by bucket runs. */
    private void fold(AggregateQuery.GroupState state, FieldInput[] inputs) {
        for (int slot = 0; slot < inputs.length; slot++) {
            FieldInput input = inputs[slot];
            if (input == null) {
                continue;
            }
            FieldType type = target.fields().get(fields.get(slot));
            for (Leaf leaf : leavesBySlot.get(slot)) {
                if (!input.statsChunks().isEmpty() || !input.blocks().isEmpty()
                        || input.decoded() != null && input.decoded().size() > 0) {
                    AggregateQuery.requireAccepts(leaf.call(), type, target.measurement());
                }
                for (Block block : input.blocks()) {
                    query.addFloatBlock(state, leaf.index(), leaf.function(), leaf.parameter(), block.count(),
                            block.minTime(), block.sum(), block.min(), block.max(), block.first());
                }
                for (int i = 0; i < input.statsChunks().size(); i++) {
                    query.addStats(state, leaf.index(), leaf.function(), leaf.parameter(), type,
                            input.statsChunks().get(i), input.stats().get(i));
                }
                query.addColumn(state, leaf.index(), leaf.function(), leaf.parameter(), type, input.decoded());
            }
        }
    }
}
