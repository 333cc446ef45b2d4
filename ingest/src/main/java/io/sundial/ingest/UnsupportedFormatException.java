package io.sundial.ingest;

import io.sundial.core.SundialException;

/** No registered format matches a name, a Content-Type or the first bytes of a body. */
public final class UnsupportedFormatException extends SundialException {
    private static final long serialVersionUID = 1L;

    public UnsupportedFormatException(String message) {
        super(message);
    }
}
