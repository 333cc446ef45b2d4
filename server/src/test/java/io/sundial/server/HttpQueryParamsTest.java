package io.sundial.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bound parameters of /query: {@code params=} JSON, as InfluxDB 1.x takes it. */
class HttpQueryParamsTest {
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
                + "cpu,host=b usage=0.25,n=5i " + (T0 + 1_500_000_000L) + "\n";
        assertEquals(204, running.post("/write?db=sundial", lines).statusCode());
    }

    @AfterEach
    void stop() throws IOException {
        running.close();
    }

    private HttpResponse<String> query(String q, String params) throws Exception {
        return running.get("/query?db=sundial&epoch=s&q=" + URLEncoder.encode(q, StandardCharsets.UTF_8) + "&params="
                + URLEncoder.encode(params, StandardCharsets.UTF_8));
    }

    static Stream<Arguments> bound() {
        String a = "{\"results\":[{\"statement_id\":0,\"series\":[{\"name\":\"cpu\",\"columns\":[\"time\",\"usage\"],"
                + "\"values\":[[1700000000,1],[1700000010,2.5]]}]}]}\n";
        String onlyB = "{\"results\":[{\"statement_id\":0,\"series\":[{\"name\":\"cpu\",\"columns\":[\"time\",\"usage\"],"
                + "\"values\":[[1700000001,0.25]]}]}]}\n";
        return Stream.of(
                Arguments.of("string", "SELECT usage FROM cpu WHERE host = $host", "{\"host\":\"a\"}", a),
                Arguments.of("integer", "SELECT usage FROM cpu WHERE n >= $n", "{\"n\":5}", onlyB),
                Arguments.of("float", "SELECT usage FROM cpu WHERE usage < $limit", "{\"limit\":0.5}", onlyB),
                Arguments.of("quoted name", "SELECT usage FROM cpu WHERE host = $\"the host\"", "{\"the host\":\"b\"}",
                        onlyB),
                Arguments.of("typed regex", "SELECT usage FROM cpu WHERE host =~ $pattern",
                        "{\"pattern\":{\"regex\":\"^a$\"}}", a),
                Arguments.of("typed identifier", "SELECT usage FROM cpu WHERE $column = 'b'",
                        "{\"column\":{\"identifier\":\"host\"}}", onlyB),
                Arguments.of("time as string", "SELECT usage FROM cpu WHERE time > $start",
                        "{\"start\":\"2023-11-14T22:13:21Z\"}",
                        "{\"results\":[{\"statement_id\":0,\"series\":[{\"name\":\"cpu\",\"columns\":[\"time\",\"usage\"],"
                                + "\"values\":[[1700000001,0.25],[1700000010,2.5]]}]}]}\n"),
                Arguments.of("a value is never syntax", "SELECT usage FROM cpu WHERE host = $host",
                        "{\"host\":\"a' OR host = 'b\"}", "{\"results\":[{\"statement_id\":0}]}\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bound")
    void parametersAreSubstitutedAsLiterals(String name, String q, String params, String expected) throws Exception {
        HttpResponse<String> response = query(q, params);
        assertEquals(200, response.statusCode(), response.body());
        assertEquals(expected, response.body());
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of("missing", "SELECT usage FROM cpu WHERE host = $host", "{\"other\":\"a\"}",
                        "{\"error\":\"error parsing query: missing parameter: host (line 1, column 36); send it in params,"
                                + " e.g. params={\\\"host\\\": ...}\"}\n"),
                Arguments.of("not an object", "SELECT usage FROM cpu WHERE host = $host", "[1]",
                        "{\"error\":\"error parsing query: params must be a JSON object such as {\\\"host\\\":\\\"a\\\"}\"}\n"),
                Arguments.of("bad JSON", "SELECT usage FROM cpu WHERE host = $host", "{\"host\":",
                        null),
                Arguments.of("array value", "SELECT usage FROM cpu WHERE host = $host", "{\"host\":[1]}",
                        "{\"error\":\"error parsing query: params: the value of host must be a string, number, boolean"
                                + " or a typed value such as {\\\"duration\\\":\\\"5m\\\"}\"}\n"),
                Arguments.of("bad duration", "SELECT usage FROM cpu WHERE time > now() - $d", "{\"d\":{\"duration\":\"5x\"}}",
                        "{\"error\":\"error parsing query: invalid value for parameter d: expected a duration such as"
                                + " \\\"5m\\\" or a number of nanoseconds, got 5x\"}\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void badParametersFailTheWholeQueryWith400(String name, String q, String params, String expected) throws Exception {
        HttpResponse<String> response = query(q, params);
        assertEquals(400, response.statusCode(), response.body());
        if (expected != null) {
            assertEquals(expected, response.body());
        }
    }

    @Test
    void paramsInAFormBody() throws Exception {
        String form = "db=sundial&epoch=s&q=" + URLEncoder.encode("SELECT usage FROM cpu WHERE host = $h", StandardCharsets.UTF_8)
                + "&params=" + URLEncoder.encode("{\"h\":\"b\"}", StandardCharsets.UTF_8);
        HttpResponse<String> response = running.send(HttpRequest.newBuilder(running.uri("/query"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build());
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("{\"results\":[{\"statement_id\":0,\"series\":[{\"name\":\"cpu\",\"columns\":[\"time\",\"usage\"],"
                + "\"values\":[[1700000001,0.25]]}]}]}\n", response.body());
    }

    @Test
    void aParameterLeftUnboundWithoutParamsFailsItsStatement() throws Exception {
        HttpResponse<String> response = running.get("/query?db=sundial&q="
                + URLEncoder.encode("SELECT usage FROM cpu WHERE host = $host", StandardCharsets.UTF_8));
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("{\"results\":[{\"statement_id\":0,\"error\":\"missing parameter: host (line 1, column 36); send it in"
                + " params, e.g. params={\\\"host\\\": ...}\"}]}\n", response.body());
    }
}
