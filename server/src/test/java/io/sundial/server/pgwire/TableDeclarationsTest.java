package io.sundial.server.pgwire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.core.FieldType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** CREATE TABLE declarations survive a restart (TableDeclarationsFile), and a damaged file is reported, not skipped. */
class TableDeclarationsTest {
    @TempDir
    Path dir;

    private static List<String> columns(Connection connection, String table) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (ResultSet rows = connection.getMetaData().getColumns(null, null, table, "%")) {
            while (rows.next()) {
                columns.add(rows.getString("COLUMN_NAME") + ":" + rows.getString("TYPE_NAME"));
            }
        }
        return columns;
    }

    @Test
    void declarationsSurviveARestartAndFixTheFirstWrite() throws Exception {
        Path data = dir.resolve("data");
        try (PgServer server = PgServer.start(data); Connection connection = server.connect();
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE weather (time timestamptz, city text, temp double precision, note text FIELD, "
                    + "\"odd name\" bigint)");
            statement.execute("CREATE TABLE gone (time timestamptz, x double precision)");
        }
        try (PgServer server = PgServer.start(data); Connection connection = server.connect();
             Statement statement = connection.createStatement()) {
            assertEquals(List.of("time:timestamptz", "city:text", "temp:float8", "note:text", "odd name:int8"),
                    columns(connection, "weather"));
            // "note" is a declared string field; without the declaration a string value would make it a tag.
            statement.execute("INSERT INTO weather (time, city, temp, note) VALUES ('2024-01-01 00:00:00+00', 'Oslo', 1, 'cold')");
            try (ResultSet rows = statement.executeQuery("SHOW TAG KEYS FROM weather")) {
                assertTrue(rows.next());
                assertEquals("city", rows.getString("tagKey"));
                assertTrue(!rows.next(), "note must not be a tag");
            }
            SQLException duplicate = assertThrows(SQLException.class, () -> statement.execute("CREATE TABLE gone (time timestamptz)"));
            assertEquals("42P07", duplicate.getSQLState());
            statement.execute("DROP MEASUREMENT gone");
        }
        try (PgServer server = PgServer.start(data); Connection connection = server.connect()) {
            assertEquals(List.of(), columns(connection, "gone"), "DROP MEASUREMENT forgets the declaration");
            assertEquals(5, columns(connection, "weather").size());
        }
    }

    @Test
    void fileRoundTripsNamesAndTypes() throws IOException {
        Path file = dir.resolve(TableDeclarationsFile.FILE_NAME);
        List<TableSchemas.Table> tables = List.of(new TableSchemas.Table("m with space\nand line", List.of(
                new TableSchemas.Column("time", PgType.TIMESTAMPTZ, false, null),
                new TableSchemas.Column("tag %x", PgType.TEXT, true, null),
                new TableSchemas.Column("u", PgType.INT8, false, FieldType.UNSIGNED),
                new TableSchemas.Column("b", PgType.BOOL, false, FieldType.BOOLEAN))),
                new TableSchemas.Table("empty", List.of(new TableSchemas.Column("time", PgType.TIMESTAMPTZ, false, null))));
        TableDeclarationsFile.write(file, tables);
        assertEquals(tables, TableDeclarationsFile.read(file));
        assertEquals(List.of(), TableDeclarationsFile.read(dir.resolve("absent")));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', textBlock = """
            bad_checksum;     flip;      checksum mismatch
            torn_tail;        truncate;  no checksum line
            newer_version;    version;   newer than this server reads
            """)
    void damagedFileIsReportedWithItsPath(String name, String damage, String expected) throws Exception {
        Path file = dir.resolve(TableDeclarationsFile.FILE_NAME);
        TableDeclarationsFile.write(file, List.of(new TableSchemas.Table("m", List.of(
                new TableSchemas.Column("time", PgType.TIMESTAMPTZ, false, null),
                new TableSchemas.Column("host", PgType.TEXT, true, null)))));
        String text = Files.readString(file);
        UnaryOperator<String> change = switch (damage) {
            case "flip" -> t -> t.replace("host", "hosx");
            case "truncate" -> t -> t.substring(0, t.indexOf("crc32c") + 3);
            default -> t -> rewriteWithVersion(t, 9);
        };
        Files.writeString(file, change.apply(text));
        IOException e = assertThrows(IOException.class, () -> TableDeclarationsFile.read(file), name);
        assertTrue(e.getMessage().contains(expected) && e.getMessage().contains(file.toString()), e.getMessage());
    }

    /** The file with another version number and a checksum that fits, so only the version check can refuse it. */
    private static String rewriteWithVersion(String text, int version) {
        String body = text.substring(0, text.indexOf("crc32c ")).replace(TableDeclarationsFile.MAGIC + " 1",
                TableDeclarationsFile.MAGIC + " " + version);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(body.getBytes(StandardCharsets.UTF_8));
        return body + "crc32c " + java.util.HexFormat.of().toHexDigits((int) crc.getValue()) + "\n";
    }

    @Test
    void damagedFileStopsTheListenerFromStarting() throws Exception {
        Path data = dir.resolve("data");
        try (PgServer server = PgServer.start(data); Connection connection = server.connect();
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE t (time timestamptz, v double precision)");
        }
        Path file = data.resolve("db").resolve("sundial").resolve(TableDeclarationsFile.FILE_NAME);
        Files.writeString(file, Files.readString(file).replace("table t", "table u"));
        IOException e = assertThrows(IOException.class, () -> PgServer.start(data).close());
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("delete it"), e.getMessage());
    }
}
