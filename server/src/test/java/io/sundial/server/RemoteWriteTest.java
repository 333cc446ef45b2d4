package io.sundial.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.storage.Column;
import io.sundial.storage.Databases;
import io.sundial.storage.ReadRequest;
import io.sundial.storage.SeriesData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RemoteWriteTest {
    private static final long BODY_BYTES_MAX = 64 * 1024;
    private static final long STALE_MARKER = 0x7ff0000000000002L;
    private static final long T0_MILLIS = 1_700_000_000_000L;

    @TempDir
    Path dir;
    RunningServer running;

    @BeforeEach
    void start() throws IOException {
        running = RunningServer.start(dir, o -> o.withBodyBytesMax(BODY_BYTES_MAX));
    }

    @AfterEach
    void stop() throws IOException {
        running.close();
    }

    @Test
    void twoSeriesOfThreeSamplesAreStoredAndReadBack() throws Exception {
        byte[] request = concat(
                series(new String[] {"__name__", "http_requests_total", "job", "api", "code", "200"},
                        sample(1.0, T0_MILLIS), sample(2.0, T0_MILLIS + 15_000), sample(STALE_MARKER, T0_MILLIS + 30_000)),
                series(new String[] {"__name__", "http_requests_total", "job", "api", "code", "500"},
                        sample(7.5, T0_MILLIS), sample(8.5, T0_MILLIS + 15_000), sample(9.5, T0_MILLIS + 30_000)));

        HttpResponse<String> response = post("/api/v1/write?db=" + Databases.DEFAULT, snappyLiteral(request), true);

        assertEquals(204, response.statusCode(), response.body());
        List<SeriesData> stored = running.databases.get(Databases.DEFAULT).readAll(ReadRequest.all("http_requests_total"));
        assertEquals(2, stored.size());
        for (SeriesData series : stored) {
            Column value = series.column("value");
            assertEquals(3, value.size());
            assertEquals(T0_MILLIS * 1_000_000L, value.timestamp(0));
            assertEquals((T0_MILLIS + 30_000) * 1_000_000L, value.timestamp(2));
            if (series.key().toString().contains("code=200")) {
                assertEquals(2.0, value.doubleValue(1));
                assertEquals(STALE_MARKER, value.values()[2], "stale marker stored bit-exactly");
            } else {
                assertTrue(series.key().toString().contains("code=500"), series.key().toString());
                assertEquals(9.5, value.doubleValue(2));
            }
        }
    }

    @Test
    void badSeriesIsRefusedWith400AndTheOthersAreWritten() throws Exception {
        byte[] request = concat(
                series(new String[] {"job", "no-name"}, sample(1.0, T0_MILLIS), sample(2.0, T0_MILLIS + 1)),
                series(new String[] {"__name__", "up", "job", "ok"}, sample(1.0, T0_MILLIS)));
        HttpResponse<String> response = post("/api/v1/write", snappyLiteral(request), true);
        assertEquals(400, response.statusCode(), response.body());
        assertTrue(response.body().contains("2 of 3 samples rejected (1 written)"), response.body());
        assertTrue(response.body().contains("no __name__ label"), response.body());
        assertEquals(1, running.pointCount(Databases.DEFAULT, "up"));
    }

    @Test
    void typeConflictWithStoredDataIsRefusedWith400() throws Exception {
        assertEquals(204, running.post("/write", "up value=1i 1").statusCode());
        byte[] request = series(new String[] {"__name__", "up"}, sample(1.0, T0_MILLIS));
        HttpResponse<String> response = post("/api/v1/write", snappyLiteral(request), true);
        assertEquals(400, response.statusCode(), response.body());
        assertTrue(response.body().contains("1 of 1 samples rejected"), response.body());
    }

    static Stream<Arguments> refusedBodies() {
        byte[] good = series(new String[] {"__name__", "up"}, sample(1.0, T0_MILLIS));
        byte[] compressed = snappyLiteral(good);
        return Stream.of(
                Arguments.of("broken snappy", Arrays.copyOf(compressed, compressed.length - 1), true, 400, "snappy: "),
                Arguments.of("broken protobuf", snappyLiteral(Arrays.copyOf(good, good.length - 1)), true, 400, "protobuf: "),
                Arguments.of("no Content-Encoding", compressed, false, 415, "Content-Encoding must be snappy"),
                Arguments.of("declared length over the limit", new byte[] {(byte) 0x80, (byte) 0x80, 0x20}, true, 400,
                        "exceeds the limit"),
                Arguments.of("compressed body over the limit", snappyLiteral(new byte[(int) BODY_BYTES_MAX + 1]), true, 413,
                        "compressed remote write body is larger than 65536 bytes"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedBodies")
    void refusedBodyGetsA4xxAndWritesNothing(String name, byte[] body, boolean isSnappy, int status, String reason)
            throws Exception {
        // Expect: 100-continue, so a refusal before the body (the declared length over the limit) is
        // answered before the client sends it: otherwise the client may still be sending when the
        // server closes the connection, and the reset can reach it before the 413 does.
        HttpResponse<String> response = post("/api/v1/write", body, isSnappy, true);
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.body().contains(reason), response.body());
        assertEquals(0, running.pointCount(Databases.DEFAULT, "up"));
    }

    @Test
    void remoteWrite2IsRefusedWith415() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(running.uri("/api/v1/write"))
                .header("Content-Encoding", "snappy")
                .header("Content-Type", "application/x-protobuf;proto=io.prometheus.write.v2.Request")
                .header("X-Prometheus-Remote-Write-Version", "2.0.0")
                .POST(HttpRequest.BodyPublishers.ofByteArray(snappyLiteral(new byte[0])))
                .build();
        assertEquals(415, running.send(request).statusCode());
    }

    @Test
    void unknownDatabaseIs404() throws Exception {
        HttpResponse<String> response = post("/api/v1/write?db=nope", snappyLiteral(new byte[0]), true);
        assertEquals(404, response.statusCode(), response.body());
    }

    private HttpResponse<String> post(String path, byte[] body, boolean isSnappy) throws IOException, InterruptedException {
        return post(path, body, isSnappy, false);
    }

    private HttpResponse<String> post(String path, byte[] body, boolean isSnappy, boolean isContinueExpected)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(running.uri(path)).expectContinue(isContinueExpected)
                .header("Content-Type", "application/x-protobuf")
                .header("X-Prometheus-Remote-Write-Version", "0.1.0")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (isSnappy) {
            request.header("Content-Encoding", "snappy");
        }
        return running.send(request.build());
    }

    // A minimal test-only encoder: protobuf WriteRequest fields and a literal-only snappy block.

    private static byte[] sample(double value, long millis) {
        return sample(Double.doubleToRawLongBits(value), millis);
    }

    private static byte[] sample(long valueBits, long millis) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x09);
        for (int i = 0; i < 8; i++) {
            out.write((int) (valueBits >>> (8 * i)));
        }
        out.write(0x10);
        varint(out, millis);
        return out.toByteArray();
    }

    /** One WriteRequest.timeseries field (concatenated fields form a whole WriteRequest). */
    private static byte[] series(String[] labels, byte[]... samples) {
        ByteArrayOutputStream series = new ByteArrayOutputStream();
        for (int i = 0; i < labels.length; i += 2) {
            ByteArrayOutputStream label = new ByteArrayOutputStream();
            delimited(label, 1, labels[i].getBytes(StandardCharsets.UTF_8));
            delimited(label, 2, labels[i + 1].getBytes(StandardCharsets.UTF_8));
            delimited(series, 1, label.toByteArray());
        }
        for (byte[] sample : samples) {
            delimited(series, 2, sample);
        }
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        delimited(request, 1, series.toByteArray());
        return request.toByteArray();
    }

    private static void delimited(ByteArrayOutputStream out, int field, byte[] value) {
        varint(out, (long) field << 3 | 2);
        varint(out, value.length);
        out.writeBytes(value);
    }

    private static void varint(ByteArrayOutputStream out, long value) {
        while ((value & ~0x7fL) != 0) {
            out.write((int) ((value & 0x7f) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static byte[] snappyLiteral(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        varint(out, data.length);
        for (int from = 0; from < data.length; from += 65_536) {
            int length = Math.min(65_536, data.length - from);
            out.write(61 << 2);
            out.write((length - 1) & 0xff);
            out.write((length - 1) >>> 8);
            out.write(data, from, length);
        }
        return out.toByteArray();
    }
}
