package io.sundial.query.result;

import java.util.ArrayList;
import java.util.List;

/**
 * An {@link AnswerSink} that keeps the whole answer: the pieces of each series joined again, one
 * {@link StatementResult} per statement. A failed statement keeps only its error, as an answer
 * built whole has always shown it.
 */
public final class AnswerCollector implements AnswerSink {
    private final List<StatementResult> results = new ArrayList<>();
    private final List<ResultSeries> series = new ArrayList<>();
    private ResultSeries open;
    /** The pieces of the open series, joined when it closes ({@link ColumnarRows#concat}: columnar pieces stay unboxed). */
    private List<List<List<Object>>> openRows;

    @Override
    public void series(int statementId, ResultSeries rows, boolean continues) {
        if (open == null && !continues) {
            series.add(rows);
            return;
        }
        if (open == null) {
            open = rows;
            openRows = new ArrayList<>();
        }
        openRows.add(rows.values());
        if (!continues) {
            series.add(new ResultSeries(open.name(), open.tags(), open.columns(), ColumnarRows.concat(openRows),
                    rows.partial()));
            open = null;
            openRows = null;
        }
    }

    @Override
    public void end(int statementId, String error) {
        results.add(error == null ? StatementResult.of(statementId, series) : StatementResult.failed(statementId, error));
        series.clear();
        open = null;
        openRows = null;
    }

    public List<StatementResult> results() {
        return results;
    }
}
