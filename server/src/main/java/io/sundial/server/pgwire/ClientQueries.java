package io.sundial.server.pgwire;

import io.sundial.server.SundialServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The small statements drivers and shells send around real queries: {@code SET}, {@code SHOW}
 * of a setting, and {@code SELECT} without FROM of literals and the session functions
 * ({@code version()}, {@code current_setting('x')}, {@code current_schema()}, ...).
 */
final class ClientQueries {
    private static final Pattern SET = Pattern.compile(
            "(?is)set\\s+(?:session\\s+|local\\s+)?(?:(time\\s+zone)\\s+(.+)|([\\w.\"]+)\\s*(?:=|\\bto\\b)\\s*(.+))");
    private static final Pattern ALIAS = Pattern.compile("(?is)(.*?)\\s+(?:as\\s+)?(\"[^\"]+\"|[a-z_]\\w*)");
    private static final Pattern CALL = Pattern.compile("(?is)(?:pg_catalog\\.)?(\\w+)\\s*\\((.*)\\)");
    private static final Pattern CAST = Pattern.compile("(?is)(.*?)::\\s*[\\w. ]+");

    private ClientQueries() {}

    /** Applies {@code SET name = value} / {@code SET name TO value} / {@code SET TIME ZONE value}. */
    static void set(String sql, Session session) throws PgException {
        Matcher set = SET.matcher(sql.strip());
        if (!set.matches()) {
            throw new PgException(SqlState.SYNTAX_ERROR, "cannot read the SET statement: write SET name = value or SET name TO value",
                    1, false);
        }
        String name = set.group(1) != null ? "timezone" : SqlText.identifier(set.group(3));
        String value = literalText(set.group(1) != null ? set.group(2) : set.group(4));
        if (name.equalsIgnoreCase("timezone") && !value.equalsIgnoreCase("UTC") && !value.equalsIgnoreCase("GMT")
                && !value.equals("0") && !value.equalsIgnoreCase("Etc/UTC") && !value.equals("+00:00")
                && !value.equalsIgnoreCase("default") && !value.equalsIgnoreCase("local")) {
            throw new PgException(SqlState.FEATURE_NOT_SUPPORTED, "Sundial answers in UTC only; TimeZone '" + value
                    + "' is not supported (use tz('" + value + "') inside a SundialQL SELECT)");
        }
        if (!name.equalsIgnoreCase("timezone")) {
            session.set(name, value);
        }
    }

    private static String literalText(String value) {
        String text = value.strip();
        String unquoted = SqlText.unquote(text);
        return unquoted != null ? unquoted : SqlText.identifier(text);
    }

    /** {@code SHOW name} (or {@code SHOW ALL}). */
    static ResultTable show(String sql, Session session) throws PgException {
        String name = SqlText.identifier(sql.strip().substring(4).strip());
        if (name.equalsIgnoreCase("all")) {
            List<Object[]> rows = new ArrayList<>();
            session.settings().forEach((key, value) -> rows.add(new Object[] {key, value, ""}));
            return new ResultTable(List.of(new ResultTable.Column("name", PgType.TEXT),
                    new ResultTable.Column("setting", PgType.TEXT), new ResultTable.Column("description", PgType.TEXT)), rows);
        }
        String key = name.equalsIgnoreCase("time zone") ? "timezone" : name;
        String value = session.setting(key);
        if (value == null) {
            throw new PgException(SqlState.UNDEFINED_OBJECT, "unrecognized configuration parameter \"" + name + "\"");
        }
        return ResultTable.single(key.toLowerCase(Locale.ROOT), PgType.TEXT, value);
    }

    /** A SELECT without FROM: each item a literal or a session function. */
    static ResultTable selectWithoutFrom(String sql, Session session) throws PgException {
        String list = sql.strip().substring(6);
        List<ResultTable.Column> columns = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        for (String item : SqlText.splitCommas(list)) {
            String expression = item;
            String label = null;
            Matcher alias = ALIAS.matcher(item);
            if (alias.matches() && !alias.group(2).equalsIgnoreCase("as") && looksComplete(alias.group(1))) {
                expression = alias.group(1);
                label = SqlText.identifier(alias.group(2));
            }
            Matcher cast = CAST.matcher(expression);
            if (cast.matches()) {
                expression = cast.group(1);
            }
            Object value = evaluate(expression.strip(), session);
            PgType type = value instanceof Long ? PgType.INT4 : value instanceof Boolean ? PgType.BOOL : PgType.TEXT;
            columns.add(new ResultTable.Column(label != null ? label : defaultLabel(expression.strip()), type));
            values.add(value);
        }
        List<Object[]> rows = new ArrayList<>();
        rows.add(values.toArray());
        return new ResultTable(columns, rows);
    }

    private static boolean looksComplete(String expression) {
        String text = expression.strip();
        return !text.isEmpty() && !text.endsWith("(") && !text.endsWith(",");
    }

    private static String defaultLabel(String expression) {
        Matcher call = CALL.matcher(expression);
        if (call.matches()) {
            return call.group(1).toLowerCase(Locale.ROOT);
        }
        String word = expression.toLowerCase(Locale.ROOT);
        return switch (word) {
            case "current_user", "session_user", "current_schema", "current_catalog", "user" -> word;
            default -> "?column?";
        };
    }

    private static Object evaluate(String expression, Session session) throws PgException {
        String lower = expression.toLowerCase(Locale.ROOT);
        String literal = SqlText.unquote(expression);
        if (literal != null) {
            return literal;
        }
        if (lower.matches("[+-]?\\d{1,18}")) {
            return Long.parseLong(lower);
        }
        switch (lower) {
            case "true" -> {
                return Boolean.TRUE;
            }
            case "false" -> {
                return Boolean.FALSE;
            }
            case "null" -> {
                return null;
            }
            case "current_user", "session_user", "user" -> {
                return session.user();
            }
            case "current_schema", "current_catalog" -> {
                return lower.equals("current_schema") ? "public" : session.database();
            }
            default -> { }
        }
        Matcher call = CALL.matcher(expression);
        if (!call.matches()) {
            throw unsupported(expression);
        }
        String function = call.group(1).toLowerCase(Locale.ROOT);
        String argument = call.group(2).strip();
        return switch (function) {
            case "version" -> "PostgreSQL " + Session.SERVER_VERSION.replace(" (Sundial)", "") + " (Sundial "
                    + SundialServer.version() + ") on Java " + Runtime.version().feature();
            case "current_schema" -> "public";
            case "current_database", "current_catalog" -> session.database();
            case "current_user", "session_user" -> session.user();
            case "current_schemas" -> "{public}";
            case "pg_backend_pid" -> 0L;
            case "current_setting" -> {
                List<String> arguments = SqlText.splitCommas(argument);
                String name = arguments.isEmpty() ? null : SqlText.unquote(arguments.getFirst());
                if (name == null) {
                    throw new PgException(SqlState.SYNTAX_ERROR, "current_setting takes a quoted setting name, e.g. "
                            + "current_setting('server_version')");
                }
                String value = session.setting(name);
                if (value == null && !(arguments.size() > 1 && arguments.get(1).equalsIgnoreCase("true"))) {
                    throw new PgException(SqlState.UNDEFINED_OBJECT, "unrecognized configuration parameter \"" + name + "\"");
                }
                yield value;
            }
            default -> throw unsupported(expression);
        };
    }

    private static PgException unsupported(String expression) {
        return new PgException(SqlState.FEATURE_NOT_SUPPORTED, "'" + expression + "' is not supported in a SELECT "
                + "without FROM; Sundial answers literals, version(), current_setting('name'), current_schema(), "
                + "current_database() and current_user there (docs/PGWIRE.md)");
    }
}
