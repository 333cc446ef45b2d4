package io.sundial.core;

/**
 * The type of a field value. A field's type is fixed per measurement once written; the
 * {@link #code()} is what the WAL, segment files and catalog store, so codes never change.
 */
public enum FieldType {
    FLOAT(0, "float"),
    INTEGER(1, "integer"),
    UNSIGNED(2, "unsigned"),
    BOOLEAN(3, "boolean"),
    STRING(4, "string");

    private static final FieldType[] BY_CODE = values();

    private final int code;
    private final String displayName;

    FieldType(int code, String displayName) {
        this.code = code;
        this.displayName = displayName;
    }

    /** Stable on-disk code. */
    public int code() {
        return code;
    }

    /** The name InfluxDB's SHOW FIELD KEYS prints for this type. */
    public String displayName() {
        return displayName;
    }

    public static FieldType ofCode(int code) {
        if (code < 0 || code >= BY_CODE.length) {
            throw new IllegalArgumentException("unknown field type code " + code);
        }
        return BY_CODE[code];
    }
}
