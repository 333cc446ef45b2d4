package io.sundial.bench.tsbs;

import com.fasterxml.jackson.databind.JsonNode;
import io.sundial.bench.tsbs.DevopsQueries.DevopsQuery;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.util.Optional;

/**
 * A server speaking the InfluxDB 1.x HTTP API: Sundial and InfluxDB itself. Queries go as TSBS
 * sends them: {@code POST /query?db=..&q=..} with an empty body, times as RFC3339 text.
 */
final class InfluxQlTarget extends QueryTarget {
    static final String DATABASE = "benchmark";

    /** Sundial keeps fresh points in its memtable; the flush puts them in segment files first. */
    private final String flushPath;

    /**
     * @param flushPath path to POST once the load is done (Sundial's admin flush), or null
     */
    InfluxQlTarget(String name, URI base, HttpClient client, String flushPath) {
        super(name, base, client);
        this.flushPath = flushPath;
    }

    @Override
    String language() {
        return "InfluxQL";
    }

    @Override
    void prepare() throws IOException, InterruptedException {
        HttpRequest create = builder("/query?q=" + encode("CREATE DATABASE " + DATABASE))
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        String body = sendOk(create).body();
        if (body.contains("\"error\"")) {
            throw new IOException(name + ": CREATE DATABASE " + DATABASE + " failed: " + abbreviate(body));
        }
    }

    @Override
    void write(byte[] body) throws IOException, InterruptedException {
        postLineProtocol("/write?db=" + DATABASE + "&precision=ns", body);
    }

    @Override
    void awaitVisible(long expectedRows) throws IOException, InterruptedException {
        if (flushPath != null) {
            sendOk(builder(flushPath).POST(HttpRequest.BodyPublishers.noBody()).build());
        }
        pollRows(expectedRows, this::storedRows);
    }

    private long storedRows() throws IOException, InterruptedException {
        HttpRequest count = builder("/query?db=" + DATABASE + "&q=" + encode("SELECT count(usage_user) FROM cpu"))
                .GET().build();
        try {
            JsonNode values = parse(sendOk(count).body()).path("results").path(0).path("series").path(0).path("values");
            return values.isMissingNode() ? 0 : values.path(0).path(1).asLong();
        } catch (AnswerException e) {
            throw new IOException(name + ": counting the rows failed: " + e.getMessage(), e);
        }
    }

    @Override
    Optional<HttpRequest> request(DevopsQuery query) {
        return Optional.of(builder("/query?db=" + DATABASE + "&q=" + encode(query.influxQl()))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    @Override
    long answerRows(int status, String body) throws AnswerException {
        JsonNode answer = parse(body);
        if (status != 200 || answer.has("error")) {
            throw new AnswerException("HTTP " + status + ": " + abbreviate(body));
        }
        JsonNode statement = answer.path("results").path(0);
        if (statement.has("error")) {
            throw new AnswerException(statement.path("error").asText());
        }
        long rows = 0;
        for (JsonNode series : statement.path("series")) {
            rows += series.path("values").size();
        }
        return rows;
    }
}
