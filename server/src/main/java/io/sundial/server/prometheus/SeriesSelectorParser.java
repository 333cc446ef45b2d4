package io.sundial.server.prometheus;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses the series selectors of {@code match[]} parameters:
 * {@code metric}, {@code metric{l="v",l2=~"re"}}, {@code {l!="v"}}, with double-, single- or
 * back-quoted values and Go's string escapes, as PromQL writes them. Only selectors: no range,
 * offset or functions. {@link #parse} is the one entry point, so the full PromQL parser can
 * replace this class without touching its callers.
 */
public final class SeriesSelectorParser {
    /** Longest selector text accepted; longer ones are refused before parsing. */
    public static final int SELECTOR_CHARS_MAX = 64 * 1024;

    private final String text;
    private int position;

    private SeriesSelectorParser(String text) {
        this.text = text;
    }

    /**
     * Parses one selector. As in Prometheus, it must hold at least one matcher that does not
     * match the empty string, so it cannot select every series.
     */
    public static SeriesSelector parse(String text) throws SelectorSyntaxException {
        if (text.length() > SELECTOR_CHARS_MAX) {
            throw new SelectorSyntaxException(1, "selector is " + text.length() + " characters long, more than the "
                    + SELECTOR_CHARS_MAX + " allowed");
        }
        return new SeriesSelectorParser(text).selector();
    }

    private SeriesSelector selector() throws SelectorSyntaxException {
        List<LabelMatcher> matchers = new ArrayList<>();
        skipSpace();
        String metric = null;
        if (position < text.length() && isNameStart(text.charAt(position), true)) {
            metric = name(true);
            matchers.add(LabelMatcher.of(SeriesSelector.METRIC_NAME_LABEL, LabelMatcher.Op.EQ, metric));
            skipSpace();
        }
        if (position < text.length() && text.charAt(position) == '{') {
            position++;
            matcherList(matchers, metric);
        } else if (metric == null) {
            throw error(position, position < text.length()
                    ? "unexpected character '" + text.charAt(position) + "', expected a metric name or '{'"
                    : "unexpected end of input, expected a series selector");
        }
        skipSpace();
        if (position < text.length()) {
            throw error(position, "unexpected character '" + text.charAt(position) + "' after the selector");
        }
        boolean hasNonEmpty = false;
        for (LabelMatcher m : matchers) {
            hasNonEmpty |= !m.matches("");
        }
        if (!hasNonEmpty) {
            throw error(0, "vector selector must contain at least one non-empty matcher");
        }
        return new SeriesSelector(matchers);
    }

    private void matcherList(List<LabelMatcher> matchers, String metric) throws SelectorSyntaxException {
        while (true) {
            skipSpace();
            if (position >= text.length()) {
                throw error(position, "unexpected end of input inside braces");
            }
            if (text.charAt(position) == '}') {
                position++;
                return;
            }
            int start = position;
            if (!isNameStart(text.charAt(position), false)) {
                throw error(position, "unexpected character '" + text.charAt(position) + "' inside braces, expected a label name");
            }
            String label = name(false);
            if (metric != null && label.equals(SeriesSelector.METRIC_NAME_LABEL)) {
                throw error(start, "metric name must not be set twice: \"" + metric + "\"");
            }
            skipSpace();
            LabelMatcher.Op op = operator();
            skipSpace();
            int valueStart = position;
            String value = string();
            try {
                matchers.add(LabelMatcher.of(label, op, value));
            } catch (IllegalArgumentException e) {
                throw error(valueStart, e.getMessage());
            }
            skipSpace();
            if (position < text.length() && text.charAt(position) == ',') {
                position++;
            } else if (position < text.length() && text.charAt(position) != '}') {
                throw error(position, "unexpected character '" + text.charAt(position) + "' inside braces, expected ',' or '}'");
            }
        }
    }

    private LabelMatcher.Op operator() throws SelectorSyntaxException {
        if (text.startsWith("=~", position)) {
            position += 2;
            return LabelMatcher.Op.RE;
        }
        if (text.startsWith("!~", position)) {
            position += 2;
            return LabelMatcher.Op.NRE;
        }
        if (text.startsWith("!=", position)) {
            position += 2;
            return LabelMatcher.Op.NEQ;
        }
        if (text.startsWith("=", position)) {
            position++;
            return LabelMatcher.Op.EQ;
        }
        throw error(position, "expected a label matching operator (=, !=, =~ or !~)");
    }

    private String name(boolean allowColon) {
        int start = position;
        position++;
        while (position < text.length() && isNamePart(text.charAt(position), allowColon)) {
            position++;
        }
        return text.substring(start, position);
    }

    private String string() throws SelectorSyntaxException {
        if (position >= text.length()) {
            throw error(position, "unexpected end of input, expected a quoted label value");
        }
        char quote = text.charAt(position);
        if (quote != '"' && quote != '\'' && quote != '`') {
            throw error(position, "expected a quoted label value, got '" + quote + "'");
        }
        int start = position;
        position++;
        StringBuilder out = new StringBuilder();
        while (position < text.length()) {
            char c = text.charAt(position++);
            if (c == quote) {
                return out.toString();
            }
            if (c == '\\' && quote != '`') {
                escape(out);
            } else if (c == '\n' && quote != '`') {
                throw error(position - 1, "unterminated quoted string (line break inside)");
            } else {
                out.append(c);
            }
        }
        throw error(start, "unterminated quoted string");
    }

    /** Go's escapes, which PromQL strings use. */
    private void escape(StringBuilder out) throws SelectorSyntaxException {
        if (position >= text.length()) {
            throw error(position, "unterminated escape sequence");
        }
        int start = position - 1;
        char c = text.charAt(position++);
        switch (c) {
            case 'a' -> out.append('\u0007');
            case 'b' -> out.append('\b');
            case 'f' -> out.append('\f');
            case 'n' -> out.append('\n');
            case 'r' -> out.append('\r');
            case 't' -> out.append('\t');
            case 'v' -> out.append('\u000b');
            case '\\', '"', '\'' -> out.append(c);
            case 'x' -> out.append((char) hex(2, start));
            case 'u' -> out.appendCodePoint(hex(4, start));
            case 'U' -> out.appendCodePoint(hex(8, start));
            default -> {
                if (c >= '0' && c <= '7') {
                    position--;
                    out.append((char) octal(start));
                } else {
                    throw error(start, "unknown escape sequence '\\" + c + "'");
                }
            }
        }
    }

    private int hex(int digits, int escapeStart) throws SelectorSyntaxException {
        if (position + digits > text.length()) {
            throw error(escapeStart, "escape sequence is too short");
        }
        int value;
        try {
            value = Integer.parseUnsignedInt(text.substring(position, position + digits), 16);
        } catch (NumberFormatException e) {
            throw error(escapeStart, "invalid hexadecimal digits in escape sequence");
        }
        if (value > Character.MAX_CODE_POINT || (value >= 0xd800 && value <= 0xdfff)) {
            throw error(escapeStart, "escape sequence is an invalid Unicode code point");
        }
        position += digits;
        return value;
    }

    private int octal(int escapeStart) throws SelectorSyntaxException {
        if (position + 3 > text.length()) {
            throw error(escapeStart, "octal escape sequence needs 3 digits");
        }
        int value = 0;
        for (int i = 0; i < 3; i++) {
            char d = text.charAt(position + i);
            if (d < '0' || d > '7') {
                throw error(escapeStart, "invalid octal digit '" + d + "' in escape sequence");
            }
            value = value * 8 + (d - '0');
        }
        if (value > 255) {
            throw error(escapeStart, "octal escape sequence is greater than 255");
        }
        position += 3;
        return value;
    }

    private void skipSpace() {
        while (position < text.length()) {
            char c = text.charAt(position);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                position++;
            } else if (c == '#') {
                // PromQL comments run to the end of the line.
                while (position < text.length() && text.charAt(position) != '\n') {
                    position++;
                }
            } else {
                return;
            }
        }
    }

    private static boolean isNameStart(char c, boolean allowColon) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (allowColon && c == ':');
    }

    private static boolean isNamePart(char c, boolean allowColon) {
        return isNameStart(c, allowColon) || (c >= '0' && c <= '9');
    }

    private static SelectorSyntaxException error(int offset, String message) {
        return new SelectorSyntaxException(offset + 1, message);
    }
}
