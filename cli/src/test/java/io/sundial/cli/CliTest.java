package io.sundial.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.core.Point;
import io.sundial.storage.Databases;
import io.sundial.storage.Engine;
import io.sundial.storage.EngineOptions;
import io.sundial.storage.ReadRequest;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
    private static final Pattern HTTP_LINE = Pattern.compile("sundial: HTTP listening on (127\\.0\\.0\\.1:\\d+)");
    private static final Pattern LP_LINE = Pattern.compile("sundial: line protocol \\(TCP\\) listening on 127\\.0\\.0\\.1:\\d+");

    @TempDir
    Path dir;

    /** Runs the CLI in-process, capturing stdout. */
    private static Result run(String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (PrintStream capture = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            int code = Main.run(args);
            return new Result(code, buffer.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(saved);
        }
    }

    private record Result(int code, String out) {}

    private void writeSample(Path data) throws Exception {
        try (Databases databases = Databases.open(data, EngineOptions.defaults().withBackgroundCompaction(false))) {
            Engine engine = databases.get(Databases.DEFAULT);
            List<Point> points = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                points.add(Point.builder("cpu").tag("host", "h" + (i % 10)).floatField("usage", i * 0.5)
                        .timestamp(1_700_000_000_000_000_000L + i * 10_000_000_000L).build());
            }
            engine.write(points);
            engine.flush();
        }
    }

    @Test
    void helpListsCommands() {
        Result r = run("--help");
        assertEquals(0, r.code());
        for (String command : List.of("server", "inspect", "compact")) {
            assertTrue(r.out().contains(command), r.out());
        }
        assertEquals(0, run("server", "--help").code());
        assertEquals(2, run("no-such-command").code(), "usage errors exit 2");
    }

    @Test
    void inspectReportsAndVerifiesADataDirectoryAndASegmentFile() throws Exception {
        Path data = dir.resolve("db");
        writeSample(data);
        Result r = run("inspect", data.toString());
        assertEquals(0, r.code(), r.out());
        assertTrue(r.out().contains("1000 points"), r.out());
        assertTrue(r.out().contains(" ok"), r.out());
        Path segment;
        try (Stream<Path> files = Files.list(data.resolve("db").resolve(Databases.DEFAULT).resolve("data"))) {
            segment = files.filter(p -> p.toString().endsWith(".seg")).findFirst().orElseThrow();
        }
        Result file = run("inspect", segment.toString());
        assertEquals(0, file.code(), file.out());
        // Damage a byte in the middle of the chunks: inspect must say so and exit 1.
        byte[] bytes = Files.readAllBytes(segment);
        bytes[40] ^= 0x5A;
        Files.write(segment, bytes);
        Result damaged = run("inspect", data.toString());
        assertEquals(1, damaged.code(), damaged.out());
        assertTrue(damaged.out().contains("DAMAGED"), damaged.out());
        assertEquals(2, run("inspect", dir.resolve("nothing-here").toString()).code());
    }

    @Test
    void compactMergesFilesOffline() throws Exception {
        Path data = dir.resolve("db");
        writeSample(data);
        writeSample(data); // same points again: a second, overlapping file
        Result r = run("compact", "--data-dir", data.toString());
        assertEquals(0, r.code(), r.out());
        assertTrue(r.out().contains("-> 1 files"), r.out());
        try (Databases databases = Databases.open(data, EngineOptions.defaults().withBackgroundCompaction(false))) {
            Engine engine = databases.get(Databases.DEFAULT);
            long points = engine.readAll(ReadRequest.all("cpu")).stream().mapToLong(s -> s.columns().getFirst().size()).sum();
            assertEquals(1000, points);
        }
    }

    @Test
    void serverStartsWithoutPostgresListenerWhenTheDefaultPortIsTaken() throws Exception {
        // Hold 5432 for the whole test. When another process holds it (a PostgreSQL, another build's test),
        // that process may let it go at any moment, so then the server may also find it free and listen on it.
        java.net.ServerSocket holder = new java.net.ServerSocket();
        boolean isHeldByTest;
        try {
            holder.bind(new java.net.InetSocketAddress("127.0.0.1", 5432));
            isHeldByTest = true;
        } catch (IOException alreadyTaken) {
            holder.close();
            isHeldByTest = false;
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        Process server = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "server", "--data-dir", dir.resolve("pg-taken").toString(), "--http-addr", "127.0.0.1:0",
                "--lp-addr", "off", "--query-warmup", "off").redirectErrorStream(true).start();
        try (holder; BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
            boolean warned = false;
            boolean pgOff = false;
            boolean pgOnDefaultPort = false;
            boolean serving = false;
            StringBuilder output = new StringBuilder();
            String line;
            while ((line = out.readLine()) != null) {
                output.append(line).append('\n');
                warned |= line.contains("the default PostgreSQL port 127.0.0.1:5432 is taken");
                pgOff |= line.equals("sundial: PostgreSQL wire protocol listener is off");
                pgOnDefaultPort |= line.startsWith("sundial: PostgreSQL wire protocol listening on 127.0.0.1:5432 ");
                if (line.contains("serving data directory")) {
                    serving = true;
                    break;
                }
            }
            assertTrue(serving, "the server must start although 5432 is taken:\n" + output);
            if (isHeldByTest || !pgOnDefaultPort) {
                assertTrue(warned, "a warning names the taken default port:\n" + output);
                assertTrue(pgOff, "the log says the PostgreSQL listener is off:\n" + output);
            } else {
                assertFalse(warned, "the port was free after all: no warning:\n" + output);
            }
            server.destroy();
            assertTrue(server.waitFor(60, TimeUnit.SECONDS));
        } finally {
            server.destroyForcibly();
        }
    }

    @Test
    void serverStartsOnAFreshDirectoryServesHttpAndStopsOnSigterm() throws Exception {
        Path data = dir.resolve("fresh");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process server = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "server", "--data-dir", data.toString(), "--http-addr", "127.0.0.1:0", "--lp-addr", "127.0.0.1:0",
                "--pg-addr", "127.0.0.1:0", "--query-warmup", "off").redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            String httpAddress = null;
            boolean lineProtocol = false;
            boolean pgListening = false;
            boolean serving = false;
            boolean resources = false;
            while ((line = out.readLine()) != null) {
                resources |= line.startsWith("sundial: resources: heap ");
                Matcher http = HTTP_LINE.matcher(line);
                if (http.matches()) {
                    httpAddress = http.group(1);
                }
                lineProtocol |= LP_LINE.matcher(line).matches();
                pgListening |= line.matches("sundial: PostgreSQL wire protocol listening on 127\\.0\\.0\\.1:[1-9]\\d*.*");
                if (line.contains("serving data directory")) {
                    serving = true;
                    break;
                }
            }
            assertTrue(serving, "server did not report it was serving");
            assertTrue(resources, "the resource plan is logged in one line at start");
            assertTrue(httpAddress != null && !httpAddress.endsWith(":0"), "HTTP line with the bound port: " + httpAddress);
            assertTrue(lineProtocol, "line protocol listener line");
            assertTrue(pgListening, "--pg-addr must report the bound PostgreSQL port");
            try (HttpClient client = HttpClient.newHttpClient()) {
                HttpResponse<String> write = client.send(HttpRequest.newBuilder(URI.create("http://" + httpAddress + "/write"))
                        .POST(HttpRequest.BodyPublishers.ofString("cpu value=1 1\n")).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(204, write.statusCode(), write.body());
            }
            server.destroy(); // SIGTERM: the shutdown hook stops the listeners and closes the engine
            assertTrue(server.waitFor(60, TimeUnit.SECONDS));
        } finally {
            server.destroyForcibly();
        }
        assertTrue(Files.isDirectory(data.resolve("db").resolve(Databases.DEFAULT).resolve("wal")));
        try (var files = Files.list(data.resolve("db").resolve(Databases.DEFAULT).resolve("data"))) {
            assertEquals(1, files.filter(f -> f.getFileName().toString().endsWith(".seg")).count(),
                    "SIGTERM flushed the acknowledged point into a segment file");
        }
        try (Databases databases = Databases.open(data, EngineOptions.defaults())) {
            assertEquals(List.of(Databases.DEFAULT), databases.names());
            assertEquals(1, databases.get(Databases.DEFAULT).readAll(ReadRequest.all("cpu")).size(), "the acknowledged point survived");
        }
    }

    @Test
    void serverRejectsBadAddressesAndAMissingConfigFile() {
        assertEquals(2, run("server", "--data-dir", dir.toString(), "--http-addr", "localhost").code());
        assertEquals(2, run("server", "--data-dir", dir.toString(), "--lp-addr", "127.0.0.1:70000").code());
        assertEquals(2, run("server", "--data-dir", dir.toString(), "--pg-addr", "127.0.0.1:x").code());
        assertEquals(2, run("server", "--data-dir", dir.toString(), "--config", dir.resolve("none.toml").toString()).code());
    }
}
