package io.sundial.server.pgwire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** psql (libpq) driven as a process: -c, -f, \dt and \d, with SCRAM-SHA-256. Skipped where psql is not installed. */
class PsqlTest {
    private static final Path PSQL = Path.of("/usr/bin/psql");

    @TempDir
    static Path dir;
    static PgServer server;

    record Run(int code, String out) {}

    @BeforeAll
    static void start() throws IOException {
        assumeTrue(Files.isExecutable(PSQL), "psql is not installed at " + PSQL);
        server = PgServer.start(dir.resolve("data"), o -> o.withUsers(Map.of("tester", "pencil")));
        server.writeSample();
    }

    @AfterAll
    static void stop() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    /** Runs psql unaligned (-A), '|'-separated, without ~/.psqlrc, stopping at the first error. */
    static Run psql(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(PSQL.toString(), "-X", "-A", "-F", "|", "-v", "ON_ERROR_STOP=1",
                "-h", "127.0.0.1", "-p", Integer.toString(server.port()), "-U", "tester", "-d", "sundial"));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("PGPASSWORD", "pencil");
        builder.environment().put("PGCONNECT_TIMEOUT", "20");
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "psql did not finish");
        return new Run(process.exitValue(), out);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', textBlock = """
            select star;     SELECT * FROM cpu WHERE host = 'a';    time|count|host|up|usage\\n2023-11-14 22:13:20+00|3|a|t|1.5\\n(1 row)
            selector;        SELECT max(usage) FROM cpu;             time|max\\n2023-11-14 22:14:20+00|2.5\\n(1 row)
            version;         SELECT current_setting('server_version'); current_setting\\n14.0 (Sundial)\\n(1 row)
            show;            SHOW standard_conforming_strings;       standard_conforming_strings\\non\\n(1 row)
            tables;          \\dt (cpu|mem);                        List of relations\\nSchema|Name|Type|Owner\\npublic|cpu|table|tester\\npublic|mem|table|tester\\n(2 rows)
            describe;        \\d cpu;                                Table "public.cpu"\\nColumn|Type|Collation|Nullable|Default\\ntime|timestamp with time zone||not null|\\ncount|bigint|||\\nhost|text|||\\nup|boolean|||\\nusage|double precision|||
            """)
    void command(String name, String sql, String expected) throws Exception {
        Run run = psql("-c", sql.strip());
        assertEquals(0, run.code(), run.out());
        assertEquals(expected.replace("\\n", "\n").strip(), run.out().strip(), name);
    }

    @Test
    void scriptFileWithWritesAndAnError() throws Exception {
        Path script = dir.resolve("script.sql");
        Files.writeString(script, """
                CREATE TABLE weather (time timestamptz, city text, temp double precision, note text FIELD);
                BEGIN;
                INSERT INTO weather (time, city, temp, note) VALUES ('2024-01-01 00:00:00+00', 'Oslo', -3.5, 'it''s cold'),
                    ('2024-01-01T00:01:00Z', 'Rome', 12.0, NULL);
                COMMIT;
                SELECT city, temp, note FROM weather;
                SELECT nope FRM weather;
                """);
        Run run = psql("-f", script.toString());
        assertEquals(3, run.code(), "ON_ERROR_STOP exits 3 at the failing statement: " + run.out());
        assertTrue(run.out().contains("time|city|temp|note\n2024-01-01 00:00:00+00|Oslo|-3.5|it's cold\n"
                + "2024-01-01 00:01:00+00|Rome|12|\n(2 rows)"), run.out());
        assertTrue(run.out().contains("ERROR:  line 1, column 13: "), run.out());
    }

    @Test
    void multipleStatementsInOneQueryMessage() throws Exception {
        Run run = psql("-t", "-c", "SELECT count(usage) FROM cpu; SELECT count(used) FROM mem");
        assertEquals(0, run.code(), run.out());
        assertEquals("1970-01-01 00:00:00+00|2\n1970-01-01 00:00:00+00|1", run.out().strip());
    }
}
