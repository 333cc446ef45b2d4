package io.sundial.query.promql;

import io.sundial.query.QueryException;

/**
 * A query that does not parse or type-check. The message has Prometheus' form
 * {@code 1:5: parse error: unexpected ...}: line and column (1-based, in characters) first.
 */
public final class PromParseException extends QueryException {
    private static final long serialVersionUID = 1L;

    private final int line;
    private final int column;
    private final String reason;

    private PromParseException(int line, int column, String reason) {
        super(line + ":" + column + ": parse error: " + reason);
        this.line = line;
        this.column = column;
        this.reason = reason;
    }

    /** An error at character {@code offset} of {@code input}. */
    static PromParseException at(String input, int offset, String reason) {
        int line = 1;
        int lineStart = 0;
        int end = Math.min(Math.max(offset, 0), input.length());
        for (int i = 0; i < end; i++) {
            if (input.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return new PromParseException(line, end - lineStart + 1, reason);
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }

    /** The message without the position prefix. */
    public String reason() {
        return reason;
    }
}
