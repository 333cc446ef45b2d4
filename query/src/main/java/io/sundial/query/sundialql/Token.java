package io.sundial.query.sundialql;

/**
 * One token: its kind, the characters it spans ({@code start} inclusive, {@code end} exclusive)
 * and, for identifiers, strings, regexes and bound parameters, its decoded value.
 */
record Token(TokenKind kind, String value, int start, int end) {
    boolean is(TokenKind other) {
        return kind == other;
    }
}
