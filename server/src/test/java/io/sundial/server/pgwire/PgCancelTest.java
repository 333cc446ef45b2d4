package io.sundial.server.pgwire;

import static io.sundial.server.pgwire.RawClient.cstring;
import static io.sundial.server.pgwire.RawClient.int16;
import static io.sundial.server.pgwire.RawClient.int32;
import static io.sundial.server.pgwire.RawClient.message;
import static io.sundial.server.pgwire.RawClient.query;
import static io.sundial.server.pgwire.RawClient.sync;
import static io.sundial.server.pgwire.RawClient.types;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sundial.core.Point;
import io.sundial.server.pgwire.RawClient.Message;
import io.sundial.storage.Databases;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * CancelRequest against the request a connection serves, driven message by message: the client
 * knows the server has read a message when it has its answer (Flush makes the server send it), and
 * that the cancel was handled when the server closes the cancel connection, so every interleaving
 * here is fixed rather than raced.
 */
class PgCancelTest {
    private static final String CANCELED = "canceling statement due to user request";

    @TempDir
    static Path dir;
    static PgServer server;

    @BeforeAll
    static void start() throws IOException {
        server = PgServer.start(dir.resolve("data"));
        server.writeSample();
        List<Point> ticks = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ticks.add(Point.builder("ticks").floatField("v", i).timestamp(PgServer.T0 + i * 1_000_000_000L).build());
        }
        server.databases.get(Databases.DEFAULT).write(ticks);
    }

    @AfterAll
    static void stop() throws IOException {
        server.close();
    }

    private static byte[] parse(String sql) {
        return message('P', cstring(""), cstring(sql), int16(0));
    }

    private static byte[] bind() {
        return message('B', cstring(""), cstring(""), int16(0), int16(0), int16(0));
    }

    private static byte[] execute(int rowsMax) {
        return message('E', cstring(""), int32(rowsMax));
    }

    private static byte[] flush() {
        return message('H');
    }

    private static byte[] copyData(String text) {
        return message('d', text.getBytes(StandardCharsets.UTF_8));
    }

    private static List<Message> read(RawClient client, int count) throws IOException {
        List<Message> messages = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            messages.add(client.read());
        }
        return messages;
    }

    private static void assertCanceled(List<Message> answer, char status) {
        assertEquals("EZ", types(answer), answer.toString());
        assertEquals("57014", answer.getFirst().fields().get('C'), answer.toString());
        assertEquals(CANCELED, answer.getFirst().fields().get('M'));
        assertEquals(status, (char) answer.getLast().body()[0], "ReadyForQuery status");
    }

    /** The cancel lands after Parse and Bind were read but before Execute: the statement starts cancelled. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"SELECT usage FROM cpu", "SELECT count(usage) FROM cpu GROUP BY host", "SHOW timezone",
            "SELECT version()"})
    void cancelAfterTheStatementIsReadFailsItWhenItStarts(String sql) throws IOException {
        try (RawClient client = new RawClient(server.port())) {
            client.startup("raw");
            client.send(parse(sql), bind(), flush());
            List<Message> read = read(client, 2);
            assertEquals("12", types(read), "ParseComplete and BindComplete: the server has read the statement; " + read);
            client.cancel();
            client.send(execute(0), sync());
            assertCanceled(client.readUntilReady(), 'I');
            client.send(query("SELECT usage FROM cpu"));
            assertEquals("TDDCZ", types(client.readUntilReady()), "the cancel ended with its request");
        }
    }

    @Test
    void cancelledInsertWritesNothing() throws IOException {
        try (RawClient client = new RawClient(server.port())) {
            client.startup("raw");
            client.send(parse("INSERT INTO cancelled_insert (time, host, v) VALUES ('2024-01-01 00:00:00+00', 'a', 1.0)"),
                    bind(), flush());
            assertEquals("12", types(read(client, 2)));
            client.cancel();
            client.send(execute(0), sync());
            assertCanceled(client.readUntilReady(), 'I');
            client.send(query("SELECT v FROM cancelled_insert"));
            List<Message> answer = client.readUntilReady();
            assertEquals("42P01", answer.getFirst().fields().get('C'), "nothing was written: " + answer);
        }
    }

    /** A cancel between ReadyForQuery and the next request is for nothing: the next statement runs whole. */
    @Test
    void cancelWhileIdleDoesNotCancelTheNextStatement() throws IOException {
        try (RawClient client = new RawClient(server.port())) {
            client.startup("raw");
            client.cancel();
            client.send(query("SELECT usage FROM cpu"));
            assertEquals("TDDCZ", types(client.readUntilReady()), "idle after startup");
            client.cancel();
            client.send(parse("SELECT usage FROM cpu"), bind(), execute(0), sync());
            assertEquals("12DDCZ", types(client.readUntilReady()), "idle after a simple Query");
            client.cancel();
            client.send(query("SELECT usage FROM cpu; SHOW timezone"));
            assertEquals("TDDCTDCZ", types(client.readUntilReady()), "idle after Sync");
        }
    }

    /**
     * Inside a transaction block a portal outlives Sync. A cancel while idle leaves it alone; one
     * after the next request was read stops it when it resumes, and fails the transaction block.
     */
    @Test
    void cancelStopsAPortalResumedInALaterRequest() throws IOException {
        try (RawClient client = new RawClient(server.port())) {
            client.startup("raw");
            client.send(query("BEGIN"));
            assertEquals("CZ", types(client.readUntilReady()));
            client.send(parse("SELECT v FROM ticks"), bind(), execute(1), sync());
            assertEquals("12DsZ", types(client.readUntilReady()), "one row, then PortalSuspended");
            client.cancel();
            client.send(execute(1), flush());
            assertEquals("Ds", types(read(client, 2)), "the cancel while idle was for nothing");
            client.cancel();
            client.send(execute(1), sync());
            assertCanceled(client.readUntilReady(), 'E');
            client.send(query("ROLLBACK"));
            assertEquals("CZ", types(client.readUntilReady()));
        }
    }

    /** COPY FROM STDIN checks for a cancel at every message of data: the COPY fails and nothing is written. */
    @Test
    void cancelDuringCopyFromStdinWritesNothing() throws IOException {
        try (RawClient client = new RawClient(server.port())) {
            client.startup("raw");
            client.send(query("CREATE TABLE cancelled_copy (time timestamptz, host text, v double precision)"));
            client.readUntilReady();
            client.send(query("COPY cancelled_copy FROM STDIN"));
            assertEquals('G', client.read().type(), "CopyInResponse");
            client.send(copyData("2024-01-01 00:00:00+00\ta\t1\n"));
            client.cancel();
            client.send(copyData("2024-01-01 00:00:01+00\tb\t2\n"), message('c'));
            assertCanceled(client.readUntilReady(), 'I');
            client.send(query("SELECT count(v) FROM cancelled_copy"));
            List<Message> after = client.readUntilReady();
            assertEquals("TCZ", types(after), "the stray CopyDone gets no answer, the table no rows: " + after);
        }
    }
}
