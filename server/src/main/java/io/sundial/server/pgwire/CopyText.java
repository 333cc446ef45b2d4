package io.sundial.server.pgwire;

import java.util.ArrayList;
import java.util.List;

/**
 * PostgreSQL's COPY row formats, both ways. Text: fields split by the delimiter (tab), backslash
 * escapes ({@code \t \n \r \b \f \v \\}, octal {@code \123}, hex {@code \x41}, and any other
 * escaped character as itself), {@code \N} for NULL. CSV (RFC 4180 as PostgreSQL reads it): the
 * delimiter (comma) outside quotes splits, a quoted field may hold delimiters, newlines and doubled
 * quotes, and an unquoted empty field is NULL while a quoted empty one is the empty string.
 */
final class CopyText {
    private CopyText() {}

    /** The fields of one text-format line (without its newline); null elements are NULLs. */
    static List<String> textFields(String line, CopyStatement.Format format) {
        List<String> fields = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= line.length(); i++) {
            if (i == line.length() || line.charAt(i) == format.delimiter()) {
                String raw = line.substring(start, i);
                fields.add(raw.equals(format.nullText()) ? null : unescape(raw));
                start = i + 1;
            } else if (line.charAt(i) == '\\') {
                i++; // the escaped character never splits
            }
        }
        return fields;
    }

    private static String unescape(String raw) {
        if (raw.indexOf('\\') < 0) {
            return raw;
        }
        StringBuilder out = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c != '\\' || i + 1 == raw.length()) {
                out.append(c);
                continue;
            }
            char next = raw.charAt(++i);
            switch (next) {
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'v' -> out.append('\u000b');
                case 'x' -> {
                    int end = i + 1;
                    while (end < raw.length() && end < i + 3 && Character.digit(raw.charAt(end), 16) >= 0) {
                        end++;
                    }
                    if (end == i + 1) {
                        out.append('x');
                    } else {
                        out.append((char) Integer.parseInt(raw.substring(i + 1, end), 16));
                        i = end - 1;
                    }
                }
                default -> {
                    if (next >= '0' && next <= '7') {
                        int end = i;
                        while (end < raw.length() && end < i + 3 && raw.charAt(end) >= '0' && raw.charAt(end) <= '7') {
                            end++;
                        }
                        out.append((char) Integer.parseInt(raw.substring(i, end), 8));
                        i = end - 1;
                    } else {
                        out.append(next);
                    }
                }
            }
        }
        return out.toString();
    }

    /**
     * The fields of one CSV record, or null when the record ends inside a quoted field (it goes on
     * in the next line). Null elements are NULLs.
     */
    static List<String> csvFields(String record, CopyStatement.Format format) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean isQuoted = false;
        boolean wasQuoted = false;
        int i = 0;
        while (true) {
            if (i == record.length()) {
                if (isQuoted) {
                    return null;
                }
                fields.add(!wasQuoted && field.toString().equals(format.nullText()) ? null : field.toString());
                return fields;
            }
            char c = record.charAt(i);
            if (isQuoted) {
                if (c == format.escape() && i + 1 < record.length() && (record.charAt(i + 1) == format.quote()
                        || record.charAt(i + 1) == format.escape() && format.escape() != format.quote())) {
                    field.append(record.charAt(i + 1));
                    i += 2;
                    continue;
                }
                if (c == format.quote()) {
                    isQuoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == format.quote()) {
                isQuoted = true;
                wasQuoted = true;
            } else if (c == format.delimiter()) {
                fields.add(!wasQuoted && field.toString().equals(format.nullText()) ? null : field.toString());
                field.setLength(0);
                wasQuoted = false;
            } else {
                field.append(c);
            }
            i++;
        }
    }

    /** One row (or the header) in the format, with its newline. Values are already in their text form; null is NULL. */
    static String line(List<String> values, CopyStatement.Format format) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                out.append(format.delimiter());
            }
            String value = values.get(i);
            if (value == null) {
                out.append(format.nullText());
            } else if (format.isCsv()) {
                csvValue(out, value, format);
            } else {
                textValue(out, value, format.delimiter());
            }
        }
        return out.append('\n').toString();
    }

    private static void textValue(StringBuilder out, String value, char delimiter) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c == delimiter) {
                        out.append('\\');
                    }
                    out.append(c);
                }
            }
        }
    }

    private static void csvValue(StringBuilder out, String value, CopyStatement.Format format) {
        boolean needsQuotes = value.equals(format.nullText()) || value.startsWith("\\.");
        for (int i = 0; i < value.length() && !needsQuotes; i++) {
            char c = value.charAt(i);
            needsQuotes = c == format.delimiter() || c == format.quote() || c == '\n' || c == '\r';
        }
        if (!needsQuotes) {
            out.append(value);
            return;
        }
        out.append(format.quote());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == format.quote() || c == format.escape()) {
                out.append(format.escape());
            }
            out.append(c);
        }
        out.append(format.quote());
    }
}
