package io.sundial.query.exec;

import io.sundial.query.plan.SelectPlan;
import io.sundial.query.result.ColumnarRows;
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
 * <p>Raw rows come column by column ({@link SeriesRows}): the series of a group are merged
 * ({@link #columnarGroup}); a group made of one series can leave in pieces of {@link #PIECE_ROWS}
 * rows ({@link #seriesInPieces}), so a writer encodes and sends it piece by piece and no boxed
 * row is made.
 */
final class AnswerShaper {
    /** Rows per piece of a single-series group: large enough that a piece amortises the writer's work. */
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

    /** Whether a group can leave before the groups after it are known (not under DESC, where the last series leaves first). */
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
            // Aggregate rows come column by column (ColumnarRows), which is immutable: reversed as a copy.
            rows = new ArrayList<>(rows);
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

    /**
     * A raw group kept column by column: its series (each with rows, in ascending time) merged in
     * InfluxDB's row order by {@link RawMerge}, which gathers only the OFFSET/LIMIT page.
     */
    void columnarGroup(GroupKey key, List<SeriesRows> series) {
        if (streamsRows() && series.size() > 1) {
            mergedInPieces(key, series);
            return;
        }
        ColumnarRows page = columnarPage(series);
        if (page == null) {
            return;
        }
        budget.addRows(page.size());
        ResultSeries answer = new ResultSeries(key.name(), key.tags(), columns, page, false);
        if (plan.isDescending()) {
            held.add(answer);
        } else {
            sink.series(answer, false);
        }
    }

    /**
     * A group of one series whose rows are final, at the head of the answer (only when
     * {@link #streamsRows}): its page leaves in columnar pieces of {@link #PIECE_ROWS} rows.
     */
    void seriesInPieces(GroupKey key, SeriesRows rows) {
        ColumnarRows page = columnarPage(rows.size == 0 ? List.of() : List.of(rows));
        if (page == null) {
            return;
        }
        for (int from = 0; from < page.size(); from += PIECE_ROWS) {
            int to = Math.min(page.size(), from + PIECE_ROWS);
            ColumnarRows piece = from == 0 && to == page.size() ? page : page.subList(from, to);
            budget.addRows(piece.size());
            sink.series(new ResultSeries(key.name(), key.tags(), columns, piece, false), to < page.size());
        }
    }

    /**
     * A group of several series in ascending time, merged and handed on in pieces of
     * {@link #PIECE_ROWS} rows: the writer encodes a piece (on its own threads, for JSON) while
     * the next is merged, instead of waiting for the whole merge (high-cpu-all: 43,888 rows of 100
     * series).
     */
    private void mergedInPieces(GroupKey key, List<SeriesRows> series) {
        if (!isShown(series)) {
            return;
        }
        budget.check();
        RawMerge merge = RawMerge.open(series, plan.isDescending(), offset, limit);
        if (merge.rowsLeft() == 0) {
            return;
        }
        emitted++;
        while (merge.rowsLeft() > 0) {
            budget.check();
            ColumnarRows piece = merge.next(PIECE_ROWS);
            budget.addRows(piece.size());
            sink.series(new ResultSeries(key.name(), key.tags(), columns, piece, false), merge.rowsLeft() > 0);
        }
    }

    /** OFFSET of each group's rows. */
    long rowOffset() {
        return offset;
    }

    /** LIMIT of each group's rows; Long.MAX_VALUE when none. */
    long rowLimit() {
        return limit;
    }

    /**
     * A group read window by window ({@link RawWindowScan}) has found its first row: false when
     * SLIMIT is reached or SOFFSET leaves it out (counted as skipped), as for a whole group.
     */
    boolean admitsGroup() {
        if (isFull()) {
            return false;
        }
        if (skipped < seriesOffset) {
            skipped++;
            return false;
        }
        return true;
    }

    /**
     * A piece of a group read window by window, already paged by OFFSET/LIMIT, handed on at once
     * (under DESC too: the scan walks the groups and windows backwards, so the piece is in answer order).
     */
    void windowPiece(GroupKey key, ColumnarRows piece, boolean isFirst, boolean continues) {
        if (isFirst) {
            emitted++;
        }
        budget.addRows(piece.size());
        sink.series(new ResultSeries(key.name(), key.tags(), columns, piece, false), continues);
    }

    /** SLIMIT/SOFFSET over the groups with rows, then the merged OFFSET/LIMIT page; null when nothing is shown. */
    private ColumnarRows columnarPage(List<SeriesRows> series) {
        if (!isShown(series)) {
            return null;
        }
        budget.check();
        ColumnarRows page = RawMerge.merge(series, plan.isDescending(), offset, limit);
        if (page.isEmpty()) {
            return null;
        }
        emitted++;
        return page;
    }

    /**
     * False when the group with rows is left out: SLIMIT reached, no rows, or still within
     * SOFFSET (counted as skipped).
     */
    private boolean isShown(List<SeriesRows> series) {
        if (isFull() || series.isEmpty()) {
            return false;
        }
        if (skipped < seriesOffset) {
            skipped++;
            return false;
        }
        return true;
    }

    /** Hands on what DESC held back. */
    void finish() {
        Collections.reverse(held);
        for (ResultSeries series : held) {
            sink.series(series, false);
        }
        held.clear();
    }

    /** InfluxDB reads LIMIT 0 and SLIMIT 0 as no limit at all. */
    static long unlimitedWhenZero(long limit) {
        return limit == 0 ? Long.MAX_VALUE : limit;
    }
}
