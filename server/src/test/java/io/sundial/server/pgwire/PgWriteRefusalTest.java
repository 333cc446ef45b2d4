package io.sundial.server.pgwire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.storage.io.FaultInjectingFileIo;
import io.sundial.storage.io.StorageIo;
import java.io.StringReader;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.postgresql.PGConnection;

/**
 * INSERT and COPY tell a full disk (53100 disk_full: retry later) from a WAL stopped by a failed
 * fsync (58030 io_error: restart Sundial), with the faults injected below the engine; the points
 * they do store are counted per protocol on /metrics.
 */
class PgWriteRefusalTest {
    @TempDir
    Path dir;

    static Stream<Arguments> faults() {
        return Stream.of(
                Arguments.of(Named.<Consumer<FaultInjectingFileIo>>of("full disk",
                        io -> io.failWrites("*.wal", FaultInjectingFileIo.NO_SPACE)), "53100", "disk full"),
                Arguments.of(Named.<Consumer<FaultInjectingFileIo>>of("failed fsync",
                        io -> io.failForces("*.wal")), "58030", "writes are stopped until Sundial is restarted"));
    }

    @Test
    void acceptedPointsAreCountedPerProtocol() throws Exception {
        try (PgServer server = PgServer.start(dir); Connection connection = server.connect();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE weather (time timestamptz, city text, temp double precision)");
            statement.execute("INSERT INTO weather (time, city, temp) VALUES ('2024-01-01T00:00:00Z', 'Oslo', 1.5)");
            connection.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY weather (time, city, temp) FROM STDIN",
                    new StringReader("2024-01-01 00:02:00+00\tParis\t9\n2024-01-01 00:03:00+00\tRome\t12\n"));
            connection.setAutoCommit(false);
            statement.execute("INSERT INTO weather (time, city, temp) VALUES ('2024-01-01T00:04:00Z', 'Oslo', 2)");
            connection.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY weather (time, city, temp) FROM STDIN",
                    new StringReader("2024-01-01 00:05:00+00\tParis\t10\n"));
            connection.commit();
            String page = server.server.metrics().render(server.databases);
            assertTrue(page.contains("sundial_points_accepted_total{protocol=\"pg_insert\"} 2"), page);
            assertTrue(page.contains("sundial_points_accepted_total{protocol=\"pg_copy\"} 3"), page);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("faults")
    void insertAndCopyAnswerTheirSqlState(Consumer<FaultInjectingFileIo> fault, String sqlState, String message)
            throws Exception {
        FaultInjectingFileIo io = new FaultInjectingFileIo();
        try (StorageIo.Mount _ = StorageIo.mount(dir, io); PgServer server = PgServer.start(dir);
                Connection connection = server.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE weather (time timestamptz, city text, temp double precision)");
            statement.execute("INSERT INTO weather (time, city, temp) VALUES ('2024-01-01T00:00:00Z', 'Oslo', 1.5)");
            fault.accept(io);

            SQLException insert = assertThrows(SQLException.class, () -> statement.execute(
                    "INSERT INTO weather (time, city, temp) VALUES ('2024-01-01T00:01:00Z', 'Rome', 12)"));
            assertEquals(sqlState, insert.getSQLState(), insert.getMessage());
            assertTrue(insert.getMessage().contains(message) && insert.getMessage().contains("nothing of the statement"),
                    insert.getMessage());

            SQLException copy = assertThrows(SQLException.class, () -> connection.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("COPY weather (time, city, temp) FROM STDIN",
                            new StringReader("2024-01-01 00:02:00+00\tParis\t9\n")));
            assertEquals(sqlState, copy.getSQLState(), copy.getMessage());

            try (ResultSet rows = statement.executeQuery("SELECT count(temp) AS n FROM weather")) {
                assertTrue(rows.next(), "queries keep answering");
                assertEquals(1, rows.getLong("n"), "only the acknowledged row is visible");
            }
            io.clear();
        }
    }
}
