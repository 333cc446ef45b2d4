package io.sundial.query.exec;

import io.sundial.query.QueryException;
import io.sundial.query.check.FunctionKind;
import io.sundial.query.check.SemanticCheck;
import io.sundial.query.plan.SelectPlan;
import io.sundial.query.plan.TimeCondition;
import io.sundial.query.result.ResultSeries;
import io.sundial.query.sundialql.Clauses;
import io.sundial.query.sundialql.Expr;
import io.sundial.query.sundialql.Source;
import io.sundial.query.sundialql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * SundialQL's JOIN: an inner join of measurements or subqueries on time and tags.
 *
 * <p>Every part of a SELECT column that reads one side only (an aggregate such as
 * {@code mean(a.usage)}, or a reference {@code a.usage} in a raw query) is computed by a query
 * over that side alone, grouped by the GROUP BY time window and by every tag any ON names, with
 * the statement's fill. The sides' rows then meet, left to right, where their times are equal
 * (the same bucket; an aggregate without GROUP BY time has one row per group and meets on tags
 * alone) and they agree on the ON tags of that JOIN step; every combination of meeting rows is a
 * row of the answer, whose columns are then evaluated over the joined values. The answer's
 * series are the GROUP BY tags (which must be ON tags), named after the sides joined by '_'.
 */
final class JoinQuery {
    /** Most rows the join may produce; a join on too few tags can multiply rows. */
    static final long JOINED_ROWS_MAX = 10_000_000;
    private static final String SLOT = "\u0001";

    /** A side: its source, the name that qualifies its columns, and the parts computed on it. */
    private static final class Side {
        final Source source;
        final String name;
        final List<Expr> leaves = new ArrayList<>();

        Side(Source source, String name) {
            this.source = source;
            this.name = name;
        }
    }

    /** A row in the making: ON tag values, time, and the value of every leaf slot. */
    private record JoinedRow(Map<String, String> tags, long time, Object[] slots) {}

    private final Function<Statement.Select, List<ResultSeries>> runSide;
    private final Budget budget;
    private final Evaluator evaluator = new Evaluator();
    private final List<Side> sides = new ArrayList<>();
    private final List<List<String>> stepTags = new ArrayList<>();
    private final LinkedHashSet<String> onTags = new LinkedHashSet<>();
    /** Slot of each leaf (by side and position in the side's leaves). */
    private final List<Map<Integer, Integer>> slotOf = new ArrayList<>();
    private int slotCount;

    JoinQuery(Function<Statement.Select, List<ResultSeries>> runSide, Budget budget) {
        this.runSide = runSide;
        this.budget = budget;
    }

    TreeMap<GroupKey, List<List<Object>>> run(Statement.Select select, Source.Join join, SelectPlan plan,
            List<OutputField> fields) {
        flatten(join);
        for (String tag : plan.groupTags()) {
            if (!onTags.contains(tag)) {
                throw new QueryException("GROUP BY " + tag + ": a JOIN groups only by tags it joins ON (" + onTags + ")");
            }
        }
        if (plan.groupAllTags() || !plan.groupTagPatterns().isEmpty()) {
            throw new QueryException("GROUP BY * and GROUP BY /regex/ are not supported with JOIN: name ON tags");
        }
        List<Expr> outputs = new ArrayList<>();
        for (OutputField field : fields) {
            outputs.add(extract(field.expression(), plan.isAggregate()));
        }
        for (Side side : sides) {
            if (side.leaves.isEmpty()) {
                throw new QueryException("JOIN source " + side.name + " is not used in SELECT: refer to its columns as "
                        + side.name + ".column");
            }
        }
        Map<Side, Expr> wheres = splitWhere(plan);
        List<JoinedRow> rows = null;
        for (int s = 0; s < sides.size(); s++) {
            List<JoinedRow> sideRows = sideRows(s, select, plan, wheres.get(sides.get(s)));
            rows = rows == null ? sideRows : meet(rows, sideRows, stepTags.get(s - 1));
        }
        return group(rows, plan, outputs);
    }

    // ------------------------------------------------------------------------------ sources

    private void flatten(Source source) {
        if (source instanceof Source.Join join) {
            flatten(join.left());
            addSide(join.right());
            stepTags.add(join.onTags());
            onTags.addAll(join.onTags());
        } else {
            addSide(source);
        }
    }

    private void addSide(Source source) {
        String name = switch (source) {
            case Source.Measurement measurement -> measurement.alias().orElseGet(() -> {
                if (measurement.measurement().isRegex()) {
                    throw new QueryException("a regex measurement in a JOIN needs an alias: /"
                            + measurement.measurement().name() + "/ AS name");
                }
                return measurement.measurement().name();
            });
            case Source.Subquery subquery -> subquery.alias().orElseThrow(() -> new QueryException(
                    "a subquery in a JOIN needs an alias: (SELECT ...) AS name"));
            case Source.Join join -> throw new IllegalStateException("flattened above");
        };
        for (Side side : sides) {
            if (side.name.equals(name)) {
                throw new QueryException("JOIN source " + name + " appears twice: give each side its own alias");
            }
        }
        sides.add(new Side(source, name));
        slotOf.add(new HashMap<>());
    }

    // ------------------------------------------------------------------------------ columns

    /**
     * The column with each single-side part replaced by a slot reference. In an aggregate query a
     * part is the largest call reading one side; in a raw query it is a qualified reference.
     */
    private Expr extract(Expr expr, boolean isAggregate) {
        if (isAggregate && expr instanceof Expr.Call call && FunctionKind.of(call.name()) != FunctionKind.MATH
                && SemanticCheck.containsAggregate(call)) {
            return slot(sideOf(call, call), unqualified(call), call);
        }
        return switch (expr) {
            case Expr.VarRef reference when TimeCondition.isTime(reference) -> reference;
            case Expr.VarRef reference when reference.qualifier().isPresent() -> {
                if (isAggregate) {
                    throw new QueryException("mixing aggregate and non-aggregate queries is not supported: "
                            + reference + " outside an aggregate");
                }
                yield slot(sideOf(reference, reference), unqualified(reference), reference);
            }
            case Expr.VarRef reference -> {
                if (!onTags.contains(reference.name())) {
                    throw new QueryException("column " + reference.name() + " in a JOIN: qualify it with its source ("
                            + String.join(", ", sides.stream().map(side -> side.name + "." + reference.name()).toList())
                            + "), or name a tag the JOIN is ON");
                }
                yield reference; // an ON tag: the joined row's value
            }
            case Expr.Call call -> new Expr.Call(call.name(),
                    call.arguments().stream().map(argument -> extract(argument, isAggregate)).toList(), call.position());
            case Expr.Binary binary -> new Expr.Binary(binary.operator(), extract(binary.left(), isAggregate),
                    extract(binary.right(), isAggregate), binary.position());
            case Expr.Unary unary -> new Expr.Unary(unary.operator(), extract(unary.operand(), isAggregate),
                    unary.position());
            default -> expr;
        };
    }

    private Expr slot(Side side, Expr leaf, Expr at) {
        int index = side.leaves.indexOf(leaf);
        if (index < 0) {
            side.leaves.add(leaf);
            index = side.leaves.size() - 1;
            slotOf.get(sides.indexOf(side)).put(index, slotCount++);
        }
        return new Expr.VarRef(SLOT + slotOf.get(sides.indexOf(side)).get(index), at.position());
    }

    /** The one side every qualified reference in {@code expr} names. */
    private Side sideOf(Expr expr, Expr column) {
        LinkedHashSet<String> qualifiers = new LinkedHashSet<>();
        collectQualifiers(expr, qualifiers, column);
        if (qualifiers.size() != 1) {
            throw new QueryException(column + ": " + (qualifiers.isEmpty()
                    ? "qualify the columns with the JOIN source they come from (alias.column)"
                    : "an aggregate reads one JOIN source; combine aggregates of different sources with operators"));
        }
        String name = qualifiers.iterator().next();
        for (Side side : sides) {
            if (side.name.equals(name)) {
                return side;
            }
        }
        throw new QueryException(column + ": " + name + " names no JOIN source (sources: "
                + String.join(", ", sides.stream().map(side -> side.name).toList()) + ")");
    }

    private void collectQualifiers(Expr expr, LinkedHashSet<String> out, Expr column) {
        switch (expr) {
            case Expr.VarRef reference when reference.qualifier().isPresent() -> out.add(reference.qualifier().get());
            case Expr.VarRef reference -> {
                if (!TimeCondition.isTime(reference) && !onTags.contains(reference.name())) {
                    throw new QueryException(column + ": qualify " + reference.name()
                            + " with the JOIN source it comes from (alias." + reference.name() + ")");
                }
            }
            case Expr.Call call -> call.arguments().forEach(argument -> collectQualifiers(argument, out, column));
            case Expr.Binary binary -> {
                collectQualifiers(binary.left(), out, column);
                collectQualifiers(binary.right(), out, column);
            }
            case Expr.Unary unary -> collectQualifiers(unary.operand(), out, column);
            case Expr.Between between -> {
                collectQualifiers(between.value(), out, column);
                collectQualifiers(between.lower(), out, column);
                collectQualifiers(between.upper(), out, column);
            }
            case Expr.InList in -> collectQualifiers(in.value(), out, column);
            default -> { }
        }
    }

    private static Expr unqualified(Expr expr) {
        return switch (expr) {
            case Expr.VarRef reference -> new Expr.VarRef(Optional.empty(), reference.name(), reference.type(),
                    reference.position());
            case Expr.Call call -> new Expr.Call(call.name(), call.arguments().stream().map(JoinQuery::unqualified).toList(),
                    call.position());
            case Expr.Binary binary -> new Expr.Binary(binary.operator(), unqualified(binary.left()),
                    unqualified(binary.right()), binary.position());
            case Expr.Unary unary -> new Expr.Unary(unary.operator(), unqualified(unary.operand()), unary.position());
            case Expr.Between between -> new Expr.Between(unqualified(between.value()), unqualified(between.lower()),
                    unqualified(between.upper()), between.isNegated(), between.position());
            case Expr.InList in -> new Expr.InList(unqualified(in.value()), in.items(), in.isNegated(), in.position());
            default -> expr;
        };
    }

    // ------------------------------------------------------------------------------ sides

    /**
     * The WHERE conditions of each side: a top-level AND part that names one side goes to it
     * (unqualified); a part without qualifiers (a condition on ON tags) goes to every side.
     */
    private Map<Side, Expr> splitWhere(SelectPlan plan) {
        Map<Side, Expr> out = new HashMap<>();
        if (plan.residual().isEmpty()) {
            return out;
        }
        for (Expr conjunct : conjuncts(plan.residual().get())) {
            LinkedHashSet<String> qualifiers = new LinkedHashSet<>();
            collectQualifiers(conjunct, qualifiers, conjunct);
            if (qualifiers.size() > 1) {
                throw new QueryException("WHERE " + conjunct + " compares JOIN sources: a WHERE condition reads one"
                        + " source; compare joined values in HAVING");
            }
            for (Side side : sides) {
                if (qualifiers.isEmpty() || qualifiers.contains(side.name)) {
                    Expr part = unqualified(conjunct);
                    out.merge(side, part, (a, b) -> new Expr.Binary(Expr.BinaryOperator.AND, a, b, b.position()));
                }
            }
            if (!qualifiers.isEmpty() && sides.stream().noneMatch(side -> qualifiers.contains(side.name))) {
                sideOf(conjunct, conjunct); // names the unknown qualifier
            }
        }
        return out;
    }

    private static List<Expr> conjuncts(Expr expr) {
        List<Expr> out = new ArrayList<>();
        if (expr instanceof Expr.Binary binary && binary.operator() == Expr.BinaryOperator.AND) {
            out.addAll(conjuncts(binary.left()));
            out.addAll(conjuncts(binary.right()));
        } else {
            out.add(expr);
        }
        return out;
    }

    private List<JoinedRow> sideRows(int index, Statement.Select select, SelectPlan plan, Expr where) {
        Side side = sides.get(index);
        List<Clauses.Field> fields = new ArrayList<>();
        for (int i = 0; i < side.leaves.size(); i++) {
            fields.add(new Clauses.Field(side.leaves.get(i), Optional.of("c" + i), select.position()));
        }
        List<Expr> groupBy = new ArrayList<>();
        for (Expr dimension : select.groupBy()) {
            if (dimension instanceof Expr.Call) {
                groupBy.add(dimension);
            }
        }
        for (String tag : onTags) {
            groupBy.add(new Expr.VarRef(tag, select.position()));
        }
        Statement.Select query = Subqueries.withinRange(new Statement.Select(fields, Optional.empty(),
                List.of(side.source), Optional.ofNullable(where), groupBy, select.fill(), Optional.empty(), List.of(),
                Clauses.Pagination.NONE, select.timeZone(), select.position()), plan.range());
        boolean joinsOnTagsOnly = plan.isAggregate() && plan.window() == null;
        List<JoinedRow> rows = new ArrayList<>();
        for (ResultSeries series : runSide.apply(query)) {
            Map<String, String> tags = new HashMap<>();
            for (String tag : onTags) {
                tags.put(tag, series.tags().getOrDefault(tag, ""));
            }
            for (List<Object> values : series.values()) {
                budget.check();
                Object[] slots = new Object[slotCount];
                for (int i = 0; i < side.leaves.size(); i++) {
                    slots[slotOf.get(index).get(i)] = values.get(i + 1);
                }
                long time = joinsOnTagsOnly ? plan.unbucketedTime() : (Long) values.getFirst();
                rows.add(new JoinedRow(tags, time, slots));
            }
        }
        return rows;
    }

    /** Every pair of a left and a right row at one time that agree on {@code tags}. */
    private List<JoinedRow> meet(List<JoinedRow> left, List<JoinedRow> right, List<String> tags) {
        Map<List<Object>, List<JoinedRow>> byKey = new HashMap<>();
        for (JoinedRow row : right) {
            byKey.computeIfAbsent(key(row, tags), key -> new ArrayList<>()).add(row);
        }
        List<JoinedRow> out = new ArrayList<>();
        for (JoinedRow row : left) {
            for (JoinedRow match : byKey.getOrDefault(key(row, tags), List.of())) {
                Object[] slots = row.slots().clone();
                for (int i = 0; i < slots.length; i++) {
                    if (match.slots()[i] != null) {
                        slots[i] = match.slots()[i];
                    }
                }
                Map<String, String> joinedTags = new HashMap<>(row.tags());
                match.tags().forEach((tag, value) -> {
                    if (joinedTags.getOrDefault(tag, "").isEmpty()) {
                        joinedTags.put(tag, value);
                    }
                });
                out.add(new JoinedRow(joinedTags, row.time(), slots));
                if (out.size() > JOINED_ROWS_MAX) {
                    throw new QueryException("the JOIN produces more than " + JOINED_ROWS_MAX
                            + " rows; join ON more tags or narrow the time range");
                }
            }
            budget.check();
        }
        return out;
    }

    private static List<Object> key(JoinedRow row, List<String> tags) {
        List<Object> key = new ArrayList<>(tags.size() + 1);
        key.add(row.time());
        for (String tag : tags) {
            key.add(row.tags().getOrDefault(tag, ""));
        }
        return key;
    }

    // ------------------------------------------------------------------------------ answer

    private TreeMap<GroupKey, List<List<Object>>> group(List<JoinedRow> rows, SelectPlan plan, List<Expr> outputs) {
        String name = String.join("_", sides.stream().map(side -> side.name).toList());
        List<String> keys = plan.groupTags().stream().sorted().distinct().toList();
        Map<GroupKey, List<List<Object>>> groups = new LinkedHashMap<>();
        for (JoinedRow row : rows) {
            List<String> values = keys.stream().map(tag -> row.tags().getOrDefault(tag, "")).toList();
            List<Object> out = new ArrayList<>(outputs.size() + 1);
            out.add(row.time());
            Evaluator.Bindings bindings = reference -> reference.name().startsWith(SLOT)
                    ? row.slots()[Integer.parseInt(reference.name().substring(SLOT.length()))]
                    : row.tags().getOrDefault(reference.name(), "");
            for (Expr output : outputs) {
                out.add(TimeCondition.isTime(output) ? (Object) row.time() : evaluator.evaluate(output, bindings));
            }
            groups.computeIfAbsent(new GroupKey(name, keys, values), key -> new ArrayList<>()).add(out);
        }
        TreeMap<GroupKey, List<List<Object>>> sorted = new TreeMap<>();
        for (Map.Entry<GroupKey, List<List<Object>>> entry : groups.entrySet()) {
            List<List<Object>> groupRows = entry.getValue();
            groupRows.sort((a, b) -> Long.compare((Long) a.getFirst(), (Long) b.getFirst()));
            sorted.put(entry.getKey(), groupRows);
        }
        return sorted;
    }
}
