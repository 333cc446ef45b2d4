package io.sundial.server.http;

/** The little JSON the server writes: quoted strings and flat objects, built without a library. */
final class Json {
    private Json() {}

    /** {@code text} as a JSON string literal (RFC 8259 escaping; non-ASCII passes through as UTF-8). */
    static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /** {@code {"key": "message"}}. */
    static String object(String key, String value) {
        return "{" + quote(key) + ":" + quote(value) + "}";
    }
}
