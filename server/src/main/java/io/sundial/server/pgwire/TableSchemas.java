package io.sundial.server.pgwire;

import io.sundial.core.FieldType;
import io.sundial.storage.Engine;
import io.sundial.storage.index.FieldRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Measurements seen as tables: {@code time}, then tag columns (text), then field columns typed by
 * the field's stored type, merged with the columns declared by CREATE TABLE (kept durably per
 * database in a {@link TableDeclarationsFile}), which also make a table that has no points yet.
 */
final class TableSchemas {
    /** A column of a measurement; {@code isTag} tells a tag (text, part of the series key) from a field. */
    record Column(String name, PgType type, boolean isTag, FieldType fieldType) {}

    record Table(String name, List<Column> columns) {
        Optional<Column> column(String columnName) {
            return columns.stream().filter(c -> c.name().equals(columnName)).findFirst();
        }
    }

    /**
     * Declarations per open database, loaded from its {@link TableDeclarationsFile} on first use.
     * Keyed by the engine instance, not the name: a database dropped and created again starts
     * empty (its directory, and the file in it, went with the drop).
     */
    private final Map<Engine, Map<String, Table>> declared = java.util.Collections.synchronizedMap(new WeakHashMap<>());

    /** Reads the declarations of {@code engine} now, so a damaged file is reported at start rather than by a query. */
    void load(Engine engine) throws IOException {
        if (!declared.containsKey(engine)) {
            Map<String, Table> tables = new ConcurrentHashMap<>();
            for (Table table : TableDeclarationsFile.read(TableDeclarationsFile.path(engine.directory()))) {
                tables.put(table.name(), table);
            }
            declared.putIfAbsent(engine, tables);
        }
    }

    private Map<String, Table> declared(Engine engine) {
        try {
            load(engine);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return declared.getOrDefault(engine, Map.of());
    }

    /** Every table of the database: the engine's measurements and the declared ones, by name. */
    List<Table> tables(Engine engine, String database) {
        TreeSet<String> names = new TreeSet<>(engine.measurements());
        names.addAll(declared(engine).keySet());
        List<Table> tables = new ArrayList<>(names.size());
        for (String name : names) {
            tables.add(table(engine, database, name).orElseThrow());
        }
        return tables;
    }

    Optional<Table> table(Engine engine, String database, String name) {
        List<String> tagKeys = engine.tagKeys(name);
        List<FieldRef> fields = engine.fieldKeys(name);
        Table declaredTable = declared(engine).get(name);
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

    /**
     * Remembers a CREATE TABLE durably (the database's declarations file is rewritten before the
     * table becomes visible); false when the table already exists.
     */
    synchronized boolean declare(Engine engine, String database, Table table) throws IOException {
        if (table(engine, database, table.name()).isPresent()) {
            return false;
        }
        Map<String, Table> tables = declared(engine);
        Map<String, Table> next = new TreeMap<>(tables);
        next.put(table.name(), table);
        TableDeclarationsFile.write(TableDeclarationsFile.path(engine.directory()), next.values());
        tables.put(table.name(), table);
        return true;
    }

    /** Forgets the declaration of a dropped measurement (DROP MEASUREMENT), durably. */
    synchronized void forget(Engine engine, String name) throws IOException {
        Map<String, Table> tables = declared(engine);
        if (tables.containsKey(name)) {
            Map<String, Table> next = new TreeMap<>(tables);
            next.remove(name);
            TableDeclarationsFile.write(TableDeclarationsFile.path(engine.directory()), next.values());
            tables.remove(name);
        }
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
