package io.sundial.bench.tsbs;

import com.fasterxml.jackson.databind.JsonNode;
import io.sundial.bench.tsbs.DevopsQueries.DevopsQuery;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.util.Optional;

/**
 * QuestDB: loads InfluxDB line protocol over HTTP at {@code /write} (tags become SYMBOL columns,
 * the time column is {@code timestamp}) and answers SQL at {@code /exec?count=false&query=..},
 * the request TSBS' questdb generator builds. Rows are applied from QuestDB's WAL
 * asynchronously, so the load waits until the row count is complete.
 */
final class QuestDbTarget extends QueryTarget {
    QuestDbTarget(String name, URI base, HttpClient client) {
        super(name, base, client);
    }

    @Override
    String language() {
        return "SQL";
    }

    @Override
    void write(byte[] body) throws IOException, InterruptedException {
        postLineProtocol("/write?precision=n", body);
    }

    @Override
    void awaitVisible(long expectedRows) throws IOException, InterruptedException {
        pollRows(expectedRows, this::storedRows);
    }

    private long storedRows() throws IOException, InterruptedException {
        var response = send(builder("/exec?query=" + encode("SELECT count() FROM cpu")).GET().build());
        if (response.statusCode() != 200) {
            return 0; // the table may not exist yet while the WAL is applied
        }
        try {
            return parse(response.body()).path("dataset").path(0).path(0).asLong();
        } catch (AnswerException e) {
            throw new IOException(name + ": counting the rows failed: " + e.getMessage(), e);
        }
    }

    @Override
    Optional<HttpRequest> request(DevopsQuery query) {
        return Optional.of(builder("/exec?count=false&query=" + encode(query.questDbSql())).GET().build());
    }

    @Override
    long answerRows(int status, String body) throws AnswerException {
        JsonNode answer = parse(body);
        if (status != 200 || answer.has("error")) {
            throw new AnswerException("HTTP " + status + ": " + abbreviate(body));
        }
        return answer.path("dataset").size();
    }
}
