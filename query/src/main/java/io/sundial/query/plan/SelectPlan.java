package io.sundial.query.plan;

import io.sundial.query.check.FunctionKind;
import io.sundial.query.check.SemanticCheck;
import io.sundial.query.sundialql.Clauses;
import io.sundial.query.sundialql.Expr;
import io.sundial.query.sundialql.Statement;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a checked SELECT means, independent of the data: the time range to read, the bucket
 * window, the grouping tags, fill, order and pagination. A pure function of the statement and
 * now(), so it is tested with tables of statements.
 *
 * @param range the query's time range (for GROUP BY time without an upper bound, up to now())
 * @param readRange the range to read: one interval earlier than {@code range} when derivative,
 *     difference, elapsed or moving_average run over an aggregate
 * @param window the GROUP BY time window, or null
 * @param groupTags tag keys named in GROUP BY
 * @param groupAllTags GROUP BY *
 * @param groupTagPatterns GROUP BY /regex/
 * @param isAggregate the fields hold aggregates or transformations
 * @param reportsSelectedTime one selector call is the only aggregate (beside plain fields or tags)
 *     and there is no GROUP BY time, so rows carry the selected point's time (InfluxDB's rule)
 */
public record SelectPlan(TimeRange range, TimeRange readRange, Window window, List<String> groupTags,
        boolean groupAllTags, List<Pattern> groupTagPatterns, Optional<Expr> residual, Clauses.FillMode fill,
        Object fillValue, boolean isAggregate, boolean reportsSelectedTime, boolean isDescending,
        Clauses.Pagination pagination, ZoneId zone) {

    /** This plan without LIMIT/OFFSET: for computing every row when ORDER BY or HAVING decides which rows count. */
    public SelectPlan withoutRowLimit() {
        Clauses.Pagination rows = new Clauses.Pagination(java.util.OptionalLong.empty(), java.util.OptionalLong.empty(),
                pagination.seriesLimit(), pagination.seriesOffset());
        return new SelectPlan(range, readRange, window, groupTags, groupAllTags, groupTagPatterns, residual, fill,
                fillValue, isAggregate, reportsSelectedTime, isDescending, rows, zone);
    }

    public static SelectPlan of(Statement.Select select, long nowNanos) {
        ZoneId zone = select.timeZone().map(ZoneId::of).orElse(null);
        TimeCondition condition = TimeCondition.split(select.where(), nowNanos, zone == null ? ZoneOffset.UTC : zone);
        boolean isAggregate = select.fields().stream().anyMatch(field -> SemanticCheck.containsAggregate(field.expression()));
        Window window = null;
        List<String> tags = new ArrayList<>();
        List<Pattern> patterns = new ArrayList<>();
        boolean allTags = false;
        for (Expr dimension : select.groupBy()) {
            switch (dimension) {
                case Expr.Call call -> window = window(call, nowNanos, zone);
                case Expr.VarRef reference -> tags.add(reference.name());
                case Expr.Wildcard wildcard -> allTags = true;
                case Expr.RegexLiteral regex -> patterns.add(TagCondition.compile(regex.pattern()));
                default -> throw new IllegalStateException("checked dimension: " + dimension);
            }
        }
        if (window == null) {
            // moving_<agg>(x, window, every) without GROUP BY time evaluates at buckets of every.
            java.util.OptionalLong step = io.sundial.query.check.ExtensionCheck.implicitStep(select);
            if (step.isPresent()) {
                window = new Window(step.getAsLong(), 0, zone);
            }
        }
        TimeRange range = condition.range();
        if (window != null && !range.hasMax()) {
            range = new TimeRange(range.min(), nowNanos);
        }
        TimeRange readRange = range;
        long extraBuckets = window == null ? 0 : extraBuckets(select);
        if (extraBuckets > 0 && range.hasMin()) {
            long back = Math.multiplyExact(extraBuckets, window.intervalNanos());
            readRange = new TimeRange(range.min() - back, range.max());
        }
        Clauses.FillMode fill = select.fill().map(Clauses.Fill::mode).orElse(Clauses.FillMode.NULL);
        Object fillValue = select.fill().flatMap(Clauses.Fill::value).map(value -> switch (value) {
            case Expr.IntegerLiteral integer -> (Object) integer.value();
            case Expr.FloatLiteral number -> (Object) number.value();
            default -> throw new IllegalStateException("checked fill value: " + value);
        }).orElse(null);
        boolean isDescending = !select.orderBy().isEmpty() && select.orderBy().getFirst().isDescending();
        return new SelectPlan(range, readRange, window, List.copyOf(tags), allTags, List.copyOf(patterns),
                condition.residual(), fill, fillValue, isAggregate, reportsSelectedTime(select, window),
                isDescending, select.pagination(), zone);
    }

    private static Window window(Expr.Call call, long nowNanos, ZoneId zone) {
        long interval = ((Expr.DurationLiteral) call.arguments().getFirst()).nanos();
        long offset = 0;
        if (call.arguments().size() == 2) {
            Expr argument = call.arguments().get(1);
            if (argument instanceof Expr.Call) {
                offset = Math.floorMod(nowNanos, interval); // time(1h, now()): buckets end at now()
            } else {
                offset = TimeLiterals.nanos(argument, nowNanos, ZoneOffset.UTC);
            }
            offset = Math.floorMod(offset, interval);
        }
        return new Window(interval, offset, zone);
    }

    /**
     * Intervals before the range start that transformations over aggregates read, so the first
     * bucket has a previous one: one for all but cumulative_sum. InfluxDB moves its start time
     * back by one interval before building the input of these functions (moving_average's further
     * n - 1 intervals reach only the moving-average iterator, not the read).
     */
    private static long extraBuckets(Statement.Select select) {
        for (Clauses.Field field : select.fields()) {
            if (field.expression() instanceof Expr.Call call && FunctionKind.of(call.name()) == FunctionKind.TRANSFORMATION
                    && call.arguments().getFirst() instanceof Expr.Call && !call.name().equals("cumulative_sum")
                    && !call.name().startsWith("holt_winters")) {
                return 1;
            }
        }
        return 0;
    }

    private static boolean reportsSelectedTime(Statement.Select select, Window window) {
        if (window != null) {
            return false; // decided before walking the fields: planning runs for every query
        }
        Expr only = null;
        for (Clauses.Field field : select.fields()) {
            if (SemanticCheck.containsAggregate(field.expression())) {
                if (only != null) {
                    return false;
                }
                only = field.expression();
            }
        }
        return only instanceof Expr.Call call && FunctionKind.of(call.name()) == FunctionKind.SELECTOR;
    }

    /** The bucket time of rows without GROUP BY time: the range's start, or the epoch when unbounded. */
    public long unbucketedTime() {
        return range.hasMin() ? range.min() : 0;
    }
}
