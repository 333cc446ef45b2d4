package io.sundial.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.sundial.ingest.remotewrite.Snappy;
import io.sundial.ingest.remotewrite.SnappyCompressor;
import io.sundial.server.ProtobufMessages.Message;
import io.sundial.server.ProtobufMessages.Sample;
import io.sundial.server.ProtobufMessages.Series;
import io.sundial.server.prometheus.RemoteReader;
import io.sundial.storage.Databases;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PrometheusApiTest {
    private static final long T0 = 1_700_000_000_000L;
    private static final long STALE_MARKER = 0x7ff0000000000002L;

    @TempDir
    Path dir;
    RunningServer running;

    @BeforeEach
    void start() throws Exception {
        running = RunningServer.start(dir);
        String lines = String.join("\n",
                "up,job=api,instance=a value=1 " + T0,
                "up,job=api,instance=b value=0 " + T0,
                "up,job=db,instance=c value=1 " + (T0 + 60_000),
                "http_requests_total,job=api,code=200 value=5 " + T0,
                "cpu,host=h1 usage_idle=90,usage_user=10i " + T0,
                "weather,city=x text=\"sunny\" " + T0);
        HttpResponse<String> written = running.post("/write?precision=ms", lines);
        assertEquals(204, written.statusCode(), written.body());
    }

    @AfterEach
    void stop() throws IOException {
        running.close();
    }

    private static String q(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private String get(String pathAndQuery, int status) throws Exception {
        HttpResponse<String> response = running.get(pathAndQuery);
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        return response.body().strip();
    }

    @Test
    void seriesListsLabelSetsSortedWithTheMetricName() throws Exception {
        assertEquals("{\"status\":\"success\",\"data\":[{\"__name__\":\"up\",\"instance\":\"a\",\"job\":\"api\"},"
                + "{\"__name__\":\"up\",\"instance\":\"b\",\"job\":\"api\"},{\"__name__\":\"up\",\"instance\":\"c\",\"job\":\"db\"}]}",
                get("/api/v1/series?match[]=up", 200));
    }

    @Test
    void regexMatchersAreFullyAnchored() throws Exception {
        assertEquals("{\"status\":\"success\",\"data\":[]}", get("/api/v1/series?match[]=" + q("{job=~\"ap\"}"), 200));
        assertEquals("{\"status\":\"success\",\"data\":[{\"__name__\":\"http_requests_total\",\"code\":\"200\",\"job\":\"api\"},"
                + "{\"__name__\":\"up\",\"instance\":\"a\",\"job\":\"api\"},{\"__name__\":\"up\",\"instance\":\"b\",\"job\":\"api\"}]}",
                get("/api/v1/series?match[]=" + q("{job=~\"ap.*\"}"), 200));
    }

    @Test
    void severalMatchersUnionAndTimeBoundsKeepSeriesWithSamplesInRange() throws Exception {
        String both = get("/api/v1/series?match[]=" + q("up{instance!~\"a|b\"}") + "&match[]=" + q("{__name__=~\"cpu_.+\"}"), 200);
        assertEquals("{\"status\":\"success\",\"data\":[{\"__name__\":\"cpu_usage_idle\",\"host\":\"h1\"},"
                + "{\"__name__\":\"cpu_usage_user\",\"host\":\"h1\"},{\"__name__\":\"up\",\"instance\":\"c\",\"job\":\"db\"}]}", both);
        String late = get("/api/v1/series?match[]=up&start=" + (T0 / 1000 + 30) + "&end=2100-01-01T00:00:00Z", 200);
        assertEquals("{\"status\":\"success\",\"data\":[{\"__name__\":\"up\",\"instance\":\"c\",\"job\":\"db\"}]}", late);
        String early = get("/api/v1/labels?match[]=up&start=" + (T0 / 1000) + "&end=" + (T0 / 1000) + ".5", 200);
        assertEquals("{\"status\":\"success\",\"data\":[\"__name__\",\"instance\",\"job\"]}", early);
    }

    @Test
    void labelsAndLabelValues() throws Exception {
        assertEquals("{\"status\":\"success\",\"data\":[\"__name__\",\"city\",\"code\",\"host\",\"instance\",\"job\"]}",
                get("/api/v1/labels", 200));
        assertEquals("{\"status\":\"success\",\"data\":[\"cpu_usage_idle\",\"cpu_usage_user\",\"http_requests_total\",\"up\"]}",
                get("/api/v1/label/__name__/values", 200), "string fields are no metrics");
        assertEquals("{\"status\":\"success\",\"data\":[\"api\",\"db\"]}", get("/api/v1/label/job/values?match[]=up", 200));
        assertEquals("{\"status\":\"success\",\"data\":[\"__name__\",\"code\",\"job\"]}",
                get("/api/v1/labels?match[]=http_requests_total", 200));
    }

    @Test
    void postFormWorksLikeGet() throws Exception {
        HttpResponse<String> response = running.send(HttpRequest.newBuilder(running.uri("/api/v1/series"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("match[]=" + q("up{instance=\"c\"}"))).build());
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("{\"status\":\"success\",\"data\":[{\"__name__\":\"up\",\"instance\":\"c\",\"job\":\"db\"}]}", response.body().strip());
    }

    static Stream<Arguments> errors() {
        return Stream.of(
                Arguments.of("series_without_match", "/api/v1/series", 400,
                        "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"no match[] parameter provided\"}"),
                Arguments.of("unclosed_braces", "/api/v1/series?match[]=" + q("up{"), 400,
                        "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"invalid parameter \\\"match[]\\\": 1:4: parse error: unexpected end of input inside braces\"}"),
                Arguments.of("only_empty_matchers", "/api/v1/series?match[]=" + q("{job=~\".*\"}"), 400,
                        "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"invalid parameter \\\"match[]\\\": 1:1: parse error: vector selector must contain at least one non-empty matcher\"}"),
                Arguments.of("bad_start", "/api/v1/labels?start=yesterday", 400,
                        "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"invalid parameter \\\"start\\\": cannot parse \\\"yesterday\\\" to a valid timestamp\"}"),
                Arguments.of("end_before_start", "/api/v1/series?match[]=up&start=20&end=10", 400,
                        "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"end timestamp must not be before start time\"}"),
                Arguments.of("invalid_label_name", "/api/v1/label/1x/values", 400,
                        "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"invalid label name: \\\"1x\\\"\"}"),
                Arguments.of("unknown_database", "/api/v1/labels?db=nope", 404,
                        "{\"status\":\"error\",\"errorType\":\"not_found\",\"error\":\"database not found: \\\"nope\\\"; create it first or leave out db= for the default database\"}"),
                Arguments.of("exemplars_without_query", "/api/v1/query_exemplars", 400,
                        "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"invalid parameter \\\"query\\\": empty query\"}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void errorsUsePrometheusEnvelope(String name, String pathAndQuery, int status, String expected) throws Exception {
        assertEquals(expected, get(pathAndQuery, status));
    }

    @Test
    void buildInfoAndExemplars() throws Exception {
        String info = get("/api/v1/status/buildinfo", 200);
        assertTrue(info.startsWith("{\"status\":\"success\",\"data\":{\"version\":\"2.42.0\","), info);
        assertEquals("{\"status\":\"success\",\"data\":[]}", get("/api/v1/query_exemplars?query=up", 200));
    }

    @Test
    void importStoresSamplesWithExtraLabelsAndKeepsMetadataAcrossRestarts() throws Exception {
        String text = """
                # HELP jobs_total Jobs run.
                # TYPE jobs_total counter
                jobs_total{queue="q1"} 7 1700000000000
                jobs_total{queue="q2"} NaN 1700000000000
                """;
        HttpResponse<String> response = running.post("/api/v1/import/prometheus?extra_label=env=test", text);
        assertEquals(204, response.statusCode(), response.body());
        assertEquals("{\"status\":\"success\",\"data\":[{\"__name__\":\"jobs_total\",\"env\":\"test\",\"queue\":\"q1\"},"
                + "{\"__name__\":\"jobs_total\",\"env\":\"test\",\"queue\":\"q2\"}]}", get("/api/v1/series?match[]=jobs_total", 200));
        String expected = "{\"status\":\"success\",\"data\":{\"jobs_total\":[{\"type\":\"counter\",\"help\":\"Jobs run.\",\"unit\":\"\"}]}}";
        assertEquals(expected, get("/api/v1/metadata", 200));
        assertEquals("{\"status\":\"success\",\"data\":{}}", get("/api/v1/metadata?metric=other", 200));

        running.close();
        running = RunningServer.start(dir);
        assertEquals(expected, get("/api/v1/metadata?metric=jobs_total", 200), "metadata is durable");
    }

    @Test
    void importReportsTheBadLineAndKeepsTheGoodOnes() throws Exception {
        HttpResponse<String> response = running.post("/api/v1/import/prometheus", "a 1 1000\nb{x=1} 2 1000\nc 3 1000\n");
        assertEquals(400, response.statusCode(), response.body());
        assertTrue(response.body().contains("line 2, column 5: expected '\\\"' to start the value of label \\\"x\\\""), response.body());
        assertEquals(1, running.pointCount(Databases.DEFAULT, "c"));
        HttpResponse<String> badLabel = running.post("/api/v1/import/prometheus?extra_label=nolabel", "a 1 1000\n");
        assertEquals(400, badLabel.statusCode(), badLabel.body());
        assertTrue(badLabel.body().contains("invalid extra_label \\\"nolabel\\\""), badLabel.body());
    }

    // ------------------------------------------------------------------------------ remote read

    private HttpResponse<byte[]> read(byte[] request) throws Exception {
        return running.client.send(HttpRequest.newBuilder(running.uri("/api/v1/read"))
                .header("Content-Type", "application/x-protobuf").header("Content-Encoding", "snappy")
                .POST(HttpRequest.BodyPublishers.ofByteArray(SnappyCompressor.compress(request))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private List<List<Series>> readOk(byte[] request) throws Exception {
        HttpResponse<byte[]> response = read(request);
        assertEquals(200, response.statusCode(), new String(response.body(), StandardCharsets.UTF_8));
        assertEquals("snappy", response.headers().firstValue("Content-Encoding").orElse(""));
        return ProtobufMessages.readResponse(Snappy.decompress(response.body(), 1 << 24));
    }

    private void remoteWriteStaleMarker() throws Exception {
        // Sample.value is fixed64: written raw here, not through the server's encoder.
        byte[] sample = new byte[] {0x09, 0x02, 0, 0, 0, 0, 0, (byte) 0xf0, 0x7f, 0x10};
        Message raw = new Message()
                .message(1, new Message().string(1, "__name__").string(2, "up"))
                .message(1, new Message().string(1, "instance").string(2, "a"))
                .message(1, new Message().string(1, "job").string(2, "api"))
                .bytes(2, concat(sample, varintBytes(T0 + 15_000)));
        HttpResponse<String> response = running.send(HttpRequest.newBuilder(running.uri("/api/v1/write"))
                .header("Content-Type", "application/x-protobuf").header("Content-Encoding", "snappy")
                .POST(HttpRequest.BodyPublishers.ofByteArray(SnappyCompressor.compress(new Message().message(1, raw).toByteArray())))
                .build());
        assertEquals(204, response.statusCode(), response.body());
    }

    private static byte[] varintBytes(long value) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        long v = value;
        while ((v & ~0x7fL) != 0) {
            out.write((int) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void remoteReadReturnsMatchingSeriesSortedWithStaleMarkersBitExact() throws Exception {
        remoteWriteStaleMarker();
        byte[] request = new Message().message(1, ProtobufMessages.query(T0, T0 + 60_000, 0, "__name__", "up", 0, "job", "api"))
                .toByteArray();
        List<List<Series>> results = readOk(request);
        assertEquals(1, results.size());
        List<Series> series = results.getFirst();
        assertEquals(2, series.size());
        assertEquals(Map.of("__name__", "up", "instance", "a", "job", "api"), series.get(0).labels());
        assertEquals(List.of("__name__", "instance", "job"), series.get(0).labelOrder(), "labels sorted by name");
        assertEquals(List.of(new Sample(T0, Double.doubleToRawLongBits(1.0)), new Sample(T0 + 15_000, STALE_MARKER)),
                series.get(0).samples());
        assertEquals("b", series.get(1).labels().get("instance"));
        assertEquals(List.of(new Sample(T0, Double.doubleToRawLongBits(0.0))), series.get(1).samples());
    }

    @Test
    void remoteReadHonoursTimeRangeRegexesAndSeveralQueries() throws Exception {
        byte[] request = new Message()
                .message(1, ProtobufMessages.query(T0 + 1, T0 + 60_000, 0, "__name__", "up"))
                .message(1, ProtobufMessages.query(T0, T0, 2, "__name__", "cpu_.*", 3, "host", "h[2-9]"))
                .message(1, ProtobufMessages.query(T0, T0, 2, "__name__", "cpu_usage_user", 1, "host", "h2"))
                .message(1, ProtobufMessages.query(T0, T0, 2, "job", "ap"))
                .toByteArray();
        List<List<Series>> results = readOk(request);
        assertEquals(4, results.size());
        assertEquals(1, results.get(0).size(), "only instance c has a sample after T0");
        assertEquals("c", results.get(0).getFirst().labels().get("instance"));
        assertEquals(List.of("cpu_usage_idle", "cpu_usage_user"), results.get(1).stream().map(s -> s.labels().get("__name__")).toList());
        assertEquals(List.of(new Sample(T0, Double.doubleToRawLongBits(10.0))), results.get(2).getFirst().samples(),
                "integer field read as float");
        assertEquals(List.of(), results.get(3), "anchored: job=~\"ap\" matches no series");
    }

    @Test
    void remoteReadStreamsXorChunkFramesWhenTheClientPrefersThem() throws Exception {
        byte[] request = new Message().message(1, ProtobufMessages.query(T0, T0 + 60_000, 0, "__name__", "up"))
                .varint(2, 1).varint(2, 0).toByteArray();
        HttpResponse<byte[]> response = read(request);
        assertEquals(200, response.statusCode(), new String(response.body(), StandardCharsets.UTF_8));
        assertEquals("application/x-streamed-protobuf; proto=prometheus.ChunkedReadResponse",
                response.headers().firstValue("Content-Type").orElse(""));
        List<ProtobufMessages.Frame> frames = ProtobufMessages.readFrames(response.body());
        assertEquals(List.of("a", "b", "c"), frames.stream().map(f -> f.labels().get("instance")).toList(), "sorted series, one frame each");
        ProtobufMessages.Frame c = frames.get(2);
        assertEquals(0, c.queryIndex());
        assertEquals(1, c.chunks().size());
        assertArrayEquals(new long[] {T0 + 60_000, T0 + 60_000, 1, 1}, c.chunks().getFirst(),
                "min time, max time, encoding XOR, sample count");
    }

    @Test
    void remoteReadRefusesWhatItCannotAnswer() throws Exception {
        HttpResponse<byte[]> broken = running.client.send(HttpRequest.newBuilder(running.uri("/api/v1/read"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {5, 1, 2})).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(400, broken.statusCode());
        assertTrue(new String(broken.body(), StandardCharsets.UTF_8).startsWith("malformed remote read body: snappy"));

        byte[] badRegex = new Message().message(1, ProtobufMessages.query(T0, T0, 2, "job", "(")).toByteArray();
        HttpResponse<byte[]> regex = read(badRegex);
        assertEquals(400, regex.statusCode());
        assertTrue(new String(regex.body(), StandardCharsets.UTF_8).contains("invalid regular expression \"(\""));
    }

    @Test
    void remoteReadOverTheSampleLimitIsRefusedWhole() throws IOException {
        RemoteReader reader = new RemoteReader(2, 100, 1 << 20);
        byte[] request = new Message().message(1, ProtobufMessages.query(T0, T0 + 60_000, 0, "__name__", "up")).toByteArray();
        RemoteReader.Answer answer = reader.read(running.databases.get(Databases.DEFAULT), SnappyCompressor.compress(request),
                frame -> fail("nothing is streamed"));
        assertEquals(413, answer.status());
        assertEquals("remote read exceeds the limit of 2 samples per request; narrow the query's matchers or time range", answer.error());
        assertArrayEquals(new byte[0], answer.body());
        RemoteReader fewSeries = new RemoteReader(100, 1, 1 << 20);
        byte[] streamed = new Message().message(1, ProtobufMessages.query(T0, T0 + 60_000, 0, "__name__", "up")).varint(2, 1)
                .toByteArray();
        assertEquals(413, fewSeries.read(running.databases.get(Databases.DEFAULT), SnappyCompressor.compress(streamed),
                frame -> fail("a refused streamed answer writes no frame")).status());
    }
}
