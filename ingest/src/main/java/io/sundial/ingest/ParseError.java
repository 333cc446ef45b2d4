package io.sundial.ingest;

/**
 * One rejected input record: where it is (1-based line and byte column) and what is wrong. The
 * parser skipped it and went on; {@link #lineText()} is the offending text, truncated to
 * {@link #LINE_TEXT_CHARS_MAX} characters, or empty where the format has no lines (JSON).
 */
public record ParseError(long line, int column, String message, String lineText) {
    /** Longest excerpt of the bad line kept in an error, so one huge line cannot bloat a reply. */
    public static final int LINE_TEXT_CHARS_MAX = 256;

    public ParseError {
        if (line < 1 || column < 1) {
            throw new IllegalArgumentException("line and column are 1-based: " + line + ", " + column);
        }
        lineText = truncate(lineText);
    }

    /** Shortens {@code text} to {@link #LINE_TEXT_CHARS_MAX} characters, marking the cut with "...". */
    public static String truncate(String text) {
        if (text == null) {
            return "";
        }
        return text.length() <= LINE_TEXT_CHARS_MAX ? text : text.substring(0, LINE_TEXT_CHARS_MAX) + "...";
    }

    /** {@code line N, column M: message}. */
    @Override
    public String toString() {
        return "line " + line + ", column " + column + ": " + message;
    }
}
