package io.sundial.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HttpWriteTest {
    private static final long BODY_BYTES_MAX = 64 * 1024;

    @TempDir
    Path dir;
    RunningServer running;

    @BeforeEach
    void start() throws IOException {
        running = RunningServer.start(dir, o -> o.withBodyBytesMax(BODY_BYTES_MAX).withBatchPointsMax(100));
    }

    @AfterEach
    void stop() throws IOException {
        running.close();
    }

    private static String lines(String measurement, int count) {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < count; i++) {
            body.append(measurement).append(",host=h").append(i % 7).append(" value=").append(i).append(".5,n=").append(i)
                    .append("i ").append(1_700_000_000_000_000_000L + i * 1_000_000_000L).append('\n');
        }
        return body.toString();
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    @Test
    void lineProtocolIsWrittenInBatchesAndReadBackExactly() throws Exception {
        HttpResponse<String> response = running.post("/write?db=sundial", lines("cpu", 1_000));
        assertEquals(204, response.statusCode(), response.body());
        assertEquals("1.8.10", response.headers().firstValue("X-Influxdb-Version").orElseThrow());
        assertFalse(response.headers().firstValue("X-Request-Id").orElseThrow().isBlank());
        assertEquals(1_000, running.pointCount(Databases.DEFAULT, "cpu"));
        // Values survive the trip: host h3 holds i = 3, 10, 17, ...
        for (SeriesData series : running.databases.get(Databases.DEFAULT).readAll(ReadRequest.all("cpu"))) {
            if (series.key().toString().contains("host=h3")) {
                Column n = series.column("n");
                assertEquals(3L, n.longValue(0));
                assertEquals(3.5, series.column("value").doubleValue(0));
                assertEquals(1_700_000_003_000_000_000L, n.timestamp(0));
            }
        }
    }

    @Test
    void noDatabaseParameterWritesTheDefaultDatabaseAndAClientRequestIdIsEchoed() throws Exception {
        HttpResponse<String> response = running.send(HttpRequest.newBuilder(running.uri("/write?precision=s"))
                .header("X-Request-Id", "client-42").POST(HttpRequest.BodyPublishers.ofString("mem used=1 1700000000\n")).build());
        assertEquals(204, response.statusCode(), response.body());
        assertEquals("client-42", response.headers().firstValue("X-Request-Id").orElseThrow());
        List<SeriesData> series = running.databases.get(Databases.DEFAULT).readAll(ReadRequest.all("mem"));
        assertEquals(1_700_000_000_000_000_000L, series.getFirst().column("used").timestamp(0), "precision=s applied");
    }

    static Stream<Arguments> rejectedWrites() {
        return Stream.of(
                Arguments.of("partial_write_keeps_valid_points", "cpu value=1 1\ncpu value= 2\ncpu value=3 3\ncpu,host 4\n", 400,
                        "{\"error\":\"partial write: unable to parse 'cpu value= 2': missing field value (line 2, column 11) dropped=2\"}", 2),
                Arguments.of("nothing_valid", "this is not line protocol\n", 400,
                        "{\"error\":\"unable to parse 'this is not line protocol': invalid field format (line 1, column 6)\"}", 0),
                Arguments.of("type_conflict_within_request", "cpu value=1 1\ncpu value=\"text\" 2\n", 400,
                        "{\"error\":\"partial write: field type conflict: input field \\\"value\\\" on measurement \\\"cpu\\\" is type string, already exists as type float dropped=1\"}", 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejectedWrites")
    void rejectedRecordsAreAnsweredAsInfluxDbDoes(String name, String body, int status, String answer, long stored)
            throws Exception {
        HttpResponse<String> response = running.post("/write", body);
        assertEquals(status, response.statusCode(), response.body());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(answer, response.body().strip());
        long points = running.databases.get(Databases.DEFAULT).measurements().contains("cpu")
                ? running.pointCount(Databases.DEFAULT, "cpu") : 0;
        assertEquals(stored, points);
    }

    @Test
    void atomicWriteStoresNothingWhenAnyLineIsBad() throws Exception {
        HttpResponse<String> response = running.post("/write?atomic=true", "cpu value=1 1\ncpu value= 2\ncpu value=3 3\n");
        assertEquals(400, response.statusCode());
        assertTrue(response.body().contains("atomic write refused, nothing written: unable to parse 'cpu value= 2'"), response.body());
        assertTrue(response.body().contains("dropped=3"), response.body());
        assertFalse(running.databases.get(Databases.DEFAULT).measurements().contains("cpu"));
        // A type conflict with stored data is found before anything is written.
        assertEquals(204, running.post("/write", "cpu value=1 1\n").statusCode());
        HttpResponse<String> conflict = running.post("/write?atomic=true", "cpu value=2 2\ncpu value=true 3\n");
        assertEquals(400, conflict.statusCode());
        assertTrue(conflict.body().contains("field type conflict"), conflict.body());
        assertEquals(1, running.pointCount(Databases.DEFAULT, "cpu"));
        assertEquals(204, running.post("/write?atomic=true", "cpu value=2 2\ncpu value=3 3\n").statusCode());
        assertEquals(3, running.pointCount(Databases.DEFAULT, "cpu"));
    }

    static Stream<Arguments> badRequests() {
        return Stream.of(
                Arguments.of("unknown_database", "/write?db=nope", 404, "{\"error\":\"database not found: \\\"nope\\\"\"}"),
                Arguments.of("unknown_precision", "/write?precision=h", 400,
                        "{\"error\":\"unknown precision 'h': expected one of ns, us, ms, s\"}"),
                Arguments.of("bad_atomic_flag", "/write?atomic=maybe", 400, "{\"error\":\"parameter atomic='maybe' must be true or false\"}"),
                Arguments.of("v2_unknown_bucket", "/api/v2/write?bucket=nope&org=x", 404,
                        "{\"code\":\"not found\",\"message\":\"bucket \\\"nope\\\" not found\"}"),
                Arguments.of("v2_no_bucket", "/api/v2/write?org=x", 400,
                        "{\"code\":\"invalid\",\"message\":\"bucket not specified: add ?bucket=<database>\"}"),
                Arguments.of("unknown_endpoint", "/nothing", 404,
                        "{\"error\":\"no endpoint /nothing; see docs/API.md for the endpoints Sundial serves\"}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void badRequestsGetJsonErrors(String name, String path, int status, String answer) throws Exception {
        HttpResponse<String> response = running.post(path, "cpu value=1 1\n");
        assertEquals(status, response.statusCode(), response.body());
        assertEquals(answer, response.body().strip());
    }

    @Test
    void gzipBodiesAreDecoded() throws Exception {
        HttpResponse<String> response = running.send(HttpRequest.newBuilder(running.uri("/write"))
                .header("Content-Encoding", "gzip").header("Content-Type", "text/plain; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofByteArray(gzip(lines("disk", 500)))).build());
        assertEquals(204, response.statusCode(), response.body());
        assertEquals(500, running.pointCount(Databases.DEFAULT, "disk"));
        HttpResponse<String> broken = running.send(HttpRequest.newBuilder(running.uri("/write"))
                .header("Content-Encoding", "gzip").POST(HttpRequest.BodyPublishers.ofString("not gzip at all")).build());
        assertEquals(400, broken.statusCode());
        assertTrue(broken.body().contains("not gzip"), broken.body());
    }

    @Test
    void bodiesOverTheLimitAre413WhetherDeclaredOrExpandedFromGzip() throws Exception {
        String big = lines("big", 2_000);
        assertTrue(big.length() > BODY_BYTES_MAX);
        HttpResponse<String> declared = running.post("/write", big);
        assertEquals(413, declared.statusCode(), declared.body());
        assertTrue(declared.body().startsWith("{\"error\":\"request body is larger than 65536 bytes"), declared.body());
        assertFalse(running.databases.get(Databases.DEFAULT).measurements().contains("big"), "nothing written");

        // A small gzip body that expands past the limit: found while streaming, atomic writes nothing.
        byte[] compressed = gzip(big);
        assertTrue(compressed.length < BODY_BYTES_MAX);
        HttpResponse<String> expanded = running.send(HttpRequest.newBuilder(running.uri("/write?atomic=true"))
                .header("Content-Encoding", "gzip").POST(HttpRequest.BodyPublishers.ofByteArray(compressed)).build());
        assertEquals(413, expanded.statusCode(), expanded.body());
        assertFalse(running.databases.get(Databases.DEFAULT).measurements().contains("big"), "atomic: nothing written");
    }

    @Test
    void v2WriteUsesBucketAsDatabase() throws Exception {
        assertEquals(201, running.post("/api/v1/admin/databases?name=metrics", "").statusCode());
        HttpResponse<String> response = running.post("/api/v2/write?org=any&bucket=metrics/autogen&precision=ms",
                "cpu value=1 1700000000000\ncpu value=2 1700000001000\n");
        assertEquals(204, response.statusCode(), response.body());
        assertEquals(2, running.pointCount("metrics", "cpu"));
        HttpResponse<String> partial = running.post("/api/v2/write?bucket=metrics", "cpu value=3 3\ncpu value=\n");
        assertEquals(400, partial.statusCode());
        assertTrue(partial.body().startsWith("{\"code\":\"invalid\",\"message\":\"partial write: unable to parse"), partial.body());
    }

    @Test
    void otherRegisteredFormatsAreRoutedByContentType() throws Exception {
        HttpResponse<String> json = running.send(HttpRequest.newBuilder(running.uri("/write"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"measurement\":\"j\",\"fields\":{\"v\":1.5},\"time\":5}")).build());
        assertEquals(204, json.statusCode(), json.body());
        assertEquals(1, running.pointCount(Databases.DEFAULT, "j"));
        HttpResponse<String> csv = running.send(HttpRequest.newBuilder(running.uri("/write"))
                .header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofString("_measurement,host,v,time\nc,a,1.5,1700000000000000000\n")).build());
        assertEquals(204, csv.statusCode(), csv.body());
        assertEquals(1, running.pointCount(Databases.DEFAULT, "c"));
    }

    @Test
    void wrongMethodIs405WithAllow() throws Exception {
        HttpResponse<String> response = running.get("/write");
        assertEquals(405, response.statusCode());
        assertEquals("POST", response.headers().firstValue("Allow").orElseThrow());
        assertNotNull(response.body());
        assertTrue(response.body().startsWith("{\"error\":\"method GET is not allowed on /write"), response.body());
    }
}
