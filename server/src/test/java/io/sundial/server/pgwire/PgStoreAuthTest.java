package io.sundial.server.pgwire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sundial.core.Point;
import io.sundial.server.ServerOptions;
import io.sundial.server.SundialServer;
import io.sundial.server.auth.Permission;
import io.sundial.server.auth.SecurityOptions;
import io.sundial.server.auth.UserStore;
import io.sundial.storage.Databases;
import io.sundial.storage.EngineOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.postgresql.util.PSQLException;

/**
 * The PostgreSQL listener with users of the user store shared with HTTP: pgjdbc logs in over
 * SCRAM-SHA-256 from the stored verifiers, and each statement needs the permission HTTP would ask.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PgStoreAuthTest {
    private static final long T0 = 1_700_000_000_000_000_000L;

    @TempDir
    static Path dataDir;
    private Databases databases;
    private UserStore users;
    private SundialServer server;

    @BeforeAll
    void start() throws IOException {
        databases = Databases.open(dataDir, EngineOptions.defaults().withBackgroundCompaction(false));
        databases.create("metrics").write(List.of(
                Point.builder("cpu").tag("host", "a").floatField("usage", 1.5).timestamp(T0).build(),
                Point.builder("cpu").tag("host", "b").floatField("usage", 2.5).timestamp(T0 + 60_000_000_000L).build()));
        users = UserStore.open(dataDir);
        users.createUser("root", "root-password", true);
        users.createUser("reader", "reader-password", false);
        users.grant("reader", "metrics", Permission.READ);
        users.createUser("writer", "writer-password", false);
        users.grant("writer", "metrics", Permission.WRITE);
        users.createUser("nobody", "nobody-password", false);
        server = start(PgWireOptions.defaults().withAddress(new InetSocketAddress("127.0.0.1", 0)));
    }

    private SundialServer start(PgWireOptions pg) throws IOException {
        return SundialServer.start(databases, ServerOptions.defaults().withHttpAddress(new InetSocketAddress("127.0.0.1", 0))
                .withLineProtocolAddress(null).withQueryTimeout(Duration.ofSeconds(30)),
                SecurityOptions.none().withUsers(users), pg);
    }

    @AfterAll
    void stop() throws IOException {
        server.close();
        databases.close();
    }

    private static Connection connect(SundialServer on, String user, String password) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        properties.setProperty("connectTimeout", "20");
        properties.setProperty("socketTimeout", "60");
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + on.pgWireAddress().orElseThrow().getPort()
                + "/metrics", properties);
    }

    @Test
    void storeUserLogsInOverScramAndSeesTheData() throws SQLException {
        try (Connection connection = connect(server, "reader", "reader-password");
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT usage FROM cpu WHERE host = 'b'")) {
            assertTrue(rows.next());
            assertEquals(2.5, rows.getDouble("usage"));
        }
    }

    static Stream<Arguments> refusedLogins() {
        return Stream.of(
                Arguments.of("wrong password", "reader", "writer-password"),
                Arguments.of("unknown user", "mallory", "reader-password"),
                Arguments.of("another user's password", "root", "reader-password"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedLogins")
    void badPasswordIs28P01(String name, String user, String password) throws SQLException {
        PSQLException error = assertThrows(PSQLException.class, () -> connect(server, user, password));
        assertEquals("28P01", error.getSQLState(), error.getMessage());
        try (Connection connection = connect(server, "root", "root-password")) {
            assertTrue(connection.isValid(5), "the server keeps serving after a refusal");
        }
    }

    /** SQLSTATE expected per user, or "ok"; statements run on database "metrics". */
    static Stream<Arguments> permissions() {
        String select = "SELECT usage FROM cpu WHERE host = 'a'";
        String insert = "INSERT INTO cpu (time, host, usage) VALUES ('2023-11-14T22:15:00Z', 'c', 3.5)";
        String create = "CREATE TABLE disk (time timestamptz, host text, free double precision)";
        String delete = "DELETE FROM cpu WHERE host = 'zzz'";
        String drop = "DROP MEASUREMENT nothing_here";
        return Stream.of(
                Arguments.of("select as reader", "reader", select, "ok"),
                Arguments.of("select as writer", "writer", select, "42501"),
                Arguments.of("select as nobody", "nobody", select, "42501"),
                Arguments.of("show measurements as reader", "reader", "SHOW MEASUREMENTS", "ok"),
                Arguments.of("show measurements as nobody", "nobody", "SHOW MEASUREMENTS", "42501"),
                Arguments.of("catalog as nobody", "nobody",
                        "SELECT table_name FROM information_schema.tables", "42501"),
                Arguments.of("insert as writer", "writer", insert, "ok"),
                Arguments.of("insert as reader", "reader", insert, "42501"),
                Arguments.of("create table as writer", "writer", create, "ok"),
                Arguments.of("create table as reader", "reader", create.replace("disk", "disk2"), "42501"),
                Arguments.of("delete as writer", "writer", delete, "42501"),
                Arguments.of("delete as root", "root", delete, "ok"),
                Arguments.of("drop as reader", "reader", drop, "42501"),
                Arguments.of("session settings need nothing", "nobody", "SET application_name = 'x'", "ok"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("permissions")
    void statementsNeedTheirPermission(String name, String user, String sql, String expected) throws SQLException {
        try (Connection connection = connect(server, user, user + "-password");
             Statement statement = connection.createStatement()) {
            if (expected.equals("ok")) {
                statement.execute(sql);
            } else {
                PSQLException error = assertThrows(PSQLException.class, () -> statement.execute(sql));
                assertEquals(expected, error.getSQLState(), error.getMessage());
                assertTrue(error.getMessage().contains("user grant " + user + " metrics"), error.getMessage());
            }
            try (ResultSet rows = statement.executeQuery("SELECT current_user")) {
                assertTrue(rows.next(), "the connection stays usable");
                assertEquals(user, rows.getString(1));
            }
        }
    }

    /** psql (libpq) logs in over SCRAM-SHA-256 as a store user; skipped where psql is not installed. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("psqlRuns")
    void psqlWithStoreUser(String name, String user, String password, int exitCode, String outputPart)
            throws IOException, InterruptedException {
        Path psql = Path.of("/usr/bin/psql");
        assumeTrue(Files.isExecutable(psql), "psql is not installed at " + psql);
        ProcessBuilder builder = new ProcessBuilder(psql.toString(), "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1",
                "-h", "127.0.0.1", "-p", Integer.toString(server.pgWireAddress().orElseThrow().getPort()), "-U", user,
                "-d", "metrics", "-c", "SELECT usage FROM cpu WHERE host = 'a'").redirectErrorStream(true);
        builder.environment().put("PGPASSWORD", password);
        builder.environment().put("PGCONNECT_TIMEOUT", "20");
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "psql did not finish");
        assertEquals(exitCode, process.exitValue(), out);
        assertTrue(out.contains(outputPart), out);
    }

    static Stream<Arguments> psqlRuns() {
        return Stream.of(
                Arguments.of("reader reads", "reader", "reader-password", 0, "2023-11-14 22:13:20+00|1.5"),
                Arguments.of("nobody is denied", "nobody", "nobody-password", 1,
                        "permission denied: user \"nobody\" needs read on database \"metrics\""),
                Arguments.of("wrong password", "reader", "nope-nope", 2,
                        "password authentication failed for user \"reader\""));
    }

    @Test
    void cleartextChecksTheStoredVerifier() throws IOException, SQLException {
        try (SundialServer cleartext = start(PgWireOptions.defaults().withAddress(new InetSocketAddress("127.0.0.1", 0))
                .withAuthMethod(PgWireOptions.AuthMethod.CLEARTEXT))) {
            try (Connection connection = connect(cleartext, "reader", "reader-password")) {
                assertTrue(connection.isValid(5));
            }
            PSQLException wrong = assertThrows(PSQLException.class, () -> connect(cleartext, "reader", "nope-nope"));
            assertEquals("28P01", wrong.getSQLState(), wrong.getMessage());
        }
    }

    static Stream<Arguments> refusedStarts() {
        InetSocketAddress loopback = new InetSocketAddress("127.0.0.1", 0);
        return Stream.of(
                Arguments.of("md5 with store users", PgWireOptions.defaults().withAddress(loopback)
                        .withAuthMethod(PgWireOptions.AuthMethod.MD5), "MD5"),
                Arguments.of("--pg-user with store users", PgWireOptions.defaults().withAddress(loopback)
                        .withUsers(Map.of("alice", "pw")), "--pg-user"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedStarts")
    void settingsThatCannotWorkRefuseToStart(String name, PgWireOptions pg, String mentioned) {
        IllegalStateException error = assertThrows(IllegalStateException.class, () -> start(pg).close());
        assertTrue(error.getMessage().contains(mentioned), error.getMessage());
    }

    @Test
    void firstUserCreatedWhileRunningTurnsAuthenticationOn(@TempDir Path otherDir) throws IOException, SQLException {
        try (Databases other = Databases.open(otherDir, EngineOptions.defaults().withBackgroundCompaction(false))) {
            other.create("metrics");
            UserStore lateUsers = UserStore.open(otherDir);
            try (SundialServer open = SundialServer.start(other, ServerOptions.defaults()
                            .withHttpAddress(new InetSocketAddress("127.0.0.1", 0)).withLineProtocolAddress(null),
                    SecurityOptions.none().withUsers(lateUsers),
                    PgWireOptions.defaults().withAddress(new InetSocketAddress("127.0.0.1", 0)))) {
                try (Connection trusted = connect(open, "anyone", "whatever")) {
                    assertTrue(trusted.isValid(5), "no users yet on loopback: trust");
                }
                lateUsers.createUser("late", "late-password", false);
                PSQLException refused = assertThrows(PSQLException.class, () -> connect(open, "anyone", "whatever"));
                assertEquals("28P01", refused.getSQLState(), refused.getMessage());
                try (Connection connection = connect(open, "late", "late-password");
                     Statement statement = connection.createStatement()) {
                    PSQLException denied = assertThrows(PSQLException.class, () -> statement.execute("SHOW MEASUREMENTS"));
                    assertEquals("42501", denied.getSQLState(), denied.getMessage());
                }
            }
        }
    }

    @Test
    void openNonLoopbackListenerRefusesToStart(@TempDir Path emptyDir) throws IOException {
        try (Databases empty = Databases.open(emptyDir, EngineOptions.defaults().withBackgroundCompaction(false))) {
            // The check runs before binding, so the wildcard address is never actually opened here.
            PgWireOptions open = PgWireOptions.defaults().withAddress(new InetSocketAddress("0.0.0.0", 0));
            IllegalStateException error = assertThrows(IllegalStateException.class,
                    () -> PgWireListener.start(empty, open, Duration.ofSeconds(5), UserStore.open(emptyDir), false).close());
            assertTrue(error.getMessage().contains("--insecure-no-auth"), error.getMessage());
        }
    }
}
