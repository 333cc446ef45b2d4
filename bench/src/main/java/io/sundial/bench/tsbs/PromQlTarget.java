package io.sundial.bench.tsbs;

import com.fasterxml.jackson.databind.JsonNode;
import io.sundial.bench.tsbs.DevopsQueries.DevopsQuery;
import io.sundial.bench.tsbs.DevopsQueries.PromQuery;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.util.Optional;

/**
 * VictoriaMetrics: loads InfluxDB line protocol at {@code /write} (field {@code f} of
 * measurement {@code m} becomes metric {@code m_f}) and answers PromQL at
 * {@code /api/v1/query_range} and {@code /api/v1/query}, as TSBS' victoriametrics generator asks.
 */
final class PromQlTarget extends QueryTarget {
    PromQlTarget(String name, URI base, HttpClient client) {
        super(name, base, client);
    }

    @Override
    String language() {
        return "PromQL";
    }

    @Override
    void write(byte[] body) throws IOException, InterruptedException {
        // No db parameter: VictoriaMetrics would turn it into a "db" label on every series.
        postLineProtocol("/write?precision=ns", body);
    }

    @Override
    void awaitVisible(long expectedRows) throws IOException, InterruptedException {
        // Fresh samples sit in in-memory buffers for up to a second; force_flush makes them searchable now.
        sendOk(builder("/internal/force_flush").GET().build());
        pollRows(expectedRows, this::storedRows);
    }

    /** Samples of cpu_usage_user over the whole day: one per TSBS row. */
    private long storedRows() throws IOException, InterruptedException {
        long daySeconds = 86_400;
        long at = DevopsGenerator.START_NANOS / 1_000_000_000L + daySeconds;
        HttpRequest count = builder("/api/v1/query?query=" + encode("sum(count_over_time(cpu_usage_user[2d]))")
                + "&time=" + at).GET().build();
        try {
            JsonNode result = parse(sendOk(count).body()).path("data").path("result");
            return result.isEmpty() ? 0 : Long.parseLong(result.path(0).path("value").path(1).asText());
        } catch (AnswerException | NumberFormatException e) {
            throw new IOException(name + ": counting the samples failed: " + e.getMessage(), e);
        }
    }

    @Override
    Optional<HttpRequest> request(DevopsQuery query) {
        PromQuery prom = query.promQl();
        if (prom == null) {
            return Optional.empty();
        }
        String path = prom.isInstant()
                ? "/api/v1/query?query=" + encode(prom.expression()) + "&time=" + prom.endSeconds()
                : "/api/v1/query_range?query=" + encode(prom.expression()) + "&start=" + prom.startSeconds()
                        + "&end=" + prom.endSeconds() + "&step=" + prom.stepSeconds();
        return Optional.of(builder(path).GET().build());
    }

    /** Samples in the answer: one per instant-vector element, or the sum of the range vectors' values. */
    @Override
    long answerRows(int status, String body) throws AnswerException {
        JsonNode answer = parse(body);
        if (status != 200 || !"success".equals(answer.path("status").asText())) {
            throw new AnswerException("HTTP " + status + ": " + abbreviate(body));
        }
        JsonNode data = answer.path("data");
        JsonNode result = data.path("result");
        if (!"matrix".equals(data.path("resultType").asText())) {
            return result.size();
        }
        long samples = 0;
        for (JsonNode series : result) {
            samples += series.path("values").size();
        }
        return samples;
    }
}
