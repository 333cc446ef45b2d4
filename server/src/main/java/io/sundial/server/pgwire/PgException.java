package io.sundial.server.pgwire;

/**
 * An error the client gets as an ErrorResponse: SQLSTATE, message, optional 1-based character
 * position in the query text. A fatal one ends the connection after it is sent (the stream can
 * no longer be trusted, or authentication failed).
 */
final class PgException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String sqlState;
    private final int position;
    private final boolean isFatal;

    PgException(String sqlState, String message) {
        this(sqlState, message, 0, false);
    }

    PgException(String sqlState, String message, int position, boolean isFatal) {
        super(message);
        this.sqlState = sqlState;
        this.position = position;
        this.isFatal = isFatal;
    }

    static PgException fatal(String sqlState, String message) {
        return new PgException(sqlState, message, 0, true);
    }

    /** A statement stopped by a CancelRequest (or KILL QUERY), in PostgreSQL's words. */
    static PgException canceled() {
        return new PgException(SqlState.QUERY_CANCELED, "canceling statement due to user request");
    }

    String sqlState() {
        return sqlState;
    }

    /** 1-based character position in the query text, 0 for none. */
    int position() {
        return position;
    }

    boolean isFatal() {
        return isFatal;
    }
}
