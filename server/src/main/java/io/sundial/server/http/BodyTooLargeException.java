package io.sundial.server.http;

import java.io.IOException;

/** The request body (after decompression) passed the configured limit. */
final class BodyTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    BodyTooLargeException(long bodyBytesMax) {
        super("request body is larger than " + bodyBytesMax + " bytes (after decompression); send smaller batches"
                + " or raise the server's body limit");
    }
}
