package io.sundial.query.result;

/**
 * Receives the answers of a query's statements while they are computed: for each statement, in
 * order, its series as a {@link SeriesSink} gets them, then exactly one {@link #end} call.
 */
public interface AnswerSink {
    /** See {@link SeriesSink#series}; {@code statementId} counts from 0 in query order. */
    void series(int statementId, ResultSeries rows, boolean continues);

    /**
     * The statement is done: {@code error} is null when it succeeded. A statement can fail after
     * some of its series were handed on (the time limit, the row limit, cancellation); those series
     * stay valid rows of the answer, and the error says why the rest is missing.
     */
    void end(int statementId, String error);
}
