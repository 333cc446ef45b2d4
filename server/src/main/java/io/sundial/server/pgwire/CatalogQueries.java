package io.sundial.server.pgwire;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough of {@code pg_catalog} and {@code information_schema} for pgjdbc's
 * DatabaseMetaData.getTables/getColumns and psql's {@code \dt} and {@code \d name}: measurements
 * are tables of schema {@code public}, their columns those of {@link TableSchemas}.
 *
 * <p>There is no SQL engine behind this. A query whose FROM lists {@code pg_attribute} or
 * {@code information_schema.columns} gets a row per column, one over {@code pg_class},
 * {@code pg_tables} or {@code information_schema.tables} a row per measurement; the filters
 * clients use (relation oid, {@code relname LIKE}, psql's {@code OPERATOR(pg_catalog.~)} regex,
 * {@code table_name =}, schema) are applied. Each select item is answered by its label or the
 * catalog column it names; an item nothing is known about is NULL. Any other catalog query (types,
 * inheritance, policies, publications...) gets no rows, which is the truth for Sundial.
 */
final class CatalogQueries {
    /** First OID of user objects in PostgreSQL; measurement i of the sorted list has oid FIRST_OID + i. */
    static final int FIRST_OID = 16_384;
    private static final Pattern CATALOG_TABLE = Pattern.compile(
            "(?i)(?:pg_catalog\\.|information_schema\\.|\\b)(pg_\\w+|tables|columns)\\b(?!\\s*\\()");
    private static final Set<String> RELATION_TABLES = Set.of("pg_class", "pg_tables", "tables");
    private static final Set<String> ATTRIBUTE_TABLES = Set.of("pg_attribute", "columns");
    /** Tables that only join in details of a relation or column; other tables mean a question Sundial answers with no rows. */
    private static final Set<String> DETAIL_TABLES = Set.of("pg_namespace", "pg_type", "pg_description", "pg_am",
            "pg_attrdef", "pg_collation", "pg_class", "pg_attribute", "pg_tables", "tables", "columns");
    private static final Pattern OID_FILTER = Pattern.compile("(?i)(?:\\.oid|attrelid)\\s*=\\s*'?(\\d+)'?");
    private static final Pattern LIKE_FILTER = Pattern.compile(
            "(?i)(?:relname|table_name|tablename)\\s+(?:like|=|ilike)\\s+E?'((?:[^']|'')*)'");
    private static final Pattern REGEX_FILTER = Pattern.compile(
            "(?i)relname\\s+operator\\s*\\(\\s*pg_catalog\\.~\\s*\\)\\s+'((?:[^']|'')*)'");
    private static final Pattern SCHEMA_FILTER = Pattern.compile(
            "(?i)(?:nspname|table_schema|schemaname)\\s+(?:like|=)\\s+E?'((?:[^']|'')*)'");
    private static final Pattern ALIAS = Pattern.compile("(?is)(.*?)\\s+as\\s+(\"[^\"]+\"|\\w+)");
    private static final Pattern LAST_NAME = Pattern.compile("(?is).*?(\\w+)\\s*(?:\\(.*)?");

    private CatalogQueries() {}

    /** Whether {@code sql} reads the catalog (pg_catalog, information_schema, a pg_ table). */
    static boolean isCatalogQuery(String sql) {
        String lower = sql.toLowerCase(Locale.ROOT);
        int from = SqlText.topLevelKeyword(sql, "from", 0);
        return from >= 0 && (lower.contains("pg_catalog.") || lower.contains("information_schema.")
                || CATALOG_TABLE.matcher(fromClause(sql, from)).find());
    }

    static ResultTable answer(String sql, List<TableSchemas.Table> tables, String user) {
        String query = sql.strip();
        int from = SqlText.topLevelKeyword(query, "from", 0);
        int select = SqlText.topLevelKeyword(query, "select", 0);
        List<String> items = SqlText.splitCommas(query.substring(select + 6, from));
        if (items.size() == 1 && items.getFirst().equals("*")) {
            String fromClause = query.substring(from + 4).strip();
            if (fromClause.startsWith("(")) {
                int close = matchingParenthesis(fromClause);
                return answer(fromClause.substring(1, close), tables, user);
            }
        }
        List<String> labels = new ArrayList<>();
        List<String> expressions = new ArrayList<>();
        for (String item : items) {
            Matcher alias = ALIAS.matcher(item);
            if (alias.matches()) {
                expressions.add(alias.group(1).toLowerCase(Locale.ROOT));
                labels.add(SqlText.identifier(alias.group(2)));
            } else {
                expressions.add(item.toLowerCase(Locale.ROOT));
                Matcher name = LAST_NAME.matcher(item);
                labels.add(name.matches() ? name.group(1).toLowerCase(Locale.ROOT) : "?column?");
            }
        }
        List<ResultTable.Column> columns = new ArrayList<>();
        for (String label : labels) {
            columns.add(new ResultTable.Column(label, PgType.TEXT));
        }
        List<Object[]> rows = new ArrayList<>();
        Set<String> catalogTables = catalogTables(fromClause(query, from));
        int where = SqlText.topLevelKeyword(query, "where", from);
        // Filters are read from WHERE only: select items (pgjdbc's CASE over nspname) hold look-alike comparisons.
        String filters = where < 0 ? "" : query.substring(where);
        if (!DETAIL_TABLES.containsAll(catalogTables) || !schemaMatches(filters)) {
            return new ResultTable(columns, rows);
        }
        boolean perColumn = catalogTables.stream().anyMatch(ATTRIBUTE_TABLES::contains);
        boolean perTable = catalogTables.stream().anyMatch(RELATION_TABLES::contains);
        if (!perColumn && !perTable) {
            return new ResultTable(columns, rows);
        }
        for (int t = 0; t < tables.size(); t++) {
            TableSchemas.Table table = tables.get(t);
            if (!tableMatches(filters, table.name(), FIRST_OID + t)) {
                continue;
            }
            if (perColumn) {
                for (int c = 0; c < table.columns().size(); c++) {
                    Object[] row = new Object[labels.size()];
                    for (int i = 0; i < row.length; i++) {
                        row[i] = columnValue(labels.get(i).toLowerCase(Locale.ROOT), expressions.get(i), table, c, user);
                    }
                    rows.add(row);
                }
            } else {
                Object[] row = new Object[labels.size()];
                for (int i = 0; i < row.length; i++) {
                    row[i] = tableValue(labels.get(i).toLowerCase(Locale.ROOT), expressions.get(i), table, FIRST_OID + t, user);
                }
                rows.add(row);
            }
        }
        return new ResultTable(columns, rows);
    }

    private static String fromClause(String query, int from) {
        int where = SqlText.topLevelKeyword(query, "where", from);
        return query.substring(from, where < 0 ? query.length() : where);
    }

    private static Set<String> catalogTables(String fromClause) {
        Set<String> names = new java.util.TreeSet<>();
        // Join conditions compare with literals such as 'pg_class'; those are not tables.
        Matcher table = CATALOG_TABLE.matcher(fromClause.replaceAll("'(?:[^']|'')*'", "''"));
        while (table.find()) {
            names.add(table.group(1).toLowerCase(Locale.ROOT));
        }
        return names;
    }

    private static boolean schemaMatches(String query) {
        Matcher schema = SCHEMA_FILTER.matcher(query);
        while (schema.find()) {
            if (!like(schema.group(1).replace("''", "'"), "public")) {
                return false;
            }
        }
        return true;
    }

    private static boolean tableMatches(String query, String name, int oid) {
        Matcher byOid = OID_FILTER.matcher(query);
        while (byOid.find()) {
            if (Integer.parseInt(byOid.group(1).length() > 9 ? "-1" : byOid.group(1)) != oid) {
                return false;
            }
        }
        Matcher byName = LIKE_FILTER.matcher(query);
        while (byName.find()) {
            if (!like(byName.group(1).replace("''", "'"), name)) {
                return false;
            }
        }
        Matcher byRegex = REGEX_FILTER.matcher(query);
        while (byRegex.find()) {
            Pattern pattern = psqlPattern(byRegex.group(1).replace("''", "'"));
            if (pattern == null || !pattern.matcher(name).find()) {
                return false;
            }
        }
        return true;
    }

    /**
     * The regex psql makes of a name pattern ({@code \d c*} becomes {@code ^(c.*)$}), rebuilt from
     * the few constructs psql emits — anchors, groups, alternation, {@code .} and {@code .*},
     * backslash escapes — with every other character quoted, so a client's text can never become
     * an expensive or invalid regular expression. Null when the groups do not balance.
     */
    static Pattern psqlPattern(String regex) {
        if (regex.length() > 1_000) {
            return null;
        }
        StringBuilder safe = new StringBuilder();
        int depth = 0;
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c == '\\' && i + 1 < regex.length()) {
                safe.append(Pattern.quote(String.valueOf(regex.charAt(++i))));
            } else if (c == '.' && i + 1 < regex.length() && regex.charAt(i + 1) == '*') {
                safe.append(".*");
                i++;
            } else if (c == '.' || c == '^' || c == '$' || c == '|') {
                safe.append(c);
            } else if (c == '(') {
                depth++;
                safe.append(c);
            } else if (c == ')') {
                if (--depth < 0) {
                    return null;
                }
                safe.append(c);
            } else {
                safe.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return depth == 0 ? Pattern.compile(safe.toString()) : null;
    }

    /** SQL LIKE with % and _ and backslash escapes. */
    static boolean like(String pattern, String value) {
        if (pattern.length() > 1_000) {
            return false;
        }
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\' && i + 1 < pattern.length()) {
                regex.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
            } else if (c == '%') {
                regex.append(".*");
            } else if (c == '_') {
                regex.append('.');
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return value.matches(regex.toString());
    }

    private static Object tableValue(String label, String expression, TableSchemas.Table table, int oid, String user) {
        return switch (label) {
            case "table_cat", "remarks", "description", "type_cat", "type_schem", "type_name",
                 "self_referencing_col_name", "ref_generation" -> null;
            case "table_schem", "schema", "table_schema", "schemaname", "nspname" -> "public";
            case "table_name", "name", "relname", "tablename" -> table.name();
            case "table_catalog" -> null;
            case "table_type" -> expression.contains("case") ? "TABLE" : "BASE TABLE";
            case "type" -> "table";
            case "owner", "tableowner" -> user;
            case "oid" -> Integer.toString(oid);
            default -> tableValueByExpression(expression, table, oid, user);
        };
    }

    private static Object tableValueByExpression(String expression, TableSchemas.Table table, int oid, String user) {
        if (expression.contains("relchecks") || expression.contains("reltablespace")) {
            return "0";
        }
        if (expression.contains("relhas") || expression.contains("relrowsecurity") || expression.contains("relforcerowsecurity")
                || expression.contains("relispartition") || expression.equals("false")) {
            return "f";
        }
        if (expression.contains("reloptions") || expression.contains("reloftype")) {
            return "";
        }
        if (expression.contains("relpersistence")) {
            return "p";
        }
        if (expression.contains("relreplident")) {
            return "d";
        }
        if (expression.contains("amname")) {
            return "heap";
        }
        if (expression.contains("relkind")) {
            return "r";
        }
        if (expression.contains("relname")) {
            return table.name();
        }
        if (expression.contains("nspname")) {
            return "public";
        }
        if (expression.contains("relowner") || expression.contains("userbyid")) {
            return user;
        }
        if (expression.endsWith(".oid") || expression.equals("oid")) {
            return Integer.toString(oid);
        }
        return null;
    }

    private static Object columnValue(String label, String expression, TableSchemas.Table table, int index, String user) {
        TableSchemas.Column column = table.columns().get(index);
        boolean notNull = column.name().equals("time");
        String key = label.equals("?column?") || label.equals("case") ? expression : label;
        if (key.contains("nullif")) {
            return null;
        }
        if (key.contains("attcollation") || key.contains("collname") || key.contains("pg_get_expr") || key.contains("adsrc")
                || key.contains("description") || key.contains("attfdwoptions") || key.contains("remarks")) {
            return null;
        }
        if (key.contains("nspname") || key.equals("table_schema") || key.equals("table_schem")) {
            return "public";
        }
        if (key.contains("relname") || key.equals("table_name")) {
            return table.name();
        }
        if (key.contains("attname") || key.equals("column_name")) {
            return column.name();
        }
        if (key.contains("atttypid")) {
            return Integer.toString(column.type().oid());
        }
        if (key.contains("format_type") || key.equals("data_type") || key.equals("type")) {
            return column.type().sqlName();
        }
        if (key.contains("udt_name")) {
            return column.type().name().toLowerCase(Locale.ROOT);
        }
        if (key.contains("attnotnull")) {
            return notNull ? "t" : "f";
        }
        if (key.equals("is_nullable")) {
            return notNull ? "NO" : "YES";
        }
        if (key.contains("typmod")) {
            return "-1";
        }
        if (key.contains("attlen")) {
            return Integer.toString(column.type().size());
        }
        if (key.contains("attnum") || key.contains("row_number") || key.equals("ordinal_position")) {
            return Integer.toString(index + 1);
        }
        if (key.contains("attidentity") || key.contains("attgenerated") || key.contains("attcompression")) {
            return "";
        }
        if (key.contains("typbasetype")) {
            return "0";
        }
        if (key.contains("typtype")) {
            return "b";
        }
        if (key.contains("attstorage")) {
            return column.type() == PgType.TEXT ? "x" : "p";
        }
        if (key.contains("attstattarget")) {
            return "-1";
        }
        if (key.contains("owner")) {
            return user;
        }
        return null;
    }

    private static int matchingParenthesis(String text) {
        int depth = 0;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return i;
            }
            i = c == '(' || c == ')' ? i + 1 : SqlText.skip(text, i);
        }
        return text.length();
    }
}
