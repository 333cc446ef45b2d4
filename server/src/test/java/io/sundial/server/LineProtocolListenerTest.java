package io.sundial.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.storage.Databases;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LineProtocolListenerTest {
    private static final int LINE_BYTES_MAX = 256;

    @TempDir
    Path dir;
    RunningServer running;
    final List<String> warnings = new CopyOnWriteArrayList<>();
    final Logger connectionLog = Logger.getLogger("io.sundial.server.tcp");
    final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                warnings.add(record.getMessage());
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @BeforeEach
    void start() throws IOException {
        connectionLog.addHandler(capture);
        // A generous idle timeout: a client thread descheduled for a while under load (2 cores,
        // load 30) must not find its connection closed between two writes of one test.
        running = startWithIdleTimeout(Duration.ofMinutes(10));
    }

    private RunningServer startWithIdleTimeout(Duration idleTimeout) throws IOException {
        return RunningServer.start(dir, o -> o.withLineBytesMax(LINE_BYTES_MAX).withBatchPointsMax(50)
                .withLineProtocolIdleTimeout(idleTimeout).withLineProtocolConnectionsMax(2));
    }

    @AfterEach
    void stop() throws IOException {
        connectionLog.removeHandler(capture);
        running.close();
    }

    private Socket connect() throws IOException {
        return new Socket(running.server.lineProtocolAddress().orElseThrow().getAddress(),
                running.server.lineProtocolAddress().orElseThrow().getPort());
    }

    /** Blocks until the server closes the connection (its last batch is written before it closes). */
    private static void awaitServerClose(Socket socket) throws IOException {
        socket.setSoTimeout(120_000);
        InputStream in = socket.getInputStream();
        assertEquals(-1, in.read(), "the server sends nothing and closes");
    }

    @Test
    void validLinesAreWrittenAndMalformedOnesLoggedWithTheirLineNumberAndSkipped() throws Exception {
        String longLine = "cpu value=1,pad=\"" + "x".repeat(LINE_BYTES_MAX) + "\" 9\n";
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(("cpu value=1 1\n"                  // line 1
                    + "this is garbage\n"                 // line 2
                    + "cpu value=2 2\r\n"                 // line 3
                    + longLine                            // line 4
                    + "# a comment\n"                     // line 5
                    + "cpu value=3 3").getBytes(StandardCharsets.UTF_8)); // line 6, no newline before EOF
            socket.shutdownOutput();
            awaitServerClose(socket);
        }
        assertEquals(3, running.pointCount(Databases.DEFAULT, "cpu"));
        assertTrue(warnings.stream().anyMatch(w -> w.contains("unable to parse 'this is garbage'") && w.contains("(line 2, column")),
                warnings.toString());
        assertTrue(warnings.stream().anyMatch(w -> w.contains("unable to parse line 4, column 1: line is longer than 256 bytes")), warnings.toString());
    }

    @Test
    void linesSplitAcrossWritesAndLongLinesAcrossReadsKeepTheirNumbers() throws Exception {
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write("mem free=".getBytes(StandardCharsets.UTF_8));
            out.flush();
            out.write("1i 1\nmem free=2i 2\nmem ".getBytes(StandardCharsets.UTF_8));
            out.flush();
            for (int i = 0; i < 4; i++) { // line 3 grows past the limit over several writes
                out.write("x".repeat(100).getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
            out.write("\nmem broken\nmem free=4i 4\n".getBytes(StandardCharsets.UTF_8));
            socket.shutdownOutput();
            awaitServerClose(socket);
        }
        assertEquals(3, running.pointCount(Databases.DEFAULT, "mem"));
        assertTrue(warnings.stream().anyMatch(w -> w.contains("unable to parse line 3, column 1: line is longer than 256 bytes")), warnings.toString());
        assertTrue(warnings.stream().anyMatch(w -> w.contains("unable to parse 'mem broken'") && w.contains("(line 4, column")),
                warnings.toString());
    }

    @Test
    void batchesAreWrittenWhileTheConnectionStaysOpen() throws Exception {
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            StringBuilder lines = new StringBuilder();
            for (int i = 0; i < 120; i++) { // more than two batches of 50
                lines.append("disk,dev=sda used=").append(i).append("i ").append(i + 1).append('\n');
            }
            out.write(lines.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            // The connection stays open: the points must arrive without the client closing.
            awaitCondition(() -> running.databases.get(Databases.DEFAULT).measurements().contains("disk")
                    && running.pointCount(Databases.DEFAULT, "disk") == 120, Duration.ofSeconds(120));
            assertTrue(socket.isConnected());
        }
    }

    @Test
    void connectionsBeyondTheLimitAreRefused() throws Exception {
        // The server accepts in arrival order, so the first two connections hold the two slots
        // before the third is accepted; with the long idle timeout neither frees its slot early.
        try (Socket first = connect(); Socket second = connect()) {
            first.getOutputStream().write("up value=1 1\n".getBytes(StandardCharsets.UTF_8));
            second.getOutputStream().write("up value=2 2\n".getBytes(StandardCharsets.UTF_8));
            try (Socket third = connect()) {
                awaitServerClose(third); // refused: two are open, the limit
            }
            first.shutdownOutput();
            second.shutdownOutput();
            awaitServerClose(first);
            awaitServerClose(second);
        }
        assertEquals(2, running.pointCount(Databases.DEFAULT, "up"));
        assertTrue(warnings.stream().anyMatch(w -> w.contains("connections are open (the limit)")), warnings.toString());
    }

    @Test
    void idleConnectionsAreClosed() throws Exception {
        running.close();
        running = startWithIdleTimeout(Duration.ofMillis(300));
        try (Socket socket = connect()) {
            socket.getOutputStream().write("up value=1 1\n".getBytes(StandardCharsets.UTF_8));
            awaitServerClose(socket); // idle for 300 ms, with the output still open
        }
        assertEquals(1, running.pointCount(Databases.DEFAULT, "up"));
        assertTrue(warnings.stream().noneMatch(w -> w.contains("connections are open (the limit)")), warnings.toString());
    }

    @Test
    void listenerCanBeTurnedOff() throws Exception {
        running.close();
        running = RunningServer.start(dir, o -> o.withLineProtocolAddress(null));
        assertTrue(running.server.lineProtocolAddress().isEmpty());
        assertEquals(204, running.get("/ping").statusCode(), "HTTP still serves");
    }

    /**
     * Polls an observable condition until a deadline: the server writes a batch when the socket
     * has nothing more to read, which no test hook can signal to a client.
     */
    static void awaitCondition(BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + timeout);
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }
}
