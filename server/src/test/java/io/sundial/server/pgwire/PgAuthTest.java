package io.sundial.server.pgwire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.postgresql.util.PSQLException;

/** Password authentication with pgjdbc for every method: the right password connects, a wrong one or an unknown user is 28P01. */
class PgAuthTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @EnumSource(PgWireOptions.AuthMethod.class)
    void rightPasswordConnectsWrongOneIsRefused(PgWireOptions.AuthMethod method) throws Exception {
        try (PgServer server = PgServer.start(dir, o -> o.withUsers(Map.of("alice", "s3cret-ü", "bob", "other"))
                .withAuthMethod(method))) {
            try (Connection connection = server.connect("alice", "s3cret-ü", new Properties());
                 Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT current_user")) {
                assertTrue(rows.next());
                assertEquals("alice", rows.getString(1));
            }
            PSQLException wrong = assertThrows(PSQLException.class, () -> server.connect("alice", "other", new Properties()));
            assertEquals("28P01", wrong.getSQLState(), wrong.getMessage());
            PSQLException unknown = assertThrows(PSQLException.class, () -> server.connect("mallory", "x", new Properties()));
            assertEquals("28P01", unknown.getSQLState(), unknown.getMessage());
            try (Connection connection = server.connect("bob", "other", new Properties())) {
                assertTrue(connection.isValid(5), "the server keeps serving after refusals");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(PgWireOptions.AuthMethod.class)
    void noPasswordIsRefusedWhenUsersAreConfigured(PgWireOptions.AuthMethod method) throws Exception {
        try (PgServer server = PgServer.start(dir, o -> o.withUsers(Map.of("alice", "pw")).withAuthMethod(method))) {
            SQLException error = assertThrows(SQLException.class, () -> server.connect("alice", null, new Properties()));
            // pgjdbc refuses locally (08004) when the server asks for a password it was not given.
            assertTrue(error.getSQLState().equals("08004") || error.getSQLState().equals("28P01"), error.getSQLState());
        }
    }
}
