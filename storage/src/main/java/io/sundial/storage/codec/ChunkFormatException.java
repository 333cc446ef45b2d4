package io.sundial.storage.codec;

/**
 * Chunk bytes do not decode. Thrown by the codecs, which do not know the file; the segment
 * reader catches it and rethrows a {@link io.sundial.storage.format.CorruptFileException}
 * naming file and offset (after checking the block checksum, so corruption is told apart from a bug).
 */
public final class ChunkFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ChunkFormatException(String message) {
        super(message);
    }
}
