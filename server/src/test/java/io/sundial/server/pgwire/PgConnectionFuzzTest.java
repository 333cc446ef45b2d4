package io.sundial.server.pgwire;

import static org.junit.jupiter.api.Assertions.assertFalse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sundial.storage.Databases;
import io.sundial.storage.EngineOptions;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Fuzz target for the frontend message decoder and the protocol state machine: the input is the
 * client's byte stream after a valid trust startup (so the fuzzer reaches the query phase at once).
 * A conversation may end normally or with an IOException of the stream; an exception escaping
 * {@link PgConnection#serve} or an "internal error" ErrorResponse (an unexpected exception caught
 * by the message loop) is a finding. Without JAZZER_FUZZ the seeds in
 * PgConnectionFuzzTestInputs/serve run as regression tests; docs/OPERATIONS.md ("Fuzzing").
 */
class PgConnectionFuzzTest {
    private static final byte[] STARTUP = RawClient.startupPacket(PgConnection.PROTOCOL_3_0, "user", "fuzz",
            "database", "sundial");
    private static PgWireListener listener;

    private static synchronized PgWireListener listener() {
        if (listener == null) {
            try {
                Path dir = Files.createTempDirectory("sundial-pg-fuzz");
                Databases databases = Databases.open(dir, EngineOptions.defaults().withBackgroundCompaction(false));
                listener = PgWireListener.start(databases, PgWireOptions.defaults()
                        .withAddress(new InetSocketAddress("127.0.0.1", 0)).withMessageBytesMax(64 << 10), Duration.ofSeconds(5));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return listener;
    }

    @FuzzTest
    void serve(byte[] input) throws IOException {
        PgWireListener server = listener();
        byte[] stream = new byte[STARTUP.length + input.length];
        System.arraycopy(STARTUP, 0, stream, 0, STARTUP.length);
        System.arraycopy(input, 0, stream, STARTUP.length, input.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new PgConnection(null, server, server.commands(), server.options(), 1, 1)
                .serve(new ByteArrayInputStream(stream), out);
        String answer = out.toString(StandardCharsets.ISO_8859_1);
        assertFalse(answer.contains("internal error"), answer);
    }
}
