package io.sundial.query.exec;

import io.sundial.core.FieldType;
import io.sundial.core.SeriesKey;
import io.sundial.query.QueryException;
import io.sundial.query.check.FunctionKind;
import io.sundial.query.check.SemanticCheck;
import io.sundial.query.function.Aggregate;
import io.sundial.query.function.Aggregates;
import io.sundial.query.function.CoMoment;
import io.sundial.query.function.HoltWinters;
import io.sundial.query.function.RunFold;
import io.sundial.query.function.StatsFold;
import io.sundial.query.function.MathFunctions;
import io.sundial.query.function.MovingWindows;
import io.sundial.query.function.PointList;
import io.sundial.query.function.TechnicalAnalysis;
import io.sundial.query.function.Transforms;
import io.sundial.query.function.Values;
import io.sundial.query.function.WindowedIntegral;
import io.sundial.query.plan.SelectPlan;
import io.sundial.query.plan.TagCondition;
import io.sundial.query.plan.TimeRange;
import io.sundial.query.plan.Window;
import io.sundial.query.result.ColumnarRows;
import io.sundial.query.result.ResultColumn;
import io.sundial.query.sundialql.Clauses;
import io.sundial.query.sundialql.Expr;
import io.sundial.storage.ChunkRef;
import io.sundial.storage.Column;
import io.sundial.storage.segment.ChunkStats;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntFunction;

/**
 * The aggregate path of a SELECT over one measurement: every series' columns are cut into runs
 * of points of one bucket, each run is added to the bucket's aggregate state in one call (a loop
 * over primitive arrays), then each group's buckets are filled, transformed and combined into
 * rows. Fields of the answer are computed as point lists and joined on time, which is how
 * InfluxDB joins its per-call iterators.
 */
final class AggregateQuery {
    /** Most buckets one group may span; InfluxDB's max-select-buckets guards the same thing. */
    static final long BUCKETS_MAX = 1_000_000;
    private static final long UNBUCKETED = Long.MIN_VALUE;
    /** The result of a bucket without a state; never added to. */
    private static final PointList NO_POINTS = new PointList(1);

    private final SelectPlan plan;
    private final List<OutputField> fields;
    private final Budget budget;
    private final Evaluator evaluator;
    private final Window window;
    /** One selector is the only column (after * is expanded): rows carry the selected point's time. */
    private final boolean reportsSelectedTime;
    /** Aggregate calls by meaning: equal calls (mean(x) twice) share one state. */
    private final Map<Expr.Call, Integer> leaves = new LinkedHashMap<>();
    /** Fields whose raw points a transformation reads (derivative(x) without GROUP BY time). */
    private final Map<String, Integer> rawInputs = new LinkedHashMap<>();
    /**
     * Positions in {@link #fields} of plain fields and tags beside a single selector
     * ({@code SELECT max(x), host}): their values come from the row of the selected point.
     */
    private final List<Integer> auxFields = new ArrayList<>();
    /** Field types of the measurement being run. */
    private Map<String, FieldType> fieldTypes = Map.of();
    /** How every group lays out its buckets (null: in a sorted map). */
    private final BucketStates.Layout bucketLayout;
    /**
     * The bucket starts of every group when the range has a start; made by the first group's rows.
     * Volatile: fetch threads make the rows of one-series groups ({@link #finishGroup}); two of
     * them may both make the list, equal either way.
     */
    private volatile long[] rangeBuckets;
    /** Every field is an aggregate call (no literal, expression or aux field), so rows need no evaluator. */
    private final boolean isLeavesOnly;

    AggregateQuery(SelectPlan plan, List<OutputField> fields, Budget budget, Evaluator evaluator) {
        this.plan = plan;
        this.fields = fields;
        this.budget = budget;
        this.evaluator = evaluator;
        this.window = plan.window();
        this.bucketLayout = BucketStates.Layout.of(window, plan.readRange());
        for (int i = 0; i < fields.size(); i++) {
            Expr expression = fields.get(i).expression();
            if (SemanticCheck.containsAggregate(expression)) {
                collectLeaves(expression);
            } else {
                auxFields.add(i);
            }
        }
        this.reportsSelectedTime = plan.reportsSelectedTime() && leaves.size() == 1;
        boolean allLeaves = auxFields.isEmpty() && rawInputs.isEmpty();
        for (OutputField field : fields) {
            allLeaves &= field.expression() instanceof Expr.Call call && leaves.containsKey(call);
        }
        this.isLeavesOnly = allLeaves;
    }

    private void collectLeaves(Expr expr) {
        switch (expr) {
            case Expr.Call call when FunctionKind.of(call.name()).isAggregate() -> {
                leaves.putIfAbsent(call, leaves.size());
                if (isWindowedIntegral(call)) {
                    rawInputs.putIfAbsent(leafField(call), rawInputs.size());
                }
            }
            case Expr.Call call when FunctionKind.of(call.name()) == FunctionKind.TRANSFORMATION
                    && call.arguments().getFirst() instanceof Expr.VarRef reference ->
                    rawInputs.putIfAbsent(reference.name(), rawInputs.size());
            case Expr.Call call -> call.arguments().forEach(this::collectLeaves);
            case Expr.Binary binary -> {
                collectLeaves(binary.left());
                collectLeaves(binary.right());
            }
            case Expr.Unary unary -> collectLeaves(unary.operand());
            default -> { }
        }
    }

    /** integral() under GROUP BY time spans buckets (it interpolates at their edges), so it reads raw points. */
    private boolean isWindowedIntegral(Expr.Call call) {
        return window != null && call.name().equals("integral");
    }

    /** The field an aggregate call reads (count(distinct(x)) reads x). */
    private static String leafField(Expr.Call call) {
        Expr argument = call.arguments().getFirst();
        if (argument instanceof Expr.Call inner) {
            argument = inner.arguments().getFirst();
        }
        return ((Expr.VarRef) argument).name();
    }

    private static String leafFunction(Expr.Call call) {
        return call.arguments().getFirst() instanceof Expr.Call ? "count_distinct" : call.name();
    }

    private static double leafParameter(Expr.Call call) {
        return numericArgument(call, 1, 0);
    }

    /** The numeric or duration (in nanoseconds) argument at {@code index}, or {@code otherwise} when absent. */
    private static double numericArgument(Expr.Call call, int index, double otherwise) {
        if (call.arguments().size() <= index || MovingWindows.isMoving(call.name())) {
            return otherwise;
        }
        return switch (call.arguments().get(index)) {
            case Expr.IntegerLiteral integer -> integer.value();
            case Expr.FloatLiteral number -> number.value();
            case Expr.DurationLiteral duration -> duration.nanos();
            default -> otherwise;
        };
    }

    /** The second field of a two-field aggregate (corr(x, y) reads y), or null. */
    private static String pairField(Expr.Call call) {
        return Aggregates.PAIR_NAMES.contains(call.name()) ? ((Expr.VarRef) call.arguments().get(1)).name() : null;
    }

    /** How far before the range moving windows reach: their longest window less one step. */
    private long movingLookbackNanos() {
        long lookback = 0;
        for (Expr.Call call : leaves.keySet()) {
            if (MovingWindows.isMoving(call.name())) {
                long span = ((Expr.DurationLiteral) call.arguments().get(1)).nanos();
                lookback = Math.max(lookback, span - window.intervalNanos());
            }
        }
        return lookback;
    }

    /** Per group: the bucket states of each aggregate call and the raw points of each transformed field. */
    final class GroupState {
        final List<BucketStates> buckets = new ArrayList<>();
        final List<PointList> raw = new ArrayList<>();
        /** Values of the aux fields at the selected point, by bucket. */
        final Map<Long, Object[]> aux = new HashMap<>();
        boolean hasPoints;
        /** The group's rows, made by {@link #finishGroup} once its only series was folded; else null. */
        List<List<Object>> rows;
        /**
         * The group's first point in range when a read skipped the older part of the group
         * ({@link StatsPushdown#runLastBuckets}): without a range start, the buckets start here.
         */
        long firstPointTime = Long.MAX_VALUE;

        GroupState() {
            for (int i = 0; i < leaves.size(); i++) {
                buckets.add(new BucketStates(bucketLayout));
            }
            for (int i = 0; i < rawInputs.size(); i++) {
                raw.add(new PointList());
            }
        }
    }

    void run(Target target, Map<GroupKey, List<List<Object>>> groups) {
        fieldTypes = target.fields();
        TagCondition condition = plan.residual().map(where -> TagCondition.of(where, target::isField))
                .orElse(new TagCondition(List.of(), null, null));
        LinkedHashSet<String> needed = new LinkedHashSet<>();
        for (Expr.Call call : leaves.keySet()) {
            String second = pairField(call);
            if (target.fields().containsKey(leafField(call)) && (second == null || target.fields().containsKey(second))) {
                needed.add(leafField(call));
                if (second != null) {
                    needed.add(second);
                }
            }
        }
        for (String field : rawInputs.keySet()) {
            if (target.fields().containsKey(field)) {
                needed.add(field);
            }
        }
        if (needed.isEmpty()) {
            return;
        }
        int inputCount = needed.size();
        for (int index : auxFields) {
            SelectExecutor.collectFields(fields.get(index).expression(), target, needed);
        }
        if (condition.rowFilter() != null) {
            SelectExecutor.collectFields(condition.rowFilter(), target, needed);
        }
        List<String> neededList = new ArrayList<>(needed);
        Map<String, Integer> slots = new HashMap<>();
        for (int i = 0; i < neededList.size(); i++) {
            slots.put(neededList.get(i), i);
        }
        List<String> groupKeys = target.groupKeys(plan.groupTags(), plan.groupAllTags(), plan.groupTagPatterns());
        Map<GroupKey, GroupState> states = new TreeMap<>();
        TimeRange scanRange = plan.readRange();
        long lookback = window == null ? 0 : movingLookbackNanos();
        if (lookback > 0 && scanRange.hasMin()) {
            scanRange = new TimeRange(Math.max(Long.MIN_VALUE + 1, scanRange.min() - lookback), scanRange.max());
        }
        // Chunk statistics answer only plain reads: a subquery has no chunks, a moving window reads before the range.
        boolean pushdown = target.subquery() == null && lookback == 0 && canPushDown(condition);
        if (pushdown && firstBucketsLimit() > 0) {
            new StatsPushdown(this, target, neededList, slots, groupKeys, states).runFirstBuckets(condition,
                    firstBucketsLimit());
        } else if (pushdown && lastBucketsLimit() > 0) {
            new StatsPushdown(this, target, neededList, slots, groupKeys, states).runLastBuckets(condition,
                    lastBucketsLimit());
        } else if (pushdown) {
            new StatsPushdown(this, target, neededList, slots, groupKeys, states).run(condition);
        } else {
            SeriesScan.run(target, condition, neededList, scanRange, budget, evaluator, (key, columns) -> {
                Column[] inputs = condition.rowFilter() == null ? columns
                        : filterRows(target, key, columns, slots, condition.rowFilter(), inputCount);
                GroupState state = states.computeIfAbsent(GroupKey.of(target.measurement(), groupKeys, key),
                        group -> new GroupState());
                AuxCapture capture = auxFields.isEmpty() ? null : new AuxCapture(state, target, key, columns, slots);
                feed(state, target, key, inputs, slots, capture);
            });
        }
        if (budget.isDryRun()) {
            return;
        }
        for (Map.Entry<GroupKey, GroupState> entry : states.entrySet()) {
            if (entry.getValue().hasPoints) {
                budget.check();
                List<List<Object>> made = entry.getValue().rows;
                groups.put(entry.getKey(), made != null ? made : rows(entry.getValue()));
            }
        }
    }

    /** InfluxDB's iterator error when an aggregate meets points of a type it does not take. */
    static void requireAccepts(Expr.Call call, FieldType type, String measurement) {
        if (!Aggregates.accepts(leafFunction(call), type)) {
            throw new QueryException("unsupported " + call.name() + " iterator type: " + type.displayName()
                    + " field '" + leafField(call) + "' of measurement '" + measurement + "'");
        }
    }

    /**
     * Aggregates that chunk stats can answer: count, sum, mean, min, max, first, last and spread
     * over plain fields, with no per-row field condition (its rows are only known after decoding),
     * no fields or tags beside a selector and no transformation of raw points; min and max not as
     * the only selector without GROUP BY time, whose row reports the selected point's time, which
     * stats do not keep.
     */
    private boolean canPushDown(TagCondition condition) {
        if (condition.rowFilter() != null || !auxFields.isEmpty() || !rawInputs.isEmpty()) {
            return false;
        }
        for (Expr.Call call : leaves.keySet()) {
            String function = leafFunction(call);
            if (!StatsFold.supports(function)) {
                return false;
            }
            if (window == null && reportsSelectedTime && (function.equals("min") || function.equals("max"))) {
                return false;
            }
        }
        return true;
    }

    /**
     * OFFSET + LIMIT when only the first buckets of each group can reach the answer: GROUP BY
     * time, ascending, one row per bucket (every pushdown aggregate gives one) and a fill that
     * emits every bucket and looks at no other (null or a number); else 0.
     */
    private long firstBucketsLimit() {
        return edgeBucketsLimit(false);
    }

    /**
     * OFFSET + LIMIT when only the last buckets of each group can reach the answer: as
     * {@link #firstBucketsLimit} under ORDER BY time DESC, with a range end (the buckets end at
     * its bucket); else 0.
     */
    private long lastBucketsLimit() {
        return edgeBucketsLimit(true);
    }

    private long edgeBucketsLimit(boolean isLast) {
        long limit = plan.pagination().limit().orElse(0);
        if (window == null || limit <= 0 || plan.isDescending() != isLast || isLast && !plan.readRange().hasMax()
                || plan.fill() != Clauses.FillMode.NULL && plan.fill() != Clauses.FillMode.VALUE) {
            return 0;
        }
        for (OutputField field : fields) {
            if (containsTransformation(field.expression())) {
                return 0;
            }
        }
        return limit + plan.pagination().offset().orElse(0);
    }

    private static boolean containsTransformation(Expr expr) {
        return switch (expr) {
            case Expr.Call call -> FunctionKind.of(call.name()) == FunctionKind.TRANSFORMATION
                    || call.arguments().stream().anyMatch(AggregateQuery::containsTransformation);
            case Expr.Binary binary -> containsTransformation(binary.left()) || containsTransformation(binary.right());
            case Expr.Unary unary -> containsTransformation(unary.operand());
            default -> false;
        };
    }

    Window window() {
        return window;
    }

    Budget budget() {
        return budget;
    }

    Evaluator evaluator() {
        return evaluator;
    }

    TimeRange readRange() {
        return plan.readRange();
    }

    /** The aggregate calls, with their state index, the field each reads and its function name. */
    Map<Expr.Call, Integer> leaves() {
        return leaves;
    }

    static String fieldOf(Expr.Call call) {
        return leafField(call);
    }

    static String functionOf(Expr.Call call) {
        return leafFunction(call);
    }

    double parameterOf(Expr.Call call) {
        return leafParameter(call);
    }

    GroupState newGroupState() {
        return new GroupState();
    }

    /**
     * Makes the rows of a group whose states are final (its only series folded) where they are
     * folded, on a fetch thread, when that needs nothing shared but the bucket list: every field an
     * aggregate call, and the buckets those of the range. Otherwise the query's thread makes them.
     */
    void finishGroup(GroupState state) {
        if (state.hasPoints && isLeavesOnly && window != null && plan.readRange().hasMin()) {
            state.rows = rows(state);
        }
    }

    /** The bucket a point at {@code time} falls in. */
    long bucketOf(long time) {
        return window == null ? UNBUCKETED : window.start(time);
    }

    /** Adds a run of decoded points of leaf {@code leaf} (its state index) to a group's buckets. */
    void addColumn(GroupState state, int leaf, String function, double parameter, FieldType type, Column column) {
        if (column == null || column.size() == 0) {
            return;
        }
        state.hasPoints = true;
        if (isFloatExtreme(function, type, column)) {
            boolean isMin = function.equals("min");
            FloatExtremeFold.fold(state.buckets.get(leaf), window, column, isMin, () -> Aggregates.extreme(type, isMin));
            return;
        }
        addByBucket(state.buckets.get(leaf), column, () -> Aggregates.create(function, type, parameter),
                (aggregate, from, to) -> addRun(aggregate, column, from, to));
    }

    /** max or min of a FLOAT field under GROUP BY time: folded by {@link FloatExtremeFold}'s bucket walk. */
    private boolean isFloatExtreme(String function, FieldType type, Column column) {
        return window != null && type == FieldType.FLOAT && column.type() == FieldType.FLOAT
                && (function.equals("max") || function.equals("min"));
    }

    /** Folds one chunk's stats into the bucket of a group's leaf {@code leaf}. */
    void addStats(GroupState state, int leaf, String function, double parameter, FieldType type, ChunkRef chunk,
            ChunkStats stats) {
        state.hasPoints = true;
        Aggregate aggregate = state.buckets.get(leaf).computeIfAbsent(bucketOf(chunk.minTime()),
                () -> Aggregates.create(function, type, parameter));
        if (!StatsFold.fold(aggregate, type, chunk.count(), chunk.minTime(), chunk.maxTime(), stats)) {
            throw new IllegalStateException("stats of a " + type + " chunk cannot answer " + function);
        }
    }

    /** Folds one hour block of a float chunk (a range of its points from the block table) into its bucket. */
    void addFloatBlock(GroupState state, int leaf, String function, double parameter, int count, long minTime,
            double sum, double min, double max, double first) {
        state.hasPoints = true;
        BucketStates buckets = state.buckets.get(leaf);
        long bucket = bucketOf(minTime);
        Aggregate aggregate = buckets.get(bucket);
        if (aggregate == null) {
            aggregate = buckets.computeIfAbsent(bucket, () -> Aggregates.create(function, FieldType.FLOAT, parameter));
        }
        if (!StatsFold.foldFloatBlock(aggregate, count, minTime, sum, min, max, first)) {
            throw new IllegalStateException("an hour block of a float chunk cannot answer " + function);
        }
    }

    /** Keeps the points of rows where the field condition holds; a condition on a missing field is false. */
    private Column[] filterRows(Target target, SeriesKey key, Column[] columns, Map<String, Integer> slots, Expr filter,
            int inputCount) {
        Timeline timeline = Timeline.of(columns);
        SelectExecutor.RowBindings bindings = new SelectExecutor.RowBindings(target, key, columns, timeline, slots);
        boolean[] keep = new boolean[timeline.size];
        for (int row = 0; row < timeline.size; row++) {
            bindings.row = row;
            keep[row] = evaluator.isTrue(filter, bindings);
        }
        Column[] out = new Column[columns.length];
        for (int c = 0; c < inputCount; c++) {
            if (columns[c] != null) {
                out[c] = Timeline.filter(columns[c], timeline.indexes[c], keep, timeline.size);
            }
        }
        return out;
    }

    private void feed(GroupState state, Target target, SeriesKey key, Column[] columns, Map<String, Integer> slots,
            AuxCapture capture) {
        for (Map.Entry<Expr.Call, Integer> leaf : leaves.entrySet()) {
            Integer slot = slots.get(leafField(leaf.getKey()));
            Column column = slot == null ? null : columns[slot];
            if (column == null || column.size() == 0) {
                continue;
            }
            String second = pairField(leaf.getKey());
            if (second != null) {
                Integer secondSlot = slots.get(second);
                if (secondSlot == null || columns[secondSlot] == null) {
                    continue;
                }
                Column[] pairs = CoMoment.align(leaf.getKey().name(), column, columns[secondSlot]);
                if (pairs[0].size() == 0) {
                    continue;
                }
                state.hasPoints = true;
                BucketStates buckets = state.buckets.get(leaf.getValue());
                String name = leaf.getKey().name();
                addByBucket(buckets, pairs[0], () -> Aggregates.create(name, FieldType.FLOAT, 0),
                        (aggregate, from, to) -> ((CoMoment) aggregate).addPairs(pairs[0], pairs[1], from, to));
                continue;
            }
            state.hasPoints = true;
            if (isWindowedIntegral(leaf.getKey())) {
                continue;
            }
            String function = leafFunction(leaf.getKey());
            FieldType type = target.fields().get(leafField(leaf.getKey()));
            if (!Aggregates.accepts(function, type)) {
                throw new QueryException("unsupported " + leaf.getKey().name() + " iterator type: " + type.displayName()
                        + " field '" + leafField(leaf.getKey()) + "' of measurement '" + target.measurement() + "'");
            }
            double parameter = leafParameter(leaf.getKey());
            double secondParameter = numericArgument(leaf.getKey(), 2, Double.NaN);
            BucketStates buckets = state.buckets.get(leaf.getValue());
            java.util.function.Supplier<Aggregate> create = isTaggedRanked(leaf.getKey())
                    ? () -> Aggregates.ranked(function, type, rankedCount(leaf.getKey()), rankedTags(leaf.getKey()))
                    : () -> Aggregates.create(function, type, parameter, secondParameter);
            if (capture != null && create.get().keepsRows()) {
                // The selector keeps several points (top, sample) or the point at a rank (percentile):
                // each point carries its row, so the fields beside it come from that row.
                addByBucket(buckets, column, create,
                        (aggregate, from, to) -> aggregate.add(key, column, from, to, capture.rowsOf(column, from, to)));
            } else if (capture == null && isFloatExtreme(function, type, column) && !isTaggedRanked(leaf.getKey())) {
                FloatExtremeFold.fold(buckets, window, column, function.equals("min"), create);
            } else if (capture == null) {
                addByBucket(buckets, column, create, (aggregate, from, to) -> {
                    if (!RunFold.add(aggregate, column, from, to)) {
                        aggregate.add(key, column, from, to);
                    }
                });
            } else {
                addByBucket(buckets, column, create, (aggregate, from, to) -> {
                    PointList before = aggregate.result();
                    aggregate.add(key, column, from, to);
                    capture.recordIfChanged(window == null ? UNBUCKETED : window.start(column.timestamp(from)), before,
                            aggregate.result());
                });
            }
        }
        for (Map.Entry<String, Integer> input : rawInputs.entrySet()) {
            Integer slot = slots.get(input.getKey());
            Column column = slot == null ? null : columns[slot];
            if (column == null) {
                continue;
            }
            PointList points = state.raw.get(input.getValue());
            // Points read only for a moving window's look-back stay out of raw inputs (integral).
            long from = plan.readRange().hasMin() ? plan.readRange().min() : Long.MIN_VALUE;
            for (int i = 0; i < column.size(); i++) {
                if (column.timestamp(i) >= from) {
                    points.add(column.timestamp(i), column.value(i));
                    state.hasPoints = true;
                }
            }
        }
    }

    /** Adds a run of points of one series, through the fast min/max fold where it applies. */
    private static void addRun(Aggregate aggregate, Column column, int from, int to) {
        if (!RunFold.add(aggregate, column, from, to)) {
            aggregate.add(column, from, to);
        }
    }

    /** Adds points [from, to) of the column being fed to one bucket's state. */
    private interface BucketAdder {
        void add(Aggregate aggregate, int from, int to);
    }

    /** Adds each run of points that share a bucket with one call; {@code column} gives the timestamps. */
    private void addByBucket(BucketStates buckets, Column column, java.util.function.Supplier<Aggregate> create,
            BucketAdder adder) {
        long[] times = column.timestamps();
        int size = column.size();
        int from = 0;
        while (from < size) {
            long start = window == null ? UNBUCKETED : window.start(times[from]);
            int to = size;
            if (window != null) {
                long end = window.next(start);
                to = from + 1;
                while (to < size && times[to] < end) {
                    to++;
                }
            }
            adder.add(buckets.computeIfAbsent(start, create), from, to);
            from = to;
        }
    }

    /** top(x, tag, ..., n) or bottom(...) with tag arguments. */
    private static boolean isTaggedRanked(Expr.Call call) {
        return (call.name().equals("top") || call.name().equals("bottom")) && call.arguments().size() > 2;
    }

    /** top's and bottom's n, their last argument. */
    private static long rankedCount(Expr.Call call) {
        return ((Expr.IntegerLiteral) call.arguments().getLast()).value();
    }

    private static List<String> rankedTags(Expr.Call call) {
        List<String> tags = new ArrayList<>();
        for (Expr argument : call.arguments().subList(1, call.arguments().size() - 1)) {
            tags.add(((Expr.VarRef) argument).name());
        }
        return tags;
    }

    /** Evaluates the aux fields at the row of a newly selected point of the current series. */
    private final class AuxCapture {
        private final GroupState state;
        private final Timeline timeline;
        private final SelectExecutor.RowBindings bindings;

        AuxCapture(GroupState state, Target target, SeriesKey key, Column[] columns, Map<String, Integer> slots) {
            this.state = state;
            this.timeline = Timeline.of(columns);
            this.bindings = new SelectExecutor.RowBindings(target, key, columns, timeline, slots);
        }

        /** The aux fields' values at the rows of points [from, to) of {@code column}. */
        Object[][] rowsOf(Column column, int from, int to) {
            Object[][] out = new Object[to - from][];
            for (int i = from; i < to; i++) {
                int row = java.util.Arrays.binarySearch(timeline.times, 0, timeline.size, column.timestamp(i));
                if (row < 0) {
                    continue;
                }
                bindings.row = row;
                Object[] values = new Object[auxFields.size()];
                for (int f = 0; f < values.length; f++) {
                    values[f] = evaluator.evaluate(fields.get(auxFields.get(f)).expression(), bindings);
                }
                out[i - from] = values;
            }
            return out;
        }

        /** A selector's result changes only when a point of the run just added won. */
        void recordIfChanged(long bucket, PointList before, PointList after) {
            if (after.isEmpty() || (!before.isEmpty() && before.time(0) == after.time(0) && before.value(0) == after.value(0))) {
                return;
            }
            int row = java.util.Arrays.binarySearch(timeline.times, 0, timeline.size, after.time(0));
            if (row < 0) {
                return;
            }
            bindings.row = row;
            Object[] values = new Object[auxFields.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = evaluator.evaluate(fields.get(auxFields.get(i)).expression(), bindings);
            }
            state.aux.put(bucket, values);
        }
    }

    // ------------------------------------------------------------------------------ output

    private List<List<Object>> rows(GroupState state) {
        long[] bucketTimes = bucketTimes(state);
        List<PointList> columns = new ArrayList<>();
        List<Object> constants = new ArrayList<>();
        PointList selected = auxFields.isEmpty() ? null : leafPoints(leaves.keySet().iterator().next(), state, bucketTimes);
        for (int index = 0; index < fields.size(); index++) {
            OutputField field = fields.get(index);
            Object value = auxFields.contains(index) ? auxPoints(selected, state, auxFields.indexOf(index))
                    : evaluate(field.expression(), state, bucketTimes);
            if (value instanceof PointList points) {
                columns.add(points);
                constants.add(null);
            } else {
                columns.add(null);
                constants.add(((Constant) value).value());
            }
        }
        return joinOnTime(columns, constants);
    }

    /** The aux field's value at each of the selector's points; null where the selector's bucket had no point. */
    private PointList auxPoints(PointList selected, GroupState state, int auxPosition) {
        PointList out = new PointList(selected.size());
        for (int i = 0; i < selected.size(); i++) {
            Object[] values = selected.row(i) != null ? selected.row(i)
                    : state.aux.get(window == null ? UNBUCKETED : selected.time(i));
            out.add(selected.time(i), values == null ? null : values[auxPosition]);
        }
        return out;
    }

    private long[] bucketTimes(GroupState state) {
        if (window == null) {
            return new long[] {UNBUCKETED};
        }
        if (plan.readRange().hasMin()) {
            // Every group spans the same buckets then: listed once per query (read-only from here on).
            long[] buckets = rangeBuckets;
            if (buckets == null) {
                buckets = bucketTimes(window.start(plan.readRange().min()));
                rangeBuckets = buckets;
            }
            return buckets;
        }
        // Without a range start a group's buckets begin at its first point, which the last-buckets
        // read of GROUP BY time DESC LIMIT records even when it leaves that point's bucket unread.
        long first = state.firstPointTime == Long.MAX_VALUE ? Long.MAX_VALUE : window.start(state.firstPointTime);
        for (BucketStates buckets : state.buckets) {
            if (!buckets.isEmpty()) {
                first = Math.min(first, buckets.firstBucket());
            }
        }
        return first == Long.MAX_VALUE ? new long[0] : bucketTimes(first);
    }

    /** The bucket starts from {@code first} to the one holding the range's end. */
    private long[] bucketTimes(long first) {
        long last = window.start(plan.readRange().max());
        List<Long> times = new ArrayList<>();
        for (long time = first; time <= last; time = window.next(time)) {
            times.add(time);
            if (times.size() > BUCKETS_MAX) {
                throw new QueryException("max-select-buckets limit exceeded: (more than " + BUCKETS_MAX + " buckets of "
                        + window.intervalNanos() + "ns); use a larger GROUP BY time interval or a shorter time range");
            }
            if (time == Long.MAX_VALUE) {
                break;
            }
        }
        long[] out = new long[times.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = times.get(i);
        }
        return out;
    }

    /** A value that is the same in every row (a literal). */
    private record Constant(Object value) {}

    /** A field expression as a PointList, or a {@link Constant}. */
    private Object evaluate(Expr expr, GroupState state, long[] bucketTimes) {
        return switch (expr) {
            case Expr.Call call when leaves.containsKey(call) -> leafPoints(call, state, bucketTimes);
            case Expr.Call call when FunctionKind.of(call.name()) == FunctionKind.TRANSFORMATION ->
                    transform(call, state, bucketTimes);
            case Expr.Call call -> {
                Object first = evaluate(call.arguments().getFirst(), state, bucketTimes);
                Object second = call.arguments().size() > 1 ? evaluate(call.arguments().get(1), state, bucketTimes)
                        : new Constant(null);
                yield zip(first, second, (a, b) -> MathFunctions.apply(call.name(), a, b));
            }
            case Expr.Binary binary -> {
                Object left = evaluate(binary.left(), state, bucketTimes);
                Object right = evaluate(binary.right(), state, bucketTimes);
                yield zip(left, right, (a, b) -> binary.operator().precedence() == 4
                        ? Evaluator.compare(a, b, binary.operator()) : Evaluator.arithmetic(a, b, binary.operator()));
            }
            case Expr.Unary unary -> zip(evaluate(unary.operand(), state, bucketTimes), new Constant(null),
                    (a, b) -> Evaluator.arithmetic(0L, a, Expr.BinaryOperator.SUBTRACT));
            default -> new Constant(evaluator.evaluate(expr, reference -> null));
        };
    }

    private PointList leafPoints(Expr.Call call, GroupState state, long[] bucketTimes) {
        if (isWindowedIntegral(call)) {
            return windowedIntegral(call, state, bucketTimes);
        }
        BucketStates buckets = state.buckets.get(leaves.get(call));
        PointList out = new PointList(bucketTimes.length);
        boolean isMoving = MovingWindows.isMoving(call.name());
        boolean hasMissing = false;
        for (long bucket : bucketTimes) {
            Aggregate aggregate = isMoving ? movingWindow(call, buckets, bucket) : buckets.get(bucket);
            PointList result = aggregate == null ? NO_POINTS : aggregate.result();
            // InfluxDB 1.x's integral reducer stamps its answer with time 0 when there is no GROUP BY time.
            long time = window != null ? bucket : call.name().equals("integral") ? 0 : plan.unbucketedTime();
            if (result.isEmpty()) {
                // Without GROUP BY time, an aggregate that saw points but has no answer (a percentile
                // outside [0, n)) emits nothing, so InfluxDB's row and series disappear with it.
                if (aggregate == null || window != null) {
                    out.add(time, FillOperator.MISSING);
                    hasMissing = true;
                }
                continue;
            }
            for (int i = 0; i < result.size(); i++) {
                boolean ownTime = aggregate.keepsOwnTimes()
                        || window == null && reportsSelectedTime && aggregate.isSelector();
                out.add(ownTime ? result.time(i) : time, result.value(i), result.row(i));
            }
        }
        if (window == null) {
            for (int i = 0; i < out.size(); i++) {
                if (out.value(i) == FillOperator.MISSING) {
                    out.setValue(i, null);
                }
            }
            return out;
        }
        if (!hasMissing) {
            return out; // every bucket has its value: any fill would copy the list unchanged
        }
        boolean isCount = call.name().equals("count") || call.name().equals("moving_count");
        return FillOperator.fill(out, plan.fill(), plan.fillValue(), isCount);
    }

    /**
     * The state of a moving window ending with the bucket at {@code bucket}: its buckets' partial
     * states merged into a fresh one, or null when none of them has a point.
     */
    private Aggregate movingWindow(Expr.Call call, BucketStates buckets, long bucket) {
        long steps = ((Expr.DurationLiteral) call.arguments().get(1)).nanos() / window.intervalNanos();
        long reach = (steps - 1) * window.intervalNanos();
        long first = bucket - reach > bucket ? Long.MIN_VALUE : window.start(bucket - reach);
        List<Aggregate> partials = buckets.between(first, bucket);
        if (partials.isEmpty()) {
            return null;
        }
        FieldType type = fieldTypes.getOrDefault(leafField(call), FieldType.FLOAT);
        Aggregate merged = Aggregates.create(call.name(), type, 0);
        for (Aggregate partial : partials) {
            merged.merge(partial);
        }
        return merged;
    }

    private PointList windowedIntegral(Expr.Call call, GroupState state, long[] bucketTimes) {
        if (!Values.isNumeric(fieldTypes.getOrDefault(leafField(call), FieldType.FLOAT))) {
            throw new QueryException("unsupported integral iterator type: " + fieldTypes.get(leafField(call)).displayName());
        }
        double unit = call.arguments().size() == 2 ? leafParameter(call) : 1e9;
        PointList areas = WindowedIntegral.compute(state.raw.get(rawInputs.get(leafField(call))).sortedByTime(), window, unit);
        Map<Long, Object> byBucket = new HashMap<>();
        for (int i = 0; i < areas.size(); i++) {
            byBucket.put(areas.time(i), areas.value(i));
        }
        PointList out = new PointList(bucketTimes.length);
        for (long bucket : bucketTimes) {
            out.add(bucket, byBucket.getOrDefault(bucket, FillOperator.MISSING));
        }
        return FillOperator.fill(out, plan.fill(), plan.fillValue(), false);
    }

    private PointList transform(Expr.Call call, GroupState state, long[] bucketTimes) {
        Expr argument = call.arguments().getFirst();
        PointList input;
        if (argument instanceof Expr.VarRef reference) {
            input = state.raw.get(rawInputs.get(reference.name())).sortedByTime();
        } else {
            Object inner = evaluate(argument, state, bucketTimes);
            input = inner instanceof PointList points ? points : new PointList();
        }
        if (HoltWinters.NAMES.contains(call.name())) {
            int horizon = (int) ((Expr.IntegerLiteral) call.arguments().get(1)).value();
            int season = (int) ((Expr.IntegerLiteral) call.arguments().get(2)).value();
            return HoltWinters.forecast(input, horizon, season, call.name().equals("holt_winters_with_fit"),
                    window.intervalNanos());
        }
        if (TechnicalAnalysis.NAMES.contains(call.name())
                || call.name().equals("exponential_moving_average") && call.arguments().size() > 2) {
            return indicator(call, input);
        }
        long parameter = switch (call.name()) {
            case "derivative", "non_negative_derivative" -> call.arguments().size() == 2
                    ? ((Expr.DurationLiteral) call.arguments().get(1)).nanos()
                    : window != null ? window.intervalNanos() : 1_000_000_000L;
            case "elapsed" -> call.arguments().size() == 2 ? ((Expr.DurationLiteral) call.arguments().get(1)).nanos() : 1L;
            case "moving_average", "exponential_moving_average" ->
                    ((Expr.IntegerLiteral) call.arguments().get(1)).value();
            default -> 0L;
        };
        return Transforms.apply(call.name(), input, parameter);
    }

    /** f(x, period[, hold[, warmup]]): hold -1 means the indicator's own warm-up count. */
    private static PointList indicator(Expr.Call call, PointList input) {
        List<Expr> arguments = call.arguments();
        int period = (int) ((Expr.IntegerLiteral) arguments.get(1)).value();
        int hold = arguments.size() > 2 ? (int) ((Expr.IntegerLiteral) arguments.get(2)).value() : -1;
        String warmup = arguments.size() > 3 ? ((Expr.StringLiteral) arguments.get(3)).value()
                : call.name().equals("chande_momentum_oscillator") ? "none" : "exponential";
        return TechnicalAnalysis.apply(call.name(), input, period, hold,
                TechnicalAnalysis.Warmup.valueOf(warmup.toUpperCase(java.util.Locale.ROOT)));
    }

    /** Combines two point lists on equal times (null where one side has no point), or a list with a constant. */
    private static Object zip(Object left, Object right, java.util.function.BinaryOperator<Object> operator) {
        if (left instanceof Constant l && right instanceof Constant r) {
            return new Constant(operator.apply(l.value(), r.value()));
        }
        if (right instanceof Constant r) {
            PointList points = (PointList) left;
            PointList out = new PointList(points.size());
            for (int i = 0; i < points.size(); i++) {
                out.add(points.time(i), points.value(i) == null ? null : operator.apply(points.value(i), r.value()));
            }
            return out;
        }
        if (left instanceof Constant l) {
            PointList points = (PointList) right;
            PointList out = new PointList(points.size());
            for (int i = 0; i < points.size(); i++) {
                out.add(points.time(i), points.value(i) == null ? null : operator.apply(l.value(), points.value(i)));
            }
            return out;
        }
        PointList a = (PointList) left;
        PointList b = (PointList) right;
        PointList out = new PointList(Math.max(a.size(), b.size()));
        int i = 0;
        int j = 0;
        while (i < a.size() || j < b.size()) {
            if (j >= b.size() || (i < a.size() && a.time(i) < b.time(j))) {
                out.add(a.time(i), operator.apply(a.value(i), null));
                i++;
            } else if (i >= a.size() || b.time(j) < a.time(i)) {
                out.add(b.time(j), operator.apply(null, b.value(j)));
                j++;
            } else {
                out.add(a.time(i), operator.apply(a.value(i), b.value(j)));
                i++;
                j++;
            }
        }
        return out;
    }

    /**
     * Rows from the fields' point lists: one row per time, or several when a field has several
     * points at one time (distinct); a field without a point at a row's time is null there. The
     * rows are kept column by column ({@link ColumnarRows}): times as longs and a field whose
     * cells are all floats (or null) as doubles, so the answer's encoder reads primitives and no
     * list is made per row (single-groupby-5-1-12: 721 rows).
     */
    private static List<List<Object>> joinOnTime(List<PointList> columns, List<Object> constants) {
        int count = columns.size();
        PointList aligned = alignedTimes(columns);
        if (aligned != null) {
            return joinAligned(aligned, columns, constants);
        }
        int[] positions = new int[count];
        int[] runs = new int[count];
        RowColumns out = new RowColumns(count);
        while (true) {
            long time = Long.MAX_VALUE;
            boolean found = false;
            for (int c = 0; c < count; c++) {
                PointList column = columns.get(c);
                if (column != null && positions[c] < column.size() && (!found || column.time(positions[c]) < time)) {
                    time = column.time(positions[c]);
                    found = true;
                }
            }
            if (!found) {
                return out.rows();
            }
            java.util.Arrays.fill(runs, 0);
            int height = 0;
            for (int c = 0; c < count; c++) {
                PointList column = columns.get(c);
                if (column == null) {
                    continue;
                }
                int run = 0;
                while (positions[c] + run < column.size() && column.time(positions[c] + run) == time) {
                    run++;
                }
                runs[c] = run;
                height = Math.max(height, run);
            }
            for (int r = 0; r < height; r++) {
                int row = out.addRow(time);
                for (int c = 0; c < count; c++) {
                    PointList column = columns.get(c);
                    if (column == null) {
                        out.set(c, row, constants.get(c));
                    } else {
                        out.set(c, row, r < runs[c] ? column.value(positions[c] + r) : null);
                    }
                }
            }
            for (int c = 0; c < count; c++) {
                positions[c] += runs[c];
            }
        }
    }

    /**
     * The first field's point list when every field's points have the same, strictly increasing
     * times (GROUP BY time of plain aggregates: one point per bucket), so row i is point i of each
     * field; null otherwise.
     */
    private static PointList alignedTimes(List<PointList> columns) {
        PointList first = null;
        for (PointList column : columns) {
            if (column != null) {
                first = column;
                break;
            }
        }
        if (first == null) {
            return null;
        }
        for (int i = 1; i < first.size(); i++) {
            if (first.time(i) <= first.time(i - 1)) {
                return null;
            }
        }
        for (PointList column : columns) {
            if (column == null || column == first) {
                continue;
            }
            if (column.size() != first.size()) {
                return null;
            }
            for (int i = 0; i < first.size(); i++) {
                if (column.time(i) != first.time(i)) {
                    return null;
                }
            }
        }
        return first;
    }

    /**
     * {@link #joinOnTime} of aligned fields ({@link #alignedTimes}): row i is point i of each field,
     * so each field's column is read straight off its points, without rows to search for or cells
     * to gather first.
     */
    private static List<List<Object>> joinAligned(PointList aligned, List<PointList> columns, List<Object> constants) {
        int size = aligned.size();
        if (size == 0) {
            return new ArrayList<>();
        }
        long[] times = new long[size];
        for (int row = 0; row < size; row++) {
            times[row] = aligned.time(row);
        }
        List<ResultColumn> out = new ArrayList<>(columns.size() + 1);
        out.add(ResultColumn.ofLongs(times, null, size));
        for (int c = 0; c < columns.size(); c++) {
            PointList column = columns.get(c);
            Object constant = constants.get(c);
            out.add(column == null ? cellColumn(size, row -> constant) : cellColumn(size, column::value));
        }
        return ColumnarRows.of(out);
    }

    /** Doubles when every cell is a Double or null (their boxes read back equal), else the boxed cells. */
    private static ResultColumn cellColumn(int size, IntFunction<Object> cell) {
        double[] doubles = new double[size];
        long[] nulls = null;
        for (int row = 0; row < size; row++) {
            Object value = cell.apply(row);
            if (value instanceof Double number) {
                doubles[row] = number;
            } else if (value == null) {
                if (nulls == null) {
                    nulls = ResultColumn.nullBits(size);
                }
                ResultColumn.setNull(nulls, row);
            } else {
                Object[] cells = new Object[size];
                for (int i = 0; i < size; i++) {
                    cells[i] = cell.apply(i);
                }
                return ResultColumn.ofObjects(cells, size);
            }
        }
        return ResultColumn.ofDoubles(doubles, nulls, size);
    }

    /** The cells of {@link #joinOnTime}'s rows gathered column by column. */
    private static final class RowColumns {
        private long[] times = new long[16];
        private Object[][] cells;
        private int size;

        RowColumns(int fieldCount) {
            cells = new Object[fieldCount][16];
        }

        /** Adds a row at {@code time} (its cells null until set) and returns its index. */
        int addRow(long time) {
            if (size == times.length) {
                times = java.util.Arrays.copyOf(times, size * 2);
                for (int c = 0; c < cells.length; c++) {
                    cells[c] = java.util.Arrays.copyOf(cells[c], size * 2);
                }
            }
            times[size] = time;
            return size++;
        }

        void set(int field, int row, Object value) {
            cells[field][row] = value;
        }

        List<List<Object>> rows() {
            if (size == 0) {
                return new ArrayList<>();
            }
            List<ResultColumn> columns = new ArrayList<>(cells.length + 1);
            columns.add(ResultColumn.ofLongs(times, null, size));
            for (Object[] field : cells) {
                columns.add(cellColumn(size, row -> field[row]));
            }
            return ColumnarRows.of(columns);
        }
    }
}
