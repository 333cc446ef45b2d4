package io.sundial.query;

import io.sundial.core.SundialException;

/**
 * A statement that cannot run: a semantic error found before execution (worded as InfluxDB 1.x
 * words it where InfluxDB has the same error) or a failure during execution. It fails only its
 * own statement; the other statements of the query still run.
 */
public class QueryException extends SundialException {
    private static final long serialVersionUID = 1L;

    public QueryException(String message) {
        super(message);
    }

    public QueryException(String message, Throwable cause) {
        super(message, cause);
    }
}
