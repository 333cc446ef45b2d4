package io.sundial.ingest.lineprotocol;

/**
 * A line is malformed at a byte column. Thrown only on bad input and caught per line, so it
 * carries no stack trace (filling one would make rejecting a flood of bad lines slow).
 */
final class LineSyntaxException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Byte offset from the line's start. */
    final int offset;
    final String reason;

    LineSyntaxException(int offset, String reason) {
        super(reason, null, false, false);
        this.offset = offset;
        this.reason = reason;
    }
}
