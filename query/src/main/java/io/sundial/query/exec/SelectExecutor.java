package io.sundial.query.exec;

import io.sundial.core.FieldType;
import io.sundial.core.SeriesKey;
import io.sundial.query.QueryContext;
import io.sundial.query.QueryException;
import io.sundial.query.check.FunctionKind;
import io.sundial.query.check.SemanticCheck;
import io.sundial.query.function.Aggregates;
import io.sundial.query.plan.SelectPlan;
import io.sundial.query.plan.TagCondition;
import io.sundial.query.plan.TimeCondition;
import io.sundial.query.result.AnswerCollector;
import io.sundial.query.result.ResultSeries;
import io.sundial.query.result.SeriesSink;
import io.sundial.query.sundialql.Clauses;
import io.sundial.query.sundialql.Expr;
import io.sundial.query.sundialql.MeasurementRef;
import io.sundial.query.sundialql.Source;
import io.sundial.query.sundialql.Statement;
import io.sundial.storage.Column;
import io.sundial.storage.DatabaseNotFoundException;
import io.sundial.storage.Engine;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Runs a SELECT: resolves its measurements, splits WHERE into a time range, index matchers, a
 * per-series tag condition and a per-row field condition, reads each series once, and builds
 * the answer's series as InfluxDB 1.x shapes them (one per measurement and GROUP BY tag set,
 * ordered by name and tags, rows in time order).
 */
public final class SelectExecutor {
    /** Deepest nesting of subqueries; each level holds its answer in memory. */
    static final int SUBQUERY_DEPTH_MAX = 16;

    private final QueryContext context;
    private final Budget budget;
    private final long nowNanos;
    private final int depth;
    /**
     * Raw rows are put in time order, except when every source is a subquery that aggregates
     * without GROUP BY time: InfluxDB 1.x hands on such an inner answer series by series (one
     * window, then the series in tag order), and the outer raw query keeps that order.
     */
    private boolean sortsRawRows = true;
    /** False while ORDER BY a non-time key or HAVING decides which raw rows LIMIT keeps. */
    private boolean rawLimitAllowed = true;
    /** Raw rows by group and series while {@link #sortsRawRows} is false: series by series, in key order. */
    private final Map<GroupKey, TreeMap<SeriesKey, List<List<Object>>>> rowsBySeries = new HashMap<>();
    /**
     * True while raw rows are kept column by column per series and merged per group ({@link RawMerge}):
     * as each group completes when the statement streams ({@link RawGroupStream}), else at the end;
     * false where whole rows are needed (ORDER BY a non-time key, series-by-series subquery order).
     */
    private boolean keepsColumnarRows;
    /** Raw rows by group while {@link #keepsColumnarRows} and not streaming: each series' rows, in the order read. */
    private final TreeMap<GroupKey, List<SeriesRows>> columnarGroups = new TreeMap<>();
    /** Whether raw groups may leave backwards as read under ORDER BY time DESC ({@link RawWindowScan}). */
    private boolean rawStreamsDescending;
    private final Evaluator evaluator = new Evaluator();

    public SelectExecutor(QueryContext context, Budget budget, long nowNanos) {
        this(context, budget, nowNanos, 0);
    }

    private SelectExecutor(QueryContext context, Budget budget, long nowNanos, int depth) {
        this.context = context;
        this.budget = budget;
        this.nowNanos = nowNanos;
        this.depth = depth;
    }

    /** The whole answer (subqueries, join sides, EXPLAIN ANALYZE): the pieces of each series joined. */
    public List<ResultSeries> execute(Statement.Select statement) {
        AnswerCollector collector = new AnswerCollector();
        execute(statement, (series, continues) -> collector.series(0, series, continues));
        collector.end(0, null);
        return collector.results().getFirst().series();
    }

    /**
     * Answers the SELECT series by series into {@code sink}, each as soon as it is final: after
     * each measurement when the statement reads measurements (their series come in name order),
     * and within a measurement's raw rows as each group completes (see {@link RawGroupStream}).
     * ORDER BY a non-time key, HAVING, ORDER BY time DESC, subquery sources, joins and INTO need the
     * whole answer first and hand it on at the end.
     */
    public void execute(Statement.Select statement, SeriesSink sink) {
        Statement.Select select = Qualifiers.resolve(TimeBuckets.rewrite(BoundParameters.requireBound(statement)));
        if (select.into().isPresent()) {
            AnswerCollector collector = new AnswerCollector();
            answer(select, (series, continues) -> collector.series(0, series, continues));
            collector.end(0, null);
            for (ResultSeries series : IntoWriter.write(select.into().get(), collector.results().getFirst().series(),
                    context, budget)) {
                sink.series(series, false);
            }
            return;
        }
        answer(select, sink);
    }

    private void answer(Statement.Select select, SeriesSink sink) {
        SemanticCheck.check(select);
        SelectPlan plan = SelectPlan.of(select, nowNanos);
        if (plan.range().isEmpty()) {
            return;
        }
        if (select.sources().getFirst() instanceof Source.Join join) {
            List<OutputField> fields = JoinColumns.of(select, join, plan, this::schema);
            if (fields.isEmpty()) {
                return; // a * met a side without fields: the inner join is empty
            }
            AnswerOrder order = AnswerOrder.of(select, fields, plan);
            TreeMap<GroupKey, List<List<Object>>> groups = new JoinQuery(this::runJoinSide, budget)
                    .run(select, join, plan, order.fields());
            shapeAll(plan, fields, order, groups, sink);
            return;
        }
        List<Target> targets = resolve(select.sources(), plan);
        if (targets.isEmpty()) {
            return;
        }
        if (plan.isAggregate()) {
            requireDistinctNames(targets);
        }
        List<OutputField> fields = expandFields(select, targets, plan);
        AnswerOrder order = AnswerOrder.of(select, fields, plan);
        rawLimitAllowed = !order.isActive();
        keepsColumnarRows = !plan.isAggregate() && sortsRawRows && !order.isActive();
        // Under DESC the answer is the groups backwards: they can leave as read backwards only when
        // nothing else orders them (one measurement) and SLIMIT/SOFFSET, counted forwards, are absent.
        rawStreamsDescending = targets.size() == 1 && plan.pagination().seriesLimit().orElse(0) == 0
                && plan.pagination().seriesOffset().orElse(0) == 0;
        List<OutputField> computed = order.fields();
        // Measurements are resolved in name order and answer series order by name first, so a
        // measurement's series are final once it is read; a subquery's names can fall anywhere.
        boolean streams = !order.isActive() && targets.stream().allMatch(target -> target.subquery() == null);
        AnswerShaper shaper = new AnswerShaper(plan, columns(fields), budget, sink, !plan.isAggregate() && sortsRawRows);
        TreeMap<GroupKey, List<List<Object>>> groups = new TreeMap<>();
        for (Target target : targets) {
            budget.check();
            if (streams && shaper.isFull()) {
                break; // SLIMIT is reached: the measurements left cannot show a series
            }
            if (plan.isAggregate()) {
                new AggregateQuery(order.isActive() ? plan.withoutRowLimit() : plan, computed, budget, evaluator)
                        .run(target, groups);
            } else {
                runRaw(plan, computed, target, groups, streams && keepsColumnarRows ? shaper : null);
            }
            if (streams) {
                groups.forEach(shaper::group);
                groups.clear();
            }
        }
        if (keepsColumnarRows) {
            columnarGroups.forEach(shaper::columnarGroup);
            columnarGroups.clear();
            shaper.finish();
            return;
        }
        for (Map.Entry<GroupKey, TreeMap<SeriesKey, List<List<Object>>>> group : rowsBySeries.entrySet()) {
            List<List<Object>> rows = groups.computeIfAbsent(group.getKey(), g -> new ArrayList<>());
            group.getValue().values().forEach(rows::addAll);
        }
        if (order.isActive()) {
            shapeAll(plan, fields, order, groups, sink);
            return;
        }
        groups.forEach(shaper::group);
        shaper.finish();
    }

    /** The answer once every group is known: ORDER BY and HAVING, or InfluxDB's series order. */
    private void shapeAll(SelectPlan plan, List<OutputField> fields, AnswerOrder order,
            TreeMap<GroupKey, List<List<Object>>> groups, SeriesSink sink) {
        if (order.isActive()) {
            for (ResultSeries series : shapeOrdered(plan, fields, order, groups)) {
                sink.series(series, false);
            }
            return;
        }
        AnswerShaper shaper = new AnswerShaper(plan, columns(fields), budget, sink, !plan.isAggregate() && sortsRawRows);
        groups.forEach(shaper::group);
        shaper.finish();
    }

    private static List<String> columns(List<OutputField> fields) {
        List<String> columns = new ArrayList<>();
        columns.add("time");
        for (OutputField field : fields) {
            columns.add(field.name());
        }
        return columns;
    }

    // ------------------------------------------------------------------------------ sources

    private List<Target> resolve(List<Source> sources, SelectPlan plan) {
        Map<String, Target> targets = new TreeMap<>();
        List<Target> subqueries = new ArrayList<>();
        sortsRawRows = sources.stream().anyMatch(source -> !(source instanceof Source.Subquery subquery)
                || !subquery.query().fields().stream().anyMatch(field -> SemanticCheck.containsAggregate(field.expression())) || hasTimeDimension(subquery.query()));
        for (Source source : sources) {
            if (source instanceof Source.Subquery subquery) {
                subqueries.addAll(runSubquery(subquery, plan));
                continue;
            }
            MeasurementRef ref = ((Source.Measurement) source).measurement();
            Engine engine = engine(ref.database().orElse(context.defaultDatabase()));
            if (ref.isRegex()) {
                Pattern pattern = TagCondition.compile(ref.name());
                for (String name : engine.measurements()) {
                    if (pattern.matcher(name).find()) {
                        targets.putIfAbsent(name, Target.of(engine, name));
                    }
                }
            } else if (engine.measurements().contains(ref.name())) {
                targets.putIfAbsent(ref.name(), Target.of(engine, ref.name()));
            }
        }
        List<Target> out = new ArrayList<>(targets.values());
        out.addAll(subqueries);
        return out;
    }

    /** An aggregate builds one group per name and tags, so two sources of one name would overwrite each other. */
    private static void requireDistinctNames(List<Target> targets) {
        Set<String> names = new java.util.HashSet<>();
        for (Target target : targets) {
            if (!names.add(target.measurement())) {
                throw new QueryException("two sources of this aggregate SELECT answer series named " + target.measurement()
                        + " (a measurement and a subquery, or two subqueries); aggregate them in one subquery");
            }
        }
    }

    private static boolean hasTimeDimension(Statement.Select select) {
        return select.groupBy().stream().anyMatch(dimension -> dimension instanceof Expr.Call);
    }

    private List<ResultSeries> runJoinSide(Statement.Select side) {
        if (depth + 1 > SUBQUERY_DEPTH_MAX) {
            throw new QueryException("subqueries and joins are nested more than " + SUBQUERY_DEPTH_MAX
                    + " levels deep; flatten the query");
        }
        return new SelectExecutor(context, budget, nowNanos, depth + 1).execute(side);
    }

    /**
     * Runs a subquery under the outer query's time range (InfluxDB 1.x hands the outer range to
     * the inner query, where it meets the inner's own) and reads its answer as series.
     */
    private List<Target> runSubquery(Source.Subquery subquery, SelectPlan outer) {
        if (depth + 1 > SUBQUERY_DEPTH_MAX) {
            throw new QueryException("subqueries are nested more than " + SUBQUERY_DEPTH_MAX
                    + " levels deep; flatten the query");
        }
        if (subquery.query().into().isPresent()) {
            throw new QueryException("SELECT ... INTO is not allowed in a subquery: put INTO on the outer query");
        }
        Statement.Select inner = Subqueries.withinRange(subquery.query(), outer.readRange());
        List<ResultSeries> answer = new SelectExecutor(context, budget, nowNanos, depth + 1).execute(inner);
        boolean groupsByPattern = subquery.query().groupBy().stream()
                .anyMatch(dimension -> dimension instanceof Expr.Wildcard || dimension instanceof Expr.RegexLiteral);
        List<String> groupTags = groupsByPattern ? null : subquery.query().groupBy().stream()
                .filter(dimension -> dimension instanceof Expr.VarRef).map(dimension -> ((Expr.VarRef) dimension).name())
                .toList();
        return SubqueryRows.targets(answer, groupTags);
    }

    /** The fields of a JOIN side's measurements (the union for a regex), empty when none exists. */
    private Map<String, FieldType> schema(Source.Measurement side) {
        MeasurementRef ref = side.measurement();
        Engine engine = engine(ref.database().orElse(context.defaultDatabase()));
        Pattern pattern = ref.isRegex() ? TagCondition.compile(ref.name()) : null;
        Map<String, FieldType> fields = new TreeMap<>();
        for (String name : engine.measurements()) {
            if (pattern != null ? pattern.matcher(name).find() : name.equals(ref.name())) {
                Target.of(engine, name).fields().forEach(fields::putIfAbsent);
            }
        }
        return fields;
    }

    private Engine engine(String database) {
        try {
            return context.databases().getOrDefault(database);
        } catch (DatabaseNotFoundException e) {
            throw new QueryException("database not found: " + database);
        }
    }

    // ------------------------------------------------------------------------------ fields

    /** Expands *, *::field, *::tag, /regex/ and call(*) into columns over the union of the measurements' schemas. */
    private static List<OutputField> expandFields(Statement.Select select, List<Target> targets, SelectPlan plan) {
        TreeMap<String, FieldType> fieldTypes = new TreeMap<>();
        TreeSet<String> tagKeys = new TreeSet<>();
        Set<String> groupedTags = new java.util.HashSet<>();
        for (Target target : targets) {
            target.fields().forEach(fieldTypes::putIfAbsent);
            tagKeys.addAll(target.subquery() == null ? target.tagKeys() : target.subquery().wildcardTagKeys());
            groupedTags.addAll(target.groupKeys(plan.groupTags(), plan.groupAllTags(), plan.groupTagPatterns()));
        }
        tagKeys.removeAll(groupedTags);
        List<Clauses.Field> expanded = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Clauses.Field field : select.fields()) {
            Expr expression = field.expression();
            if (TimeCondition.isTime(expression)) {
                continue; // time is always the first column; InfluxDB drops it from the field list
            }
            if (expression instanceof Expr.Wildcard || expression instanceof Expr.RegexLiteral) {
                for (Expr.VarRef reference : wildcardColumns(expression, fieldTypes, tagKeys)) {
                    expanded.add(new Clauses.Field(reference, java.util.Optional.empty(), field.position()));
                    names.add(reference.name());
                }
            } else if (expression instanceof Expr.Call call && isWildcardCall(call)) {
                for (Map.Entry<String, FieldType> entry : fieldTypes.entrySet()) {
                    if (!matchesWildcardArgument(call, entry.getKey())) {
                        continue;
                    }
                    String function = call.arguments().getFirst() instanceof Expr.Call ? "count_distinct" : call.name();
                    if (!Aggregates.accepts(function, entry.getValue())) {
                        continue;
                    }
                    Expr replaced = replaceArgument(call, new Expr.VarRef(entry.getKey(), call.position()));
                    expanded.add(new Clauses.Field(replaced, java.util.Optional.empty(), field.position()));
                    names.add(field.alias().orElse(call.name()) + "_" + entry.getKey());
                }
            } else {
                expanded.add(field);
                names.add(OutputField.baseName(field));
            }
        }
        appendRankedTags(select, expanded, names);
        if (expanded.isEmpty()) {
            return List.of();
        }
        return OutputField.named(expanded, names);
    }

    /**
     * top(x, tag, ..., n) and bottom(...) show the tags they rank by as columns after the
     * statement's fields, as InfluxDB 1.x adds them: each from the row of its selected point.
     */
    private static void appendRankedTags(Statement.Select select, List<Clauses.Field> expanded, List<String> names) {
        for (Clauses.Field field : select.fields()) {
            if (field.expression() instanceof Expr.Call call && (call.name().equals("top") || call.name().equals("bottom"))
                    && call.arguments().size() > 2) {
                for (Expr argument : call.arguments().subList(1, call.arguments().size() - 1)) {
                    Expr.VarRef tag = (Expr.VarRef) argument;
                    expanded.add(new Clauses.Field(tag, java.util.Optional.empty(), field.position()));
                    names.add(tag.name());
                }
            }
        }
    }

    private static List<Expr.VarRef> wildcardColumns(Expr expression, Map<String, FieldType> fields, Set<String> tags) {
        TreeMap<String, Expr.VarRef> columns = new TreeMap<>();
        Expr.VarType type = expression instanceof Expr.Wildcard wildcard ? wildcard.type() : Expr.VarType.ANY;
        Pattern pattern = expression instanceof Expr.RegexLiteral regex ? TagCondition.compile(regex.pattern()) : null;
        if (type != Expr.VarType.TAG) {
            for (String name : fields.keySet()) {
                if (pattern == null || pattern.matcher(name).find()) {
                    columns.put(name, new Expr.VarRef(java.util.Optional.empty(), name, Expr.VarType.FIELD, expression.position()));
                }
            }
        }
        if (type != Expr.VarType.FIELD) {
            for (String name : tags) {
                if ((pattern == null || pattern.matcher(name).find()) && !columns.containsKey(name)) {
                    columns.put(name, new Expr.VarRef(java.util.Optional.empty(), name, Expr.VarType.TAG, expression.position()));
                }
            }
        }
        return new ArrayList<>(columns.values());
    }

    static boolean isWildcardCall(Expr.Call call) {
        if (call.arguments().isEmpty()) {
            return false;
        }
        Expr argument = call.arguments().getFirst();
        if (argument instanceof Expr.Call inner && inner.name().equals("distinct") && !inner.arguments().isEmpty()) {
            argument = inner.arguments().getFirst();
        }
        return argument instanceof Expr.Wildcard || argument instanceof Expr.RegexLiteral;
    }

    static boolean matchesWildcardArgument(Expr.Call call, String field) {
        Expr argument = call.arguments().getFirst();
        if (argument instanceof Expr.Call inner) {
            argument = inner.arguments().getFirst();
        }
        return !(argument instanceof Expr.RegexLiteral regex) || TagCondition.compile(regex.pattern()).matcher(field).find();
    }

    static Expr replaceArgument(Expr.Call call, Expr.VarRef field) {
        List<Expr> arguments = new ArrayList<>(call.arguments());
        if (arguments.getFirst() instanceof Expr.Call inner) {
            arguments.set(0, new Expr.Call(inner.name(), List.of(field), inner.position()));
        } else {
            arguments.set(0, field);
        }
        return new Expr.Call(call.name(), arguments, call.position());
    }

    // ------------------------------------------------------------------------------ raw rows

    /** {@code shaper}: when set, the rows go to it group by group as groups complete instead of into {@code groups}. */
    private void runRaw(SelectPlan plan, List<OutputField> fields, Target target, Map<GroupKey, List<List<Object>>> groups,
            AnswerShaper shaper) {
        TagCondition condition = plan.residual().map(where -> TagCondition.of(where, target::isField))
                .orElse(new TagCondition(List.of(), null, null));
        LinkedHashSet<String> selected = new LinkedHashSet<>();
        for (OutputField field : fields) {
            collectFields(field.expression(), target, selected);
        }
        if (selected.isEmpty()) {
            return; // no selected field exists in this measurement: InfluxDB returns no rows for it
        }
        LinkedHashSet<String> needed = new LinkedHashSet<>(selected);
        if (condition.rowFilter() != null) {
            collectFields(condition.rowFilter(), target, needed);
        }
        List<String> neededList = new ArrayList<>(needed);
        Map<String, Integer> slots = new HashMap<>();
        for (int i = 0; i < neededList.size(); i++) {
            slots.put(neededList.get(i), i);
        }
        List<String> groupKeys = target.groupKeys(plan.groupTags(), plan.groupAllTags(), plan.groupTagPatterns());
        // Early termination reads only the first (last) LIMIT + OFFSET points of each series; an
        // ORDER BY other than time or HAVING needs every row first.
        RowLimit limit = rawLimitAllowed && plan.pagination().limit().orElse(0) > 0
                ? new RowLimit(plan.pagination().limit().getAsLong() + plan.pagination().offset().orElse(0),
                        plan.isDescending())
                : RowLimit.NONE;
        // The chunk predicate already kept only the rows where every comparison holds; when the
        // condition is nothing else, it need not be evaluated again per row.
        Expr rowFilter = target.subquery() == null && ChunkPredicate.of(condition.rowFilter(), neededList, target).coversFilter()
                ? null : condition.rowFilter();
        int selectedCount = selected.size();
        if (shaper != null) {
            RawGroupStream.RowSource rowSource =
                    (key, columns) -> SeriesRows.build(fields, target, key, columns, slots, selectedCount, rowFilter, evaluator);
            RawGroupStream stream = new RawGroupStream(target.measurement(), groupKeys, shaper, budget, rowSource);
            RawWindowScan windowed = new RawWindowScan(target.measurement(), groupKeys, shaper, budget, rowSource,
                    plan.isDescending(), rawStreamsDescending);
            SeriesScan.runRaw(target, condition, neededList, plan.readRange(), budget, evaluator, limit, true, stream,
                    windowed);
            stream.finish();
            return;
        }
        SeriesScan.runRaw(target, condition, neededList, plan.readRange(), budget, evaluator, limit, true, (key, columns) -> {
            GroupKey group = GroupKey.of(target.measurement(), groupKeys, key);
            SeriesRows rows = SeriesRows.build(fields, target, key, columns, slots, selectedCount, rowFilter, evaluator);
            if (keepsColumnarRows) {
                if (rows.size > 0) {
                    columnarGroups.computeIfAbsent(group, g -> new ArrayList<>()).add(rows);
                }
            } else if (sortsRawRows) {
                groups.computeIfAbsent(group, g -> new ArrayList<>()).addAll(rows.toRows());
            } else {
                rowsBySeries.computeIfAbsent(group, g -> new TreeMap<>()).computeIfAbsent(key, k -> new ArrayList<>())
                        .addAll(rows.toRows());
            }
        });
    }

    /** Names of the fields of {@code target} that {@code expr} reads. */
    static void collectFields(Expr expr, Target target, Set<String> out) {
        switch (expr) {
            case Expr.VarRef reference -> {
                if (target.isField(reference)) {
                    out.add(reference.name());
                }
            }
            case Expr.Binary binary -> {
                collectFields(binary.left(), target, out);
                collectFields(binary.right(), target, out);
            }
            case Expr.Unary unary -> collectFields(unary.operand(), target, out);
            case Expr.Between between -> {
                collectFields(between.value(), target, out);
                collectFields(between.lower(), target, out);
                collectFields(between.upper(), target, out);
            }
            case Expr.InList in -> collectFields(in.value(), target, out);
            case Expr.Call call -> {
                for (Expr argument : call.arguments()) {
                    collectFields(argument, target, out);
                }
            }
            default -> { }
        }
    }

    static Evaluator.Bindings tagBindings(SeriesKey key) {
        return reference -> {
            String value = key.tag(reference.name());
            return value == null ? "" : value;
        };
    }

    /** Field values at the current row, tag values of the series, and the row's time. */
    static final class RowBindings implements Evaluator.Bindings {
        private final Target target;
        private final SeriesKey key;
        private final Column[] columns;
        private final Timeline timeline;
        private final Map<String, Integer> slots;
        int row;

        RowBindings(Target target, SeriesKey key, Column[] columns, Timeline timeline, Map<String, Integer> slots) {
            this.target = target;
            this.key = key;
            this.columns = columns;
            this.timeline = timeline;
            this.slots = slots;
        }

        /**
         * What each reference reads, resolved on its first row: the same reference objects are
         * evaluated for every row of the series, and a tag's value (a search of the series key)
         * or a field's slot does not change between rows.
         */
        private final IdentityHashMap<Expr.VarRef, Object> resolved = new IdentityHashMap<>();

        private static final Object TIME = new Object();
        private static final Object ABSENT = new Object();

        private record FieldSlot(int slot) {}

        private record TagValue(String value) {}

        @Override
        public Object value(Expr.VarRef reference) {
            Object kind = resolved.get(reference);
            if (kind == null) {
                kind = resolve(reference);
                resolved.put(reference, kind);
            }
            if (kind == TIME) {
                return timeline.times[row];
            }
            if (kind instanceof FieldSlot field) {
                int index = timeline.indexes[field.slot()][row];
                return index < 0 ? null : columns[field.slot()].value(index);
            }
            return kind == ABSENT ? null : ((TagValue) kind).value();
        }

        private Object resolve(Expr.VarRef reference) {
            if (TimeCondition.mentionsTime(reference)) {
                return TIME;
            }
            if (target.isField(reference)) {
                Integer slot = slots.get(reference.name());
                return slot == null || columns[slot] == null ? ABSENT : new FieldSlot(slot);
            }
            return new TagValue(key.tag(reference.name()));
        }
    }

    // ------------------------------------------------------------------------------ shaping

    /** HAVING, then SLIMIT/SOFFSET over the series left, then ORDER BY and LIMIT/OFFSET (see {@link AnswerOrder}). */
    private List<ResultSeries> shapeOrdered(SelectPlan plan, List<OutputField> fields, AnswerOrder order,
            TreeMap<GroupKey, List<List<Object>>> groups) {
        List<String> columns = new ArrayList<>();
        columns.add("time");
        for (OutputField field : fields) {
            columns.add(field.name());
        }
        long seriesOffset = plan.pagination().seriesOffset().orElse(0);
        long seriesLimit = AnswerShaper.unlimitedWhenZero(plan.pagination().seriesLimit().orElse(0));
        List<Map.Entry<GroupKey, List<List<Object>>>> kept = new ArrayList<>();
        long skipped = 0;
        for (Map.Entry<GroupKey, List<List<Object>>> group : groups.entrySet()) {
            budget.check();
            List<List<Object>> rows = order.filter(group.getKey(), group.getValue());
            if (rows.isEmpty()) {
                continue;
            }
            if (skipped < seriesOffset) {
                skipped++;
                continue;
            }
            if (kept.size() >= seriesLimit) {
                break;
            }
            if (!plan.isAggregate()) {
                rows.sort((a, b) -> Long.compare((Long) a.getFirst(), (Long) b.getFirst()));
            }
            kept.add(Map.entry(group.getKey(), rows));
        }
        return order.shape(kept, columns, plan.pagination().offset().orElse(0),
                AnswerShaper.unlimitedWhenZero(plan.pagination().limit().orElse(0)), budget);
    }

}
