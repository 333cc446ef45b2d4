package io.sundial.server.pgwire;

import io.sundial.query.QueryException;
import io.sundial.query.plan.SelectPlan;
import io.sundial.query.plan.TimeRange;
import io.sundial.query.sundialql.Clauses;
import io.sundial.query.sundialql.Expr;
import io.sundial.query.sundialql.Source;
import io.sundial.query.sundialql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A raw SELECT (no aggregation, one measurement, rows in time order) answered in consecutive
 * time windows, so its rows go to the client as each window is read and at most about one
 * window's rows ({@link #WINDOW_ROWS_TARGET}) are in memory, however long the answer.
 *
 * <p>Why windows give the same rows as one statement: a raw SELECT without GROUP BY, ORDER BY,
 * LIMIT or INTO answers its rows in time order, and a row belongs to exactly one window (the
 * windows partition the statement's time range, which is fixed once: now() is read once). Rows
 * of one timestamp are never split, since windows are cut on timestamps.
 *
 * <p>Window sizes adapt to the data's density ({@link #nextSpan}); an empty window is followed by
 * a one-row probe that jumps to the next point (so gaps cost one statement, not many), and the
 * first probe finds where the data starts when the statement has no lower time bound.
 */
final class PagedSelect implements RowStream {
    /** Rows one window aims at: large enough that per-statement overhead is small, small enough to bound memory. */
    static final int WINDOW_ROWS_TARGET = 50_000;
    /** First window span; the next spans follow the density seen. */
    static final long FIRST_SPAN_NANOS = 60_000_000_000L;
    /** How fast a span may grow or shrink from one window to the next. */
    static final long SPAN_FACTOR_MAX = 8;

    /** Runs one statement of the answer (a window or a probe) with what is left of the time limit. */
    interface Runner {
        ResultTable run(Statement.Select select, Duration timeLimit) throws PgException;
    }

    private final Statement.Select select;
    private final Optional<Expr> residual;
    private final long rangeMax;
    private final Runner runner;
    private final AtomicBoolean cancelled;
    private final long deadlineNanos;
    private final Duration timeLimit;
    private List<ResultTable.Column> columns;
    private ResultTable.Projection projection;
    private long cursor;
    private long span = FIRST_SPAN_NANOS;
    private boolean needsProbe = true;
    private boolean isDone;
    private ResultTable window;
    private int windowRow;

    private PagedSelect(Statement.Select select, Optional<Expr> residual, TimeRange range, Runner runner,
            AtomicBoolean cancelled, Duration timeLimit) {
        this.select = select;
        this.residual = residual;
        this.cursor = range.min();
        this.rangeMax = range.max();
        this.runner = runner;
        this.cancelled = cancelled;
        this.timeLimit = timeLimit;
        this.deadlineNanos = System.nanoTime() + timeLimit.toNanos();
        this.isDone = range.isEmpty();
    }

    /**
     * The windowed answer of {@code select}, or empty when the statement is not a raw SELECT that
     * windows answer identically (it then runs as one statement). Reads the first window, so the
     * columns are known: those of the first rows, then any further {@code described} ones.
     */
    static Optional<PagedSelect> start(Statement.Select select, long nowNanos, List<ResultTable.Column> described,
            Runner runner, AtomicBoolean cancelled, Duration timeLimit) throws PgException {
        if (!isWindowable(select)) {
            return Optional.empty();
        }
        SelectPlan plan;
        try {
            plan = SelectPlan.of(select, nowNanos);
        } catch (QueryException | IllegalArgumentException e) {
            return Optional.empty(); // the single statement reports the error as it always does
        }
        if (plan.isAggregate() || !plan.readRange().equals(plan.range())) {
            return Optional.empty();
        }
        PagedSelect paged = new PagedSelect(select, plan.residual(), plan.range(), runner, cancelled, timeLimit);
        paged.window = paged.nextWindow();
        paged.columns = mergedColumns(paged.window == null ? List.of() : paged.window.columns(), described);
        return Optional.of(paged);
    }

    /** Whether {@code select} is a raw SELECT whose rows come in time order from one measurement. */
    static boolean isWindowable(Statement.Select select) {
        return select.into().isEmpty() && select.sources().size() == 1
                && select.sources().getFirst() instanceof Source.Measurement measurement
                && !measurement.measurement().isRegex() && select.groupBy().isEmpty() && select.fill().isEmpty()
                && select.having().isEmpty() && select.orderBy().isEmpty()
                && select.pagination().equals(Clauses.Pagination.NONE)
                && select.fields().stream().allMatch(field -> isRowWise(field.expression()));
    }

    /** True when the expression is computed from one row alone (no aggregate, selector or transformation). */
    private static boolean isRowWise(Expr expression) {
        return switch (expression) {
            case Expr.VarRef ignored -> true;
            case Expr.Wildcard ignored -> true;
            case Expr.IntegerLiteral ignored -> true;
            case Expr.StringLiteral ignored -> true;
            case Expr.Binary binary -> isRowWise(binary.left()) && isRowWise(binary.right());
            case Expr.Unary unary -> isRowWise(unary.operand());
            default -> false;
        };
    }

    /** The first window's columns (typed as the schema says where it knows), then described columns it lacks. */
    static List<ResultTable.Column> mergedColumns(List<ResultTable.Column> first, List<ResultTable.Column> described) {
        Map<String, ResultTable.Column> byName = new HashMap<>();
        described.forEach(column -> byName.put(column.name(), column));
        List<ResultTable.Column> columns = new ArrayList<>();
        for (ResultTable.Column column : first) {
            columns.add(byName.getOrDefault(column.name(), column));
        }
        for (ResultTable.Column column : described) {
            if (first.stream().noneMatch(c -> c.name().equals(column.name()))) {
                columns.add(column);
            }
        }
        return List.copyOf(columns);
    }

    /**
     * The span of the next window after one of {@code span} nanoseconds gave {@code rows} rows:
     * scaled towards {@code target} rows, by at most {@link #SPAN_FACTOR_MAX} either way (a
     * burst in the data must not make the next window huge). An empty window keeps the span: the
     * probe that follows jumps the gap, and growing the span over gaps would make the window after
     * it swallow dense data whole.
     */
    static long nextSpan(long span, long rows, long target) {
        if (rows == 0) {
            return span;
        }
        double scaled = (double) span * target / rows;
        double bounded = Math.min(Math.max(scaled, (double) span / SPAN_FACTOR_MAX), (double) span * SPAN_FACTOR_MAX);
        return Math.max(1, bounded >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) bounded);
    }

    @Override
    public List<ResultTable.Column> columns() {
        return columns;
    }

    @Override
    public Object[] next() throws PgException {
        while (window == null || windowRow >= window.rows().size()) {
            window = nextWindow();
            windowRow = 0;
            if (window == null) {
                return null;
            }
            projection = window.columns().equals(columns) ? null : ResultTable.Projection.of(window.columns(), columns);
        }
        Object[] row = window.rows().get(windowRow);
        window.rows().set(windowRow++, null); // sent rows are garbage at once, not at the window's end
        return projection == null ? row : projection.apply(row);
    }

    /** Reads windows until one has rows; null when the range is exhausted. */
    private ResultTable nextWindow() throws PgException {
        while (!isDone) {
            if (needsProbe) {
                ResultTable first = run(cursor, rangeMax, OptionalLong.of(1));
                if (first.rows().isEmpty()) {
                    isDone = true;
                    return null;
                }
                cursor = ((Number) first.rows().getFirst()[0]).longValue();
                needsProbe = false;
            }
            long room = rangeMax - cursor;
            if (room < 0) {
                room = Long.MAX_VALUE; // the difference overflowed: cursor <= rangeMax holds here
            }
            long end = span - 1 >= room ? rangeMax : cursor + span - 1;
            ResultTable rows = run(cursor, end, OptionalLong.empty());
            isDone = end == rangeMax;
            cursor = end + 1;
            span = nextSpan(span, rows.rows().size(), WINDOW_ROWS_TARGET);
            if (!rows.rows().isEmpty()) {
                return rows;
            }
            needsProbe = true;
        }
        return null;
    }

    private ResultTable run(long from, long to, OptionalLong limit) throws PgException {
        if (cancelled.get()) {
            throw PgException.canceled();
        }
        long leftNanos = deadlineNanos - System.nanoTime();
        if (leftNanos <= 0) {
            throw new PgException(SqlState.QUERY_CANCELED, "canceling statement due to statement timeout: the statement "
                    + "ran past its time limit of " + timeLimit.toSeconds() + " s while sending rows");
        }
        Expr time = new Expr.Binary(Expr.BinaryOperator.AND, comparison(Expr.BinaryOperator.GREATER_OR_EQUAL, from),
                comparison(Expr.BinaryOperator.LESS_OR_EQUAL, to), select.position());
        Expr where = residual.<Expr>map(rest -> new Expr.Binary(Expr.BinaryOperator.AND, rest, time, select.position()))
                .orElse(time);
        Clauses.Pagination pagination = limit.isPresent()
                ? new Clauses.Pagination(limit, OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty())
                : Clauses.Pagination.NONE;
        Statement.Select window = new Statement.Select(select.fields(), select.into(), select.sources(), Optional.of(where),
                select.groupBy(), select.fill(), select.having(), select.orderBy(), pagination, select.timeZone(),
                select.position());
        ResultTable table = runner.run(window, Duration.ofNanos(leftNanos));
        if (!table.rows().isEmpty() && !(table.rows().getFirst()[0] instanceof Number)) {
            throw new PgException(SqlState.INTERNAL_ERROR, "a raw SELECT answered without its time column first");
        }
        return table;
    }

    private Expr comparison(Expr.BinaryOperator operator, long nanos) {
        return new Expr.Binary(operator, new Expr.VarRef("time", select.position()),
                new Expr.IntegerLiteral(nanos, select.position()), select.position());
    }
}
