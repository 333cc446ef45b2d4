package io.sundial.query.promql;

import io.sundial.query.QueryException;

/**
 * Query parameters that cannot be evaluated (end before start, a step of zero, too many points,
 * a match[] that is not a selector); the HTTP API reports it as Prometheus' "bad_data".
 */
public final class PromBadRequestException extends QueryException {
    private static final long serialVersionUID = 1L;

    public PromBadRequestException(String message) {
        super(message);
    }
}
