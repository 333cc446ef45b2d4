package io.sundial.bench.tsbs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sundial.bench.tsbs.DevopsQueries.DevopsQuery;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One system under test, reached over HTTP: how to load line protocol into it, how to tell the
 * load is visible to queries, and how to ask one TSBS query in its language. Subclasses differ
 * only in endpoints and answer shapes; the timing loop is {@link QueryComparison}'s.
 */
abstract class QueryTarget {
    static final ObjectMapper JSON = new ObjectMapper();
    /** Longest a loaded set may take to become visible to queries (QuestDB applies its WAL asynchronously). */
    static final Duration VISIBLE_WAIT_MAX = Duration.ofMinutes(5);
    static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(2);

    final String name;
    final URI base;
    final HttpClient client;

    QueryTarget(String name, URI base, HttpClient client) {
        this.name = name;
        this.base = base;
        this.client = client;
    }

    /** The query language this target is asked in. */
    abstract String language();

    /** Creates what the load needs (a database), if anything. */
    void prepare() throws IOException, InterruptedException {}

    /** Writes one line-protocol body; a non-2xx answer is an IOException with the server's text. */
    abstract void write(byte[] body) throws IOException, InterruptedException;

    /** Returns once {@code expectedRows} rows are visible to queries (flushing where the system needs it). */
    abstract void awaitVisible(long expectedRows) throws IOException, InterruptedException;

    /** The HTTP request of one query, or empty when this system has no form of it. */
    abstract Optional<HttpRequest> request(DevopsQuery query);

    /** Rows (or samples) in a successful answer; an error answer is an {@link AnswerException}. */
    abstract long answerRows(int status, String body) throws AnswerException;

    /** The answer could not be used: an error status, an error member, or a body that is not the expected JSON. */
    static final class AnswerException extends Exception {
        private static final long serialVersionUID = 1L;

        AnswerException(String message) {
            super(message);
        }
    }

    final HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    final HttpResponse<String> sendOk(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = send(request);
        if (response.statusCode() / 100 != 2) {
            throw new IOException(name + ": " + request.method() + " " + request.uri() + " answered "
                    + response.statusCode() + ": " + abbreviate(response.body()));
        }
        return response;
    }

    final HttpRequest.Builder builder(String pathAndQuery) {
        return HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(REQUEST_TIMEOUT);
    }

    final void postLineProtocol(String pathAndQuery, byte[] body) throws IOException, InterruptedException {
        sendOk(builder(pathAndQuery).header("Content-Type", "text/plain; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    /** Polls {@code rows} until it reports {@code expectedRows}, or fails after {@link #VISIBLE_WAIT_MAX}. */
    final void pollRows(long expectedRows, RowCounter rows) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(VISIBLE_WAIT_MAX);
        long seen = -1;
        long pauseMillis = 50;
        while (Instant.now().isBefore(deadline)) {
            seen = rows.count();
            if (seen == expectedRows) {
                return;
            }
            // Polling, not synchronisation: the peer offers no "applied" notification.
            Thread.sleep(pauseMillis);
            pauseMillis = Math.min(1_000, pauseMillis * 2);
        }
        throw new IOException(name + ": " + seen + " rows visible after " + VISIBLE_WAIT_MAX + ", expected "
                + expectedRows + " (was the load refused in part? see the server's log)");
    }

    interface RowCounter {
        long count() throws IOException, InterruptedException;
    }

    static JsonNode parse(String body) throws AnswerException {
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new AnswerException("answer is not JSON (" + e.getOriginalMessage() + "): " + abbreviate(body));
        }
    }

    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    static String abbreviate(String text) {
        String oneLine = text.replace('\n', ' ').strip();
        return oneLine.length() <= 300 ? oneLine : oneLine.substring(0, 300) + "... (" + oneLine.length() + " chars)";
    }
}
