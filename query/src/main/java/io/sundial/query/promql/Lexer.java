package io.sundial.query.promql;

import io.sundial.query.promql.Token.Kind;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a PromQL query into tokens, following Prometheus' lexer ({@code promql/parser/lex.go}):
 * a number directly followed by a unit is a duration, {@code Inf} and {@code NaN} are numbers
 * outside braces, {@code #} starts a comment to the end of the line, and a metric name may
 * contain colons while a label name may not.
 */
final class Lexer {
    /** Bounds the work on hostile input; longer queries are refused before lexing. */
    static final int QUERY_CHARS_MAX = 1 << 20;

    private final String input;
    private final List<Token> tokens = new ArrayList<>();
    private int pos;
    private int braceDepth;
    private int bracketDepth;
    private int parenDepth;

    private Lexer(String input) {
        this.input = input;
    }

    static List<Token> tokenize(String input) {
        if (input.length() > QUERY_CHARS_MAX) {
            throw PromParseException.at(input, 0, "query is " + input.length()
                    + " characters long, the limit is " + QUERY_CHARS_MAX);
        }
        Lexer lexer = new Lexer(input);
        lexer.run();
        return lexer.tokens;
    }

    private void run() {
        while (true) {
            skipSpaceAndComments();
            if (pos >= input.length()) {
                if (braceDepth > 0) {
                    throw error(pos, "unexpected end of input inside braces");
                }
                if (bracketDepth > 0) {
                    throw error(pos, "unexpected end of input inside brackets");
                }
                if (parenDepth > 0) {
                    throw error(pos, "unclosed left parenthesis");
                }
                tokens.add(new Token(Kind.EOF, "", pos));
                return;
            }
            lexOne();
        }
    }

    private void skipSpaceAndComments() {
        while (pos < input.length()) {
            char c = input.charAt(pos);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                pos++;
            } else if (c == '#') {
                while (pos < input.length() && input.charAt(pos) != '\n') {
                    pos++;
                }
            } else {
                return;
            }
        }
    }

    private void lexOne() {
        int start = pos;
        char c = input.charAt(pos);
        if (c == '"' || c == '\'' || c == '`') {
            lexString(c);
            return;
        }
        // ASCII digits only: Character.isDigit accepts other scripts' digits, which scanNumber would not consume.
        if (isAsciiDigit(c) || (c == '.' && pos + 1 < input.length() && isAsciiDigit(input.charAt(pos + 1)))) {
            lexNumberOrDuration();
            return;
        }
        if (isIdentifierStart(c)) {
            lexIdentifier();
            return;
        }
        pos++;
        if (!lexBracket(c, start)) {
            lexOperator(c, start);
        }
    }

    /** Brackets, with the nesting checks that give early, precise errors. */
    private boolean lexBracket(char c, int start) {
        switch (c) {
            case '(' -> {
                parenDepth++;
                add(Kind.LEFT_PAREN, start);
            }
            case ')' -> {
                if (--parenDepth < 0) {
                    throw error(start, "unexpected right parenthesis ')'");
                }
                add(Kind.RIGHT_PAREN, start);
            }
            case '{' -> {
                if (braceDepth > 0) {
                    throw error(start, "unexpected left brace '{'");
                }
                braceDepth++;
                add(Kind.LEFT_BRACE, start);
            }
            case '}' -> {
                if (braceDepth == 0) {
                    throw error(start, "unexpected right brace '}'");
                }
                braceDepth--;
                add(Kind.RIGHT_BRACE, start);
            }
            case '[' -> {
                if (bracketDepth > 0) {
                    throw error(start, "unexpected left bracket '['");
                }
                bracketDepth++;
                add(Kind.LEFT_BRACKET, start);
            }
            case ']' -> {
                if (bracketDepth == 0) {
                    throw error(start, "unexpected right bracket ']'");
                }
                bracketDepth--;
                add(Kind.RIGHT_BRACKET, start);
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    private void lexOperator(char c, int start) {
        char next = pos < input.length() ? input.charAt(pos) : 0;
        switch (c) {
            case ',' -> add(Kind.COMMA, start);
            case ':' -> {
                if (bracketDepth == 0) {
                    throw error(start, "unexpected colon ':'");
                }
                add(Kind.COLON, start);
            }
            case '@' -> add(Kind.AT, start);
            case '+' -> add(Kind.ADD, start);
            case '-' -> add(Kind.SUB, start);
            case '*' -> add(Kind.MUL, start);
            case '/' -> add(Kind.DIV, start);
            case '%' -> add(Kind.MOD, start);
            case '^' -> add(Kind.POW, start);
            case '=' -> {
                if (next == '=') {
                    pos++;
                    add(Kind.EQLC, start);
                } else if (next == '~') {
                    pos++;
                    add(Kind.EQL_REGEX, start);
                } else {
                    add(Kind.ASSIGN, start);
                }
            }
            case '!' -> {
                if (next == '=') {
                    pos++;
                    add(Kind.NEQ, start);
                } else if (next == '~') {
                    pos++;
                    add(Kind.NEQ_REGEX, start);
                } else {
                    throw error(start, "unexpected character after '!': " + describeChar(next));
                }
            }
            case '<' -> {
                if (next == '=') {
                    pos++;
                    add(Kind.LTE, start);
                } else {
                    add(Kind.LSS, start);
                }
            }
            case '>' -> {
                if (next == '=') {
                    pos++;
                    add(Kind.GTE, start);
                } else {
                    add(Kind.GTR, start);
                }
            }
            default -> throw error(start, "unexpected character: " + describeChar(c));
        }
    }

    private static String describeChar(char c) {
        return c == 0 ? "end of input" : "'" + c + "'";
    }

    private void add(Kind kind, int start) {
        tokens.add(new Token(kind, input.substring(start, pos), start));
    }

    private void lexIdentifier() {
        int start = pos;
        boolean hasColon = false;
        while (pos < input.length()) {
            char c = input.charAt(pos);
            if (isIdentifierStart(c) || isAsciiDigit(c)) {
                pos++;
            } else if (c == ':' && braceDepth == 0 && bracketDepth == 0) {
                hasColon = true;
                pos++;
            } else {
                break;
            }
        }
        String word = input.substring(start, pos);
        if (braceDepth == 0 && (word.equalsIgnoreCase("inf") || word.equalsIgnoreCase("nan"))) {
            tokens.add(new Token(Kind.NUMBER, word, start));
            return;
        }
        tokens.add(new Token(hasColon ? Kind.METRIC_IDENTIFIER : Kind.IDENTIFIER, word, start));
    }

    private static boolean isIdentifierStart(char c) {
        return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isAsciiDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isAlphaNumeric(char c) {
        return isIdentifierStart(c) || (c >= '0' && c <= '9');
    }

    private void lexNumberOrDuration() {
        int start = pos;
        if (scanNumber()) {
            add(Kind.NUMBER, start);
            return;
        }
        pos = start;
        if (scanDuration()) {
            add(Kind.DURATION, start);
            return;
        }
        int end = pos;
        while (end < input.length() && (isAlphaNumeric(input.charAt(end)) || input.charAt(end) == '.')) {
            end++;
        }
        throw error(start, "bad number or duration syntax: \"" + input.substring(start, end) + "\"");
    }

    private boolean scanNumber() {
        String digits = "0123456789";
        if (bracketDepth == 0 && peekIs('0') && pos + 1 < input.length()
                && (input.charAt(pos + 1) == 'x' || input.charAt(pos + 1) == 'X')) {
            pos += 2;
            digits = "0123456789abcdefABCDEF";
        }
        acceptRun(digits);
        if (peekIs('.')) {
            pos++;
            acceptRun(digits);
        }
        if (digits.length() == 10 && (peekIs('e') || peekIs('E'))) {
            int mark = pos;
            pos++;
            if (peekIs('+') || peekIs('-')) {
                pos++;
            }
            if (!acceptRun("0123456789")) {
                pos = mark;
            }
        }
        return pos >= input.length() || !isAlphaNumeric(input.charAt(pos));
    }

    /** Go's model.ParseDuration form: one or more {@code <digits><unit>} parts. */
    private boolean scanDuration() {
        boolean any = false;
        while (acceptRun("0123456789")) {
            if (input.startsWith("ms", pos)) {
                pos += 2;
            } else if (pos < input.length() && "smhdwy".indexOf(input.charAt(pos)) >= 0) {
                pos++;
            } else {
                return false;
            }
            any = true;
        }
        return any && (pos >= input.length() || !isAlphaNumeric(input.charAt(pos)));
    }

    private boolean peekIs(char c) {
        return pos < input.length() && input.charAt(pos) == c;
    }

    private boolean acceptRun(String valid) {
        int start = pos;
        while (pos < input.length() && valid.indexOf(input.charAt(pos)) >= 0) {
            pos++;
        }
        return pos > start;
    }

    private void lexString(char quote) {
        int start = pos;
        pos++;
        while (true) {
            if (pos >= input.length()) {
                throw error(start, "unterminated " + (quote == '`' ? "raw string" : "quoted string"));
            }
            char c = input.charAt(pos);
            if (c == '\\' && quote != '`') {
                pos += 2;
                continue;
            }
            if (c == '\n' && quote != '`') {
                throw error(start, "unterminated quoted string");
            }
            pos++;
            if (c == quote) {
                break;
            }
        }
        String text = input.substring(start, pos);
        unquote(input, start, text);
        tokens.add(new Token(Kind.STRING, text, start));
    }

    /** The value of a quoted string token, with Go's escapes resolved. */
    static String unquote(String input, int offset, String quoted) {
        char quote = quoted.charAt(0);
        String body = quoted.substring(1, quoted.length() - 1);
        if (quote == '`') {
            return body;
        }
        StringBuilder out = new StringBuilder(body.length());
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (++i >= body.length()) {
                throw error(input, offset, "unterminated escape sequence in string");
            }
            char e = body.charAt(i);
            switch (e) {
                case 'a' -> out.append('\u0007');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'v' -> out.append('\u000b');
                case '\\', '\'', '"' -> out.append(e);
                case 'x' -> i = appendCode(out, input, offset, body, i + 1, 2, 16) - 1;
                case 'u' -> i = appendCode(out, input, offset, body, i + 1, 4, 16) - 1;
                case 'U' -> i = appendCode(out, input, offset, body, i + 1, 8, 16) - 1;
                default -> {
                    if (e >= '0' && e <= '7') {
                        i = appendCode(out, input, offset, body, i, 3, 8) - 1;
                    } else {
                        throw error(input, offset, "unknown escape sequence '\\" + e + "' in string");
                    }
                }
            }
        }
        return out.toString();
    }

    private static int appendCode(StringBuilder out, String input, int offset, String body, int from, int digits, int radix) {
        if (from + digits > body.length()) {
            throw error(input, offset, "escape sequence is too short in string");
        }
        try {
            int code = Integer.parseInt(body.substring(from, from + digits), radix);
            if (radix == 16 && digits == 2 || radix == 8) {
                out.append((char) code);
            } else {
                out.appendCodePoint(code);
            }
        } catch (IllegalArgumentException e) {
            throw error(input, offset, "invalid escape sequence in string");
        }
        return from + digits;
    }

    private PromParseException error(int offset, String reason) {
        return PromParseException.at(input, offset, reason);
    }

    private static PromParseException error(String input, int offset, String reason) {
        return PromParseException.at(input, offset, reason);
    }
}
