package io.sundial.server.pgwire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sundial.storage.Databases;
import io.sundial.storage.EngineOptions;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * TLS on the PostgreSQL listener: SSLRequest answered 'S' and the handshake done on the same
 * socket, with pgjdbc (sslmode=require, and verify-full against the test CA), psql, and a hand-built
 * SSLRequest; the policy that refuses plaintext logins.
 */
class PgTlsTest {
    @TempDir
    static Path dir;
    static TestCertificates certificates;
    static PgServer server;

    @BeforeAll
    static void start() throws Exception {
        certificates = TestCertificates.create(Files.createDirectories(dir.resolve("certificates")));
        server = PgServer.start(dir.resolve("data"), o -> o.withUsers(Map.of("tester", "pencil")).withTls(certificates.server()));
        server.writeSample();
    }

    @AfterAll
    static void stop() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    private static String hostOfCpuA(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT usage FROM cpu WHERE host = 'a'")) {
            assertTrue(rows.next());
            return rows.getString("usage");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"require", "verify-ca", "verify-full"})
    void pgjdbcConnectsOverTls(String sslMode) throws Exception {
        Properties properties = new Properties();
        properties.setProperty("sslmode", sslMode);
        properties.setProperty("sslrootcert", certificates.authorityFile().toString());
        try (Connection connection = server.connect("tester", "pencil", properties)) {
            assertEquals("1.5", hostOfCpuA(connection));
        }
    }

    @Test
    void psqlRequiresAndVerifiesTls() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/psql")), "psql is not installed");
        for (String mode : List.of("sslmode=require", "sslmode=verify-full sslrootcert=" + certificates.authorityFile())) {
            ProcessBuilder builder = new ProcessBuilder("/usr/bin/psql", "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1",
                    "host=127.0.0.1 port=" + server.port() + " user=tester dbname=sundial " + mode,
                    "-c", "\\conninfo", "-c", "SELECT usage FROM cpu WHERE host = 'b'").redirectErrorStream(true);
            builder.environment().put("PGPASSWORD", "pencil");
            builder.environment().put("PGCONNECT_TIMEOUT", "20");
            Process process = builder.start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "psql did not finish");
            assertEquals(0, process.exitValue(), mode + ": " + out);
            assertTrue(out.contains("SSL connection (protocol: TLS"), mode + ": " + out);
            assertTrue(out.strip().endsWith("2.5"), mode + ": " + out);
        }
    }

    @Test
    void handBuiltSslRequestIsAnsweredSAndTheStartupContinuesEncrypted() throws Exception {
        try (Socket plain = new Socket("127.0.0.1", server.port())) {
            plain.setSoTimeout(30_000);
            plain.getOutputStream().write(RawClient.startupPacket(PgConnection.SSL_REQUEST));
            assertEquals('S', plain.getInputStream().read());
            SSLSocket tls = (SSLSocket) certificates.clientContext().getSocketFactory()
                    .createSocket(plain, "127.0.0.1", server.port(), true);
            tls.startHandshake();
            OutputStream out = tls.getOutputStream();
            out.write(RawClient.startupPacket(PgConnection.PROTOCOL_3_0, "user", "tester", "database", "sundial"));
            out.flush();
            DataInputStream in = new DataInputStream(tls.getInputStream());
            assertEquals('R', in.read(), "an authentication request arrives over TLS");
            byte[] body = new byte[in.readInt() - 4];
            in.readFully(body);
            assertEquals(10, java.nio.ByteBuffer.wrap(body).getInt(), "AuthenticationSASL");
            assertTrue(new String(body, StandardCharsets.US_ASCII).contains("SCRAM-SHA-256"));
        }
    }

    @Test
    void plaintextSentRightAfterSslRequestIsRefused() throws Exception {
        try (RawClient client = new RawClient(server.port())) {
            byte[] request = RawClient.startupPacket(PgConnection.SSL_REQUEST);
            byte[] startup = RawClient.startupPacket(PgConnection.PROTOCOL_3_0, "user", "tester");
            byte[] both = new byte[request.length + startup.length];
            System.arraycopy(request, 0, both, 0, request.length);
            System.arraycopy(startup, 0, both, request.length, startup.length);
            client.send(both);
            List<RawClient.Message> messages = client.readUntilClosed();
            assertEquals(1, messages.size(), messages.toString());
            assertEquals("08P01", messages.getFirst().fields().get('C'));
            assertTrue(messages.getFirst().fields().get('M').contains("unencrypted data after the SSLRequest"));
        }
    }

    @Test
    void requiredTlsRefusesPlaintextLoginsWith28000() throws Exception {
        try (PgServer strict = PgServer.start(dir.resolve("strict"), o -> o.withUsers(Map.of("tester", "pencil"))
                .withTls(certificates.server()).withTlsPolicy(PgWireOptions.TlsPolicy.REQUIRED))) {
            Properties plain = new Properties();
            plain.setProperty("sslmode", "disable");
            SQLException refused = assertThrows(SQLException.class, () -> strict.connect("tester", "pencil", plain).close());
            assertEquals("28000", refused.getSQLState(), refused.getMessage());
            assertTrue(refused.getMessage().contains("requires TLS"), refused.getMessage());
            Properties encrypted = new Properties();
            encrypted.setProperty("sslmode", "verify-full");
            encrypted.setProperty("sslrootcert", certificates.authorityFile().toString());
            try (Connection connection = strict.connect("tester", "pencil", encrypted);
                 Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT version()")) {
                assertTrue(rows.next());
            }
        }
    }

    @ParameterizedTest(name = "{0} from {1}")
    @CsvSource({
        "OPTIONAL,              192.0.2.7, false",
        "OPTIONAL,              127.0.0.1, false",
        "REQUIRED_NON_LOOPBACK, 192.0.2.7, true",
        "REQUIRED_NON_LOOPBACK, 127.0.0.1, false",
        "REQUIRED_NON_LOOPBACK, ::1,       false",
        "REQUIRED_NON_LOOPBACK, 2001:db8::1, true",
        "REQUIRED,              127.0.0.1, true",
    })
    void policyDecidesWhoMustEncrypt(PgWireOptions.TlsPolicy policy, String remote, boolean isRefused) throws Exception {
        assertEquals(isRefused, policy.refusesPlaintext(InetAddress.getByName(remote)));
    }

    @Test
    void requiringTlsWithoutCertificateRefusesToStart() throws Exception {
        try (Databases databases = Databases.open(dir.resolve("nocert"), EngineOptions.defaults())) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> PgWireListener.start(databases,
                    PgWireOptions.defaults().withAddress(new InetSocketAddress("127.0.0.1", 0))
                            .withTlsPolicy(PgWireOptions.TlsPolicy.REQUIRED_NON_LOOPBACK), Duration.ofSeconds(5)).close());
            assertTrue(e.getMessage().contains("has no certificate"), e.getMessage());
        }
    }
}
