package io.sundial.server.prometheus;

import java.util.Collection;
import java.util.StringJoiner;

/** The JSON the Prometheus API writes: quoted strings, string arrays, built without a library. */
final class JsonText {
    private JsonText() {}

    /** {@code text} as a JSON string literal (RFC 8259 escaping; non-ASCII passes through). */
    static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2);
        appendQuoted(out, text);
        return out.toString();
    }

    static void appendQuoted(StringBuilder out, String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    static String stringArray(Collection<String> values) {
        StringJoiner joiner = new StringJoiner(",", "[", "]");
        for (String value : values) {
            joiner.add(quote(value));
        }
        return joiner.toString();
    }
}
