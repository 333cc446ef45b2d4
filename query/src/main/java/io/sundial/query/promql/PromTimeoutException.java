package io.sundial.query.promql;

import io.sundial.query.QueryException;

/** A query that ran past its timeout; the HTTP API reports it as Prometheus' error type "timeout". */
public final class PromTimeoutException extends QueryException {
    private static final long serialVersionUID = 1L;

    public PromTimeoutException(String message) {
        super(message);
    }
}
