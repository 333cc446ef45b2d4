package io.sundial.ingest.writebatch;

/**
 * A {@code sundial.v1.WriteBatch} whose wire format is broken (bad varint, a length past its
 * message, a field of the wrong wire type, over a limit). The message names the byte offset; the
 * whole request is refused, since its framing cannot be trusted.
 */
public final class WriteBatchFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    public WriteBatchFormatException(String message) {
        super(message);
    }
}
