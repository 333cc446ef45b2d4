package io.sundial.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.core.Point;
import io.sundial.server.ServerOptions;
import io.sundial.server.SundialServer;
import io.sundial.storage.Databases;
import io.sundial.storage.EngineOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sundial query} against a server started in-process on a free port. */
class QueryCommandTest {
    private static final long T0 = 1_700_000_000_000_000_000L;

    @TempDir
    Path dir;
    Databases databases;
    SundialServer server;

    @BeforeEach
    void start() throws IOException {
        databases = Databases.open(dir, EngineOptions.defaults().withBackgroundCompaction(false));
        databases.get(Databases.DEFAULT).write(List.of(
                Point.builder("cpu").tag("host", "a").floatField("usage", 1.0).timestamp(T0).build(),
                Point.builder("cpu").tag("host", "a").floatField("usage", 12.25).timestamp(T0 + 1_000_000_000L).build(),
                Point.builder("cpu").tag("host", "b").floatField("usage", 3.5).timestamp(T0).build()));
        server = SundialServer.start(databases, ServerOptions.defaults()
                .withHttpAddress(new InetSocketAddress("127.0.0.1", 0)).withLineProtocolAddress(null));
    }

    @AfterEach
    void stop() throws IOException {
        try {
            server.close();
        } finally {
            databases.close();
        }
    }

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    private String host() {
        return server.httpUri().toString();
    }

    @Test
    void tablePrintsOneAlignedTablePerSeries() {
        CliRun r = run("query", "SELECT usage FROM cpu GROUP BY host", "--host", host(), "--db", "sundial");
        assertEquals(0, r.code(), r.err());
        assertEquals("""
                name: cpu
                tags: host=a
                time                 usage
                ----                 -----
                2023-11-14T22:13:20Z 1
                2023-11-14T22:13:21Z 12.25

                name: cpu
                tags: host=b
                time                 usage
                ----                 -----
                2023-11-14T22:13:20Z 3.5
                """, r.out());
    }

    @Test
    void epochAndJsonFormat() {
        CliRun r = run("query", "SELECT usage FROM cpu WHERE host = 'b'", "--host", host(), "--format", "json", "--epoch", "s",
                "--timeout", "PT5M");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("{\n    \"results\": [\n"), r.out());
        assertTrue(r.out().replaceAll("\\s", "").contains("\"values\":[[1700000000,3.5]]"), r.out());
    }

    @Test
    void csvFormat() {
        CliRun r = run("query", "SELECT usage FROM cpu WHERE host = 'b'", "--host", host(), "--format", "csv");
        assertEquals(0, r.code(), r.err());
        assertEquals("name,tags,time,usage\ncpu,,1700000000000000000,3.5\n", r.out());
    }

    @Test
    void failingStatementExitsOneWithMessageOnStderr() {
        CliRun parse = run("query", "SELECT usage FORM cpu", "--host", host());
        assertEquals(1, parse.code());
        assertTrue(parse.err().startsWith("sundial: error parsing query: line 1, column 14"), parse.err());
        CliRun statement = run("query", "SHOW MEASUREMENTS; SELECT nope(usage) FROM cpu", "--host", host());
        assertEquals(1, statement.code());
        assertTrue(statement.err().startsWith("sundial: statement 1: "), statement.err());
        assertTrue(statement.out().startsWith("name: measurements\nname\n----\ncpu\n"), statement.out());
    }

    @Test
    void usageErrorsExitTwo() {
        assertEquals(2, run("query").code(), "the query is required");
        assertEquals(2, run("query", "SHOW DATABASES", "--format", "xml").code());
        assertEquals(2, run("query", "SHOW DATABASES", "--host", "ftp://x").code());
    }

    @Test
    void noServerExitsThreeWithAHint() throws IOException {
        // A port bound but not listening refuses connections, and nobody else can listen on it
        // while we hold it; a port closed again before use could be taken by another process.
        CliRun r;
        try (Socket reserved = new Socket()) {
            reserved.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = reserved.getLocalPort();
            r = run("query", "SHOW DATABASES", "--host", "http://127.0.0.1:" + port);
        }
        assertEquals(3, r.code(), r.err());
        assertTrue(r.err().contains("Start one with 'sundial server'"), r.err());
    }
}
