package io.sundial.query.exec;

import io.sundial.query.plan.SelectPlan;
import io.sundial.query.result.ResultSeries;
import io.sundial.query.result.SeriesSink;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Turns finished groups into the answer's series, one group at a time in answer order, and hands
 * each to a {@link SeriesSink} at once: SLIMIT/SOFFSET count the groups with rows, LIMIT/OFFSET
 * page the rows of each, every kept row is counted against the query's row limit. Under ORDER BY
 * time DESC the series come out in reverse, so nothing can leave before the last group is known:
 * the series are held and handed on by {@link #finish}.
 *
 * <p>A group made of one series can also be fed row by row ({@link #open}): its rows are already
 * in time order, so they leave in pieces of {@link #PIECE_ROWS} and are never all held.
 */
final class AnswerShaper {
    /** Rows per piece of a series fed row by row: large enough that a piece amortises the writer's work. */
    static final int PIECE_ROWS = 4096;

    private final SelectPlan plan;
    private final List<String> columns;
    private final Budget budget;
    private final SeriesSink sink;
    private final boolean sortsRows;
    private final long seriesOffset;
    private final long seriesLimit;
    private final long offset;
    private final long limit;
    /** Series held back under DESC, in ascending order. */
    private final List<ResultSeries> held = new ArrayList<>();
    private long skipped;
    private long emitted;

    /** {@code sortsRows}: raw rows of a group arrive in series order and must be put in time order. */
    AnswerShaper(SelectPlan plan, List<String> columns, Budget budget, SeriesSink sink, boolean sortsRows) {
        this.plan = plan;
        this.columns = columns;
        this.budget = budget;
        this.sink = sink;
        this.sortsRows = sortsRows;
        this.seriesOffset = plan.pagination().seriesOffset().orElse(0);
        this.seriesLimit = unlimitedWhenZero(plan.pagination().seriesLimit().orElse(0));
        this.offset = plan.pagination().offset().orElse(0);
        this.limit = unlimitedWhenZero(plan.pagination().limit().orElse(0));
    }

    /** Whether a row fed one by one can leave at once (not under DESC, where the last series leaves first). */
    boolean streamsRows() {
        return !plan.isDescending();
    }

    /** SLIMIT is reached: later groups are not shown. */
    boolean isFull() {
        return emitted >= seriesLimit;
    }

    /** A whole group, in answer order after every group given before. */
    void group(GroupKey key, List<List<Object>> rows) {
        if (isFull() || rows.isEmpty()) {
            return;
        }
        if (skipped < seriesOffset) {
            skipped++;
            return;
        }
        if (!plan.isAggregate() && sortsRows) {
            rows.sort((a, b) -> Long.compare((Long) a.getFirst(), (Long) b.getFirst()));
        }
        if (plan.isDescending()) {
            Collections.reverse(rows);
        }
        int from = (int) Math.min(rows.size(), offset);
        int to = (int) Math.min(rows.size(), from + Math.min(limit, Integer.MAX_VALUE));
        List<List<Object>> page = rows.subList(from, to);
        if (page.isEmpty()) {
            return;
        }
        budget.addRows(page.size());
        emitted++;
        ResultSeries series = new ResultSeries(key.name(), key.tags(), columns, page, false);
        if (plan.isDescending()) {
            held.add(series);
        } else {
            sink.series(series, false);
        }
    }

    /** A group fed row by row in time order (only when {@link #streamsRows}); close it with {@link Rows#close}. */
    Rows open(GroupKey key) {
        return new Rows(key);
    }

    /** Hands on what DESC held back. */
    void finish() {
        Collections.reverse(held);
        for (ResultSeries series : held) {
            sink.series(series, false);
        }
        held.clear();
    }

    /** The rows of one group as they are made; see {@link #open}. */
    final class Rows {
        private final GroupKey key;
        private List<List<Object>> piece = new ArrayList<>();
        private long seen;
        private boolean isDropped;
        private boolean hasEmitted;

        private Rows(GroupKey key) {
            this.key = key;
        }

        void add(List<Object> row) {
            if (seen == 0) {
                // The group has rows: SLIMIT and SOFFSET decide now whether it is shown at all.
                isDropped = isFull() || skipped < seriesOffset;
                if (!isFull() && skipped < seriesOffset) {
                    skipped++;
                }
            }
            long index = seen++;
            if (isDropped || index < offset || index - offset >= limit) {
                return;
            }
            if (piece.size() == PIECE_ROWS) {
                emit(true);
            }
            piece.add(row);
        }

        /** The group is complete. */
        void close() {
            if (!piece.isEmpty()) {
                emit(false);
            }
        }

        private void emit(boolean continues) {
            budget.addRows(piece.size());
            if (!hasEmitted) {
                hasEmitted = true;
                emitted++;
            }
            sink.series(new ResultSeries(key.name(), key.tags(), columns, piece, false), continues);
            piece = new ArrayList<>();
        }
    }

    /** InfluxDB reads LIMIT 0 and SLIMIT 0 as no limit at all. */
    static long unlimitedWhenZero(long limit) {
        return limit == 0 ? Long.MAX_VALUE : limit;
    }
}
