package io.sundial.storage.manifest;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The bounds of what the manifest stores. They keep one edit record small enough to read into
 * memory at recovery and keep the length fields of docs/format/manifest.md from overflowing.
 */
final class ManifestLimits {
    /** Strings are stored with a u16 length. */
    static final int STRING_BYTES_MAX = 0xFFFF;
    /** Tag matchers of one tombstone; stored with a u16 count. */
    static final int MATCHERS_MAX = 1024;
    /** Engine properties in one version; the manifest is not a general key-value store. */
    static final int PROPERTIES_MAX = 1024;
    /** One record's payload: a snapshot of about 3 million files. */
    static final int RECORD_BYTES_MAX = 256 << 20;
    /** A manifest file is read whole at recovery; rollover keeps it far below this. */
    static final long MANIFEST_BYTES_MAX = 1L << 30;

    private ManifestLimits() {}

    static void checkString(String what, String value) {
        Objects.requireNonNull(value, what);
        if (value.length() > STRING_BYTES_MAX / 3 && utf8Length(value) > STRING_BYTES_MAX) {
            throw new IllegalArgumentException(what + " is " + utf8Length(value) + " bytes of UTF-8, more than the limit of "
                    + STRING_BYTES_MAX);
        }
    }

    private static int utf8Length(String value) {
        return value.getBytes(StandardCharsets.UTF_8).length;
    }
}
