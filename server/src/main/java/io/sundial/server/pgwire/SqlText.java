package io.sundial.server.pgwire;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Lexical work on client SQL that must respect quotes and comments: splitting a Query message
 * into statements, finding top-level keywords and commas, and turning PostgreSQL string literals
 * ({@code 'it''s'}, backslash literal) into SundialQL ones ({@code 'it\'s'}, backslash escaped).
 */
final class SqlText {
    private SqlText() {}

    /** The statements of a simple Query, split at top-level semicolons; blank pieces are dropped. */
    static List<String> split(String sql) {
        List<String> statements = new ArrayList<>();
        int start = 0;
        int i = 0;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == ';') {
                add(statements, sql.substring(start, i));
                start = i + 1;
                i++;
            } else {
                i = skip(sql, i);
            }
        }
        add(statements, sql.substring(start));
        return statements;
    }

    private static void add(List<String> statements, String piece) {
        if (!stripComments(piece).isBlank()) {
            statements.add(piece.strip());
        }
    }

    /**
     * Index after the token starting at {@code i} when it is a quoted string, quoted identifier or
     * comment (which may hold ; , and keywords); otherwise {@code i + 1}. Unterminated ones run to the end.
     */
    static int skip(String sql, int i) {
        char c = sql.charAt(i);
        if (c == '\'' || c == '"') {
            int j = i + 1;
            while (j < sql.length()) {
                if (sql.charAt(j) == c) {
                    if (j + 1 < sql.length() && sql.charAt(j + 1) == c) {
                        j += 2;
                        continue;
                    }
                    return j + 1;
                }
                j++;
            }
            return sql.length();
        }
        if (c == '-' && i + 1 < sql.length() && sql.charAt(i + 1) == '-') {
            int end = sql.indexOf('\n', i);
            return end < 0 ? sql.length() : end + 1;
        }
        if (c == '/' && i + 1 < sql.length() && sql.charAt(i + 1) == '*') {
            int end = sql.indexOf("*/", i + 2);
            return end < 0 ? sql.length() : end + 2;
        }
        return i + 1;
    }

    /** The text with comments replaced by spaces (strings untouched). */
    static String stripComments(String sql) {
        StringBuilder out = new StringBuilder(sql.length());
        int i = 0;
        while (i < sql.length()) {
            int next = skip(sql, i);
            char c = sql.charAt(i);
            boolean isComment = next > i + 1 && (c == '-' || c == '/');
            if (isComment) {
                out.append(' ');
            } else {
                out.append(sql, i, next);
            }
            i = next;
        }
        return out.toString();
    }

    /** The first word, lower-cased, after leading spaces and parentheses; "" for none. */
    static String firstWord(String sql) {
        return word(sql, 0);
    }

    /** The n-th word (0-based) made of letters, digits and '_', lower-cased; "" when there is none. */
    static String word(String sql, int n) {
        String text = stripComments(sql);
        int i = 0;
        int found = -1;
        while (i < text.length()) {
            while (i < text.length() && !isWordChar(text.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < text.length() && isWordChar(text.charAt(i))) {
                i++;
            }
            if (i > start && ++found == n) {
                return text.substring(start, i).toLowerCase(Locale.ROOT);
            }
        }
        return "";
    }

    static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }

    /** Index of the top-level (outside parentheses, quotes, comments) keyword at or after {@code from}, or -1. */
    static int topLevelKeyword(String sql, String keyword, int from) {
        int depth = 0;
        int i = from;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (depth == 0 && sql.regionMatches(true, i, keyword, 0, keyword.length())
                    && (i == 0 || !isWordChar(sql.charAt(i - 1)))
                    && (i + keyword.length() == sql.length() || !isWordChar(sql.charAt(i + keyword.length())))) {
                return i;
            }
            i = c == '(' || c == ')' ? i + 1 : skip(sql, i);
        }
        return -1;
    }

    /** The pieces of {@code list} between top-level commas, stripped. */
    static List<String> splitCommas(String list) {
        List<String> items = new ArrayList<>();
        int depth = 0;
        int start = 0;
        int i = 0;
        while (i < list.length()) {
            char c = list.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                items.add(list.substring(start, i).strip());
                start = i + 1;
            }
            i = c == '(' || c == ')' || c == ',' ? i + 1 : skip(list, i);
        }
        if (!list.substring(start).isBlank()) {
            items.add(list.substring(start).strip());
        }
        return items;
    }

    /**
     * PostgreSQL single-quoted literals rewritten in SundialQL's escaping: a doubled quote becomes
     * {@code \'}, a backslash (literal under standard_conforming_strings) becomes {@code \\},
     * a line break {@code \n}. Everything outside literals is kept.
     */
    static String toSundialStrings(String sql) {
        StringBuilder out = new StringBuilder(sql.length() + 8);
        int i = 0;
        while (i < sql.length()) {
            if (sql.charAt(i) != '\'') {
                int next = skip(sql, i);
                out.append(sql, i, next);
                i = next;
                continue;
            }
            StringBuilder value = new StringBuilder();
            int j = i + 1;
            boolean isClosed = false;
            while (j < sql.length()) {
                char c = sql.charAt(j);
                if (c == '\'') {
                    if (j + 1 < sql.length() && sql.charAt(j + 1) == '\'') {
                        value.append('\'');
                        j += 2;
                        continue;
                    }
                    isClosed = true;
                    j++;
                    break;
                }
                value.append(c);
                j++;
            }
            // An unterminated literal is left as written, so the SundialQL parser reports it with its position.
            out.append(isClosed ? sundialLiteral(value.toString()) : sql.substring(i));
            i = j;
        }
        return out.toString();
    }

    /** {@code value} as a SundialQL string literal. */
    static String sundialLiteral(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('\'');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\'' -> out.append("\\'");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append(' ');
                default -> out.append(c);
            }
        }
        return out.append('\'').toString();
    }

    /** The value of a PostgreSQL literal {@code 'text'} (quotes doubled inside), or null when it is not one. */
    static String unquote(String literal) {
        String text = literal.strip();
        if (text.length() >= 2 && text.startsWith("'") && text.endsWith("'")) {
            return text.substring(1, text.length() - 1).replace("''", "'");
        }
        return null;
    }

    /** An identifier as written: {@code "Quoted"} keeps its case, a bare one is lower-cased as PostgreSQL folds it. */
    static String identifier(String text) {
        String name = text.strip();
        if (name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"")) {
            return name.substring(1, name.length() - 1).replace("\"\"", "\"");
        }
        return name;
    }
}
