package io.sundial.ingest.remotewrite;

/**
 * A remote-write body that cannot be decoded: broken snappy framing or broken protobuf. The
 * message names the byte offset (in the compressed or the decompressed body, as it says) so a
 * sender's bug can be found; the client should not resend the same bytes.
 */
public final class RemoteWriteFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    public RemoteWriteFormatException(String message) {
        super(message);
    }
}
