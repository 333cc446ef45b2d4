package io.sundial.server.pgwire;

import io.sundial.core.FieldType;
import io.sundial.core.InvalidPointException;
import io.sundial.core.Point;
import io.sundial.query.plan.TimeLiterals;
import io.sundial.storage.Engine;
import java.io.IOException;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code INSERT INTO m (time, tag..., field...) VALUES (...), ...} turned into points, and
 * {@code CREATE TABLE m (col type [TAG | FIELD], ...)} declaring a measurement's columns.
 *
 * <p>Which column is a tag: one declared or stored as a tag key of the measurement; a column the
 * measurement does not know yet is a tag when its value is a string, a field otherwise. A string
 * field must therefore exist already or be declared with CREATE TABLE ... FIELD. Integer literals
 * make integer fields and decimals float fields; a value for an existing field is converted to the
 * field's type when that loses nothing (42 into a float field), refused otherwise (42P18/42804).
 */
final class WriteStatements {
    /** Only the head is matched by a regex; the values (which may be megabytes) are cut with linear scans. */
    private static final Pattern INSERT_HEAD = Pattern.compile(
            "(?is)insert\\s+into\\s+((?:\"(?:[^\"]|\"\")+\"|[\\w.]+))\\s*");
    /** Longest column definition of CREATE TABLE; bounds the regex work on it. */
    private static final int COLUMN_DEFINITION_CHARS_MAX = 1_000;
    private static final Pattern CREATE = Pattern.compile(
            "(?is)create\\s+table\\s+(if\\s+not\\s+exists\\s+)?((?:\"(?:[^\"]|\"\")+\"|[\\w.]+))\\s*\\((.*)\\)\\s*");
    private static final Pattern COLUMN = Pattern.compile("(?is)(\"(?:[^\"]|\"\")+\"|\\w+)\\s+(.+?)(?:\\s+(tag|field))?");
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern PARAMETER = Pattern.compile("\\$(\\d{1,5})");
    private static final Pattern TYPED_LITERAL = Pattern.compile("(?is)(?:timestamptz|timestamp(?:\\s+with\\s+time\\s+zone)?)\\s+('.*')");

    record Insert(String measurement, List<Point> points) {}

    private WriteStatements() {}

    /** The points of an INSERT; {@code parameters} are the bound values for {@code $n}. */
    static Insert insert(String sql, List<Object> parameters, Engine engine, TableSchemas schemas, String database,
            long nowNanos) throws PgException {
        String text = sql.strip();
        Matcher head = INSERT_HEAD.matcher(text);
        int valuesAt = head.lookingAt() ? SqlText.topLevelKeyword(text, "values", head.end()) : -1;
        String columnList = valuesAt < 0 ? "" : text.substring(head.end(), valuesAt).strip();
        if (valuesAt < 0 || !columnList.isEmpty() && !(columnList.startsWith("(") && columnList.endsWith(")"))) {
            throw new PgException(SqlState.SYNTAX_ERROR, "cannot read the INSERT: write INSERT INTO measurement "
                    + "(time, tag..., field...) VALUES (...), (...)", 1, false);
        }
        int returning = SqlText.topLevelKeyword(text, "returning", valuesAt);
        String valueRows = text.substring(valuesAt + "values".length(), returning < 0 ? text.length() : returning);
        String measurement = tableName(head.group(1));
        Optional<TableSchemas.Table> table = schemas.table(engine, database, measurement);
        List<String> columns = new ArrayList<>();
        if (!columnList.isEmpty()) {
            for (String column : SqlText.splitCommas(columnList.substring(1, columnList.length() - 1))) {
                columns.add(SqlText.identifier(column));
            }
        } else if (table.isPresent()) {
            table.get().columns().forEach(c -> columns.add(c.name()));
        } else {
            throw new PgException(SqlState.UNDEFINED_TABLE, "relation \"" + measurement + "\" does not exist yet, so the "
                    + "INSERT must name its columns: INSERT INTO " + measurement + " (time, host, value) VALUES (...)");
        }
        List<Point> points = new ArrayList<>();
        for (List<String> row : rows(valueRows)) {
            if (row.size() != columns.size()) {
                throw new PgException(SqlState.SYNTAX_ERROR, "INSERT has " + columns.size() + " columns but a row of "
                        + row.size() + " values: " + row);
            }
            List<Object> values = new ArrayList<>(row.size());
            for (String cell : row) {
                values.add(value(cell, parameters));
            }
            points.add(point(measurement, columns, values, table, nowNanos));
        }
        return new Insert(measurement, points);
    }

    /**
     * One row as a point: {@code values} (String, Long, Double, Boolean or null for no value)
     * line up with {@code columns}. INSERT and COPY FROM both come here, so a row means the same
     * whichever way it arrives.
     */
    static Point point(String measurement, List<String> columns, List<Object> values, Optional<TableSchemas.Table> table,
            long nowNanos) throws PgException {
        Point.Builder point = Point.builder(measurement);
        long timestamp = nowNanos;
        int fields = 0;
        for (int i = 0; i < columns.size(); i++) {
            String column = columns.get(i);
            Object value = values.get(i);
            if (value == null) {
                continue;
            }
            if (column.equals("time")) {
                timestamp = time(value);
                continue;
            }
            Optional<TableSchemas.Column> known = table.flatMap(t -> t.column(column));
            boolean isTag = known.map(TableSchemas.Column::isTag).orElse(value instanceof String);
            try {
                if (isTag) {
                    point.tag(column, value.toString());
                } else {
                    addField(point, column, value, known.map(TableSchemas.Column::fieldType).orElse(null));
                    fields++;
                }
            } catch (InvalidPointException | IllegalArgumentException e) {
                throw new PgException(SqlState.INVALID_PARAMETER_VALUE, "column \"" + column + "\": " + e.getMessage());
            }
        }
        if (fields == 0) {
            throw new PgException(SqlState.INVALID_PARAMETER_VALUE, "a row written to \"" + measurement
                    + "\" has no field value (only tags, time or NULLs); a point needs at least one field");
        }
        try {
            return point.timestamp(timestamp).build();
        } catch (InvalidPointException | IllegalArgumentException e) {
            throw new PgException(SqlState.INVALID_PARAMETER_VALUE, "invalid point for \"" + measurement + "\": " + e.getMessage());
        }
    }

    private static void addField(Point.Builder point, String column, Object value, FieldType type) throws PgException {
        FieldType target = type != null ? type : switch (value) {
            case Long ignored -> FieldType.INTEGER;
            case Double ignored -> FieldType.FLOAT;
            case Boolean ignored -> FieldType.BOOLEAN;
            default -> FieldType.STRING;
        };
        switch (target) {
            case FLOAT -> {
                if (!(value instanceof Number number)) {
                    throw mismatch(column, value, target);
                }
                point.floatField(column, number.doubleValue());
            }
            case INTEGER, UNSIGNED -> {
                if (!(value instanceof Long number) || target == FieldType.UNSIGNED && number < 0) {
                    throw mismatch(column, value, target);
                }
                if (target == FieldType.INTEGER) {
                    point.intField(column, number);
                } else {
                    point.unsignedField(column, number);
                }
            }
            case BOOLEAN -> {
                if (!(value instanceof Boolean flag)) {
                    throw mismatch(column, value, target);
                }
                point.boolField(column, flag);
            }
            case STRING -> point.stringField(column, value.toString());
        }
    }

    private static PgException mismatch(String column, Object value, FieldType type) {
        return new PgException(SqlState.DATATYPE_MISMATCH, "column \"" + column + "\" is a " + type.displayName()
                + " field; the value " + value + " does not fit it");
    }

    static long time(Object value) throws PgException {
        try {
            return switch (value) {
                case Long nanos -> nanos;
                case Double number -> (long) (double) number;
                default -> TimeLiterals.parse(value.toString().contains(" ") && value.toString().matches(".*[+-]\\d{2}(:?\\d{2})?$")
                        ? Parameters.rfc3339(value.toString()) : value.toString(), ZoneOffset.UTC);
            };
        } catch (RuntimeException e) {
            throw new PgException(SqlState.INVALID_PARAMETER_VALUE, "invalid time '" + value + "': write an RFC 3339 "
                    + "time ('2024-01-02T03:04:05Z'), 'yyyy-MM-dd HH:mm:ss[+hh]' or integer nanoseconds since the epoch");
        }
    }

    /** The rows of {@code VALUES (...), (...)}, each a list of value texts. */
    private static List<List<String>> rows(String values) throws PgException {
        List<List<String>> rows = new ArrayList<>();
        for (String row : SqlText.splitCommas(values)) {
            if (!row.startsWith("(") || !row.endsWith(")")) {
                throw new PgException(SqlState.SYNTAX_ERROR, "each VALUES row must be in parentheses, found: " + row);
            }
            rows.add(SqlText.splitCommas(row.substring(1, row.length() - 1)));
        }
        if (rows.isEmpty()) {
            throw new PgException(SqlState.SYNTAX_ERROR, "INSERT has no VALUES rows");
        }
        return rows;
    }

    private static Object value(String text, List<Object> parameters) throws PgException {
        String value = text.strip();
        Matcher typed = TYPED_LITERAL.matcher(value);
        if (typed.matches()) {
            value = typed.group(1);
        }
        int cast = value.lastIndexOf("::");
        if (cast > 0 && value.substring(cast + 2).strip().matches("(?i)[a-z][a-z0-9_ ]*")
                && (!value.startsWith("'") || value.lastIndexOf('\'') < cast)) {
            value = value.substring(0, cast).strip();
        }
        Matcher parameter = PARAMETER.matcher(value);
        if (parameter.matches()) {
            int index = Integer.parseInt(parameter.group(1));
            if (index < 1 || index > parameters.size()) {
                throw new PgException(SqlState.PROTOCOL_VIOLATION, "the INSERT uses $" + index + " but "
                        + parameters.size() + " parameters were bound");
            }
            return parameters.get(index - 1);
        }
        String string = SqlText.unquote(value);
        if (string != null) {
            return string;
        }
        String lower = value.toLowerCase(Locale.ROOT);
        switch (lower) {
            case "null", "default" -> {
                return null;
            }
            case "true", "false" -> {
                return Boolean.parseBoolean(lower);
            }
            default -> { }
        }
        if (NUMBER.matcher(value).matches()) {
            boolean isInteger = value.matches("[+-]?\\d+");
            try {
                return isInteger ? (Object) Long.parseLong(value) : (Object) Double.parseDouble(value);
            } catch (NumberFormatException e) {
                throw new PgException(SqlState.INVALID_PARAMETER_VALUE, "the integer " + value + " does not fit in 64 bits");
            }
        }
        throw new PgException(SqlState.FEATURE_NOT_SUPPORTED, "INSERT takes literals and $n parameters as values, not '"
                + value + "'");
    }

    /** Declares a table from CREATE TABLE; the tag returned is the command tag. */
    static String createTable(String sql, Engine engine, TableSchemas schemas, String database) throws PgException {
        Matcher create = CREATE.matcher(sql.strip());
        if (!create.matches()) {
            throw new PgException(SqlState.SYNTAX_ERROR, "cannot read the CREATE TABLE: write CREATE TABLE m "
                    + "(time timestamptz, host text, usage double precision, ...); text columns are tags unless "
                    + "followed by FIELD", 1, false);
        }
        String name = tableName(create.group(2));
        List<TableSchemas.Column> columns = new ArrayList<>();
        columns.add(new TableSchemas.Column("time", PgType.TIMESTAMPTZ, false, null));
        for (String definition : SqlText.splitCommas(create.group(3))) {
            String lower = definition.toLowerCase(Locale.ROOT);
            if (lower.startsWith("primary key") || lower.startsWith("constraint") || lower.startsWith("unique")) {
                continue;
            }
            Matcher column = COLUMN.matcher(definition.strip());
            if (definition.length() > COLUMN_DEFINITION_CHARS_MAX || !column.matches()) {
                throw new PgException(SqlState.SYNTAX_ERROR, "cannot read the column definition '" + definition + "'");
            }
            String columnName = SqlText.identifier(column.group(1));
            String type = column.group(2).toLowerCase(Locale.ROOT).replaceAll("\\b(not\\s+null|null|primary\\s+key)\\b", "")
                    .replaceAll("\\(.*\\)", "").strip();
            if (columnName.equals("time")) {
                if (!type.startsWith("timestamp")) {
                    throw new PgException(SqlState.DATATYPE_MISMATCH, "column \"time\" must be timestamptz, not " + type);
                }
                continue;
            }
            boolean isTag = column.group(3) != null ? column.group(3).equalsIgnoreCase("tag") : isText(type);
            columns.add(declared(columnName, type, isTag));
        }
        boolean created;
        try {
            created = schemas.declare(engine, database, new TableSchemas.Table(name, List.copyOf(columns)));
        } catch (IOException e) {
            throw new PgException(SqlState.IO_ERROR, "the CREATE TABLE could not be made durable: " + e.getMessage());
        }
        if (!created && create.group(1) == null) {
            throw new PgException(SqlState.DUPLICATE_TABLE, "relation \"" + name + "\" already exists");
        }
        return "CREATE TABLE";
    }

    private static TableSchemas.Column declared(String name, String type, boolean isTag) throws PgException {
        if (isTag) {
            if (!isText(type)) {
                throw new PgException(SqlState.DATATYPE_MISMATCH, "tag column \"" + name + "\" must be text, not " + type);
            }
            return new TableSchemas.Column(name, PgType.TEXT, true, null);
        }
        FieldType field = FIELD_TYPES.entrySet().stream().filter(e -> type.equals(e.getKey())).map(Map.Entry::getValue)
                .findFirst().orElseThrow(() -> new PgException(SqlState.FEATURE_NOT_SUPPORTED, "column \"" + name
                        + "\" has type " + type + ", which Sundial cannot store; use double precision, bigint, boolean or text"));
        return new TableSchemas.Column(name, TableSchemas.pgType(field), false, field);
    }

    private static final Map<String, FieldType> FIELD_TYPES = Map.ofEntries(
            Map.entry("double precision", FieldType.FLOAT), Map.entry("float8", FieldType.FLOAT),
            Map.entry("float", FieldType.FLOAT), Map.entry("real", FieldType.FLOAT), Map.entry("float4", FieldType.FLOAT),
            Map.entry("numeric", FieldType.FLOAT), Map.entry("decimal", FieldType.FLOAT),
            Map.entry("bigint", FieldType.INTEGER), Map.entry("int8", FieldType.INTEGER), Map.entry("integer", FieldType.INTEGER),
            Map.entry("int", FieldType.INTEGER), Map.entry("int4", FieldType.INTEGER), Map.entry("smallint", FieldType.INTEGER),
            Map.entry("int2", FieldType.INTEGER), Map.entry("boolean", FieldType.BOOLEAN), Map.entry("bool", FieldType.BOOLEAN),
            Map.entry("text", FieldType.STRING), Map.entry("varchar", FieldType.STRING),
            Map.entry("character varying", FieldType.STRING));

    private static boolean isText(String type) {
        return type.equals("text") || type.startsWith("varchar") || type.startsWith("character varying") || type.startsWith("char");
    }

    private static String tableName(String text) {
        String name = SqlText.identifier(text);
        return name.startsWith("public.") ? name.substring("public.".length()) : name;
    }
}
