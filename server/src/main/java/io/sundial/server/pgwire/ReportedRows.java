package io.sundial.server.pgwire;

import io.sundial.query.FinishedQuery;
import io.sundial.query.QueryRegistry;
import io.sundial.query.QueryScope;
import java.util.List;

/**
 * A streamed answer that reports its statement to the query log once, when its last row has been
 * read (or it failed): a windowed SELECT runs as several executions, but it is one query to the
 * user, with one duration (first window to last row) and one row count. An answer the client
 * abandons before its end is not reported.
 */
final class ReportedRows implements RowStream {
    private final RowStream rows;
    private final QueryScope scope;
    private final QueryRegistry registry;
    private final String text;
    private final String database;
    private final long startedNanos;
    private long count;
    private boolean isReported;

    ReportedRows(RowStream rows, QueryScope scope, QueryRegistry registry, String text, String database, long startedNanos) {
        this.rows = rows;
        this.scope = scope;
        this.registry = registry;
        this.text = text;
        this.database = database;
        this.startedNanos = startedNanos;
    }

    @Override
    public List<ResultTable.Column> columns() {
        return rows.columns();
    }

    @Override
    public Object[] next() throws PgException {
        Object[] row;
        try {
            row = rows.next();
        } catch (PgException e) {
            report(e.getMessage());
            throw e;
        }
        if (row == null) {
            report(null);
        } else {
            count++;
        }
        return row;
    }

    private void report(String error) {
        if (isReported) {
            return;
        }
        isReported = true;
        FinishedQuery finished = new FinishedQuery(text, database, scope.language(), scope.user(), scope.requestId(),
                System.currentTimeMillis(), System.nanoTime() - startedNanos, count, error);
        // Bound again: the rows are read after the statement's scope has ended.
        scope.call(() -> {
            registry.report(finished);
            return null;
        });
    }
}
