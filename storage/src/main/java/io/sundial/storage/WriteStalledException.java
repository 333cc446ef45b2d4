package io.sundial.storage;

import io.sundial.core.SundialException;

/**
 * Writes outran flushing for too long; nothing of the refused batch was stored. Servers map it
 * to a retryable answer (HTTP 503 with Retry-After).
 */
public final class WriteStalledException extends SundialException {
    private static final long serialVersionUID = 1L;

    public WriteStalledException(String message) {
        super(message);
    }
}
