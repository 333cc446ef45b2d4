package io.sundial.server.auth;

import java.io.IOException;

/** The user file cannot be read: wrong format, version, or damaged content. */
public final class CorruptUsersFileException extends IOException {
    private static final long serialVersionUID = 1L;

    public CorruptUsersFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
