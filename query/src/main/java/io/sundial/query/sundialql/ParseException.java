package io.sundial.query.sundialql;

import io.sundial.core.SundialException;

/**
 * A query text that is not valid SundialQL. The message always starts with the line and column,
 * e.g. {@code line 1, column 10: expected FROM, found 'FORM'}; it is the only exception the lexer
 * and parser throw, whatever the input.
 */
public final class ParseException extends SundialException {
    private static final long serialVersionUID = 1L;

    private final transient Position position;
    private final String problem;

    ParseException(Position position, String problem) {
        super(position + ": " + problem);
        this.position = position;
        this.problem = problem;
    }

    static ParseException expected(Position position, String expected, String found) {
        return new ParseException(position, "expected " + expected + ", found " + found);
    }

    public Position position() {
        return position;
    }

    public int line() {
        return position.line();
    }

    public int column() {
        return position.column();
    }

    /** The message without its position prefix. */
    public String problem() {
        return problem;
    }
}
