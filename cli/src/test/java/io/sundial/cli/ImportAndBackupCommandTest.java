package io.sundial.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.server.ServerOptions;
import io.sundial.server.SundialServer;
import io.sundial.storage.Databases;
import io.sundial.storage.EngineOptions;
import io.sundial.storage.ReadRequest;
import io.sundial.storage.SeriesData;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code sundial import}, {@code backup} and {@code restore} against a server started in-process on a free port. */
class ImportAndBackupCommandTest {
    @TempDir
    Path dir;
    @TempDir
    Path files;
    Databases databases;
    SundialServer server;

    @BeforeEach
    void start() throws IOException {
        databases = Databases.open(dir, EngineOptions.defaults().withBackgroundCompaction(false));
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

    private long points(String measurement) {
        long n = 0;
        for (SeriesData s : databases.getOrDefault(null).readAll(ReadRequest.all(measurement))) {
            n += s.columns().getFirst().size();
        }
        return n;
    }

    @Test
    void lineProtocolWithBadLinesExitsOneAndNamesFileLineNumbers() throws IOException {
        StringBuilder lp = new StringBuilder("# a comment\n\n");
        for (int i = 1; i <= 20; i++) {
            lp.append("cpu,host=h").append(i % 3).append(" usage=").append(i).append(' ').append(1_700_000_000L + i).append('\n');
        }
        lp.append("cpu,host=x usage= 5\n"); // file line 23
        for (int i = 21; i <= 30; i++) {
            lp.append("cpu,host=h1 usage=").append(i).append(' ').append(1_700_000_000L + i).append('\n');
        }
        lp.append("cpu,host=y usage=\"text\" 1700000099\n"); // line 34: a field type conflict in storage
        Path file = Files.writeString(files.resolve("data.lp"), lp.toString());
        CliRun r = run("import", file.toString(), "--host", host(), "--precision", "s", "--batch", "7");
        assertEquals(1, r.code(), r.err());
        assertEquals(30, points("cpu"));
        assertTrue(r.err().contains("imported 30 points, rejected 2"), r.err());
        assertTrue(r.err().contains("line 23, column"), "the parse error names its line in the file:\n" + r.err());
        assertTrue(r.err().contains("field type conflict"), r.err());
        assertTrue(r.err().contains("(in lines 31 to 34)"), "a rejection without a position names its batch's lines:\n" + r.err());
    }

    @Test
    void cleanLineProtocolFromStdinExitsZero() throws IOException {
        var savedIn = System.in;
        try {
            System.setIn(new java.io.ByteArrayInputStream("m v=1 1\nm v=2 2\nm v=3 3".getBytes(StandardCharsets.UTF_8)));
            CliRun r = run("import", "-", "--host", host(), "--batch", "2");
            assertEquals(0, r.code(), r.err());
            assertTrue(r.err().contains("imported 3 points, rejected 0"), r.err());
        } finally {
            System.setIn(savedIn);
        }
        assertEquals(3, points("m"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            csv by extension  | rows.csv  | ''
            csv by --format   | rows.txt  | csv
            """)
    void csvIsSentWithItsContentType(String name, String fileName, String format) throws IOException {
        Path file = Files.writeString(files.resolve(fileName), """
                measurement,host,time,usage
                cpu,a,1700000000,1.5
                cpu,b,1700000001,3.0,extra
                cpu,c,1700000002,2.5
                """);
        CliRun r = format.isEmpty()
                ? run("import", file.toString(), "--host", host(), "--precision", "s")
                : run("import", file.toString(), "--host", host(), "--precision", "s", "--format", format);
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("imported 2 points, rejected 1"), r.err());
        assertTrue(r.err().contains("line 3"), r.err());
        assertEquals(2, points("cpu"));
    }

    @Test
    void jsonIsSentWithItsContentType() throws IOException {
        Path file = Files.writeString(files.resolve("points.json"), """
                [{"measurement": "mem", "tags": {"host": "a"}, "fields": {"free": 5}, "time": 1700000000000000000},
                 {"measurement": "mem", "tags": {"host": "b"}, "fields": {"free": 7}, "time": 1700000000000000000}]
                {"measurement": "mem", "tags": {"host": "a"}, "time": [1700000001000000000, 1700000002000000000],
                 "fields": {"free": [6, 8]}}
                """);
        CliRun r = run("import", file.toString(), "--host", host());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("imported 4 points, rejected 0"), r.err());
        assertEquals(4, points("mem"));
    }

    /**
     * Each format with one bad record: the same report as the server's answer gives (points
     * written, rejected, the bad record's file line), and exactly the good values queryable.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            line protocol | rows.lp   | 'load,host=a v=1.25,n=3i 1700000000\nload,host=b v=oops 1700000001\nload,host=b v=2.5,n=4i 1700000002\n'  | line 2
            csv           | rows.csv  | 'measurement,host,time,v,n\nload,a,1700000000,1.25,3\nload,b,1700000001,2.0,4,extra\nload,b,1700000002,2.5,4\n' | line 3
            json          | rows.json | '{"measurement":"load","tags":{"host":"a"},"fields":{"v":1.25,"n":3},"time":1700000000}\n{"measurement":"load","tags":{"host":"b"},"fields":{},"time":1700000001}\n{"measurement":"load","tags":{"host":"b"},"fields":{"v":2.5,"n":4},"time":1700000002}\n' | line 2
            """)
    void importWithARejectIsReportedAndTheRestIsQueryable(String name, String fileName, String content, String badLine)
            throws IOException {
        Path file = Files.writeString(files.resolve(fileName), content.replace("\\n", "\n"));
        CliRun r = run("import", file.toString(), "--host", host(), "--precision", "s");
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("imported 2 points, rejected 1"), r.err());
        assertTrue(r.err().contains(badLine), r.err());
        CliRun query = run("query", "SELECT v FROM load", "--host", host(), "--format", "csv", "--epoch", "s");
        assertEquals(0, query.code(), query.err());
        assertEquals("name,tags,time,v\nload,,1700000000,1.25\nload,,1700000002,2.5\n", query.out(), name);
    }

    @Test
    void usageAndConnectionErrorsHaveTheirExitCodes() throws IOException {
        Path file = Files.writeString(files.resolve("x.lp"), "m v=1 1\n");
        assertEquals(2, run("import").code());
        assertEquals(2, run("import", file.toString(), "--batch", "0").code());
        assertEquals(2, run("import", file.toString(), "--precision", "h").code());
        assertEquals(2, run("import", files.resolve("missing.lp").toString()).code());
        // A port bound but not listening refuses connections, and nobody else can listen on it
        // while we hold it; a port closed again before use could be taken by another process.
        CliRun r;
        try (Socket reserved = new Socket()) {
            reserved.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = reserved.getLocalPort();
            r = run("import", file.toString(), "--host", "http://127.0.0.1:" + port);
        }
        assertEquals(3, r.code(), r.err());
        CliRun unknownDb = run("import", file.toString(), "--host", host(), "--db", "nope");
        assertEquals(1, unknownDb.code(), unknownDb.err());
        assertTrue(unknownDb.err().contains("database not found"), unknownDb.err());
    }

    @Test
    void backupThroughTheServerThenRestoreAndInspect() throws IOException {
        Path lp = Files.writeString(files.resolve("d.lp"), "cpu,host=a usage=1 1\ncpu,host=b usage=2 2\n");
        assertEquals(0, run("import", lp.toString(), "--host", host()).code());
        Path backup = files.resolve("backup");
        CliRun b = run("backup", backup.toString(), "--host", host());
        assertEquals(0, b.code(), b.err());
        assertTrue(b.out().contains("\"databases\":[\"sundial\"]"), b.out());
        CliRun again = run("backup", backup.toString(), "--host", host());
        assertEquals(1, again.code());
        assertTrue(again.err().contains("not empty"), again.err());

        Path restored = files.resolve("restored");
        CliRun r = run("restore", backup.toString(), "--data-dir", restored.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("databases [sundial], 2 series, 1 segment files"), r.out());
        CliRun inspect = run("inspect", restored.toString());
        assertEquals(0, inspect.code(), inspect.out());
        assertTrue(inspect.out().contains("2 points"), inspect.out());
        assertEquals(1, run("restore", backup.toString(), "--data-dir", restored.toString()).code(), "not empty");

        Path segment;
        try (Stream<Path> list = Files.list(backup.resolve("db/sundial/data"))) {
            segment = list.filter(p -> p.toString().endsWith(".seg")).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(segment);
        bytes[bytes.length - 3] ^= 1;
        Files.delete(segment); // it may be a hard link to the live file
        Files.write(segment, bytes);
        CliRun damaged = run("restore", backup.toString(), "--data-dir", files.resolve("other").toString());
        assertEquals(1, damaged.code());
        assertTrue(damaged.err().contains(segment.getFileName().toString()) && damaged.err().contains("CRC32C"), damaged.err());
    }

    @Test
    void offlineBackupOfAStoppedDataDirectory() throws IOException {
        Path stopped = files.resolve("stopped");
        try (Databases other = Databases.open(stopped, EngineOptions.defaults().withBackgroundCompaction(false))) {
            other.getOrDefault(null).write(java.util.List.of(io.sundial.core.Point.builder("m").floatField("v", 1).timestamp(1).build()));
        }
        Path backup = files.resolve("offline-backup");
        CliRun b = run("backup", backup.toString(), "--data-dir", stopped.toString());
        assertEquals(0, b.code(), b.err());
        assertTrue(Files.exists(backup.resolve("BACKUP")));
        CliRun r = run("restore", backup.toString(), "--data-dir", files.resolve("r").toString());
        assertEquals(0, r.code(), r.err());
    }
}
