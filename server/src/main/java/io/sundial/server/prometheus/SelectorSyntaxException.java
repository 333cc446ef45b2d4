package io.sundial.server.prometheus;

/** A series selector that does not parse; the message starts with {@code 1:<column>: parse error:} as Prometheus words it. */
public final class SelectorSyntaxException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int column;

    public SelectorSyntaxException(int column, String message) {
        super("1:" + column + ": parse error: " + message);
        this.column = column;
    }

    /** 1-based character column of the problem. */
    public int column() {
        return column;
    }
}
