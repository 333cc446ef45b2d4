package io.sundial.server.query;

import io.sundial.query.QueryContext;
import io.sundial.query.QueryExecutor;
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
        QueryContext fixedNow = context.withClock(InstantSource.fixed(context.clock().instant()));
        long deadlineNanos = System.nanoTime() + context.timeLimit().toNanos();
        List<Statement> statements = query.statements();
        for (int id = 0; id < statements.size(); id++) {
            long remainingNanos = deadlineNanos - System.nanoTime();
            if (context.cancelled().get()) {
                sink.accept(StatementResult.failed(id, "query interrupted"));
            } else if (remainingNanos <= 0) {
                sink.accept(StatementResult.failed(id, "query-timeout limit exceeded (" + context.timeLimit().toMillis() + " ms)"));
            } else {
                StatementResult answer = executor.execute(new Query(List.of(statements.get(id))),
                        fixedNow.withTimeLimit(Duration.ofNanos(remainingNanos))).getFirst();
                sink.accept(new StatementResult(id, answer.series(), answer.error(), answer.messages()));
            }
        }
    }
}
