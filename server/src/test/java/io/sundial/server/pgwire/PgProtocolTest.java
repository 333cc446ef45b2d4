package io.sundial.server.pgwire;

import static io.sundial.server.pgwire.RawClient.cstring;
import static io.sundial.server.pgwire.RawClient.int16;
import static io.sundial.server.pgwire.RawClient.int32;
import static io.sundial.server.pgwire.RawClient.message;
import static io.sundial.server.pgwire.RawClient.query;
import static io.sundial.server.pgwire.RawClient.sync;
import static io.sundial.server.pgwire.RawClient.types;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.server.pgwire.RawClient.Message;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Hand-built protocol messages: the startup phase, the extended protocol byte by byte, and malformed input. */
class PgProtocolTest {
    private static final int MESSAGE_BYTES_MAX = 4096;

    @TempDir
    static Path dir;
    static PgServer server;

    @BeforeAll
    static void start() throws IOException {
        server = PgServer.start(dir.resolve("data"), o -> o.withMessageBytesMax(MESSAGE_BYTES_MAX));
        server.writeSample();
    }

    @AfterAll
    static void stop() throws IOException {
        server.close();
    }

    @Test
    void startupReportsParametersAndBackendKey() throws IOException {
        try (RawClient client = new RawClient(server.port())) {
            List<Message> messages = client.startup("raw");
            assertEquals('R', messages.getFirst().type());
            assertEquals(0, messages.getFirst().buffer().getInt(), "AuthenticationOk");
            StringBuilder parameters = new StringBuilder();
            for (Message message : messages) {
                if (message.type() == 'S') {
                    String[] pair = new String(message.body(), StandardCharsets.UTF_8).split("\0");
                    parameters.append(pair[0]).append('=').append(pair.length > 1 ? pair[1] : "").append(';');
                }
            }
            for (String expected : List.of("server_version=14.0 (Sundial);", "server_encoding=UTF8;", "client_encoding=UTF8;",
                    "DateStyle=ISO, MDY;", "TimeZone=UTC;", "integer_datetimes=on;", "standard_conforming_strings=on;",
                    "application_name=raw;")) {
                assertTrue(parameters.toString().contains(expected), expected + " in " + parameters);
            }
            assertEquals(1, messages.stream().filter(m -> m.type() == 'K' && m.body().length == 8).count(), "BackendKeyData");
            Message ready = messages.getLast();
            assertEquals('I', (char) ready.body()[0]);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("negotiationRequests")
    void sslAndGssEncryptionAreDeclinedWithN(String name, int code) throws IOException {
        try (RawClient client = new RawClient(server.port())) {
            client.send(RawClient.startupPacket(code));
            assertEquals('N', client.readByte(), name);
            assertEquals('Z', client.startup("raw").getLast().type(), "startup continues in plain text");
        }
    }

    static Stream<Arguments> negotiationRequests() {
        return Stream.of(Arguments.of("SSLRequest", PgConnection.SSL_REQUEST),
                Arguments.of("GSSENCRequest", PgConnection.GSSENC_REQUEST));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badStartups")
    void badStartupIsAFatalErrorWithSqlState(String name, byte[] packet, String sqlState) throws IOException {
        try (RawClient client = new RawClient(server.port())) {
            client.send(packet);
            List<Message> messages = client.readUntilClosed();
            assertEquals(1, messages.size(), name + ": " + messages);
            assertEquals("FATAL", messages.getFirst().fields().get('S'));
            assertEquals(sqlState, messages.getFirst().fields().get('C'), messages.toString());
        }
        assertServerServes();
    }

    static Stream<Arguments> badStartups() {
        return Stream.of(
                Arguments.of("protocol_2", RawClient.startupPacket(2 << 16, "user", "x"), "0A000"),
                Arguments.of("no_user", RawClient.startupPacket(PgConnection.PROTOCOL_3_0, "database", "sundial"), "28000"),
                Arguments.of("unknown_database", RawClient.startupPacket(PgConnection.PROTOCOL_3_0, "user", "x",
                        "database", "nosuchdb"), "3D000"),
                Arguments.of("length_too_large", int32(1 << 20, PgConnection.PROTOCOL_3_0), "08P01"),
                Arguments.of("length_too_small", int32(3, 0), "08P01"),
                Arguments.of("parameter_without_nul", concat(int32(14, PgConnection.PROTOCOL_3_0),
                        "user\0ab".getBytes(StandardCharsets.US_ASCII)), "08P01"));
    }

    /** Input that breaks the message framing: FATAL, then the server closes this connection and serves others. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenFraming")
    void brokenFramingEndsTheConnectionWithAnError(String name, byte[] bytes, boolean closeOutput, String sqlState)
            throws IOException {
        try (RawClient client = new RawClient(server.port())) {
            client.startup("raw");
            client.send(bytes);
            if (closeOutput) {
                client.shutdownOutput();
            }
            List<Message> messages = client.readUntilClosed();
            assertEquals(1, messages.size(), name + ": " + messages);
            assertEquals("FATAL", messages.getFirst().fields().get('S'), messages.toString());
            assertEquals(sqlState, messages.getFirst().fields().get('C'), messages.toString());
        }
        assertServerServes();
    }

    static Stream<Arguments> brokenFraming() {
        return Stream.of(
                Arguments.of("bad_length", concat(new byte[] {'Q'}, int32(2)), false, "08P01"),
                Arguments.of("negative_length", concat(new byte[] {'Q'}, int32(-5)), false, "08P01"),
                Arguments.of("truncated_message", concat(new byte[] {'Q'}, int32(100), cstring("SELECT")), true, "08P01"),
                Arguments.of("truncated_header", new byte[] {'Q', 0, 0}, true, "08P01"),
                Arguments.of("oversize_message", concat(new byte[] {'Q'}, int32(MESSAGE_BYTES_MAX + 100)), false, "54000"));
    }

    /** Well-framed but invalid messages: an ERROR, and the same connection goes on. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidMessages")
    void invalidMessageIsAnErrorAndTheConnectionGoesOn(String name, byte[] bytes, String sqlState) throws IOException {
        try (RawClient client = new RawClient(server.port())) {
            client.startup("raw");
            // Extended-protocol messages are answered at Sync; the others answer ReadyForQuery themselves.
            boolean isExtended = "PBEDCH".indexOf(bytes[0]) >= 0;
            client.send(isExtended ? concat(bytes, sync()) : bytes);
            List<Message> messages = client.readUntilReady();
            assertEquals("EZ", types(messages), name + ": " + messages);
            assertEquals("ERROR", messages.getFirst().fields().get('S'));
            assertEquals(sqlState, messages.getFirst().fields().get('C'), messages.toString());
            client.send(query("SELECT count(usage) FROM cpu"));
            assertEquals("TDCZ", types(client.readUntilReady()), "the connection still answers");
        }
    }

    static Stream<Arguments> invalidMessages() {
        return Stream.of(
                Arguments.of("unknown_message_type", message('y'), "08P01"),
                Arguments.of("query_without_nul", message('Q', "SELECT 1".getBytes(StandardCharsets.US_ASCII)), "08P01"),
                Arguments.of("parse_count_beyond_body", message('P', cstring(""), cstring("SELECT 1"), int16(30_000)), "08P01"),
                Arguments.of("bind_unknown_statement", message('B', cstring(""), cstring("nope"), int16(0), int16(0),
                        int16(0)), "26000"),
                Arguments.of("execute_unknown_portal", message('E', cstring("nope"), int32(0)), "34000"),
                Arguments.of("describe_bad_kind", message('D', new byte[] {'X'}, cstring("")), "08P01"));
    }

    /**
     * A COPY FROM STDIN that fails on its second line answers the error at once; the client's data
     * still in flight (CopyData, CopyDone) is dropped silently, as PostgreSQL does, and nothing of
     * the COPY is written.
     */
    @Test
    void failedCopyAnswersAtOnceAndDropsTheRestOfTheData() throws IOException {
        try (RawClient client = new RawClient(server.port())) {
            client.startup("raw");
            client.send(query("CREATE TABLE copied (time timestamptz, host text, v double precision)"));
            client.readUntilReady();
            client.send(query("COPY copied (time, host, v) FROM STDIN"));
            Message response = client.read();
            assertEquals('G', response.type(), response.toString());
            assertEquals(3, response.buffer().get(1) << 8 | response.buffer().get(2), "CopyInResponse column count");
            client.send(message('d', "2024-01-01 00:00:00+00\ta\t1\n2024-01-01 00:00:01+00\tb\tx\n".getBytes(StandardCharsets.UTF_8)));
            List<Message> answer = client.readUntilReady();
            assertEquals("EZ", types(answer), answer.toString());
            assertEquals("22P02", answer.getFirst().fields().get('C'));
            assertTrue(answer.getFirst().fields().get('M').startsWith("COPY copied, line 2: column \"v\""), answer.toString());
            client.send(message('d', "more\n".getBytes(StandardCharsets.UTF_8)), message('c'),
                    query("SELECT count(v) FROM copied"));
            List<Message> after = client.readUntilReady();
            assertEquals("TCZ", types(after), "stray CopyData and CopyDone get no answer; the empty table has no rows: "
                    + after);
        }
    }

    @Test
    void connectionsBeyondTheLimitAreRefusedWith53300() throws IOException {
        try (PgServer small = PgServer.start(dir.resolve("small"), o -> o.withConnectionsMax(1));
             RawClient first = new RawClient(small.port())) {
            assertEquals('Z', first.startup("raw").getLast().type());
            try (RawClient second = new RawClient(small.port())) {
                List<Message> messages = second.readUntilClosed();
                assertEquals(1, messages.size(), messages.toString());
                assertEquals("53300", messages.getFirst().fields().get('C'));
            }
            first.send(query("SELECT count(usage) FROM cpu"));
            assertEquals("EZ", types(first.readUntilReady()), "the first connection is unaffected (cpu is missing here)");
        }
    }

    @Test
    void emptyQueryAnswersEmptyQueryResponse() throws IOException {
        try (RawClient client = new RawClient(server.port())) {
            client.startup("raw");
            client.send(query("  ; -- nothing\n"));
            assertEquals("IZ", types(client.readUntilReady()));
        }
    }

    @Test
    void simpleQueryWithAnErrorStopsAtIt() throws IOException {
        try (RawClient client = new RawClient(server.port())) {
            client.startup("raw");
            client.send(query("SELECT count(usage) FROM cpu; SELECT * FROM missing; SELECT count(used) FROM mem"));
            List<Message> messages = client.readUntilReady();
            assertEquals("TDCEZ", types(messages));
            assertEquals("42P01", messages.get(3).fields().get('C'));
        }
    }

    /** Binary results byte for byte, row limits with PortalSuspended, and Describe of portal and statement. */
    @Test
    void extendedProtocolWithBinaryResultsAndRowLimits() throws IOException {
        try (RawClient client = new RawClient(server.port())) {
            client.startup("raw");
            String sql = "SELECT usage, count, up, host FROM cpu WHERE time >= $1";
            client.send(message('P', cstring("s1"), cstring(sql), int16(1), int32(1184)),
                    message('D', new byte[] {'S'}, cstring("s1")),
                    message('B', cstring("p1"), cstring("s1"), int16(1, 0), int16(1),
                            int32(22), "2023-11-14 22:13:20+00".getBytes(StandardCharsets.US_ASCII), int16(1, 1)),
                    message('D', new byte[] {'P'}, cstring("p1")),
                    message('E', cstring("p1"), int32(1)),
                    message('E', cstring("p1"), int32(1)),
                    message('E', cstring("p1"), int32(1)),
                    sync());
            List<Message> messages = client.readUntilReady();
            // The second Execute reaches the last row: the portal knows it is exhausted, so CommandComplete.
            assertEquals("1tT2TDsDCCZ", types(messages), messages.toString());
            assertArrayEquals(new int[] {1184}, parameterOids(messages.get(1)));
            assertEquals(List.of("time:1184:1", "usage:701:1", "count:20:1", "up:16:1", "host:25:1"), columns(messages.get(4)));
            long micros = 1_700_000_000_000_000L - PgType.POSTGRES_EPOCH_MICROS;
            assertArrayEquals(concat(int16(5), int32(8), ByteBuffer.allocate(8).putLong(micros).array(), int32(8),
                    ByteBuffer.allocate(8).putDouble(1.5).array(), int32(8), ByteBuffer.allocate(8).putLong(3).array(),
                    int32(1), new byte[] {1}, int32(1), new byte[] {'a'}), messages.get(5).body());
            assertEquals("SELECT 1\0", new String(messages.get(8).body(), StandardCharsets.US_ASCII));
            assertEquals("SELECT 0\0", new String(messages.get(9).body(), StandardCharsets.US_ASCII));
        }
    }

    @Test
    void errorInExtendedProtocolSkipsToSync() throws IOException {
        try (RawClient client = new RawClient(server.port())) {
            client.startup("raw");
            client.send(message('P', cstring(""), cstring("SELEC usage FROM cpu"), int16(0)),
                    message('B', cstring(""), cstring(""), int16(0), int16(0), int16(0)),
                    message('E', cstring(""), int32(0)),
                    sync());
            List<Message> messages = client.readUntilReady();
            assertEquals("EZ", types(messages), "Bind and Execute after the failed Parse are skipped");
            assertEquals("42601", messages.getFirst().fields().get('C'));
            assertEquals("1", messages.getFirst().fields().get('P'), "the position of SELEC");
        }
    }

    @Test
    void transactionStatusFollowsBeginErrorsAndRollback() throws IOException {
        try (RawClient client = new RawClient(server.port())) {
            client.startup("raw");
            client.send(query("BEGIN"));
            assertEquals('T', (char) client.readUntilReady().getLast().body()[0]);
            client.send(query("SELECT * FROM missing"));
            assertEquals('E', (char) client.readUntilReady().getLast().body()[0]);
            client.send(query("SELECT count(usage) FROM cpu"));
            List<Message> aborted = client.readUntilReady();
            assertEquals("25P02", aborted.getFirst().fields().get('C'));
            client.send(query("ROLLBACK"));
            assertEquals('I', (char) client.readUntilReady().getLast().body()[0]);
        }
    }

    private static int[] parameterOids(Message description) {
        ByteBuffer buffer = description.buffer();
        int[] oids = new int[buffer.getShort()];
        for (int i = 0; i < oids.length; i++) {
            oids[i] = buffer.getInt();
        }
        return oids;
    }

    private static List<String> columns(Message description) {
        ByteBuffer buffer = description.buffer();
        int count = buffer.getShort();
        String[] columns = new String[count];
        for (int i = 0; i < count; i++) {
            int start = buffer.position();
            while (buffer.get() != 0) {
                // the column name's bytes
            }
            String name = new String(description.body(), start, buffer.position() - start - 1, StandardCharsets.UTF_8);
            buffer.getInt();
            buffer.getShort();
            int oid = buffer.getInt();
            buffer.getShort();
            buffer.getInt();
            int format = buffer.getShort();
            columns[i] = name + ":" + oid + ":" + format;
        }
        return Arrays.asList(columns);
    }

    private static void assertServerServes() throws IOException {
        try (RawClient client = new RawClient(server.port())) {
            client.startup("raw");
            client.send(query("SELECT count(usage) FROM cpu"));
            assertEquals("TDCZ", types(client.readUntilReady()));
        }
    }

    static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        ByteBuffer buffer = ByteBuffer.allocate(length);
        for (byte[] part : parts) {
            buffer.put(part);
        }
        return buffer.array();
    }
}
