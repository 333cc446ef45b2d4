package io.sundial.storage.format;

import io.sundial.storage.io.BigEndian;
import io.sundial.storage.io.ByteOutput;
import java.nio.file.Path;

/**
 * Owns the 16-byte header every Sundial file starts with (see docs/FORMAT.md, "Common header"):
 *
 * <pre>
 * +----------------+----------------+----------------+----------------+
 * | magic "SNDL"   | kind tag (4)   | version u32    | reserved u32=0 |
 * +----------------+----------------+----------------+----------------+
 * </pre>
 *
 * All integers big-endian. A reader states the version range it can read; anything else is
 * refused with a message naming the file and both versions, never half-read.
 */
public final class FileHeaders {
    public static final int MAGIC = 0x534E444C; // "SNDL"
    public static final int HEADER_BYTES = 16;

    private FileHeaders() {}

    public static void write(ByteOutput out, FileKind kind, int version) {
        out.writeInt(MAGIC);
        out.writeInt(kind.tagAsInt());
        out.writeInt(version);
        out.writeInt(0);
    }

    public static byte[] encode(FileKind kind, int version) {
        ByteOutput out = new ByteOutput(HEADER_BYTES);
        write(out, kind, version);
        return out.toByteArray();
    }

    /**
     * Checks the header in {@code header[0..16)} of {@code file}.
     *
     * @return the file's format version
     * @throws CorruptFileException when the file is too short, not a Sundial file, of another kind,
     *     or of a version outside [minVersion, maxVersion]
     */
    public static int check(byte[] header, int length, Path file, FileKind kind, int minVersion, int maxVersion) {
        if (length < HEADER_BYTES) {
            throw new CorruptFileException(file, 0, "file is " + length + " bytes, too short for the "
                    + HEADER_BYTES + "-byte header of a " + kind.tag() + " file");
        }
        int magic = BigEndian.getInt(header, 0);
        if (magic != MAGIC) {
            throw new CorruptFileException(file, 0, String.format(
                    "not a Sundial file (magic 0x%08x, expected 0x%08x \"SNDL\")", magic, MAGIC));
        }
        int tag = BigEndian.getInt(header, 4);
        if (tag != kind.tagAsInt()) {
            FileKind actual = FileKind.ofTag(tag);
            throw new CorruptFileException(file, 4, "expected a " + kind.tag() + " file, found "
                    + (actual == null ? String.format("unknown kind 0x%08x", tag) : actual.tag()));
        }
        int version = BigEndian.getInt(header, 8);
        if (version < minVersion) {
            throw new CorruptFileException(file, 8, kind.tag() + " format version " + version
                    + " is too old: this Sundial reads versions " + minVersion + " to " + maxVersion);
        }
        if (version > maxVersion) {
            throw new CorruptFileException(file, 8, kind.tag() + " format version " + version
                    + " is too new: this Sundial reads versions " + minVersion + " to " + maxVersion
                    + "; upgrade Sundial to open it");
        }
        return version;
    }
}
