package io.sundial.storage.format;

import io.sundial.core.SundialException;
import java.nio.file.Path;

/**
 * A file's bytes are not what its format says they must be. Always names the file and the
 * byte offset of the damage, so an operator can find it, and is never thrown for a bug.
 */
public final class CorruptFileException extends SundialException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long offset;

    public CorruptFileException(Path file, long offset, String what) {
        super(file + " at offset " + offset + ": " + what);
        this.file = file;
        this.offset = offset;
    }

    public CorruptFileException(Path file, long offset, String what, Throwable cause) {
        super(file + " at offset " + offset + ": " + what, cause);
        this.file = file;
        this.offset = offset;
    }

    public Path file() {
        return file;
    }

    public long offset() {
        return offset;
    }
}
