package io.sundial.query;

import io.sundial.core.SundialException;
import io.sundial.query.exec.Budget;
import io.sundial.query.exec.MetaExecutor;
import io.sundial.query.exec.SelectExecutor;
import io.sundial.query.plan.PlanProfile;
import io.sundial.query.result.AnswerCollector;
import io.sundial.query.result.AnswerSink;
import io.sundial.query.result.ResultSeries;
import io.sundial.query.result.SeriesSink;
import io.sundial.query.result.StatementResult;
import io.sundial.query.sundialql.Printer;
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
 * instant; the time limit, the memory limit and cancellation cover the whole query. The query is
 * listed in the {@link QueryRegistry} while it runs (SHOW QUERIES, KILL QUERY).
 */
public final class QueryExecutor {
    /** Shared by every executor: the trees a server reuses are shared too. */
    private static final PrintedTexts PRINTED_TEXTS = new PrintedTexts();

    private final QueryRegistry registry;

    /** An executor that lists its queries in the process-wide registry. */
    public QueryExecutor() {
        this(QueryRegistry.global());
    }

    public QueryExecutor(QueryRegistry registry) {
        this.registry = registry;
    }

    public QueryRegistry registry() {
        return registry;
    }

    public List<StatementResult> execute(Query query, QueryContext context) {
        AnswerCollector collector = new AnswerCollector();
        execute(query, context, collector);
        return collector.results();
    }

    /**
     * Runs the statements in order and hands each one's series to {@code sink} as they are
     * produced (see {@link SelectExecutor#execute(Statement.Select, SeriesSink)} for which SELECTs
     * stream), then ends the statement with its error or null.
     */
    public void execute(Query query, QueryContext context, AnswerSink sink) {
        Instant now = context.clock().instant();
        long nowNanos = Math.addExact(Math.multiplyExact(now.getEpochSecond(), 1_000_000_000L), now.getNano());
        QueryRegistry.Running running = registry.register(() -> PRINTED_TEXTS.print(query), context.defaultDatabase(),
                context.cancelled());
        long[] rows = new long[1];
        String firstError = null;
        // Stays set when a statement throws past the handlers below (out of memory, a bug): the query failed.
        String escaped = "the query ended abnormally; see the server log";
        try {
            Budget budget = new Budget(context);
            for (int id = 0; id < query.statements().size(); id++) {
                Statement statement = query.statements().get(id);
                int statementId = id;
                SeriesSink counted = (series, continues) -> {
                    rows[0] += series.values().size();
                    sink.series(statementId, series, continues);
                };
                String error = null;
                try {
                    budget.check();
                    run(statement, context, budget, nowNanos, counted);
                } catch (SundialException | IllegalArgumentException e) {
                    error = e.getMessage();
                } catch (IOException | UncheckedIOException e) {
                    error = "I/O error: " + e.getMessage();
                }
                firstError = firstError == null ? error : firstError;
                sink.end(id, error);
            }
            escaped = null;
        } finally {
            registry.finish(running, rows[0], escaped != null ? escaped : firstError);
        }
    }

    private void run(Statement statement, QueryContext context, Budget budget, long nowNanos, SeriesSink sink)
            throws IOException {
        if (statement instanceof Statement.Select select) {
            new SelectExecutor(context, budget, nowNanos).execute(select, sink);
            return;
        }
        for (ResultSeries series : run(statement, context, budget, nowNanos)) {
            sink.series(series, false);
        }
    }

    private List<ResultSeries> run(Statement statement, QueryContext context, Budget budget, long nowNanos)
            throws IOException {
        return switch (statement) {
            case Statement.Explain explain -> explain(explain, context, nowNanos);
            case Statement.ShowQueries show -> showQueries();
            case Statement.KillQuery kill -> {
                if (!registry.kill(kill.queryId())) {
                    throw new QueryException("no such query id: " + kill.queryId() + " (SHOW QUERIES lists the running ones)");
                }
                yield List.of();
            }
            default -> new MetaExecutor(context, nowNanos).execute(statement);
        };
    }

    /**
     * EXPLAIN plans the SELECT (index lookups, chunk locations, stats) without decoding or
     * answering; EXPLAIN ANALYZE runs it, discards its rows and reports what was read and how long
     * it took. One series, column "QUERY PLAN", a row per line, as InfluxDB answers EXPLAIN.
     */
    private static List<ResultSeries> explain(Statement.Explain explain, QueryContext context, long nowNanos) {
        PlanProfile profile = new PlanProfile(Printer.print(explain.query()), explain.isAnalyze());
        Budget budget = new Budget(context);
        budget.explain(profile, !explain.isAnalyze());
        long started = System.nanoTime();
        List<ResultSeries> answer = new SelectExecutor(context, budget, nowNanos).execute(explain.query());
        long rows = 0;
        for (ResultSeries series : answer) {
            rows += series.values().size();
        }
        profile.finish(rows, System.nanoTime() - started, budget.peakBytes());
        List<List<Object>> lines = new ArrayList<>();
        for (String line : profile.lines()) {
            lines.add(List.of(line));
        }
        return List.of(new ResultSeries("", List.of("QUERY PLAN"), lines));
    }

    /** InfluxDB 1.x's columns: qid, query, database, duration, status. */
    private List<ResultSeries> showQueries() {
        List<List<Object>> rows = new ArrayList<>();
        for (QueryRegistry.Running query : registry.list()) {
            rows.add(List.of(query.id(), query.text(), query.database(),
                    QueryRegistry.prettyDuration(query.elapsed()), query.cancelled().get() ? "killed" : "running"));
        }
        return List.of(new ResultSeries("", List.of("qid", "query", "database", "duration", "status"), rows));
    }
}
