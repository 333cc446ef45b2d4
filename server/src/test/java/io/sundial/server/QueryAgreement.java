package io.sundial.server;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Asks a running Prometheus and Sundial (which Prometheus remote-writes to) the same PromQL
 * queries over a fixed past window and requires the same label sets, times and values (relative
 * error 1e-9, NaN equal to NaN). Prometheus' answers over the past window never change, so they
 * are read once; Sundial's are polled until they agree or the deadline passes (remote write may
 * still be delivering the window's last samples), and the last difference is reported.
 */
final class QueryAgreement {
    /** Scrapes of Prometheus' own job before the window is fixed, so rate windows are full. */
    private static final int SCRAPES_MIN = 14;
    private static final int WINDOW_SECONDS = 8;
    private static final double RELATIVE_ERROR_MAX = 1e-9;
    private static final List<String> INSTANT_QUERIES = List.of(
            "up",
            "rate(prometheus_http_requests_total[5s])",
            "sum by (job) (scrape_samples_scraped)",
            "sum by (handler) (rate(prometheus_http_requests_total{code=\"200\"}[5s]))",
            "histogram_quantile(0.9, sum by (le) (rate(prometheus_http_request_duration_seconds_bucket[5s])))",
            "topk(3, prometheus_tsdb_head_series + 0)");
    private static final List<String> RANGE_QUERIES = List.of(
            "rate(prometheus_http_requests_total[5s])",
            "sum by (job) (up)",
            "avg_over_time(scrape_duration_seconds[3s])",
            "sum without (instance) (increase(prometheus_http_requests_total[4s]))");

    private final RunningServer sundial;
    private final String prometheusBase;
    private final Process prometheus;
    private final Path log;
    private final Duration deadline;

    QueryAgreement(RunningServer sundial, int prometheusPort, Process prometheus, Path log, Duration deadline) {
        this.sundial = sundial;
        this.prometheusBase = "http://127.0.0.1:" + prometheusPort;
        this.prometheus = prometheus;
        this.log = log;
        this.deadline = deadline;
    }

    void check() throws Exception {
        long endSeconds = fixWindowEnd();
        long startSeconds = endSeconds - WINDOW_SECONDS;
        for (String query : INSTANT_QUERIES) {
            agree("/api/v1/query?query=" + encode(query) + "&time=" + endSeconds);
        }
        for (String query : RANGE_QUERIES) {
            agree("/api/v1/query_range?query=" + encode(query) + "&start=" + startSeconds + "&end=" + endSeconds + "&step=1");
        }
    }

    /** Waits for enough scrapes, then ends the window two seconds in the past (whole seconds). */
    private long fixWindowEnd() throws Exception {
        String countQuery = "/api/v1/query?query=" + encode("count_over_time(up{job=\"prometheus\"}[1h])");
        long until = System.nanoTime() + deadline.toNanos();
        String last = "";
        while (System.nanoTime() < until) {
            last = get(URI.create(prometheusBase + countQuery));
            Map<Map<String, String>, TreeMap<Long, Double>> result = results(last);
            if (result.size() == 1 && result.values().iterator().next().firstEntry().getValue() >= SCRAPES_MIN) {
                return System.currentTimeMillis() / 1000 - 2;
            }
            // Polling interval while Prometheus scrapes (the loop checks state, it does not wait for it).
            prometheus.waitFor(250, TimeUnit.MILLISECONDS);
        }
        fail("Prometheus did not scrape itself " + SCRAPES_MIN + " times within " + deadline + "; last: " + last
                + "\nprometheus log:\n" + Files.readString(log));
        return 0;
    }

    private void agree(String pathAndQuery) throws Exception {
        String expectedBody = get(URI.create(prometheusBase + pathAndQuery));
        Map<Map<String, String>, TreeMap<Long, Double>> expected = results(expectedBody);
        if (expected.isEmpty()) {
            fail("Prometheus has no data for " + pathAndQuery + ", so the comparison would prove nothing: " + expectedBody);
        }
        long until = System.nanoTime() + deadline.toNanos();
        String difference = "";
        while (System.nanoTime() < until) {
            String actualBody = get(sundial.uri(pathAndQuery));
            difference = difference(expected, results(actualBody));
            if (difference.isEmpty()) {
                return;
            }
            // Polling interval while remote write delivers the window's last samples.
            prometheus.waitFor(250, TimeUnit.MILLISECONDS);
        }
        fail("Sundial and Prometheus disagree on " + pathAndQuery + ": " + difference);
    }

    /** Empty when both answers hold the same series, times and values; else the first difference. */
    static String difference(Map<Map<String, String>, TreeMap<Long, Double>> expected,
                             Map<Map<String, String>, TreeMap<Long, Double>> actual) {
        if (!expected.keySet().equals(actual.keySet())) {
            return "label sets differ: Prometheus " + expected.keySet() + ", Sundial " + actual.keySet();
        }
        for (Map.Entry<Map<String, String>, TreeMap<Long, Double>> e : expected.entrySet()) {
            TreeMap<Long, Double> points = actual.get(e.getKey());
            if (!e.getValue().keySet().equals(points.keySet())) {
                return e.getKey() + ": times differ: Prometheus " + e.getValue().keySet() + ", Sundial " + points.keySet();
            }
            for (Map.Entry<Long, Double> point : e.getValue().entrySet()) {
                double want = point.getValue();
                double got = points.get(point.getKey());
                boolean isEqual = Double.isNaN(want) ? Double.isNaN(got)
                        : want == got || Math.abs(want - got) <= RELATIVE_ERROR_MAX * Math.max(Math.abs(want), Math.abs(got));
                if (!isEqual) {
                    return e.getKey() + " at " + point.getKey() + " ms: Prometheus " + want + ", Sundial " + got;
                }
            }
        }
        return "";
    }

    private String get(URI uri) throws IOException, InterruptedException {
        HttpResponse<String> response = sundial.client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            fail(uri + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    /**
     * The result of a Prometheus query answer (vector, matrix or scalar) as label set → time (ms)
     * → value; a scalar is one series with no labels.
     */
    static Map<Map<String, String>, TreeMap<Long, Double>> results(String body) throws IOException {
        Map<Map<String, String>, TreeMap<Long, Double>> out = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
        try (JsonParser parser = new JsonFactory().createParser(body)) {
            Object root = read(parser, parser.nextToken());
            Object data = ((Map<?, ?>) root).get("data");
            Object result = ((Map<?, ?>) data).get("result");
            if (((Map<?, ?>) data).get("resultType").equals("scalar")) {
                out.put(Map.of(), points(List.of(result)));
                return out;
            }
            for (Object element : (List<?>) result) {
                Map<?, ?> series = (Map<?, ?>) element;
                TreeMap<String, String> labels = new TreeMap<>();
                ((Map<?, ?>) series.get("metric")).forEach((k, v) -> labels.put((String) k, (String) v));
                Object value = series.get("value");
                out.put(labels, points(value != null ? List.of(value) : (List<?>) series.get("values")));
            }
        }
        return out;
    }

    private static TreeMap<Long, Double> points(List<?> pairs) {
        TreeMap<Long, Double> out = new TreeMap<>();
        for (Object pair : pairs) {
            List<?> timeAndValue = (List<?>) pair;
            long millis = ((BigDecimal) timeAndValue.get(0)).movePointRight(3).longValueExact();
            out.put(millis, parseValue((String) timeAndValue.get(1)));
        }
        return out;
    }

    private static double parseValue(String text) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(text);
        };
    }

    /** A JSON value as Map, List, String or BigDecimal. */
    private static Object read(JsonParser parser, JsonToken token) throws IOException {
        return switch (token) {
            case START_OBJECT -> {
                Map<String, Object> map = new TreeMap<>();
                for (JsonToken t = parser.nextToken(); t != JsonToken.END_OBJECT; t = parser.nextToken()) {
                    String name = parser.currentName();
                    map.put(name, read(parser, parser.nextToken()));
                }
                yield map;
            }
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
                    list.add(read(parser, t));
                }
                yield list;
            }
            case VALUE_STRING -> parser.getText();
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> parser.getDecimalValue();
            default -> throw new IOException("unexpected JSON token " + token + " in a query answer");
        };
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
