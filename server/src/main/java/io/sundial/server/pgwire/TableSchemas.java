package io.sundial.server.pgwire;

import io.sundial.core.FieldType;
import io.sundial.storage.Engine;
import io.sundial.storage.index.FieldRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Measurements seen as tables: {@code time}, then tag columns (text), then field columns typed by
 * the field's stored type. Tables declared with CREATE TABLE but not yet written are kept here in
 * memory (per database) until their first point fixes them in the engine's catalog.
 */
final class TableSchemas {
    /** A column of a measurement; {@code isTag} tells a tag (text, part of the series key) from a field. */
    record Column(String name, PgType type, boolean isTag, FieldType fieldType) {}

    record Table(String name, List<Column> columns) {
        Optional<Column> column(String columnName) {
            return columns.stream().filter(c -> c.name().equals(columnName)).findFirst();
        }
    }

    private final Map<String, Map<String, Table>> declared = new ConcurrentHashMap<>();

    /** Every table of the database: the engine's measurements and the declared ones, by name. */
    List<Table> tables(Engine engine, String database) {
        TreeSet<String> names = new TreeSet<>(engine.measurements());
        names.addAll(declared.getOrDefault(database, Map.of()).keySet());
        List<Table> tables = new ArrayList<>(names.size());
        for (String name : names) {
            tables.add(table(engine, database, name).orElseThrow());
        }
        return tables;
    }

    Optional<Table> table(Engine engine, String database, String name) {
        List<String> tagKeys = engine.tagKeys(name);
        List<FieldRef> fields = engine.fieldKeys(name);
        Table declaredTable = declared.getOrDefault(database, Map.of()).get(name);
        if (tagKeys.isEmpty() && fields.isEmpty()) {
            return Optional.ofNullable(declaredTable);
        }
        Map<String, Column> columns = new LinkedHashMap<>();
        columns.put("time", new Column("time", PgType.TIMESTAMPTZ, false, null));
        Map<String, Column> rest = new TreeMap<>();
        for (String tag : tagKeys) {
            rest.put(tag, new Column(tag, PgType.TEXT, true, null));
        }
        for (FieldRef field : fields) {
            rest.putIfAbsent(field.name(), new Column(field.name(), pgType(field.type()), false, field.type()));
        }
        if (declaredTable != null) {
            for (Column column : declaredTable.columns()) {
                rest.putIfAbsent(column.name(), column);
            }
        }
        rest.remove("time");
        columns.putAll(rest);
        return Optional.of(new Table(name, List.copyOf(columns.values())));
    }

    /** Remembers a CREATE TABLE; false when the table already exists. */
    boolean declare(Engine engine, String database, Table table) {
        if (table(engine, database, table.name()).isPresent()) {
            return false;
        }
        return declared.computeIfAbsent(database, d -> new ConcurrentHashMap<>()).putIfAbsent(table.name(), table) == null;
    }

    static PgType pgType(FieldType type) {
        return switch (type) {
            case FLOAT -> PgType.FLOAT8;
            case INTEGER, UNSIGNED -> PgType.INT8;
            case BOOLEAN -> PgType.BOOL;
            case STRING -> PgType.TEXT;
        };
    }
}
