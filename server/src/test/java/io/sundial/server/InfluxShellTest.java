package io.sundial.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real InfluxDB 1.x shell ({@code influx}, Debian package influxdb-client) against a
 * started Sundial: it pings, creates a database, imports a file in its own export format
 * ({@code -import}, which writes through /write) and queries with {@code -execute}. Skipped
 * with a message when the binary is not installed (.ci/run installs it when it can).
 */
class InfluxShellTest {
    private static final long SHELL_SECONDS_MAX = 60;

    @TempDir
    Path dir;
    RunningServer running;
    String influx;

    @BeforeEach
    void start() throws IOException {
        influx = findOnPath("influx");
        assumeTrue(influx != null, "the influx 1.x shell is not installed (apt-get install influxdb-client); skipping");
        running = RunningServer.start(dir.resolve("data"));
    }

    @AfterEach
    void stop() throws IOException {
        if (running != null) {
            running.close();
        }
    }

    @Test
    void importThenQueryThroughTheShell() throws Exception {
        assertEquals("", shell("-execute", "CREATE DATABASE shelldb").trim());
        Path file = dir.resolve("export.txt");
        Files.writeString(file, """
                # DDL
                CREATE DATABASE shelldb

                # DML
                # CONTEXT-DATABASE: shelldb
                cpu,host=a usage=1.5,n=3i 1700000000000000000
                cpu,host=a usage=2.5,n=4i 1700000010000000000
                cpu,host=b usage=4,n=5i 1700000000000000000
                """);
        String imported = shell("-import", "-path", file.toString(), "-precision", "ns");
        assertTrue(imported.contains("Processed 3 inserts"), imported);
        assertTrue(imported.contains("Failed 0 inserts"), imported);

        String csv = shell("-database", "shelldb", "-format", "csv", "-execute",
                "SELECT count(usage), sum(n) FROM cpu GROUP BY host");
        // The 1.x shell prints a CSV header per series, against InfluxDB too.
        assertEquals("""
                name,tags,time,count,sum
                cpu,host=a,0,2,7
                name,tags,time,count,sum
                cpu,host=b,0,1,5
                """, csv);

        String raw = shell("-database", "shelldb", "-format", "csv", "-precision", "rfc3339", "-execute",
                "SELECT usage FROM cpu WHERE host = 'a'");
        assertEquals("""
                name,time,usage
                cpu,2023-11-14T22:13:20Z,1.5
                cpu,2023-11-14T22:13:30Z,2.5
                """, raw);
    }

    @Test
    void showDatabasesAndErrorsReachTheShell() throws Exception {
        String databases = shell("-format", "csv", "-execute", "SHOW DATABASES");
        assertTrue(databases.startsWith("name,name\n"), databases);
        assertTrue(databases.contains("databases,sundial\n"), databases);

        ShellResult bad = run("-database", "sundial", "-execute", "SELEC 1");
        assertEquals(1, bad.exitCode(), bad.output());
        assertTrue(bad.output().contains("ERR: "), bad.output());
    }

    private String shell(String... arguments) throws Exception {
        ShellResult result = run(arguments);
        assertEquals(0, result.exitCode(), () -> "influx " + String.join(" ", arguments) + " failed:\n" + result.output());
        return result.output();
    }

    private record ShellResult(int exitCode, String output) {}

    private ShellResult run(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(influx, "-host", "127.0.0.1",
                "-port", Integer.toString(running.server.httpUri().getPort())));
        command.addAll(List.of(arguments));
        Path output = Files.createTempFile(dir, "influx", ".out");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        if (!process.waitFor(SHELL_SECONDS_MAX, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("influx " + command + " did not finish in " + SHELL_SECONDS_MAX + " s");
        }
        return new ShellResult(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }

    private static String findOnPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String directory : path.split(File.pathSeparator)) {
            Path candidate = Path.of(directory, name);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }
}
