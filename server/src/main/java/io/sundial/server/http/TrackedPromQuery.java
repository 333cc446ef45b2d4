package io.sundial.server.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.sundial.query.QueryRegistry;
import io.sundial.server.metrics.ServerMetrics;
import io.sundial.server.prometheus.JsonAnswer;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Runs one PromQL query listed in the {@link QueryRegistry} (SHOW QUERIES and the status page
 * show it), then reports it to the slow-query log (through the request's scope) and the query
 * counters of /metrics. The call gets the query's KILL QUERY flag, which the evaluator checks
 * between steps (a killed query answers errorType "canceled").
 */
final class TrackedPromQuery {
    private static final JsonFactory JSON = new JsonFactory();
    private static final String METRIC_KEY = "\"metric\":";

    private TrackedPromQuery() {}

    static JsonAnswer run(ServerMetrics metrics, String text, String database, Function<BooleanSupplier, JsonAnswer> call) {
        long startNanos = System.nanoTime();
        QueryRegistry.Running running = QueryRegistry.global().register(text == null ? "" : text,
                database == null ? "" : database, new AtomicBoolean());
        JsonAnswer answer = null;
        try {
            AtomicBoolean killed = running.cancelled();
            answer = call.apply(killed::get);
            return answer;
        } finally {
            String error = answer == null ? "the query ended abnormally; see the server log"
                    : answer.isSuccess() ? null : error(answer.json());
            QueryRegistry.global().finish(running, answer != null && answer.isSuccess() ? series(answer.json()) : 0, error);
            metrics.recordQuery(ServerMetrics.QUERY_API_PROMQL, answer == null ? 500 : answer.status(),
                    System.nanoTime() - startNanos, 1, error == null ? 0 : 1);
        }
    }

    /**
     * Series in a success answer: every vector sample and matrix series carries one "metric"
     * key, and the sequence cannot occur inside a JSON string (its quotes would be escaped).
     * A scalar or string answer counts as one.
     */
    static long series(String json) {
        // String.indexOf over the answer itself: no UTF-8 copy of a possibly large answer per query.
        long count = 0;
        for (int at = json.indexOf(METRIC_KEY); at >= 0; at = json.indexOf(METRIC_KEY, at + METRIC_KEY.length())) {
            count++;
        }
        return count == 0 && (json.contains("\"resultType\":\"scalar\"") || json.contains("\"resultType\":\"string\"")) ? 1 : count;
    }

    /** "errorType: error" of an error answer; the "timeout:" prefix is what marks a timed-out query. */
    static String error(String json) {
        String type = "error";
        String message = "";
        try (JsonParser parser = JSON.createParser(json)) {
            if (parser.nextToken() == JsonToken.START_OBJECT) {
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    parser.nextToken();
                    switch (name) {
                        case "errorType" -> type = parser.getText();
                        case "error" -> message = parser.getText();
                        default -> parser.skipChildren();
                    }
                }
            }
        } catch (IOException e) {
            message = json;
        }
        return type + ": " + message;
    }
}
