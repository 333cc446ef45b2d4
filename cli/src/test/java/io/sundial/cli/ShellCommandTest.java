package io.sundial.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.core.Point;
import io.sundial.server.ServerOptions;
import io.sundial.server.SundialServer;
import io.sundial.storage.Databases;
import io.sundial.storage.EngineOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/** {@code sundial shell} driven through piped standard input against a server started in-process. */
class ShellCommandTest {
    private static final long T0 = 1_700_000_000_000_000_000L;

    @TempDir
    Path dir;
    Databases databases;
    SundialServer server;

    @BeforeEach
    void start() throws IOException {
        databases = Databases.open(dir.resolve("data"), EngineOptions.defaults().withBackgroundCompaction(false));
        databases.get(Databases.DEFAULT).write(List.of(
                Point.builder("cpu").tag("host", "a").floatField("usage", 1.0).timestamp(T0).build(),
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

    private CliRun shell(String input, String... more) {
        InputStream saved = System.in;
        System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
        try {
            String[] args = Stream.concat(Stream.of("shell", "--host", server.httpUri().toString(),
                    "--history-file", dir.resolve("history").toString()), Stream.of(more)).toArray(String[]::new);
            return CliRun.of(args);
        } finally {
            System.setIn(saved);
        }
    }

    @Test
    void multiLineStatementsUseAndAlignedTables() {
        CliRun r = shell("""
                use sundial
                SELECT usage
                  FROM cpu
                  WHERE host = 'a';
                SELECT usage FROM cpu WHERE host = 'b'; SELECT count(usage) FROM cpu;
                \\q
                SELECT never FROM run;
                """);
        assertEquals(0, r.code(), r.err());
        assertEquals("""
                Using database sundial
                name: cpu
                time                 usage
                ----                 -----
                2023-11-14T22:13:20Z 1
                name: cpu
                time                 usage
                ----                 -----
                2023-11-14T22:13:20Z 3.5

                name: cpu
                time                 count
                ----                 -----
                1970-01-01T00:00:00Z 2
                """, r.out());
        assertEquals("", r.err());
    }

    @Test
    void formatPrecisionAndHistory() throws IOException {
        CliRun r = shell("""
                format csv
                precision s
                SELECT usage FROM cpu WHERE host = 'b';
                format json
                SELECT usage FROM cpu WHERE host = 'b';
                history
                """, "--db", "sundial");
        assertEquals(0, r.code(), r.err());
        String[] parts = r.out().split("\n", 4);
        assertEquals("Format: csv", parts[0]);
        assertEquals("Precision: s", parts[1]);
        assertEquals("name,tags,time,usage", parts[2]);
        assertTrue(parts[3].startsWith("cpu,,1700000000,3.5\nFormat: json\n{\"results\":[{\"statement_id\":0,\"series\":[{"), parts[3]);
        assertTrue(r.out().endsWith("""
                SELECT usage FROM cpu WHERE host = 'b';
                SELECT usage FROM cpu WHERE host = 'b';
                """), r.out());
        assertEquals(List.of("SELECT usage FROM cpu WHERE host = 'b';", "SELECT usage FROM cpu WHERE host = 'b';"),
                Files.readAllLines(dir.resolve("history")));
    }

    @Test
    void errorsAreReportedAndTheShellGoesOn() {
        CliRun r = shell("""
                SELECT usage FORM cpu;
                format xml
                precision weeks
                SELECT usage FROM cpu WHERE host = 'a'
                ;
                SELECT 'unfinished
                """, "--db", "sundial");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().startsWith("sundial: error parsing query: line 1, column 14"), r.err());
        assertTrue(r.err().contains("sundial: unknown format 'xml'; use table, json or csv"), r.err());
        assertTrue(r.err().contains("sundial: unknown precision 'weeks'"), r.err());
        assertTrue(r.err().endsWith("sundial: input ended inside a statement (no closing ';'); it was not run\n"), r.err());
        assertTrue(r.out().contains("2023-11-14T22:13:20Z 1\n"), r.out());
    }

    static Stream<Arguments> statementEnds() {
        return Stream.of(
                Arguments.of("plain", "SELECT 1;", true),
                Arguments.of("trailing space", "SELECT 1;  \n", true),
                Arguments.of("no semicolon", "SELECT 1", false),
                Arguments.of("semicolon in single quotes", "SELECT * FROM m WHERE t = ';", false),
                Arguments.of("semicolon in double quotes", "SELECT \"a;", false),
                Arguments.of("escaped quote", "SELECT * FROM m WHERE t = 'a\\';", false),
                Arguments.of("closed quote", "SELECT * FROM m WHERE t = ';';", true),
                Arguments.of("comment after", "SELECT 1; -- done", true),
                Arguments.of("semicolon in comment", "SELECT 1 -- x;", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("statementEnds")
    void statementEndsAtASemicolonOutsideQuotesAndComments(String name, String text, boolean isEnd) {
        assertEquals(isEnd, ShellCommand.endsStatement(text));
    }

    @Test
    void usageErrorExitsTwo() {
        assertEquals(2, shell("", "--precision", "weeks").code());
    }
}
