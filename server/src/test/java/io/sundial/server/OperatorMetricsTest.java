package io.sundial.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator metrics move with the traffic that feeds them: accepted points per protocol, the
 * WAL's fsync latency histogram, and HTTP bytes in and out per path class.
 */
class OperatorMetricsTest {
    private static final String ACCEPTED = "sundial_points_accepted_total";
    private static final String FSYNC_COUNT = "sundial_wal_fsync_duration_seconds_count{db=\"sundial\"}";
    private static final String FSYNC_SUM = "sundial_wal_fsync_duration_seconds_sum{db=\"sundial\"}";

    @TempDir
    Path dir;

    @Test
    void acceptedPointsFsyncLatencyAndHttpBytesMove() throws Exception {
        try (RunningServer sundial = RunningServer.start(dir)) {
            Map<String, Double> before = scrape(sundial);
            long writeBytes = 0;

            String v1 = "cpu,host=a v=1 1000000000\ncpu,host=a v=2 2000000000\ncpu,host=b v=3 3000000000\n";
            assertEquals(204, sundial.post("/write?db=sundial", v1).statusCode());
            writeBytes += v1.length();
            String v2 = "cpu,host=c v=4 4000000000\ncpu,host=c v=5 5000000000\n";
            assertEquals(204, sundial.post("/api/v2/write?bucket=sundial", v2).statusCode());
            writeBytes += v2.length();
            String exposition = "# TYPE jobs_total counter\njobs_total{job=\"x\"} 7 1700000000000\n";
            HttpResponse<String> imported = sundial.post("/api/v1/import/prometheus", exposition);
            assertEquals(204, imported.statusCode(), imported.body());
            writeBytes += exposition.length();
            byte[] remote = snappyLiteral(series(new String[] {"__name__", "up", "job", "x"}, sample(1.0, 1_700_000_000_000L)));
            HttpResponse<String> remoteWrite = sundial.send(HttpRequest.newBuilder(sundial.uri("/api/v1/write"))
                    .header("Content-Type", "application/x-protobuf").header("Content-Encoding", "snappy")
                    .header("X-Prometheus-Remote-Write-Version", "0.1.0")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(remote)).build());
            assertEquals(204, remoteWrite.statusCode(), remoteWrite.body());
            writeBytes += remote.length;

            var address = sundial.server.lineProtocolAddress().orElseThrow();
            try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
                OutputStream out = socket.getOutputStream();
                out.write("tcp,host=a v=1 1000000000\ntcp,host=a v=2 2000000000\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
            HttpResponse<String> query = sundial.get("/query?db=sundial&q=SHOW+MEASUREMENTS");
            assertEquals(200, query.statusCode());

            // TCP points are written by the connection's thread after the client has gone, and the
            // query's answer is counted after it went out: wait for both.
            long answerBytes = query.body().getBytes(StandardCharsets.UTF_8).length;
            Map<String, Double> after = Eventually.observe(() -> scrape(sundial),
                    now -> delta(before, now, ACCEPTED + "{protocol=\"tcp\"}") == 2
                            && delta(before, now, "sundial_http_response_bytes_total{path=\"query\"}") == answerBytes);
            assertEquals(2, delta(before, after, ACCEPTED + "{protocol=\"tcp\"}"), "tcp points: " + after);
            assertEquals(3, delta(before, after, ACCEPTED + "{protocol=\"v1\"}"), "v1 /write points");
            assertEquals(2, delta(before, after, ACCEPTED + "{protocol=\"v2\"}"), "v2 points");
            assertEquals(1, delta(before, after, ACCEPTED + "{protocol=\"import\"}"), "import/prometheus samples");
            assertEquals(1, delta(before, after, ACCEPTED + "{protocol=\"remote_write\"}"), "remote-write samples");

            // fsync always: every acknowledged batch waited for an fsync; group commit may let batches share one.
            long fsyncs = delta(before, after, FSYNC_COUNT);
            assertTrue(fsyncs >= 1 && fsyncs <= 5, "fsyncs for 5 acknowledged batches: " + fsyncs);
            assertTrue(after.get(FSYNC_SUM) > before.getOrDefault(FSYNC_SUM, 0.0), "fsyncs take time (seconds, not rounded)");
            assertEquals(after.get(FSYNC_COUNT), after.get("sundial_wal_fsync_duration_seconds_bucket{db=\"sundial\",le=\"+Inf\"}"));

            assertEquals(writeBytes, delta(before, after, "sundial_http_request_bytes_total{path=\"write\"}"),
                    "request bytes of the four write requests, as sent");
            assertEquals(answerBytes,
                    delta(before, after, "sundial_http_response_bytes_total{path=\"query\"}"), "the query's answer");
        }
    }

    private static Map<String, Double> scrape(RunningServer sundial) throws Exception {
        HttpResponse<String> page = sundial.get("/metrics");
        assertEquals(200, page.statusCode());
        return PrometheusTextParser.parse(page.body());
    }

    private static long delta(Map<String, Double> before, Map<String, Double> after, String key) {
        return Math.round(after.getOrDefault(key, 0.0) - before.getOrDefault(key, 0.0));
    }

    // A minimal remote-write body: protobuf WriteRequest fields and a literal-only snappy block.

    private static byte[] sample(double value, long millis) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long bits = Double.doubleToRawLongBits(value);
        out.write(0x09);
        for (int i = 0; i < 8; i++) {
            out.write((int) (bits >>> (8 * i)));
        }
        out.write(0x10);
        varint(out, millis);
        return out.toByteArray();
    }

    private static byte[] series(String[] labels, byte[] sample) {
        ByteArrayOutputStream series = new ByteArrayOutputStream();
        for (int i = 0; i < labels.length; i += 2) {
            ByteArrayOutputStream label = new ByteArrayOutputStream();
            delimited(label, 1, labels[i].getBytes(StandardCharsets.UTF_8));
            delimited(label, 2, labels[i + 1].getBytes(StandardCharsets.UTF_8));
            delimited(series, 1, label.toByteArray());
        }
        delimited(series, 2, sample);
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

    private static byte[] snappyLiteral(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        varint(out, data.length);
        out.write(61 << 2);
        out.write((data.length - 1) & 0xff);
        out.write((data.length - 1) >>> 8);
        out.write(data, 0, data.length);
        return out.toByteArray();
    }
}
