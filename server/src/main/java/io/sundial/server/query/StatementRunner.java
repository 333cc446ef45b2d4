package io.sundial.server.query;

import io.sundial.query.QueryContext;
import io.sundial.query.QueryExecutor;
import io.sundial.query.result.AnswerCollector;
import io.sundial.query.result.AnswerSink;
import io.sundial.query.result.ResultSeries;
import io.sundial.query.result.StatementResult;
import io.sundial.query.sundialql.Query;
import io.sundial.query.sundialql.Statement;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs the statements of a query one at a time and hands each answer on before the next
 * starts, so an HTTP answer can stream statement by statement and a client that has gone stops
 * the rest. The semantics of one {@link QueryExecutor#execute} call are kept: now() is read once
 * for the whole query, and the time limit covers all statements together.
 */
public final class StatementRunner {
    private final QueryExecutor executor = new QueryExecutor();

    /** Calls {@code sink} with the answer of each statement, in order, ids counting from 0. */
    public void run(Query query, QueryContext context, Consumer<StatementResult> sink) {
        run(query, context, new AnswerSink() {
            private final AnswerCollector collector = new AnswerCollector();

            @Override
            public void series(int statementId, ResultSeries rows, boolean continues) {
                collector.series(statementId, rows, continues);
            }

            @Override
            public void end(int statementId, String error) {
                collector.end(statementId, error);
                sink.accept(collector.results().removeLast());
            }
        });
    }

    /**
     * Hands each statement's series to {@code sink} as the executor produces them, then ends the
     * statement; statement ids count from 0 in query order.
     */
    public void run(Query query, QueryContext context, AnswerSink sink) {
        QueryContext fixedNow = context.withClock(InstantSource.fixed(context.clock().instant()));
        long deadlineNanos = System.nanoTime() + context.timeLimit().toNanos();
        List<Statement> statements = query.statements();
        for (int id = 0; id < statements.size(); id++) {
            long remainingNanos = deadlineNanos - System.nanoTime();
            if (context.cancelled().get()) {
                sink.end(id, "query interrupted");
            } else if (remainingNanos <= 0) {
                sink.end(id, "query-timeout limit exceeded (" + context.timeLimit().toMillis() + " ms)");
            } else {
                int statementId = id;
                executor.execute(new Query(List.of(statements.get(id))), fixedNow.withTimeLimit(Duration.ofNanos(remainingNanos)),
                        new AnswerSink() {
                            @Override
                            public void series(int ignored, ResultSeries rows, boolean continues) {
                                sink.series(statementId, rows, continues);
                            }

                            @Override
                            public void end(int ignored, String error) {
                                sink.end(statementId, error);
                            }
                        });
            }
        }
    }
}
