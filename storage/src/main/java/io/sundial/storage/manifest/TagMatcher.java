package io.sundial.storage.manifest;

import java.util.Objects;

/**
 * One tag condition of a {@link Tombstone}, kept in the manifest in its textual form. The engine
 * converts it to the index module's matcher; the manifest only stores it, so a regular
 * expression is not compiled here.
 */
public record TagMatcher(String key, Op op, String value) {
    /** The operators, each with the one-byte code the manifest log stores (never renumber). */
    public enum Op {
        EQ(1), NEQ(2), REGEX(3), NOT_REGEX(4);

        private final int code;

        Op(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        /** @return the operator with {@code code}, or null when no operator has it */
        public static Op ofCode(int code) {
            for (Op op : values()) {
                if (op.code == code) {
                    return op;
                }
            }
            return null;
        }
    }

    public TagMatcher {
        Objects.requireNonNull(op, "op");
        ManifestLimits.checkString("tag matcher key", key);
        ManifestLimits.checkString("tag matcher value", value);
    }
}
