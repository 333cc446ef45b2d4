package io.sundial.query.promql;

import io.sundial.query.QueryException;

/**
 * A query given up because its client went away; the HTTP API reports it as Prometheus' error
 * type "canceled" (nobody reads the answer, but the work stops and the metrics count it).
 */
public final class PromCanceledException extends QueryException {
    private static final long serialVersionUID = 1L;

    public PromCanceledException(String message) {
        super(message);
    }
}
