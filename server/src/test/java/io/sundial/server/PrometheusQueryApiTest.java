package io.sundial.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

/**
 * {@code /api/v1/query} and {@code /api/v1/query_range} answer Prometheus 2.42's JSON byte for
 * byte. The expected error texts were taken from a running Prometheus 2.42.0 with the same
 * requests; the values are computed by hand in the comments.
 */
class PrometheusQueryApiTest {
    /** 2023-11-14T22:13:20Z. */
    private static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path dir;
    RunningServer running;

    @BeforeEach
    void start() throws Exception {
        running = RunningServer.start(dir);
        StringBuilder lines = new StringBuilder();
        lines.append("up,job=api,instance=a value=1 ").append(T0).append('\n');
        lines.append("up,job=db,instance=c value=0 ").append(T0).append('\n');
        // A counter growing by 15 every 15 s: 0, 15, ..., 60 from T0 to T0 + 60 s.
        for (int i = 0; i <= 4; i++) {
            lines.append("req,job=api value=").append(15 * i).append(' ').append(T0 + 15_000L * i).append('\n');
        }
        HttpResponse<String> written = running.post("/write?precision=ms", lines.toString());
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

    static Stream<Arguments> answers() {
        return Stream.of(
                Arguments.of("instant_vector_keeps_the_name", "/api/v1/query?query=" + q("up{job=\"api\"}") + "&time=1700000000.5",
                        "{\"resultType\":\"vector\",\"result\":[{\"metric\":{\"__name__\":\"up\",\"instance\":\"a\",\"job\":\"api\"},"
                                + "\"value\":[1700000000.5,\"1\"]}]}"),
                Arguments.of("scalar", "/api/v1/query?query=" + q("1+1") + "&time=1700000000.5",
                        "{\"resultType\":\"scalar\",\"result\":[1700000000.5,\"2\"]}"),
                Arguments.of("string_with_milliseconds", "/api/v1/query?query=" + q("\"hi\"") + "&time=1.001",
                        "{\"resultType\":\"string\",\"result\":[1.001,\"hi\"]}"),
                Arguments.of("rfc3339_time_truncated_to_milliseconds", "/api/v1/query?query=vector(1)&time=2023-01-01T00:00:00.123456Z",
                        "{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":[1672531200.123,\"1\"]}]}"),
                Arguments.of("fraction_rounded_to_milliseconds", "/api/v1/query?query=1&time=1.0005",
                        "{\"resultType\":\"scalar\",\"result\":[1,\"1\"]}"),
                Arguments.of("negative_time", "/api/v1/query?query=time()&time=-1.5",
                        "{\"resultType\":\"scalar\",\"result\":[-1.5,\"-1.5\"]}"),
                Arguments.of("exponent_time_and_two_digit_fraction", "/api/v1/query?query=time()&time=1.2e1",
                        "{\"resultType\":\"scalar\",\"result\":[12,\"12\"]}"),
                Arguments.of("fraction_with_inner_zero", "/api/v1/query?query=1&time=1700000000.05",
                        "{\"resultType\":\"scalar\",\"result\":[1700000000.05,\"1\"]}"),
                Arguments.of("empty_vector", "/api/v1/query?query=nothing&time=1700000000",
                        "{\"resultType\":\"vector\",\"result\":[]}"),
                // req[30s] at T0 + 30 s: the samples at T0, T0 + 15 s and T0 + 30 s (both ends included in 2.x).
                Arguments.of("range_vector_from_an_instant_query", "/api/v1/query?query=" + q("req[30s]") + "&time=1700000030",
                        "{\"resultType\":\"matrix\",\"result\":[{\"metric\":{\"__name__\":\"req\",\"job\":\"api\"},"
                                + "\"values\":[[1700000000,\"0\"],[1700000015,\"15\"],[1700000030,\"30\"]]}]}"),
                // At T0 + 60 s: 60 over 60 s, first and last sample on the window ends: rate 1. At T0 + 90 s:
                // 30 over 30 s sampled, the end 30 s away (> 1.1 * 15 s) extends by 7.5 s: 37.5 / 60 = 0.625.
                Arguments.of("rate_range_query", "/api/v1/query_range?query=" + q("rate(req[1m])")
                                + "&start=1700000060&end=1700000090&step=30s",
                        "{\"resultType\":\"matrix\",\"result\":[{\"metric\":{\"job\":\"api\"},"
                                + "\"values\":[[1700000060,\"1\"],[1700000090,\"0.625\"]]}]}"),
                Arguments.of("sum_by_sorted_by_labels", "/api/v1/query_range?query=" + q("sum by (job) (up)")
                                + "&start=2023-11-14T22:13:20Z&end=1700000060&step=60",
                        "{\"resultType\":\"matrix\",\"result\":[{\"metric\":{\"job\":\"api\"},\"values\":[[1700000000,\"1\"],[1700000060,\"1\"]]},"
                                + "{\"metric\":{\"job\":\"db\"},\"values\":[[1700000000,\"0\"],[1700000060,\"0\"]]}]}"),
                Arguments.of("scalar_range_query", "/api/v1/query_range?query=time()&start=0&end=2&step=1",
                        "{\"resultType\":\"matrix\",\"result\":[{\"metric\":{},\"values\":[[0,\"0\"],[1,\"1\"],[2,\"2\"]]}]}"),
                Arguments.of("eleven_thousand_and_one_points_pass", "/api/v1/query_range?query=up&start=0&end=11000&step=1",
                        "{\"resultType\":\"matrix\",\"result\":[]}"),
                Arguments.of("special_values", "/api/v1/query?query=" + q("vector(1/0) or label_replace(vector(0/0), \"n\", \"1\", \"\", \"\")")
                                + "&time=10",
                        "{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":[10,\"+Inf\"]},{\"metric\":{\"n\":\"1\"},\"value\":[10,\"NaN\"]}]}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("answers")
    void answersAsPrometheusDoes(String name, String pathAndQuery, String data) throws Exception {
        assertEquals("{\"status\":\"success\",\"data\":" + data + "}", get(pathAndQuery, 200));
    }

    static Stream<Arguments> errors() {
        return Stream.of(
                Arguments.of("instant_parse_error", "/api/v1/query?query=" + q("up{") + "&time=1", 400, "bad_data",
                        "invalid parameter \\\"query\\\": 1:4: parse error: unexpected end of input inside braces"),
                Arguments.of("empty_query", "/api/v1/query?query=", 400, "bad_data",
                        "invalid parameter \\\"query\\\": 1:1: parse error: no expression found in input"),
                Arguments.of("range_parse_error_has_no_prefix", "/api/v1/query_range?query=" + q("up{") + "&start=0&end=10&step=1", 400,
                        "bad_data", "1:4: parse error: unexpected end of input inside braces"),
                Arguments.of("bad_time", "/api/v1/query?query=1&time=abc", 400, "bad_data",
                        "invalid parameter \\\"time\\\": Invalid time value for 'time': cannot parse \\\"abc\\\" to a valid timestamp"),
                Arguments.of("time_without_a_millisecond_value", "/api/v1/query?query=1&time=1e300", 400, "bad_data",
                        "invalid parameter \\\"time\\\": Invalid time value for 'time': cannot parse \\\"1e300\\\" to a valid timestamp"),
                Arguments.of("far_apart_times", "/api/v1/query_range?query=up&start=-9000000000000000&end=9000000000000000&step=1y", 400,
                        "bad_data", "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)"),
                Arguments.of("missing_start", "/api/v1/query_range?query=up&end=10&step=1", 400, "bad_data",
                        "invalid parameter \\\"start\\\": cannot parse \\\"\\\" to a valid timestamp"),
                Arguments.of("end_before_start", "/api/v1/query_range?query=up&start=10&end=0&step=1", 400, "bad_data",
                        "invalid parameter \\\"end\\\": end timestamp must not be before start time"),
                Arguments.of("bad_step", "/api/v1/query_range?query=up&start=0&end=10&step=abc", 400, "bad_data",
                        "invalid parameter \\\"step\\\": cannot parse \\\"abc\\\" to a valid duration"),
                Arguments.of("zero_step", "/api/v1/query_range?query=up&start=0&end=10&step=0", 400, "bad_data",
                        "invalid parameter \\\"step\\\": zero or negative query resolution step widths are not accepted. Try a positive integer"),
                Arguments.of("too_many_points", "/api/v1/query_range?query=up&start=0&end=11001&step=1", 400, "bad_data",
                        "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)"),
                Arguments.of("range_of_a_range_vector", "/api/v1/query_range?query=" + q("up[5m]") + "&start=0&end=60&step=15", 400,
                        "bad_data", "invalid expression type \\\"range vector\\\" for range query, must be Scalar or instant Vector"),
                Arguments.of("bad_timeout", "/api/v1/query?query=up&timeout=1ns", 400, "bad_data",
                        "invalid parameter \\\"timeout\\\": cannot parse \\\"1ns\\\" to a valid duration"),
                Arguments.of("execution_error", "/api/v1/query?query=" + q("label_replace(vector(1),\"a\",\"b\",\"c\",\"(\")") + "&time=1",
                        422, "execution", "invalid regular expression in label_replace(): ("),
                Arguments.of("timeout", "/api/v1/query_range?query=" + q("rate(req[1m])") + "&start=1700000000&end=1700000090&step=15"
                        + "&timeout=0.000000001", 503, "timeout", "query timed out in expression evaluation"),
                Arguments.of("step_below_a_millisecond", "/api/v1/query_range?query=1&start=0&end=0&step=0.0001", 422, "execution",
                        "query resolution step 0.0001 is below one millisecond, the finest step PromQL evaluates; use step=0.001 or more"),
                Arguments.of("unknown_database", "/api/v1/query?query=1&db=nope", 404, "not_found",
                        "database not found: \\\"nope\\\"; create it first or leave out db= for the default database"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void errorsAsPrometheusWordsThem(String name, String pathAndQuery, int status, String type, String message) throws Exception {
        assertEquals("{\"status\":\"error\",\"errorType\":\"" + type + "\",\"error\":\"" + message + "\"}", get(pathAndQuery, status));
    }

    @Test
    void postFormWorksLikeGet() throws Exception {
        HttpResponse<String> response = running.send(HttpRequest.newBuilder(running.uri("/api/v1/query_range?step=60"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("query=" + q("sum(up)") + "&start=1700000000&end=1700000060")).build());
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{},"
                + "\"values\":[[1700000000,\"1\"],[1700000060,\"1\"]]}]}}", response.body().strip());
    }

    @Test
    void malformedFormBodyIsBadData() throws Exception {
        HttpResponse<String> response = running.send(HttpRequest.newBuilder(running.uri("/api/v1/series"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("match%5B%5D=up&db=%zz")).build());
        assertEquals(400, response.statusCode(), response.body());
        assertTrue(response.body().startsWith("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"cannot read the form body: "),
                response.body());
    }

    /** The requests Grafana's Prometheus data source sends (save &amp; test, feature detection, autocomplete, panels). */
    static Stream<Arguments> grafana() {
        String range = "&start=1699999700&end=1700000300";
        return Stream.of(
                Arguments.of("save_and_test", "GET", "/api/v1/query", "query=1%2B1&time=1700000000.123",
                        "{\"resultType\":\"scalar\",\"result\":[1700000000.123,\"2\"]}"),
                Arguments.of("buildinfo", "GET", "/api/v1/status/buildinfo", "",
                        "{\"version\":\"2.42.0\",\"revision\":\"sundial\",\"branch\":\"sundial\",\"buildUser\":\"sundial\","
                                + "\"buildDate\":\"\",\"goVersion\":\"\",\"application\":\"sundial\",\"sundialVersion\":\"" + "VERSION\"}"),
                Arguments.of("metric_names", "GET", "/api/v1/label/__name__/values", range.substring(1),
                        "[\"req\",\"up\"]"),
                Arguments.of("label_names", "POST", "/api/v1/labels", range.substring(1),
                        "[\"__name__\",\"instance\",\"job\"]"),
                Arguments.of("label_names_of_a_metric", "POST", "/api/v1/labels", "match%5B%5D=req" + range,
                        "[\"__name__\",\"job\"]"),
                Arguments.of("label_values_of_a_metric", "GET", "/api/v1/label/instance/values", "match%5B%5D=" + q("up{job=\"api\"}") + range,
                        "[\"a\"]"),
                Arguments.of("metrics_browser_series", "POST", "/api/v1/series", "match%5B%5D=" + q("{__name__=\"up\"}") + range,
                        "[{\"__name__\":\"up\",\"instance\":\"a\",\"job\":\"api\"},{\"__name__\":\"up\",\"instance\":\"c\",\"job\":\"db\"}]"),
                Arguments.of("metadata", "GET", "/api/v1/metadata", "", "{}"),
                Arguments.of("exemplars", "POST", "/api/v1/query_exemplars", "query=req" + range, "[]"),
                Arguments.of("panel", "POST", "/api/v1/query_range", "query=" + q("sum by (job) (rate(req[1m]))")
                                + "&start=1700000060&end=1700000090&step=30",
                        "{\"resultType\":\"matrix\",\"result\":[{\"metric\":{\"job\":\"api\"},"
                                + "\"values\":[[1700000060,\"1\"],[1700000090,\"0.625\"]]}]}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("grafana")
    void answersWhatGrafanaAsks(String name, String method, String path, String form, String data) throws Exception {
        HttpRequest request = method.equals("GET")
                ? HttpRequest.newBuilder(running.uri(path + (form.isEmpty() ? "" : "?" + form))).GET().build()
                : HttpRequest.newBuilder(running.uri(path)).header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        HttpResponse<String> response = running.send(request);
        assertEquals(200, response.statusCode(), response.body());
        String version = running.get("/ping").headers().firstValue("X-Sundial-Version").orElseThrow();
        assertEquals("{\"status\":\"success\",\"data\":" + data.replace("VERSION", version) + "}", response.body().strip());
    }

    @Test
    void instantQueryWithoutTimeEvaluatesNow() throws Exception {
        long before = System.currentTimeMillis() / 1000;
        String body = get("/api/v1/query?query=time()", 200);
        long after = System.currentTimeMillis() / 1000 + 1;
        String prefix = "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[";
        assertTrue(body.startsWith(prefix), body);
        double evaluatedAt = Double.parseDouble(body.substring(prefix.length(), body.indexOf(',', prefix.length())));
        assertTrue(evaluatedAt >= before && evaluatedAt <= after, body);
    }
}
