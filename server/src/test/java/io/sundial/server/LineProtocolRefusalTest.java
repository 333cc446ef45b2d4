package io.sundial.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.sundial.storage.io.FaultInjectingFileIo;
import io.sundial.storage.io.StorageIo;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The TCP line-protocol listener has no answer channel: a batch the WAL refuses closes the
 * connection and the log says why (full disk vs stopped WAL) and which lines were lost; /metrics
 * counts the batch under 507 or 503.
 */
class LineProtocolRefusalTest {
    private static final Logger CONNECTION_LOG = Logger.getLogger("io.sundial.server.tcp.LineProtocolConnection");

    @TempDir
    Path dir;

    static Stream<Arguments> faults() {
        return Stream.of(
                Arguments.of(Named.<Consumer<FaultInjectingFileIo>>of("full disk",
                        io -> io.failWrites("*.wal", FaultInjectingFileIo.NO_SPACE)), "disk full: 4 points of lines 1 to 4",
                        "507"),
                Arguments.of(Named.<Consumer<FaultInjectingFileIo>>of("failed fsync", io -> io.failForces("*.wal")),
                        "writes are stopped until Sundial is restarted (docs/OPERATIONS.md, Disk full): 4 points of lines 1 to 4",
                        "503"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("faults")
    void refusedBatchIsLoggedWithItsLinesAndCounted(Consumer<FaultInjectingFileIo> fault, String logged, String status)
            throws Exception {
        List<String> messages = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                messages.add(record.getMessage() == null ? "" : record.getMessage());
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        CONNECTION_LOG.addHandler(capture);
        FaultInjectingFileIo io = new FaultInjectingFileIo();
        try (StorageIo.Mount _ = StorageIo.mount(dir, io); RunningServer sundial = RunningServer.start(dir)) {
            fault.accept(io);
            var address = sundial.server.lineProtocolAddress().orElseThrow();
            try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
                OutputStream out = socket.getOutputStream();
                StringBuilder lines = new StringBuilder();
                for (int i = 0; i < 4; i++) {
                    lines.append("cpu,host=a v=").append(i).append(' ').append(i * 1_000_000_000L).append('\n');
                }
                out.write(lines.toString().getBytes(StandardCharsets.UTF_8));
                out.flush();
                socket.shutdownOutput();
                InputStream in = socket.getInputStream();
                assertEquals(-1, in.read(), "the server closes the connection");
            }
            String line = awaitMessage(messages, logged);
            assertTrue(line.startsWith("line protocol ") && line.contains("closing the connection"), line);
            String counted = "sundial_write_requests_total{api=\"tcp\",status=\"" + status + "\"} 1";
            String page = Eventually.observe(() -> sundial.get("/metrics").body(), p -> p.contains(counted));
            assertTrue(page.contains(counted), page);
            assertTrue(page.contains("sundial_points_dropped_total{api=\"tcp\"} 4"), page);
            assertEquals(0, sundial.pointCount("sundial", "cpu"), "nothing of the refused batch is visible");
            io.clear();
        } finally {
            CONNECTION_LOG.removeHandler(capture);
        }
    }

    /** The connection thread logs after closing the socket, so poll for the line (with a deadline). */
    private static String awaitMessage(List<String> messages, String fragment) throws InterruptedException {
        long deadline = System.nanoTime() + Eventually.DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            for (String message : messages) {
                if (message.contains(fragment)) {
                    return message;
                }
            }
            synchronized (messages) {
                messages.wait(20);
            }
        }
        fail("no log line containing '" + fragment + "' in " + messages);
        return null;
    }
}
