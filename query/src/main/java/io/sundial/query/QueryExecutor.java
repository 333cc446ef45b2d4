package io.sundial.query;

import io.sundial.core.SundialException;
import io.sundial.query.exec.Budget;
import io.sundial.query.exec.MetaExecutor;
import io.sundial.query.exec.SelectExecutor;
import io.sundial.query.result.ResultSeries;
import io.sundial.query.result.StatementResult;
import io.sundial.query.sundialql.Query;
import io.sundial.query.sundialql.Statement;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the statements of a query in order and answers each one separately: a failing statement
 * gets its error and the others still run. now() is read once, so every statement sees the same
 * instant; the time limit and cancellation cover the whole query.
 */
public final class QueryExecutor {
    public List<StatementResult> execute(Query query, QueryContext context) {
        Instant now = context.clock().instant();
        long nowNanos = Math.addExact(Math.multiplyExact(now.getEpochSecond(), 1_000_000_000L), now.getNano());
        Budget budget = new Budget(context);
        List<StatementResult> results = new ArrayList<>(query.statements().size());
        for (int id = 0; id < query.statements().size(); id++) {
            Statement statement = query.statements().get(id);
            try {
                budget.check();
                results.add(StatementResult.of(id, run(statement, context, budget, nowNanos)));
            } catch (SundialException | IllegalArgumentException e) {
                results.add(StatementResult.failed(id, e.getMessage()));
            } catch (IOException | UncheckedIOException e) {
                results.add(StatementResult.failed(id, "I/O error: " + e.getMessage()));
            }
        }
        return results;
    }

    private static List<ResultSeries> run(Statement statement, QueryContext context, Budget budget, long nowNanos)
            throws IOException {
        if (statement instanceof Statement.Select select) {
            return new SelectExecutor(context, budget, nowNanos).execute(select);
        }
        return new MetaExecutor(context, nowNanos).execute(statement);
    }
}
