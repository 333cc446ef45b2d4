package io.sundial.query.promql;

/** One lexeme: its kind, its source text (strings still quoted) and its character offset. */
record Token(Kind kind, String text, int offset) {
    enum Kind {
        IDENTIFIER, METRIC_IDENTIFIER, NUMBER, DURATION, STRING,
        LEFT_PAREN, RIGHT_PAREN, LEFT_BRACE, RIGHT_BRACE, LEFT_BRACKET, RIGHT_BRACKET,
        COMMA, COLON, AT, ASSIGN, EQL_REGEX, NEQ_REGEX,
        ADD, SUB, MUL, DIV, MOD, POW, EQLC, NEQ, LSS, LTE, GTR, GTE,
        EOF
    }

    /** How error messages name the token, as Prometheus does. */
    String describe() {
        return switch (kind) {
            case EOF -> "end of input";
            case IDENTIFIER, METRIC_IDENTIFIER -> {
                String keyword = Parser.keywordName(text);
                yield keyword != null ? keyword : "identifier \"" + text + "\"";
            }
            case NUMBER -> "number \"" + text + "\"";
            case DURATION -> "duration \"" + text + "\"";
            case STRING -> "string " + text;
            case LEFT_PAREN -> "\"(\"";
            case RIGHT_PAREN -> "\")\"";
            case LEFT_BRACE -> "\"{\"";
            case RIGHT_BRACE -> "\"}\"";
            case LEFT_BRACKET -> "\"[\"";
            case RIGHT_BRACKET -> "\"]\"";
            case COMMA -> "\",\"";
            case COLON -> "\":\"";
            case AT -> "\"@\"";
            case ASSIGN -> "\"=\"";
            default -> "\"" + text + "\"";
        };
    }
}
