package io.sundial.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** /query and /api/v1/sql against a real server on a free port. */
class HttpQueryTest {
    /** 2023-11-14T22:13:20Z. */
    private static final long T0 = 1_700_000_000_000_000_000L;

    @TempDir
    Path dir;
    RunningServer running;

    @BeforeEach
    void start() throws Exception {
        running = RunningServer.start(dir);
        String lines = "cpu,host=a usage=1,n=3i " + T0 + "\n"
                + "cpu,host=a usage=2.5,n=4i " + (T0 + 10_000_000_000L) + "\n"
                + "cpu,host=b usage=0.25,n=5i " + (T0 + 1_500_000_000L) + "\n"
                + "mem,host=a free=7i " + T0 + "\n";
        assertEquals(204, running.post("/write?db=sundial", lines).statusCode());
    }

    @AfterEach
    void stop() throws IOException {
        running.close();
    }

    private HttpResponse<String> query(String q, String more) throws Exception {
        return running.get("/query?db=sundial&q=" + URLEncoder.encode(q, StandardCharsets.UTF_8) + more);
    }

    private HttpResponse<String> postForm(String form, String accept) throws Exception {
        return running.send(HttpRequest.newBuilder(running.uri("/query"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", accept)
                .POST(HttpRequest.BodyPublishers.ofString(form)).build());
    }

    private static String form(String q) {
        return "db=sundial&q=" + URLEncoder.encode(q, StandardCharsets.UTF_8);
    }

    @Test
    void rawSelectAnswersInfluxShapeWithRfc3339Times() throws Exception {
        HttpResponse<String> response = query("SELECT usage, n FROM cpu WHERE host = 'a'", "");
        assertEquals(200, response.statusCode());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("{\"results\":[{\"statement_id\":0,\"series\":[{\"name\":\"cpu\",\"columns\":[\"time\",\"usage\",\"n\"],"
                + "\"values\":[[\"2023-11-14T22:13:20Z\",1,3],[\"2023-11-14T22:13:30Z\",2.5,4]]}]}]}\n", response.body());
    }

    @Test
    void aggregateGroupByTimeFillNullAndTags() throws Exception {
        HttpResponse<String> response = query("SELECT mean(usage) FROM cpu WHERE time >= " + T0 + " AND time < "
                + (T0 + 20_000_000_000L) + " GROUP BY time(10s), host fill(null)", "&epoch=s");
        assertEquals(200, response.statusCode());
        assertEquals("{\"results\":[{\"statement_id\":0,\"series\":["
                + "{\"name\":\"cpu\",\"tags\":{\"host\":\"a\"},\"columns\":[\"time\",\"mean\"],\"values\":[[1700000000,1],[1700000010,2.5]]},"
                + "{\"name\":\"cpu\",\"tags\":{\"host\":\"b\"},\"columns\":[\"time\",\"mean\"],\"values\":[[1700000000,0.25],[1700000010,null]]}"
                + "]}]}\n", response.body());
    }

    static Stream<Arguments> epochs() {
        return Stream.of(
                Arguments.of("rfc3339_default", "", "\"2023-11-14T22:13:21.5Z\""),
                Arguments.of("hours", "&epoch=h", "472222"),
                Arguments.of("minutes", "&epoch=m", "28333333"),
                Arguments.of("seconds", "&epoch=s", "1700000001"),
                Arguments.of("milliseconds", "&epoch=ms", "1700000001500"),
                Arguments.of("microseconds", "&epoch=u", "1700000001500000"),
                Arguments.of("nanoseconds", "&epoch=ns", "1700000001500000000"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("epochs")
    void epochParameterChoosesTheTimeSpelling(String name, String parameter, String time) throws Exception {
        HttpResponse<String> response = query("SELECT usage FROM cpu WHERE host = 'b'", parameter);
        assertEquals(200, response.statusCode());
        assertTrue(response.body().contains("\"values\":[[" + time + ",0.25]]"), response.body());
    }

    @Test
    void unknownEpochIsRefused() throws Exception {
        HttpResponse<String> response = query("SELECT usage FROM cpu", "&epoch=fortnight");
        assertEquals(400, response.statusCode());
        assertTrue(response.body().contains("epoch 'fortnight' is not a time unit"), response.body());
    }

    @Test
    void showStatementsAnswerInfluxShapes() throws Exception {
        HttpResponse<String> response = query("SHOW MEASUREMENTS; SHOW TAG KEYS FROM cpu; SHOW FIELD KEYS FROM cpu", "");
        assertEquals(200, response.statusCode());
        assertEquals("{\"results\":["
                + "{\"statement_id\":0,\"series\":[{\"name\":\"measurements\",\"columns\":[\"name\"],\"values\":[[\"cpu\"],[\"mem\"]]}]},"
                + "{\"statement_id\":1,\"series\":[{\"name\":\"cpu\",\"columns\":[\"tagKey\"],\"values\":[[\"host\"]]}]},"
                + "{\"statement_id\":2,\"series\":[{\"name\":\"cpu\",\"columns\":[\"fieldKey\",\"fieldType\"],"
                + "\"values\":[[\"n\",\"integer\"],[\"usage\",\"float\"]]}]}]}\n", response.body());
    }

    @Test
    void oneFailingStatementDoesNotStopTheOthers() throws Exception {
        HttpResponse<String> response = query("SELECT n FROM mem; SELECT nope(usage) FROM cpu; SELECT free FROM mem", "&epoch=ns");
        assertEquals(200, response.statusCode());
        String body = response.body();
        assertTrue(body.startsWith("{\"results\":[{\"statement_id\":0}"), body);
        assertTrue(body.contains("{\"statement_id\":1,\"error\":\""), body);
        assertTrue(body.contains("{\"statement_id\":2,\"series\":[{\"name\":\"mem\",\"columns\":[\"time\",\"free\"],\"values\":[["
                + T0 + ",7]]}]}"), body);
    }

    @Test
    void parseErrorIs400WithPosition() throws Exception {
        HttpResponse<String> response = query("SELECT usage FORM cpu", "");
        assertEquals(400, response.statusCode());
        assertTrue(response.body().startsWith("{\"error\":\"error parsing query: line 1, column 14: "), response.body());
    }

    @Test
    void missingQueryIs400() throws Exception {
        HttpResponse<String> response = running.get("/query?db=sundial");
        assertEquals(400, response.statusCode());
        assertEquals("{\"error\":\"missing required parameter \\\"q\\\"\"}\n", response.body());
        assertEquals(405, running.send(HttpRequest.newBuilder(running.uri("/query?q=x"))
                .DELETE().build()).statusCode());
    }

    @Test
    void formBodyPostAndDataChangingStatementsOverGetWarnAsInfluxDoes() throws Exception {
        HttpResponse<String> posted = postForm(form("CREATE DATABASE posted"), "application/json");
        assertEquals(200, posted.statusCode());
        assertEquals("{\"results\":[{\"statement_id\":0}]}\n", posted.body());
        HttpResponse<String> got = query("CREATE DATABASE viaget", "");
        assertEquals(200, got.statusCode());
        assertEquals("{\"results\":[{\"statement_id\":0,\"messages\":[{\"level\":\"warning\",\"text\":\"deprecated use of "
                + "'CREATE DATABASE viaget' in a read only context, please use a POST request instead\"}]}]}\n", got.body());
        assertTrue(running.databases.names().containsAll(java.util.List.of("posted", "viaget")), running.databases.names().toString());
        HttpResponse<String> select = postForm(form("SELECT free FROM mem"), "application/json");
        assertTrue(select.body().contains("\"values\":[[\"2023-11-14T22:13:20Z\",7]]"), select.body());
    }

    @Test
    void chunkedAnswersOneDocumentPerChunk() throws Exception {
        HttpResponse<String> response = query("SELECT usage FROM cpu GROUP BY host; SELECT nope FROM", "&chunked=true&chunk_size=1&epoch=s");
        assertEquals(400, response.statusCode(), "a parse error anywhere fails the whole request before anything runs");
        response = query("SELECT usage FROM cpu GROUP BY host; SHOW MEASUREMENTS", "&chunked=true&chunk_size=1&epoch=s");
        assertEquals(200, response.statusCode());
        String[] lines = response.body().split("\n");
        assertEquals(5, lines.length, response.body());
        assertEquals("{\"results\":[{\"statement_id\":0,\"series\":[{\"name\":\"cpu\",\"tags\":{\"host\":\"a\"},"
                + "\"columns\":[\"time\",\"usage\"],\"values\":[[1700000000,1]],\"partial\":true}],\"partial\":true}]}", lines[0]);
        assertEquals("{\"results\":[{\"statement_id\":0,\"series\":[{\"name\":\"cpu\",\"tags\":{\"host\":\"a\"},"
                + "\"columns\":[\"time\",\"usage\"],\"values\":[[1700000010,2.5]]}],\"partial\":true}]}", lines[1]);
        assertEquals("{\"results\":[{\"statement_id\":0,\"series\":[{\"name\":\"cpu\",\"tags\":{\"host\":\"b\"},"
                + "\"columns\":[\"time\",\"usage\"],\"values\":[[1700000001,0.25]]}]}]}", lines[2]);
        assertEquals("{\"results\":[{\"statement_id\":1,\"series\":[{\"name\":\"measurements\",\"columns\":[\"name\"],"
                + "\"values\":[[\"cpu\"]],\"partial\":true}],\"partial\":true}]}", lines[3]);
        assertEquals("{\"results\":[{\"statement_id\":1,\"series\":[{\"name\":\"measurements\",\"columns\":[\"name\"],"
                + "\"values\":[[\"mem\"]]}]}]}", lines[4]);
    }

    @Test
    void largeAnswerStreamsWithTheSameBytesAndSmallOneKeepsItsLength() throws Exception {
        int points = 6_000; // about 190 KB of JSON: more than one streamed piece (64 Ki chars)
        StringBuilder lines = new StringBuilder();
        StringBuilder expected = new StringBuilder("{\"results\":[{\"statement_id\":0,\"series\":[{\"name\":\"big\","
                + "\"columns\":[\"time\",\"v\"],\"values\":[");
        for (int i = 0; i < points; i++) {
            long time = T0 + i * 1_000_000_000L;
            lines.append("big v=").append(i).append(".5 ").append(time).append('\n');
            expected.append(i == 0 ? "" : ",").append('[').append(time).append(',').append(i).append(".5]");
        }
        expected.append("]}]}]}\n");
        assertEquals(204, running.post("/write?db=sundial", lines.toString()).statusCode());
        HttpResponse<String> big = query("SELECT v FROM big", "&epoch=ns");
        assertEquals(200, big.statusCode());
        assertEquals(expected.toString(), big.body());
        assertTrue(big.headers().firstValue("Content-Length").isEmpty(), "a large answer is streamed, not sized first");
        HttpResponse<String> small = query("SELECT usage FROM cpu WHERE host = 'b'", "&epoch=s");
        assertEquals("{\"results\":[{\"statement_id\":0,\"series\":[{\"name\":\"cpu\",\"columns\":[\"time\",\"usage\"],"
                + "\"values\":[[1700000001,0.25]]}]}]}\n", small.body());
        assertEquals(String.valueOf(small.body().length()), small.headers().firstValue("Content-Length").orElse("none"));
    }

    @Test
    void csvAnswerHasInfluxColumns() throws Exception {
        HttpResponse<String> response = postForm(form("SELECT usage FROM cpu GROUP BY host; SHOW MEASUREMENTS"), "application/csv");
        assertEquals(200, response.statusCode());
        assertEquals("text/csv", response.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("name,tags,time,usage\n"
                + "cpu,host=a," + T0 + ",1\n"
                + "cpu,host=a," + (T0 + 10_000_000_000L) + ",2.5\n"
                + "cpu,host=b," + (T0 + 1_500_000_000L) + ",0.25\n"
                + "\n"
                + "name,tags,name\n"
                + "measurements,,cpu\n"
                + "measurements,,mem\n", response.body());
    }

    @Test
    void prettyIndentsLikeGo() throws Exception {
        HttpResponse<String> response = query("SELECT free FROM mem", "&pretty=true&epoch=s");
        assertEquals("{\n    \"results\": [\n        {\n            \"statement_id\": 0,\n            \"series\": [\n"
                + "                {\n                    \"name\": \"mem\",\n                    \"columns\": [\n"
                + "                        \"time\",\n                        \"free\"\n                    ],\n"
                + "                    \"values\": [\n                        [\n                            1700000000,\n"
                + "                            7\n                        ]\n                    ]\n                }\n"
                + "            ]\n        }\n    ]\n}\n", response.body());
    }

    @Test
    void timeLimitFailsTheStatementsPastIt() throws Exception {
        running.close();
        running = RunningServer.start(dir.resolve("slow"), o -> o.withQueryTimeout(Duration.ofNanos(1)));
        HttpResponse<String> response = running.get("/query?q=SHOW+DATABASES");
        assertEquals(200, response.statusCode());
        assertTrue(response.body().contains("\"error\":\"query-timeout limit exceeded"), response.body());
    }

    @Test
    void queryMetricsCountRequestsByStatus() throws Exception {
        query("SHOW MEASUREMENTS", "");
        query("SELECT FROM", "");
        // The second query is counted after its response went out: wait until it is.
        String page = Eventually.observe(() -> running.get("/metrics").body(),
                p -> p.contains("sundial_query_duration_seconds_count{api=\"v1\"} 2"));
        assertTrue(page.contains("sundial_query_requests_total{api=\"v1\",status=\"200\"} 1"), page);
        assertTrue(page.contains("sundial_query_requests_total{api=\"v1\",status=\"400\"} 1"), page);
        assertTrue(page.contains("sundial_query_duration_seconds_count{api=\"v1\"} 2"), page);
    }

    private HttpResponse<String> sql(String body, String contentType, String accept) throws Exception {
        return running.send(HttpRequest.newBuilder(running.uri("/api/v1/sql"))
                .header("Content-Type", contentType).header("Accept", accept)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    @Test
    void nativeSqlAnswersColumnarJson() throws Exception {
        HttpResponse<String> response = sql("SELECT usage FROM cpu WHERE host = 'a'; SELECT nope(x) FROM cpu", "text/plain",
                "application/json");
        assertEquals(200, response.statusCode());
        String body = response.body();
        assertTrue(body.startsWith("{\"statements\":[{\"id\":0,\"series\":[{\"name\":\"cpu\",\"tags\":{},\"columns\":[\"time\",\"usage\"],"
                + "\"data\":[[" + T0 + "," + (T0 + 10_000_000_000L) + "],[1,2.5]],\"partial\":false}]},"
                + "{\"id\":1,\"error\":{\"code\":\"query_error\",\"message\":\""), body);
        assertTrue(body.contains("],\"elapsed_ms\":"), body);
        HttpResponse<String> json = sql("{\"query\":\"SELECT free FROM mem\",\"db\":\"sundial\"}", "application/json",
                "application/json");
        assertTrue(json.body().contains("\"data\":[[" + T0 + "],[7]]"), json.body());
    }

    @Test
    void nativeSqlAnswersCsvAndPositionedErrors() throws Exception {
        HttpResponse<String> csv = sql("SELECT free FROM mem", "text/plain", "text/csv");
        assertEquals("name,tags,time,free\nmem,," + T0 + ",7\n", csv.body());
        HttpResponse<String> error = sql("SELECT free\nFROM", "text/plain", "application/json");
        assertEquals(400, error.statusCode());
        assertTrue(error.body().matches("\\{\"code\":\"parse_error\",\"message\":\"line 2, column 5: [^\"]*\",\"line\":2,\"column\":5}\n"),
                error.body());
        HttpResponse<String> empty = sql("", "text/plain", "application/json");
        assertEquals(400, empty.statusCode());
        assertTrue(empty.body().startsWith("{\"code\":\"invalid_request\",\"message\":\"the query is empty"), empty.body());
        HttpResponse<String> badJson = sql("{\"query\": 1}", "application/json", "application/json");
        assertEquals(400, badJson.statusCode(), badJson.body());
        assertEquals(405, running.get("/api/v1/sql").statusCode());
        HttpResponse<String> brotli = running.send(HttpRequest.newBuilder(running.uri("/api/v1/sql"))
                .header("Content-Encoding", "br").POST(HttpRequest.BodyPublishers.ofString("SHOW DATABASES")).build());
        assertEquals(415, brotli.statusCode(), brotli.body());
    }
}
