package io.sundial.core;

/** Base of Sundial's checked-free errors: each message says what went wrong and where. */
public class SundialException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SundialException(String message) {
        super(message);
    }

    public SundialException(String message, Throwable cause) {
        super(message, cause);
    }
}
