package io.sundial.query.sundialql;

import java.util.Arrays;

/**
 * Turns query text into tokens on demand. The lexer keeps no cursor: {@link #scan} reads the
 * token at an offset, so the parser can look ahead freely, and can ask for a regular expression
 * where it expects an operand ({@link #scanRegex}) — a '/' is a division or the start of a regex
 * depending on where it stands, which only the parser knows (InfluxQL's scanner works the same).
 */
final class Lexer {
    private final String text;
    private final int[] lineStarts;

    Lexer(String text) {
        this.text = text;
        this.lineStarts = lineStarts(text);
    }

    Position position(int offset) {
        int index = Arrays.binarySearch(lineStarts, offset);
        int line = index >= 0 ? index : -index - 2;
        return new Position(line + 1, offset - lineStarts[line] + 1, offset);
    }

    /** The source characters of a token, for error messages. */
    String spelling(Token token) {
        return text.substring(token.start(), token.end());
    }

    /** Skips whitespace and comments from {@code offset}, then reads one token. */
    Token scan(int offset) {
        int start = skipTrivia(offset);
        if (start >= text.length()) {
            return new Token(TokenKind.END_OF_INPUT, "", text.length(), text.length());
        }
        char c = text.charAt(start);
        if (isIdentifierStart(c)) {
            return scanWord(start);
        }
        if (isDigit(c) || (c == '.' && isDigit(charAt(start + 1)))) {
            return scanNumber(start);
        }
        return switch (c) {
            case '"' -> {
                int end = scanQuoted(start, '"', "identifier");
                String value = decodeQuoted(start, end);
                if (value.isEmpty()) {
                    throw new ParseException(position(start), "empty quoted identifier");
                }
                yield new Token(TokenKind.IDENTIFIER, value, start, end);
            }
            case '\'' -> {
                int end = scanQuoted(start, '\'', "string literal");
                yield new Token(TokenKind.STRING, decodeQuoted(start, end), start, end);
            }
            case '$' -> scanBoundParameter(start);
            case '(' -> single(TokenKind.LEFT_PAREN, start);
            case ')' -> single(TokenKind.RIGHT_PAREN, start);
            case ',' -> single(TokenKind.COMMA, start);
            case ';' -> single(TokenKind.SEMICOLON, start);
            case '.' -> single(TokenKind.DOT, start);
            case ':' -> charAt(start + 1) == ':'
                    ? new Token(TokenKind.DOUBLE_COLON, "", start, start + 2)
                    : single(TokenKind.COLON, start);
            case '+' -> single(TokenKind.PLUS, start);
            case '-' -> single(TokenKind.MINUS, start);
            case '*' -> single(TokenKind.STAR, start);
            case '/' -> single(TokenKind.SLASH, start);
            case '%' -> single(TokenKind.PERCENT, start);
            case '&' -> single(TokenKind.AMPERSAND, start);
            case '|' -> single(TokenKind.PIPE, start);
            case '^' -> single(TokenKind.CARET, start);
            case '=' -> charAt(start + 1) == '~'
                    ? new Token(TokenKind.MATCHES, "", start, start + 2)
                    : single(TokenKind.EQUALS, start);
            case '!' -> switch (charAt(start + 1)) {
                case '=' -> new Token(TokenKind.NOT_EQUALS, "", start, start + 2);
                case '~' -> new Token(TokenKind.NOT_MATCHES, "", start, start + 2);
                default -> single(TokenKind.ILLEGAL, start);
            };
            case '<' -> switch (charAt(start + 1)) {
                case '=' -> new Token(TokenKind.LESS_OR_EQUAL, "", start, start + 2);
                case '>' -> new Token(TokenKind.NOT_EQUALS, "", start, start + 2);
                default -> single(TokenKind.LESS, start);
            };
            case '>' -> charAt(start + 1) == '='
                    ? new Token(TokenKind.GREATER_OR_EQUAL, "", start, start + 2)
                    : single(TokenKind.GREATER, start);
            default -> new Token(TokenKind.ILLEGAL, "", start, start + Character.charCount(text.codePointAt(start)));
        };
    }

    /**
     * Reads a regular expression literal starting at the '/' at {@code offset}. Inside it,
     * {@code \/} stands for '/', and every other backslash pair is kept as written for the
     * regex engine.
     */
    Token scanRegex(int offset) {
        StringBuilder pattern = new StringBuilder();
        int index = offset + 1;
        while (true) {
            if (index >= text.length() || text.charAt(index) == '\n') {
                throw new ParseException(position(offset), "unterminated regular expression");
            }
            char c = text.charAt(index);
            if (c == '/') {
                return new Token(TokenKind.REGEX, pattern.toString(), offset, index + 1);
            }
            if (c == '\\' && index + 1 < text.length() && text.charAt(index + 1) != '\n') {
                char escaped = text.charAt(index + 1);
                if (escaped != '/') {
                    pattern.append('\\');
                }
                pattern.append(escaped);
                index += 2;
            } else {
                pattern.append(c);
                index++;
            }
        }
    }

    private int skipTrivia(int offset) {
        int index = offset;
        while (index < text.length()) {
            char c = text.charAt(index);
            if (Character.isWhitespace(c)) {
                index++;
            } else if (c == '-' && charAt(index + 1) == '-') {
                while (index < text.length() && text.charAt(index) != '\n') {
                    index++;
                }
            } else if (c == '/' && charAt(index + 1) == '*') {
                int close = text.indexOf("*/", index + 2);
                if (close < 0) {
                    throw new ParseException(position(index), "unterminated comment: '/*' has no closing '*/'");
                }
                index = close + 2;
            } else {
                break;
            }
        }
        return index;
    }

    private Token scanWord(int start) {
        int end = start + 1;
        while (end < text.length() && isIdentifierPart(text.charAt(end))) {
            end++;
        }
        String word = text.substring(start, end);
        TokenKind keyword = TokenKind.keyword(word);
        return new Token(keyword != null ? keyword : TokenKind.IDENTIFIER, word, start, end);
    }

    /**
     * Digits with an optional fraction are a number; digits followed directly by letters are a
     * duration (as in InfluxQL, the whole run of letters and digits is taken, so {@code 10mx} is
     * one invalid duration rather than {@code 10m} and an identifier).
     */
    private Token scanNumber(int start) {
        int end = start;
        while (isDigit(charAt(end))) {
            end++;
        }
        if (charAt(end) == '.' && isDigit(charAt(end + 1))) {
            end++;
            while (isDigit(charAt(end))) {
                end++;
            }
            return new Token(TokenKind.NUMBER, text.substring(start, end), start, end);
        }
        if (end > start && (isLetter(charAt(end)) || charAt(end) == 'µ')) {
            while (isLetter(charAt(end)) || charAt(end) == 'µ' || isDigit(charAt(end))) {
                end++;
            }
            return new Token(TokenKind.DURATION, text.substring(start, end), start, end);
        }
        return new Token(TokenKind.INTEGER, text.substring(start, end), start, end);
    }

    private Token scanBoundParameter(int start) {
        char next = charAt(start + 1);
        if (next == '"') {
            int end = scanQuoted(start + 1, '"', "bound parameter");
            return new Token(TokenKind.BOUND_PARAMETER, decodeQuoted(start + 1, end), start, end);
        }
        int end = start + 1;
        while (end < text.length() && isIdentifierPart(text.charAt(end))) {
            end++;
        }
        if (end == start + 1) {
            return single(TokenKind.ILLEGAL, start);
        }
        return new Token(TokenKind.BOUND_PARAMETER, text.substring(start + 1, end), start, end);
    }

    /** Returns the offset just past the closing quote; a raw newline ends the line unclosed. */
    private int scanQuoted(int start, char quote, String what) {
        int index = start + 1;
        while (index < text.length()) {
            char c = text.charAt(index);
            if (c == quote) {
                return index + 1;
            }
            if (c == '\n') {
                break;
            }
            if (c == '\\') {
                char escaped = charAt(index + 1);
                if (escaped != 'n' && escaped != '\\' && escaped != '"' && escaped != '\'') {
                    throw new ParseException(position(index), "invalid escape '\\"
                            + (index + 1 < text.length() ? String.valueOf(escaped) : "")
                            + "' in " + what + ": use \\n, \\\\, \\\" or \\'");
                }
                index += 2;
            } else {
                index++;
            }
        }
        throw new ParseException(position(start), "unterminated " + what + ": missing closing " + quote);
    }

    private String decodeQuoted(int start, int end) {
        StringBuilder value = new StringBuilder(end - start);
        for (int index = start + 1; index < end - 1; index++) {
            char c = text.charAt(index);
            if (c == '\\') {
                index++;
                char escaped = text.charAt(index);
                value.append(escaped == 'n' ? '\n' : escaped);
            } else {
                value.append(c);
            }
        }
        return value.toString();
    }

    private Token single(TokenKind kind, int start) {
        return new Token(kind, "", start, start + 1);
    }

    private char charAt(int index) {
        return index < text.length() ? text.charAt(index) : 0;
    }

    static boolean isIdentifierStart(char c) {
        return isLetter(c) || c == '_';
    }

    static boolean isIdentifierPart(char c) {
        return isLetter(c) || isDigit(c) || c == '_';
    }

    private static boolean isLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static int[] lineStarts(String text) {
        int count = 1;
        for (int index = 0; index < text.length(); index++) {
            if (text.charAt(index) == '\n') {
                count++;
            }
        }
        int[] starts = new int[count];
        int line = 1;
        for (int index = 0; index < text.length(); index++) {
            if (text.charAt(index) == '\n') {
                starts[line++] = index + 1;
            }
        }
        return starts;
    }
}
