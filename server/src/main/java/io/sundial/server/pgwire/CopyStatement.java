package io.sundial.server.pgwire;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A COPY command as psql's {@code \copy} and pgjdbc's CopyManager send it:
 * {@code COPY m [(columns)] FROM STDIN [options]}, {@code COPY (SELECT ...) TO STDOUT [options]} or
 * {@code COPY m [(columns)] TO STDOUT [options]}; options in the modern form
 * {@code [WITH] (FORMAT csv, HEADER, DELIMITER ',', NULL '', QUOTE '"', ESCAPE '"')} or the old one
 * {@code [WITH] CSV HEADER DELIMITER AS ','}. Server files and programs are refused: the server's
 * file system is not the client's business.
 *
 * @param table the measurement (FROM STDIN, or TO STDOUT of a table), null for a query
 * @param columns the column list, empty for the table's columns in {@code \d} order
 * @param query the query of {@code COPY (query) TO STDOUT}, or null
 */
record CopyStatement(boolean isFrom, String table, List<String> columns, String query, Format format) {
    /** Longest COPY command text read here (the data itself comes in CopyData messages). */
    static final int COMMAND_CHARS_MAX = 64 << 10;
    private static final Pattern TABLE = Pattern.compile("(?s)(\"(?:[^\"]|\"\")+\"|[\\w.]+)\\s*(?:\\((.*)\\))?");

    /** How rows are written: text (tab-separated, backslash escapes, \N null) or CSV. */
    record Format(boolean isCsv, boolean hasHeader, char delimiter, String nullText, char quote, char escape) {
        static final Format TEXT = new Format(false, false, '\t', "\\N", '"', '"');
        static final Format CSV = new Format(true, false, ',', "", '"', '"');
    }

    static CopyStatement parse(String sql) throws PgException {
        if (sql.length() > COMMAND_CHARS_MAX) {
            throw new PgException(SqlState.PROGRAM_LIMIT_EXCEEDED, "a COPY command is " + sql.length()
                    + " characters; the limit is " + COMMAND_CHARS_MAX);
        }
        String text = sql.strip();
        String rest = text.substring("copy".length()).strip();
        int fromAt = SqlText.topLevelKeyword(rest, "from", 0);
        int toAt = SqlText.topLevelKeyword(rest, "to", 0);
        boolean isFrom = fromAt >= 0 && (toAt < 0 || fromAt < toAt);
        int at = isFrom ? fromAt : toAt;
        if (at <= 0) {
            throw syntax("cannot read the COPY: write COPY m [(columns)] FROM STDIN or COPY (SELECT ...) TO STDOUT");
        }
        String source = rest.substring(0, at).strip();
        String after = rest.substring(at + (isFrom ? 4 : 2)).strip();
        String target = SqlText.firstWord(after);
        if (!target.equals(isFrom ? "stdin" : "stdout")) {
            throw new PgException(SqlState.FEATURE_NOT_SUPPORTED, "COPY " + (isFrom ? "FROM" : "TO") + " a server file or "
                    + "program is not supported; use " + (isFrom ? "FROM STDIN" : "TO STDOUT") + " (psql's \\copy does)");
        }
        Format format = options(after.substring(after.toLowerCase(Locale.ROOT).indexOf(target) + target.length()).strip());
        if (source.startsWith("(") && source.endsWith(")")) {
            if (isFrom) {
                throw syntax("COPY FROM takes a table, not a query");
            }
            return new CopyStatement(false, null, List.of(), source.substring(1, source.length() - 1).strip(), format);
        }
        Matcher table = TABLE.matcher(source);
        if (!table.matches()) {
            throw syntax("cannot read the table of the COPY: '" + source + "'");
        }
        List<String> columns = new ArrayList<>();
        if (table.group(2) != null) {
            for (String column : SqlText.splitCommas(table.group(2))) {
                columns.add(SqlText.identifier(column));
            }
        }
        String name = SqlText.identifier(table.group(1));
        name = name.startsWith("public.") ? name.substring("public.".length()) : name;
        return new CopyStatement(isFrom, name, List.copyOf(columns), null, format);
    }

    private static Format options(String text) throws PgException {
        String options = text.regionMatches(true, 0, "with", 0, 4) && (text.length() == 4
                || !SqlText.isWordChar(text.charAt(4))) ? text.substring(4).strip() : text;
        List<String[]> pairs = new ArrayList<>();
        if (options.startsWith("(") && options.endsWith(")")) {
            for (String option : SqlText.splitCommas(options.substring(1, options.length() - 1))) {
                String[] parts = option.strip().split("\\s+", 2);
                pairs.add(new String[] {parts[0].toLowerCase(Locale.ROOT), parts.length > 1 ? parts[1].strip() : null});
            }
        } else if (!options.isEmpty()) {
            legacy(options, pairs);
        }
        boolean isCsv = false;
        for (String[] pair : pairs) {
            if (pair[0].equals("format")) {
                String value = value(pair).toLowerCase(Locale.ROOT);
                if (value.equals("binary")) {
                    throw new PgException(SqlState.FEATURE_NOT_SUPPORTED, "COPY in binary format is not supported; "
                            + "use FORMAT text or FORMAT csv");
                }
                if (!value.equals("csv") && !value.equals("text")) {
                    throw syntax("COPY format \"" + value + "\" not recognized (text or csv)");
                }
                isCsv = value.equals("csv");
            }
        }
        Format base = isCsv ? Format.CSV : Format.TEXT;
        boolean hasHeader = base.hasHeader();
        char delimiter = base.delimiter();
        String nullText = base.nullText();
        char quote = base.quote();
        Character escape = null;
        for (String[] pair : pairs) {
            switch (pair[0]) {
                case "format" -> { }
                case "header" -> hasHeader = pair[1] == null || isTrue(value(pair));
                case "delimiter" -> delimiter = character(pair);
                case "null" -> nullText = value(pair);
                case "quote" -> quote = character(pair);
                case "escape" -> escape = character(pair);
                case "encoding" -> {
                    String encoding = value(pair).replace("-", "");
                    if (!encoding.equalsIgnoreCase("utf8")) {
                        throw new PgException(SqlState.FEATURE_NOT_SUPPORTED, "COPY encoding " + value(pair)
                                + " is not supported; Sundial reads and writes UTF8");
                    }
                }
                default -> throw new PgException(SqlState.FEATURE_NOT_SUPPORTED, "COPY option \"" + pair[0]
                        + "\" is not supported (FORMAT, HEADER, DELIMITER, NULL, QUOTE, ESCAPE, ENCODING are)");
            }
        }
        if (!isCsv && (quote != '"' || escape != null)) {
            throw syntax("COPY QUOTE and ESCAPE are only available in CSV format");
        }
        if (delimiter == '\n' || delimiter == '\r' || !isCsv && delimiter == '\\' || isCsv && delimiter == quote) {
            throw syntax("COPY delimiter '" + delimiter + "' cannot be used" + (isCsv ? " (it is the quote character)" : ""));
        }
        return new Format(isCsv, hasHeader, delimiter, nullText, quote, escape == null ? quote : escape);
    }

    /** The old option syntax: {@code CSV HEADER DELIMITER [AS] 'x' NULL [AS] 'x' QUOTE [AS] 'x' ESCAPE [AS] 'x' BINARY}. */
    private static void legacy(String text, List<String[]> pairs) throws PgException {
        List<String> words = new ArrayList<>();
        Matcher token = Pattern.compile("(?s)[eE]?'(?:[^']|'')*'|\\S+").matcher(text);
        while (token.find()) {
            words.add(token.group());
        }
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i).toLowerCase(Locale.ROOT);
            switch (word) {
                case "csv" -> pairs.add(new String[] {"format", "csv"});
                case "binary" -> pairs.add(new String[] {"format", "binary"});
                case "header" -> pairs.add(new String[] {"header", null});
                case "delimiter", "null", "quote", "escape" -> {
                    if (i + 1 < words.size() && words.get(i + 1).equalsIgnoreCase("as")) {
                        i++;
                    }
                    if (i + 1 >= words.size()) {
                        throw syntax("COPY option " + word.toUpperCase(Locale.ROOT) + " needs a value");
                    }
                    pairs.add(new String[] {word, words.get(++i)});
                }
                default -> throw new PgException(SqlState.FEATURE_NOT_SUPPORTED, "COPY option \"" + words.get(i)
                        + "\" is not supported (CSV, HEADER, DELIMITER, NULL, QUOTE, ESCAPE are)");
            }
        }
    }

    private static String value(String[] pair) throws PgException {
        if (pair[1] == null) {
            throw syntax("COPY option " + pair[0].toUpperCase(Locale.ROOT) + " needs a value");
        }
        String raw = pair[1].strip();
        if (raw.length() >= 3 && (raw.charAt(0) == 'E' || raw.charAt(0) == 'e') && raw.charAt(1) == '\'') {
            String inside = SqlText.unquote(raw.substring(1));
            return inside == null ? raw : inside.replace("\\t", "\t").replace("\\n", "\n").replace("\\\\", "\\");
        }
        String quoted = SqlText.unquote(raw);
        return quoted != null ? quoted : raw;
    }

    private static char character(String[] pair) throws PgException {
        String value = value(pair);
        if (value.length() != 1) {
            throw syntax("COPY " + pair[0] + " must be a single one-byte character, not '" + value + "'");
        }
        return value.charAt(0);
    }

    private static boolean isTrue(String value) throws PgException {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "on", "1", "match" -> true;
            case "false", "off", "0" -> false;
            default -> throw syntax("COPY HEADER takes a Boolean value, not '" + value + "'");
        };
    }

    private static PgException syntax(String message) {
        return new PgException(SqlState.SYNTAX_ERROR, message);
    }
}
