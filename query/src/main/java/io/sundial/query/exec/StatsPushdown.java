package io.sundial.query.exec;

import io.sundial.core.FieldType;
import io.sundial.query.plan.TagCondition;
import io.sundial.query.plan.Window;
import io.sundial.query.sundialql.Expr;
import io.sundial.storage.ChunkRef;
import io.sundial.storage.Column;
import io.sundial.storage.ColumnChunks;
import io.sundial.storage.segment.ChunkStats;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Aggregation pushdown for {@link AggregateQuery}: a chunk with exact stats that lies wholly in
 * one bucket is folded into that bucket from its stats (count, sum, mean, min, max, first, last,
 * spread) without decoding; every other chunk, and the points merged from overlapping sources and
 * memtables, is decoded and added as usual. Without GROUP BY time, a field read only by last()
 * (or only by first()) needs just its newest (oldest) chunk, plus the merged rest when that could
 * hold a later (earlier) point: the others are skipped.
 *
 * <p>Chunks are classified, stats read and the rest decoded on the fetch threads; states are
 * updated on the query's thread in series order, so answers do not depend on the thread count.
 */
final class StatsPushdown {
    /** One field of one series, as the fetch thread prepared it. */
    private record FieldInput(List<ChunkRef> statsChunks, List<ChunkStats> stats, Column decoded) {}

    private final AggregateQuery query;
    private final Target target;
    private final List<String> fields;
    private final Map<String, Integer> slots;
    private final List<String> groupKeys;
    private final Map<GroupKey, AggregateQuery.GroupState> states;
    /** Per slot: the leaves that read it. */
    private final List<List<Expr.Call>> callsBySlot = new ArrayList<>();

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
            long[] foldNanos = new long[1];
            scan.forEach(this::fetch, (key, inputs) -> {
                long started = System.nanoTime();
                AggregateQuery.GroupState state = states.computeIfAbsent(
                        GroupKey.of(target.measurement(), groupKeys, key), group -> query.newGroupState());
                fold(state, inputs);
                foldNanos[0] += System.nanoTime() - started;
            });
            if (scan.profile() != null) {
                scan.profile().addFoldNanos(foldNanos[0]);
                scan.profile().groups(states.size());
            }
        }
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
        FieldInput[] inputs = new FieldInput[fields.size()];
        boolean any = false;
        for (int slot = 0; slot < inputs.length; slot++) {
            ColumnChunks chunks = fetch.chunks(slot);
            if (chunks == null || callsBySlot.get(slot).isEmpty()) {
                continue;
            }
            List<ChunkRef> candidates = chunks.exactChunks();
            String edge = edgeFunction(slot);
            boolean readRest = chunks.hasRest();
            int skipped = 0;
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
                if (isAnswerable(slot, chunk)) {
                    statsChunks.add(chunk);
                    stats.add(chunk.stats());
                } else {
                    toDecode.add(chunk);
                }
            }
            fetch.answeredFromStats(statsChunks.size());
            fetch.skipped(skipped);
            Column decoded = null;
            if (!toDecode.isEmpty() || readRest) {
                if (edge != null || !readRest) {
                    decoded = decodeChosen(fetch, slot, toDecode, readRest);
                } else {
                    decoded = fetch.decodeExcept(slot, chunk -> !toDecode.contains(chunk));
                }
            }
            inputs[slot] = new FieldInput(statsChunks, stats, decoded);
            any = true;
        }
        return any ? inputs : null;
    }

    /** The chosen exact chunks decoded one by one, plus the rest when asked; null when nothing. */
    private static Column decodeChosen(SeriesScan.Fetch fetch, int slot, Set<ChunkRef> chosen, boolean withRest) {
        Column out = withRest ? fetch.decodeRest(slot) : null;
        for (ChunkRef chunk : chosen) {
            out = union(out, fetch.decode(chunk));
        }
        return out;
    }

    /** Two columns of one field with no common timestamp, in time order. */
    private static Column union(Column a, Column b) {
        if (a == null || a.size() == 0) {
            return b;
        }
        if (b == null || b.size() == 0) {
            return a;
        }
        int n = a.size() + b.size();
        long[] times = new long[n];
        long[] values = a.values() == null ? null : new long[n];
        String[] strings = a.strings() == null ? null : new String[n];
        int i = 0;
        int j = 0;
        for (int k = 0; k < n; k++) {
            boolean takeA = j >= b.size() || i < a.size() && a.timestamp(i) < b.timestamp(j);
            Column source = takeA ? a : b;
            int index = takeA ? i++ : j++;
            times[k] = source.timestamp(index);
            if (values != null) {
                values[k] = source.values()[index];
            } else {
                strings[k] = source.strings()[index];
            }
        }
        return new Column(a.type(), times, values, strings, n);
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
            for (Expr.Call call : callsBySlot.get(slot)) {
                if (!input.statsChunks().isEmpty() || input.decoded() != null && input.decoded().size() > 0) {
                    AggregateQuery.requireAccepts(call, type, target.measurement());
                }
                for (int i = 0; i < input.statsChunks().size(); i++) {
                    query.addStats(state, call, type, input.statsChunks().get(i), input.stats().get(i));
                }
                query.addColumn(state, call, type, input.decoded());
            }
        }
    }
}
