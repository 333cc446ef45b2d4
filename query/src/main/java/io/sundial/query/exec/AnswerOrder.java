package io.sundial.query.exec;

import io.sundial.query.QueryException;
import io.sundial.query.check.FunctionKind;
import io.sundial.query.check.SemanticCheck;
import io.sundial.query.plan.SelectPlan;
import io.sundial.query.plan.TimeCondition;
import io.sundial.query.result.ResultSeries;
import io.sundial.query.sundialql.Clauses;
import io.sundial.query.sundialql.Expr;
import io.sundial.query.sundialql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SundialQL's HAVING and ORDER BY beyond time, applied to the rows of an answer after they are
 * computed.
 *
 * <p>HAVING keeps the rows (a group's row, or a bucket's row under GROUP BY time) where its
 * condition holds; a series left without rows disappears. ORDER BY keys are columns of the answer
 * (by name or by expression), GROUP BY tags, time, or aggregates that are not columns (computed
 * in hidden columns). How rows of several series are ordered:
 * <ul>
 *   <li>an aggregate without GROUP BY time has one row per group, so ORDER BY orders the groups
 *       and LIMIT/OFFSET count groups: the top-N groups overall;
 *   <li>otherwise (raw rows, GROUP BY time) ORDER BY orders the rows inside each series and
 *       LIMIT/OFFSET count rows per series: the top-N rows of each group.
 * </ul>
 * Nulls sort last in both directions; ties go to the next key, then to the earlier time, then
 * to the series order (name, tag values). SLIMIT/SOFFSET still pick series in name and tag order
 * first.
 */
final class AnswerOrder {
    /** Names of hidden columns start with a character no column name of a query can hold. */
    private static final String HIDDEN = "\u0000";
    private static final int TIME = 0;

    /** A sort key: a column of the row (0 is time), or a GROUP BY tag when {@code tag} is set. */
    private record Key(int column, String tag, boolean isDescending) {}

    private final List<OutputField> fields;
    private final int visibleCount;
    private final Expr having;
    private final List<Key> keys;
    private final boolean ordersGroups;
    private final Evaluator evaluator = new Evaluator();

    private AnswerOrder(List<OutputField> fields, int visibleCount, Expr having, List<Key> keys, boolean ordersGroups) {
        this.fields = fields;
        this.visibleCount = visibleCount;
        this.having = having;
        this.keys = keys;
        this.ordersGroups = ordersGroups;
    }

    static AnswerOrder of(Statement.Select select, List<OutputField> visible, SelectPlan plan) {
        Resolver resolver = new Resolver(visible, plan);
        Expr having = null;
        if (select.having().isPresent()) {
            if (!plan.isAggregate()) {
                throw new QueryException("HAVING needs an aggregate query: filter raw rows with WHERE");
            }
            having = resolver.condition(select.having().get());
        }
        List<Key> keys = new ArrayList<>();
        boolean onlyTime = true;
        for (Clauses.SortField sort : select.orderBy()) {
            keys.add(resolver.key(sort));
            onlyTime &= TimeCondition.isTime(sort.expression());
        }
        if (onlyTime && having == null) {
            keys.clear(); // ORDER BY time [DESC] keeps InfluxQL's meaning, applied by the executor
        }
        boolean ordersGroups = plan.isAggregate() && plan.window() == null;
        return new AnswerOrder(resolver.fields, visible.size(), having, keys, ordersGroups);
    }

    /** True when HAVING or a non-time ORDER BY key is present. */
    boolean isActive() {
        return having != null || !keys.isEmpty();
    }

    /** The columns to compute: the answer's, then hidden ones for HAVING and ORDER BY. */
    List<OutputField> fields() {
        return fields;
    }

    /** A group's rows after HAVING, still with hidden columns. */
    List<List<Object>> filter(GroupKey group, List<List<Object>> rows) {
        if (having == null) {
            return rows;
        }
        List<List<Object>> kept = new ArrayList<>(rows.size());
        for (List<Object> row : rows) {
            if (evaluator.isTrue(having, reference -> value(reference, group, row))) {
                kept.add(row);
            }
        }
        return kept;
    }

    /**
     * Orders and pages the groups' rows (already past HAVING and SLIMIT/SOFFSET, in series order)
     * and drops the hidden columns. Time-only ordering was applied before.
     */
    List<ResultSeries> shape(List<Map.Entry<GroupKey, List<List<Object>>>> groups, List<String> columns, long offset,
            long limit, Budget budget) {
        Map<GroupKey, List<List<Object>>> out = new LinkedHashMap<>();
        if (ordersGroups && !keys.isEmpty()) {
            List<Map.Entry<GroupKey, List<Object>>> all = new ArrayList<>();
            for (Map.Entry<GroupKey, List<List<Object>>> group : groups) {
                for (List<Object> row : group.getValue()) {
                    all.add(Map.entry(group.getKey(), row));
                }
            }
            // A stable sort: equal rows keep series order.
            all.sort((a, b) -> compare(a.getKey(), a.getValue(), b.getKey(), b.getValue()));
            for (Map.Entry<GroupKey, List<Object>> entry : page(all, offset, limit)) {
                out.computeIfAbsent(entry.getKey(), key -> new ArrayList<>()).add(entry.getValue());
            }
        } else {
            for (Map.Entry<GroupKey, List<List<Object>>> group : groups) {
                List<List<Object>> rows = new ArrayList<>(group.getValue());
                if (!keys.isEmpty()) {
                    GroupKey key = group.getKey();
                    rows.sort((a, b) -> compare(key, a, key, b));
                }
                List<List<Object>> page = page(rows, offset, limit);
                if (!page.isEmpty()) {
                    out.put(group.getKey(), page);
                }
            }
        }
        List<ResultSeries> series = new ArrayList<>();
        for (Map.Entry<GroupKey, List<List<Object>>> group : out.entrySet()) {
            List<List<Object>> visibleRows = new ArrayList<>(group.getValue().size());
            for (List<Object> row : group.getValue()) {
                visibleRows.add(row.subList(0, visibleCount + 1));
            }
            budget.addRows(visibleRows.size());
            series.add(new ResultSeries(group.getKey().name(), group.getKey().tags(), columns, visibleRows, false));
        }
        return series;
    }

    private static <T> List<T> page(List<T> rows, long offset, long limit) {
        int from = (int) Math.min(rows.size(), offset);
        int to = (int) Math.min(rows.size(), from + Math.min(limit, Integer.MAX_VALUE));
        return rows.subList(from, to);
    }

    private int compare(GroupKey firstGroup, List<Object> first, GroupKey secondGroup, List<Object> second) {
        for (Key key : keys) {
            Object a = key.tag() != null ? tag(firstGroup, key.tag()) : first.get(key.column());
            Object b = key.tag() != null ? tag(secondGroup, key.tag()) : second.get(key.column());
            if (a == null || b == null) {
                if (a != b) {
                    return a == null ? 1 : -1; // nulls last, whatever the direction
                }
                continue;
            }
            int order = compareValues(a, b);
            if (order != 0) {
                return key.isDescending() ? -order : order;
            }
        }
        return Long.compare((Long) first.get(TIME), (Long) second.get(TIME));
    }

    /** Numbers by value, strings by text, false before true; across types: numbers, strings, booleans. */
    static int compareValues(Object a, Object b) {
        int rankA = rank(a);
        int rankB = rank(b);
        if (rankA != rankB) {
            return Integer.compare(rankA, rankB);
        }
        return switch (a) {
            case Long l when b instanceof Long m -> Long.compare(l, m);
            case Number n -> Double.compare(n.doubleValue(), ((Number) b).doubleValue());
            case String s -> s.compareTo((String) b);
            case Boolean bool -> Boolean.compare(bool, (Boolean) b);
            default -> 0;
        };
    }

    private static int rank(Object value) {
        return switch (value) {
            case Number n -> 0;
            case String s -> 1;
            case Boolean b -> 2;
            default -> 3;
        };
    }

    private static Object value(Expr.VarRef reference, GroupKey group, List<Object> row) {
        if (reference.name().startsWith(HIDDEN)) {
            return row.get(Integer.parseInt(reference.name().substring(HIDDEN.length())));
        }
        return tag(group, reference.name());
    }

    private static String tag(GroupKey group, String name) {
        int index = group.keys().indexOf(name);
        return index < 0 ? "" : group.values().get(index);
    }

    /** Maps HAVING and ORDER BY expressions onto columns, adding hidden columns as needed. */
    private static final class Resolver {
        final List<OutputField> fields;
        private final int visibleCount;
        private final SelectPlan plan;

        Resolver(List<OutputField> visible, SelectPlan plan) {
            this.fields = new ArrayList<>(visible);
            this.visibleCount = visible.size();
            this.plan = plan;
        }

        Key key(Clauses.SortField sort) {
            Expr expression = sort.expression();
            if (TimeCondition.isTime(expression)) {
                return new Key(TIME, null, sort.isDescending());
            }
            int column = column(expression);
            if (column >= 0) {
                return new Key(column, null, sort.isDescending());
            }
            if (expression instanceof Expr.VarRef reference && plan.isAggregate()) {
                return new Key(-1, groupTag(reference, "ORDER BY"), sort.isDescending());
            }
            return new Key(hidden(expression, "ORDER BY"), null, sort.isDescending());
        }

        Expr condition(Expr expr) {
            int column = column(expr);
            if (column >= 0) {
                return reference(column, expr);
            }
            return switch (expr) {
                case Expr.VarRef reference -> {
                    groupTag(reference, "HAVING");
                    yield reference;
                }
                case Expr.Call call when FunctionKind.of(call.name()) != FunctionKind.MATH ->
                        reference(hidden(call, "HAVING"), call);
                case Expr.Call call -> new Expr.Call(call.name(), call.arguments().stream().map(this::condition).toList(),
                        call.position());
                case Expr.Binary binary -> new Expr.Binary(binary.operator(), condition(binary.left()),
                        condition(binary.right()), binary.position());
                case Expr.Unary unary -> new Expr.Unary(unary.operator(), condition(unary.operand()), unary.position());
                case Expr.Between between -> new Expr.Between(condition(between.value()), condition(between.lower()),
                        condition(between.upper()), between.isNegated(), between.position());
                case Expr.InList in -> new Expr.InList(condition(in.value()), in.items(), in.isNegated(), in.position());
                default -> expr;
            };
        }

        /** The row position (1-based after time) of a column that is this expression or has this name, else -1. */
        private int column(Expr expr) {
            for (int i = 0; i < visibleCount; i++) {
                if (expr instanceof Expr.VarRef reference && reference.qualifier().isEmpty()
                        && fields.get(i).name().equals(reference.name())) {
                    return i + 1;
                }
            }
            for (int i = 0; i < fields.size(); i++) {
                if (fields.get(i).expression().equals(expr)) {
                    return i + 1;
                }
            }
            return -1;
        }

        private int hidden(Expr expr, String clause) {
            boolean hasAggregate = SemanticCheck.containsAggregate(expr);
            if (plan.isAggregate() != hasAggregate) {
                throw new QueryException(clause + " " + expr + ": " + (plan.isAggregate()
                        ? "expected an aggregate, a column of the answer or a GROUP BY tag"
                        : "an aggregate needs an aggregate query"));
            }
            fields.add(new OutputField(HIDDEN + fields.size(), expr));
            return fields.size();
        }

        private String groupTag(Expr.VarRef reference, String clause) {
            boolean grouped = plan.groupTags().contains(reference.name()) || plan.groupAllTags()
                    || plan.groupTagPatterns().stream().anyMatch(pattern -> pattern.matcher(reference.name()).find());
            if (!grouped) {
                throw new QueryException(clause + " " + reference + ": not a column of the answer nor a GROUP BY tag");
            }
            return reference.name();
        }

        private static Expr reference(int column, Expr at) {
            return new Expr.VarRef(HIDDEN + column, at.position());
        }
    }
}
