package io.sundial.server.http;

import java.io.IOException;

/** The body is not what its headers say (a damaged or truncated gzip stream). */
final class InvalidBodyException extends IOException {
    private static final long serialVersionUID = 1L;

    InvalidBodyException(String message, Throwable cause) {
        super(message, cause);
    }
}
