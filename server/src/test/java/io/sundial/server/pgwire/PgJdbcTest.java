package io.sundial.server.pgwire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.core.Point;
import io.sundial.query.QueryRegistry;
import io.sundial.server.Eventually;
import io.sundial.storage.Column;
import io.sundial.storage.Databases;
import io.sundial.storage.ReadRequest;
import io.sundial.storage.SeriesData;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.postgresql.util.PSQLException;

/** pgjdbc, a real PostgreSQL client, against a started server: queries, types, writes, metadata, errors, cancel. */
class PgJdbcTest {
    private static final Instant T0 = Instant.ofEpochSecond(1_700_000_000L);

    @TempDir
    static Path dir;
    static PgServer server;

    @BeforeAll
    static void start() throws IOException {
        server = PgServer.start(dir.resolve("data"));
        server.writeSample();
    }

    @AfterAll
    static void stop() throws IOException {
        server.close();
    }

    private static Properties properties(String... pairs) {
        Properties properties = new Properties();
        for (int i = 0; i < pairs.length; i += 2) {
            properties.setProperty(pairs[i], pairs[i + 1]);
        }
        return properties;
    }

    @Test
    void simpleStatementAnswersTypedRows() throws SQLException {
        try (Connection connection = server.connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT * FROM cpu")) {
            ResultSetMetaData meta = rows.getMetaData();
            List<String> columns = new ArrayList<>();
            List<String> types = new ArrayList<>();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                columns.add(meta.getColumnName(i));
                types.add(meta.getColumnTypeName(i));
            }
            assertEquals(List.of("time", "count", "host", "up", "usage"), columns);
            assertEquals(List.of("timestamptz", "int8", "text", "bool", "float8"), types);
            assertTrue(rows.next());
            assertEquals(T0, rows.getTimestamp("time").toInstant());
            assertEquals(3L, rows.getLong("count"));
            assertEquals("a", rows.getString("host"));
            assertTrue(rows.getBoolean("up"));
            assertEquals(1.5, rows.getDouble("usage"));
            assertTrue(rows.next());
            assertEquals(T0.plusSeconds(60), rows.getTimestamp("time").toInstant());
            assertEquals("b", rows.getString("host"));
            assertFalse(rows.getBoolean("up"));
            assertFalse(rows.next());
        }
    }

    /** Text results (unnamed statements, prepareThreshold 0) and binary results (prepareThreshold -1) must read the same. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"text results,0", "binary results,-1"})
    void preparedStatementBindsParameters(String name, String prepareThreshold) throws SQLException {
        try (Connection connection = server.connect("tester", null, properties("prepareThreshold", prepareThreshold));
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT time, usage, count, up, host FROM cpu WHERE host = ? AND time >= ? AND usage > ?")) {
            for (int round = 0; round < 3; round++) {
                statement.setString(1, "b");
                statement.setTimestamp(2, Timestamp.from(T0));
                statement.setDouble(3, 2.0);
                try (ResultSet rows = statement.executeQuery()) {
                    assertTrue(rows.next(), name);
                    assertEquals(T0.plusSeconds(60), rows.getTimestamp(1).toInstant());
                    assertEquals(2.5, rows.getDouble(2));
                    assertEquals(4L, rows.getLong(3));
                    assertFalse(rows.getBoolean(4));
                    assertEquals("b", rows.getString(5));
                    assertFalse(rows.next());
                }
            }
        }
    }

    @Test
    void parameterValuesCannotChangeTheStatement() throws SQLException {
        try (Connection connection = server.connect();
             PreparedStatement statement = connection.prepareStatement("SELECT usage FROM cpu WHERE host = ?")) {
            statement.setString(1, "a' OR host = 'b");
            try (ResultSet rows = statement.executeQuery()) {
                assertFalse(rows.next(), "the whole value is one string literal, matching no host");
            }
        }
    }

    @Test
    void simpleQueryModeWithClientSideParameters() throws SQLException {
        try (Connection connection = server.connect("tester", null, properties("preferQueryMode", "simple"));
             PreparedStatement statement = connection.prepareStatement("SELECT count FROM cpu WHERE host = ?")) {
            statement.setString(1, "a");
            try (ResultSet rows = statement.executeQuery()) {
                assertTrue(rows.next());
                assertEquals(3, rows.getInt("count"));
            }
        }
    }

    @Test
    void batchInsertInATransactionIsWrittenAtCommitOnly() throws Exception {
        try (Connection connection = server.connect()) {
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO batch (time, host, value) VALUES (?, ?, ?)")) {
                for (int i = 0; i < 100; i++) {
                    insert.setTimestamp(1, Timestamp.from(T0.plusSeconds(i)));
                    insert.setString(2, i % 2 == 0 ? "even" : "odd");
                    insert.setDouble(3, i);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            assertEquals(0, points("batch"), "nothing is written before COMMIT");
            connection.commit();
            assertEquals(100, points("batch"));
            try (Statement statement = connection.createStatement()) {
                statement.executeUpdate("INSERT INTO batch (time, host, value) VALUES ('2024-01-01 00:00:00+00', 'x', 1.0)");
            }
            connection.rollback();
            assertEquals(100, points("batch"), "a rolled back INSERT is dropped");
            connection.setAutoCommit(true);
            try (Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT sum(value) FROM batch GROUP BY host")) {
                List<String> sums = new ArrayList<>();
                while (rows.next()) {
                    sums.add(rows.getString("host") + "=" + rows.getDouble(3));
                }
                assertEquals(List.of("even=2450.0", "odd=2500.0"), sums);
            }
        }
    }

    private static long points(String measurement) {
        long points = 0;
        for (SeriesData series : server.databases.get(Databases.DEFAULT).readAll(ReadRequest.all(measurement))) {
            Column first = series.columns().getFirst();
            points += first.size();
        }
        return points;
    }

    @Test
    void errorsCarrySqlStateAndTheConnectionStaysUsable() throws SQLException {
        try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
            PSQLException syntax = assertThrows(PSQLException.class, () -> statement.executeQuery("SELECT usage FRM cpu"));
            assertEquals("42601", syntax.getSQLState());
            assertEquals(14, syntax.getServerErrorMessage().getPosition(), syntax.getMessage());
            PSQLException missing = assertThrows(PSQLException.class, () -> statement.executeQuery("SELECT * FROM nothere"));
            assertEquals("42P01", missing.getSQLState());
            try (ResultSet rows = statement.executeQuery("SELECT count(usage) FROM cpu")) {
                assertTrue(rows.next());
                assertEquals(2, rows.getLong(2));
            }
            connection.setAutoCommit(false);
            assertThrows(PSQLException.class, () -> statement.executeQuery("SELECT usage FRM cpu"));
            PSQLException aborted = assertThrows(PSQLException.class, () -> statement.executeQuery("SELECT * FROM cpu"));
            assertEquals("25P02", aborted.getSQLState());
            connection.rollback();
            try (ResultSet rows = statement.executeQuery("SELECT count(usage) FROM cpu")) {
                assertTrue(rows.next());
            }
        }
    }

    @Test
    void sessionStatementsClientsSend() throws SQLException {
        try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
            statement.execute("SET application_name = 'sundial-test'");
            statement.execute("SET extra_float_digits TO 3");
            assertEquals("sundial-test", single(statement, "SELECT current_setting('application_name')"));
            assertEquals("3", single(statement, "SHOW extra_float_digits"));
            assertEquals("ISO, MDY", single(statement, "SHOW DateStyle"));
            assertEquals("public", single(statement, "SELECT current_schema()"));
            assertEquals("sundial", single(statement, "SELECT current_database()"));
            assertTrue(single(statement, "SELECT version()").contains("Sundial"));
            assertEquals("14.0 (Sundial)", connection.getMetaData().getDatabaseProductVersion());
        }
    }

    private static String single(Statement statement, String sql) throws SQLException {
        try (ResultSet rows = statement.executeQuery(sql)) {
            assertTrue(rows.next(), sql);
            return rows.getString(1);
        }
    }

    @Test
    void databaseMetaDataListsMeasurementsAndColumns() throws SQLException {
        try (Connection connection = server.connect()) {
            DatabaseMetaData meta = connection.getMetaData();
            List<String> tables = new ArrayList<>();
            try (ResultSet rows = meta.getTables(null, null, "%", new String[] {"TABLE"})) {
                while (rows.next()) {
                    tables.add(rows.getString("TABLE_SCHEM") + "." + rows.getString("TABLE_NAME") + ":"
                            + rows.getString("TABLE_TYPE"));
                }
            }
            assertTrue(tables.containsAll(List.of("public.cpu:TABLE", "public.mem:TABLE")), tables.toString());
            List<String> columns = new ArrayList<>();
            try (ResultSet rows = meta.getColumns(null, null, "cpu", "%")) {
                while (rows.next()) {
                    columns.add(rows.getString("COLUMN_NAME") + ":" + rows.getInt("DATA_TYPE") + ":"
                            + rows.getString("TYPE_NAME") + ":" + rows.getInt("ORDINAL_POSITION"));
                }
            }
            assertEquals(List.of("time:" + Types.TIMESTAMP + ":timestamptz:1", "count:" + Types.BIGINT + ":int8:2",
                    "host:" + Types.VARCHAR + ":text:3", "up:" + Types.BIT + ":bool:4",
                    "usage:" + Types.DOUBLE + ":float8:5"), columns);
        }
    }

    /** What Grafana's PostgreSQL data source sends for $__timeGroupAlias(time, 1m) and $__timeFilter(time). */
    @Test
    void grafanaTimeSeriesQuery() throws SQLException {
        String sql = "SELECT floor(extract(epoch from time)/60)*60 AS \"time\", avg(usage) AS \"usage\" FROM cpu "
                + "WHERE time BETWEEN '2023-11-14T22:13:00Z' AND '2023-11-14T22:15:59Z' GROUP BY 1 ORDER BY 1";
        try (Connection connection = server.connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            List<String> points = new ArrayList<>();
            while (rows.next()) {
                points.add(rows.getTimestamp("time").toInstant() + "=" + rows.getObject("usage"));
            }
            assertEquals(List.of("2023-11-14T22:13:00Z=1.5", "2023-11-14T22:14:00Z=2.5", "2023-11-14T22:15:00Z=null"), points);
        }
    }

    @Test
    void fetchSizeStreamsThroughPortalSuspended() throws SQLException {
        try (Connection connection = server.connect()) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.setFetchSize(1);
                List<String> hosts = new ArrayList<>();
                try (ResultSet rows = statement.executeQuery("SELECT usage, host FROM cpu")) {
                    while (rows.next()) {
                        hosts.add(rows.getString("host"));
                    }
                }
                assertEquals(List.of("a", "b"), hosts);
            }
            connection.commit();
        }
    }

    /** {@code series} series (host h0, h1, ...) of {@code measurement}, each with field v = s at every second s from 0. */
    private static void writeSeconds(String measurement, int series, int seconds) throws IOException {
        List<Point> points = new ArrayList<>();
        for (int host = 0; host < series; host++) {
            for (int second = 0; second < seconds; second++) {
                points.add(Point.builder(measurement).tag("host", "h" + host).floatField("v", second)
                        .timestamp(second * 1_000_000_000L).build());
            }
        }
        server.databases.get(Databases.DEFAULT).write(points);
    }

    /**
     * 1,000 series with a GROUP BY time(10us) over 5 s: half a million buckets per series, minutes
     * of work, so a cancel sent repeatedly from another thread always lands while it runs.
     */
    @Test
    void cancelStopsARunningQuery() throws Exception {
        writeSeconds("heavy", 1000, 5);
        try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
            CompletableFuture<SQLException> outcome = CompletableFuture.supplyAsync(() -> {
                try {
                    statement.executeQuery(
                            "SELECT count(v) FROM heavy WHERE time >= 0 AND time < 5s GROUP BY time(10us), * fill(none)").close();
                    return null;
                } catch (SQLException e) {
                    return e;
                }
            });
            // pgjdbc sends one CancelRequest per execution, and marks the statement in flight before it
            // writes it: a cancel the server handles before it has read the statement is ignored (as in
            // PostgreSQL), and this one would then run for minutes. So cancel once it shows as running.
            List<QueryRegistry.Running> running = Eventually.observe(() -> QueryRegistry.global().list(),
                    list -> outcome.isDone() || list.stream().anyMatch(query -> query.text().contains("FROM heavy")));
            assertTrue(outcome.isDone() || running.stream().anyMatch(query -> query.text().contains("FROM heavy")),
                    "the heavy query never showed as running: " + running.size() + " running");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!outcome.isDone() && System.nanoTime() < deadline) {
                statement.cancel(); // a no-op in pgjdbc until the query is in flight
                try {
                    outcome.get(20, TimeUnit.MILLISECONDS);
                } catch (TimeoutException stillRunning) {
                    // keep cancelling until the statement notices
                }
            }
            SQLException error = outcome.get(120, TimeUnit.SECONDS);
            assertTrue(error != null, "the query must end with an error");
            assertEquals("57014", error.getSQLState(), error.getMessage());
            assertTrue(error.getMessage().contains("user request"), error.getMessage());
            try (ResultSet rows = statement.executeQuery("SELECT count(usage) FROM cpu")) {
                assertTrue(rows.next(), "the connection works after the cancel");
            }
        }
    }

    private static List<String> rows(Statement statement, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (ResultSet result = statement.executeQuery(sql)) {
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= columns; i++) {
                    row.append(result.getString(i)).append('|');
                }
                rows.add(row.toString());
            }
        }
        return rows;
    }

    /**
     * A cancel from another thread as soon as executeQuery starts, without waiting for the server
     * to show it running. pgjdbc marks the statement in flight before writing it and sends one
     * CancelRequest per execution, so the server may handle the cancel before it reads the statement
     * (ignored, as while idle), after it read it but before it started (it starts cancelled), while
     * it runs, or after it answered (ignored). Every interleaving ends in one of two ways: 57014, or
     * the whole answer; and the cancel never reaches the connection's next statement.
     */
    @Test
    void cancelRightAfterExecuteStartsEndsWith57014OrTheWholeAnswer() throws Exception {
        writeSeconds("medium", 100, 10);
        String sql = "SELECT count(v) FROM medium WHERE time >= 0 AND time < 10s GROUP BY time(1ms), * fill(none)";
        String next = "SELECT usage FROM cpu";
        try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
            List<String> whole = rows(statement, sql);
            assertEquals(1000, whole.size(), "one row per point");
            List<String> nextWhole = rows(statement, next);
            for (int round = 0; round < 20; round++) {
                CompletableFuture<List<String>> outcome = CompletableFuture.supplyAsync(() -> {
                    try {
                        return rows(statement, sql);
                    } catch (SQLException e) {
                        throw new CompletionException(e);
                    }
                });
                while (!outcome.isDone()) {
                    statement.cancel(); // a no-op before pgjdbc marks the statement in flight and after its one cancel
                    Thread.yield();
                }
                try {
                    assertEquals(whole, outcome.get(), "round " + round + ": a statement the cancel missed answers whole");
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof SQLException error)) {
                        throw e;
                    }
                    assertEquals("57014", error.getSQLState(), "round " + round + ": " + error.getMessage());
                    assertTrue(error.getMessage().contains("canceling statement due to user request"), error.getMessage());
                }
                assertEquals(nextWhole, rows(statement, next), "round " + round + ": the cancel reached the next statement");
            }
        }
    }
}
