package io.sundial.core;

/** A point was rejected; the message names the offending part (measurement, tag, field or time). */
public final class InvalidPointException extends SundialException {
    private static final long serialVersionUID = 1L;

    public InvalidPointException(String message) {
        super(message);
    }
}
