package io.sundial.server.pgwire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.postgresql.PGConnection;

/** COPY FROM STDIN and COPY TO STDOUT with pgjdbc's CopyManager and psql's \copy against a started server. */
class PgCopyTest {
    @TempDir
    static Path dir;
    static PgServer server;
    private static int tables;
    private String table;

    @BeforeAll
    static void start() throws Exception {
        server = PgServer.start(dir.resolve("data"), o -> o.withTransactionPointsMax(100));
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    /** Every test gets a fresh declared table: time, city (tag), temp (float), n (integer), ok (bool), note (string). */
    @BeforeEach
    void declare() throws Exception {
        table = "weather" + (++tables);
        execute("CREATE TABLE " + table + " (time timestamptz, city text, temp double precision, n bigint, ok boolean, "
                + "note text FIELD)");
    }

    private static void execute(String sql) throws SQLException {
        try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static long copyIn(Connection connection, String sql, String data) throws Exception {
        return connection.unwrap(PGConnection.class).getCopyAPI().copyIn(sql, new StringReader(data));
    }

    /** Test data is written with {T} for a tab, {N} a newline, {R} a carriage return and {B} a backslash. */
    private static String unfold(String data) {
        return data.replace("{T}", "\t").replace("{N}", "\n").replace("{R}", "\r").replace("{B}", "\\");
    }

    private List<String> rows() throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection connection = server.connect(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT city, temp, n, ok, note FROM " + table)) {
            while (result.next()) {
                rows.add(result.getString("city") + "|" + result.getString("temp") + "|" + result.getString("n") + "|"
                        + result.getString("ok") + "|" + result.getString("note"));
            }
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) {
                return rows;
            }
            throw e;
        }
        return rows;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', textBlock = """
            text_all_columns;  COPY %s FROM STDIN;                                    2024-01-01 00:00:00+00{T}Oslo{T}-3.5{T}1{T}t{T}it's{B}tcold{N}2024-01-01T00:01:00Z{T}Rome{T}12{T}{B}N{T}f{T}{B}N{N}
            text_columns;      COPY %s (time, city, temp) FROM STDIN;                 1704067200000000000{T}Oslo{T}-3.5{N}2024-01-01 00:01:00{T}Rome{T}12{N}{B}.{N}ignored after the end marker{N}
            csv_header;        COPY %s (city, temp, note, time) FROM STDIN WITH (FORMAT csv, HEADER); city,temp,note,time{N}Oslo,-3.5,"it's, ""cold""{N}really",2024-01-01 00:00:00+00{N}Rome,12,,2024-01-01 00:01:00+00
            csv_legacy;        COPY %s (time, city, temp, note) FROM STDIN CSV HEADER DELIMITER AS '|'; time|city|temp|note{R}{N}2024-01-01 00:00:00+00|Oslo|-3.5|""{R}{N}2024-01-01 00:01:00+00|Rome|12|x{R}{N}
            """)
    void copyFromStdinWritesPoints(String name, String sql, String data) throws Exception {
        try (Connection connection = server.connect()) {
            assertEquals(2, copyIn(connection, sql.formatted(table), unfold(data)), name);
        }
        List<String> rows = rows();
        assertEquals(2, rows.size(), name + ": " + rows);
        assertTrue(rows.getFirst().startsWith("Oslo|-3.5|"), name + ": " + rows);
        assertTrue(rows.get(1).startsWith("Rome|12|"), name + ": " + rows);
        switch (name) {
            case "text_all_columns" -> assertEquals(List.of("Oslo|-3.5|1|t|it's\tcold", "Rome|12|null|f|null"), rows);
            case "csv_header" -> assertEquals("Oslo|-3.5|null|null|it's, \"cold\"\nreally", rows.getFirst());
            case "csv_legacy" -> assertEquals(List.of("Oslo|-3.5|null|null|", "Rome|12|null|null|x"), rows);
            default -> { }
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', textBlock = """
            bad_float;        COPY %s (time, city, temp) FROM STDIN;  2024-01-01 00:00:00+00{T}a{T}1{N}2024-01-01 00:00:01+00{T}b{T}2{N}2024-01-01 00:00:02+00{T}c{T}warm{N}; 22P02; line 3: column "temp": invalid input for a float value: "warm"
            too_few;          COPY %s (time, city, temp) FROM STDIN;  2024-01-01 00:00:00+00{T}a{T}1{N}2024-01-01 00:00:01+00{T}b{N};                  22P04; line 2: missing data for column "temp"
            too_many;         COPY %s (time, city, temp) FROM STDIN;  2024-01-01 00:00:00+00{T}a{T}1{T}9{N};                                         22P04; line 1: extra data after last expected column
            bad_time;         COPY %s (time, city, temp) FROM STDIN;  yesterday{T}a{T}1{N};                                                           22023; line 1: invalid time 'yesterday'
            no_field;         COPY %s (time, city) FROM STDIN;        2024-01-01 00:00:00+00{T}a{N};                                                  22023; line 1: a row written to
            unknown_column;   COPY %s (time, cty) FROM STDIN;         x{N};                                                                           42703; column "cty" of relation
            unknown_table;    COPY nosuch FROM STDIN;                 x{N};                                                                           42P01; relation "nosuch" does not exist
            unclosed_quote;   COPY %s (time, city, temp) FROM STDIN CSV; 2024-01-01 00:00:00+00,"a,1{N};                                              22P04; line 1: unterminated CSV quoted field
            too_many_rows;    COPY %s (city, temp) FROM STDIN;        REPEAT;                                                                         54000; a COPY holds at most 100 rows
            server_file;      COPY %s FROM '/etc/passwd';             x{N};                                                                           0A000; server file or program is not supported
            binary;           COPY %s FROM STDIN WITH (FORMAT binary); x{N};                                                                          0A000; binary format is not supported
            """)
    void badCopyIsOneClearErrorAndWritesNothing(String name, String sql, String data, String sqlState, String message)
            throws Exception {
        String body = data.equals("REPEAT") ? "a\t1\n".repeat(101) : unfold(data);
        try (Connection connection = server.connect()) {
            SQLException e = assertThrows(SQLException.class, () -> copyIn(connection, sql.formatted(table), body), name);
            assertEquals(sqlState, e.getSQLState(), name + ": " + e.getMessage());
            assertTrue(e.getMessage().contains(message), name + ": " + e.getMessage());
            try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery("SELECT 1")) {
                assertTrue(rows.next(), "the connection goes on after the failed COPY");
            }
        }
        assertEquals(List.of(), rows(), name + ": all or nothing");
    }

    @Test
    void copyInsideATransactionIsWrittenAtCommitOnly() throws Exception {
        try (Connection connection = server.connect()) {
            connection.setAutoCommit(false);
            assertEquals(1, copyIn(connection, "COPY " + table + " (time, city, temp) FROM STDIN",
                    "2024-01-01 00:00:00+00\tOslo\t1\n"));
            assertEquals(List.of(), rows(), "not visible before COMMIT");
            connection.rollback();
            assertEquals(1, copyIn(connection, "COPY " + table + " (time, city, temp) FROM STDIN",
                    "2024-01-01 00:00:00+00\tRome\t2\n"));
            connection.commit();
        }
        assertEquals(List.of("Rome|2|null|null|null"), rows());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', textBlock = """
            query_text;     COPY (SELECT city, temp, note FROM %s) TO STDOUT;                           2024-01-01 00:00:00+00{T}Oslo{T}-3.5{T}it's,{B}tcold{N}2024-01-01 00:01:00+00{T}Rome{T}12{T}{B}N{N}
            query_csv;      COPY (SELECT city, temp, note FROM %s) TO STDOUT WITH (FORMAT csv, HEADER); time,city,temp,note{N}2024-01-01 00:00:00+00,Oslo,-3.5,"it's,{T}cold"{N}2024-01-01 00:01:00+00,Rome,12,{N}
            table_columns;  COPY %s (city, temp, n) TO STDOUT CSV;                                      2024-01-01 00:00:00+00,Oslo,-3.5,1{N}2024-01-01 00:01:00+00,Rome,12,{N}
            """)
    void copyToStdoutWritesRows(String name, String sql, String expected) throws Exception {
        try (Connection connection = server.connect()) {
            try (var insert = connection.prepareStatement("INSERT INTO " + table + " (time, city, temp, n, note) "
                    + "VALUES ('2024-01-01 00:00:00+00', 'Oslo', -3.5, 1, ?)")) {
                insert.setString(1, "it's,\tcold");
                insert.executeUpdate();
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute("INSERT INTO " + table + " (time, city, temp) VALUES ('2024-01-01 00:01:00+00', 'Rome', 12)");
            }
            StringWriter out = new StringWriter();
            long count = connection.unwrap(PGConnection.class).getCopyAPI().copyOut(sql.formatted(table), out);
            assertEquals(2, count, name);
            assertEquals(unfold(expected), out.toString(), name);
        }
    }

    @Test
    void psqlBackslashCopyRoundTripsAFile() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/psql")), "psql is not installed");
        Path in = dir.resolve("in.csv");
        Files.writeString(in, "time,city,temp\n2024-01-01 00:00:00+00,Oslo,-3.5\n2024-01-01 00:01:00+00,\"Rome, IT\",12\n");
        Path out = dir.resolve("out.csv");
        ProcessBuilder builder = new ProcessBuilder("/usr/bin/psql", "-X", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p",
                Integer.toString(server.port()), "-U", "tester", "-d", "sundial",
                "-c", "\\copy " + table + " (time, city, temp) from '" + in + "' with (format csv, header)",
                "-c", "\\copy (SELECT city, temp FROM " + table + ") to '" + out + "' csv header").redirectErrorStream(true);
        builder.environment().put("PGCONNECT_TIMEOUT", "20");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "psql did not finish");
        assertEquals(0, process.exitValue(), output);
        assertTrue(output.contains("COPY 2"), output);
        assertEquals("time,city,temp\n2024-01-01 00:00:00+00,Oslo,-3.5\n2024-01-01 00:01:00+00,\"Rome, IT\",12\n",
                Files.readString(out));
    }
}
