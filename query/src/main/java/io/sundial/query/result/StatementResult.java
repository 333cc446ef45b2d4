package io.sundial.query.result;

import java.util.List;
import java.util.Objects;

/**
 * The answer to one statement: its series, or an error (then no series), plus informational
 * messages. Statement ids count from 0 in query order, as InfluxDB numbers them.
 */
public record StatementResult(int statementId, List<ResultSeries> series, String error, List<String> messages) {
    public StatementResult {
        series = List.copyOf(series);
        messages = List.copyOf(messages);
        if (error != null && !series.isEmpty()) {
            throw new IllegalArgumentException("a failed statement has no series");
        }
    }

    public static StatementResult of(int statementId, List<ResultSeries> series) {
        return new StatementResult(statementId, series, null, List.of());
    }

    public static StatementResult failed(int statementId, String error) {
        return new StatementResult(statementId, List.of(), Objects.requireNonNull(error, "error"), List.of());
    }

    public boolean isError() {
        return error != null;
    }
}
