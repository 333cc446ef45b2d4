package io.sundial.server.write;

import java.io.IOException;

/**
 * The engine could not make a batch durable (a WAL failure), told apart from failures reading
 * the request body so the server answers 500 rather than blaming the client.
 */
public final class StorageWriteException extends IOException {
    private static final long serialVersionUID = 1L;

    public StorageWriteException(IOException cause) {
        super("writing to storage failed: " + cause.getMessage(), cause);
    }
}
