package io.sundial.core;

import java.nio.charset.StandardCharsets;

/**
 * The rules every stored point obeys, with an error naming the offending part. Stateless and so
 * thread-safe. Type conflicts with already-stored fields are the engine's check, not this one.
 */
public final class PointValidator {
    /** Largest series key (measurement + tags) in UTF-8 bytes, as InfluxDB's limit. */
    public static final int SERIES_KEY_BYTES_MAX = 65_535;
    /** Largest string field value in UTF-8 bytes. */
    public static final int STRING_VALUE_BYTES_MAX = 1 << 20;
    /** Largest number of fields in one point. */
    public static final int FIELDS_MAX = 65_535;

    private PointValidator() {}

    static void validate(Point p) {
        validateSeries(p.measurement(), p.tagKeys(), p.tagValues());
        validateFields(p);
    }

    /** The measurement and tag rules; tags must be sorted by key. */
    static void validateSeries(String m, String[] tagKeys, String[] tagValues) {
        if (m == null || m.isEmpty()) {
            throw new InvalidPointException("measurement name is empty");
        }
        checkNoControl(m, m, Part.MEASUREMENT, null);
        int keyBytes = utf8Length(m);
        for (int i = 0; i < tagKeys.length; i++) {
            String k = tagKeys[i];
            String v = tagValues[i];
            if (k == null || k.isEmpty()) {
                throw new InvalidPointException("measurement '" + m + "': tag key is empty");
            }
            for (int c = 0; c < k.length(); c++) {
                char ch = k.charAt(c);
                if (ch < 0x20 || ch > 0x7e) {
                    throw new InvalidPointException("measurement '" + m + "': tag key '" + printable(k)
                            + "' has character 0x" + Integer.toHexString(ch) + " at position " + c
                            + "; tag keys must be printable ASCII");
                }
            }
            if ("time".equals(k)) {
                throw new InvalidPointException("measurement '" + m + "': 'time' is not a valid tag key");
            }
            if (v == null || v.isEmpty()) {
                throw new InvalidPointException("measurement '" + m + "': tag '" + k + "' has an empty value");
            }
            checkNoControl(v, m, Part.TAG_VALUE, k);
            if (i > 0 && tagKeys[i - 1].equals(k)) {
                throw new InvalidPointException("measurement '" + m + "': duplicate tag key '" + k + "'");
            }
            keyBytes += utf8Length(k) + utf8Length(v) + 2;
        }
        if (keyBytes > SERIES_KEY_BYTES_MAX) {
            throw new InvalidPointException("measurement '" + m + "': series key is " + keyBytes
                    + " bytes, over the limit of " + SERIES_KEY_BYTES_MAX);
        }
    }

    /** The field and timestamp rules. */
    static void validateFields(Point p) {
        validateFields(p.measurement(), p.fieldNames(), p.fieldTypes(), p.fieldStrings(), 0, p.fieldCount(), false);
        validateTimestamp(p.measurement(), p.timestampNanos());
    }

    /**
     * The field rules for the fields at {@code [from, to)} of the arrays ({@code strings} may be
     * null when no field is a string); checked field by field, so the first bad field is named.
     *
     * @param isNamesChecked the same names in the same order passed before, so only values are checked
     */
    static void validateFields(String m, String[] names, FieldType[] types, String[] strings, int from, int to,
                               boolean isNamesChecked) {
        int n = to - from;
        if (n == 0) {
            throw new InvalidPointException("measurement '" + m + "': point has no fields");
        }
        if (n > FIELDS_MAX) {
            throw new InvalidPointException("measurement '" + m + "': point has " + n + " fields, over the limit of " + FIELDS_MAX);
        }
        for (int i = from; i < to; i++) {
            String f = names[i];
            if (!isNamesChecked) {
                if (f == null || f.isEmpty()) {
                    throw new InvalidPointException("measurement '" + m + "': field name is empty");
                }
                checkNoControl(f, m, Part.FIELD_NAME, f);
                if ("time".equals(f)) {
                    throw new InvalidPointException("measurement '" + m + "': 'time' is not a valid field name");
                }
                for (int j = from; j < i; j++) {
                    if (names[j].equals(f)) {
                        throw new InvalidPointException("measurement '" + m + "': duplicate field '" + f + "'");
                    }
                }
            }
            if (types[i] == FieldType.STRING && utf8Length(strings[i]) > STRING_VALUE_BYTES_MAX) {
                throw new InvalidPointException("measurement '" + m + "': string field '" + f
                        + "' is longer than " + STRING_VALUE_BYTES_MAX + " bytes");
            }
        }
    }

    static void validateTimestamp(String m, long timestampNanos) {
        if (!Timestamps.isRepresentable(timestampNanos)) {
            throw new InvalidPointException("measurement '" + m + "': timestamp " + timestampNanos
                    + " is outside the representable range [" + Timestamps.MIN_NANOS + ", " + Timestamps.MAX_NANOS + "]");
        }
    }

    /** Which part of a point a checked string is; the error message is only built on failure. */
    private enum Part { MEASUREMENT, TAG_VALUE, FIELD_NAME }

    private static void checkNoControl(String s, String measurement, Part part, String name) {
        for (int c = 0; c < s.length(); c++) {
            char ch = s.charAt(c);
            if (ch >= 0x20 && ch < 0x7f) {
                continue; // printable ASCII, nearly every character of real input
            }
            if (ch < 0x20 || ch == 0x7f) {
                throw new InvalidPointException(describe(measurement, part, name) + " has control character 0x"
                        + Integer.toHexString(ch) + " at position " + c);
            }
            if (Character.isSurrogate(ch)) {
                boolean paired = Character.isHighSurrogate(ch) && c + 1 < s.length() && Character.isLowSurrogate(s.charAt(c + 1));
                if (!paired) {
                    throw new InvalidPointException(describe(measurement, part, name)
                            + " has an unpaired surrogate at position " + c + " (not valid UTF-8)");
                }
                c++;
            }
        }
    }

    private static String describe(String measurement, Part part, String name) {
        return switch (part) {
            case MEASUREMENT -> "measurement name '" + measurement + "'";
            case TAG_VALUE -> "measurement '" + measurement + "': value of tag '" + name + "'";
            case FIELD_NAME -> "measurement '" + measurement + "': field name '" + printable(name) + "'";
        };
    }

    private static String printable(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch < 0x20 || ch == 0x7f) {
                sb.append(String.format("\\x%02x", (int) ch));
            } else {
                sb.append(ch);
            }
        }
        return sb.toString();
    }

    static int utf8Length(String s) {
        int n = s.length();
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch >= 0x80) {
                return s.getBytes(StandardCharsets.UTF_8).length;
            }
        }
        return n;
    }
}
