package io.sundial.server.write;

import io.sundial.core.SundialException;

/** An all-or-nothing write held more points than may be buffered; nothing of it was written. */
public final class AtomicWriteTooLargeException extends SundialException {
    private static final long serialVersionUID = 1L;

    public AtomicWriteTooLargeException(String message) {
        super(message);
    }
}
