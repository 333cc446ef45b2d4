package io.sundial.server.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.server.FormFields;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * One HTTP request and its answer. Every answer goes through {@link #send}, so each completes
 * the Jetty callback exactly once and carries a content type.
 */
final class Exchange {
    static final String JSON = "application/json";

    final Request request;
    final Response response;
    private final Callback callback;
    private Fields query;
    final String requestId;
    private boolean isAnswered;
    /** The authenticated user, or null when authentication is off (set by {@link AccessGate}). */
    io.sundial.server.auth.User user;

    Exchange(Request request, Response response, Callback callback, String requestId) {
        this.request = request;
        this.response = response;
        this.callback = callback;
        this.query = Request.extractQueryParameters(request);
        this.requestId = requestId;
    }

    String path() {
        return Request.getPathInContext(request);
    }

    String method() {
        return request.getMethod();
    }

    /** A query parameter, or null when absent. */
    String parameter(String name) {
        return query.getValue(name);
    }

    /** Every value of a repeated parameter such as {@code match[]}, in request order; empty when absent. */
    java.util.List<String> parameters(String name) {
        java.util.List<String> values = query.getValues(name);
        return values == null ? java.util.List.of() : values;
    }

    /** A query parameter, or {@code fallback} when absent or empty. */
    String parameter(String name, String fallback) {
        String value = query.getValue(name);
        return value == null || value.isEmpty() ? fallback : value;
    }

    private boolean isFormRead;

    /**
     * Adds the fields of an {@code application/x-www-form-urlencoded} body to the parameters
     * (InfluxDB reads {@code q} and {@code db} from either). Other bodies are left unread.
     */
    void readFormParameters(int bodyBytesMax) {
        if (isFormRead) {
            return; // the access gate may have read them already; merging twice would repeat match[]
        }
        isFormRead = true;
        Fields form = FormFields.getFields(request, 1_000, bodyBytesMax);
        if (form.isEmpty()) {
            return;
        }
        // Parameter names are case-sensitive, as in InfluxDB (Go's url.Values).
        Fields merged = new Fields(false);
        merged.addAll(query);
        merged.addAll(form);
        query = merged;
    }

    String header(HttpHeader header) {
        return request.getHeaders().get(header);
    }

    boolean isAnswered() {
        return isAnswered;
    }

    void sendEmpty(int status) {
        isAnswered = true;
        settleRequestBody();
        response.setStatus(status);
        callback.succeeded();
    }

    void sendJson(int status, String json) {
        send(status, JSON, json + "\n");
    }

    void send(int status, String contentType, String body) {
        isAnswered = true;
        settleRequestBody();
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }

    /** Sends a binary answer whole. */
    void sendBytes(int status, String contentType, byte[] body) {
        isAnswered = true;
        settleRequestBody();
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    /** Starts an answer of unknown length (chunked transfer); follow with {@link #stream} and {@link #endStream}. */
    void startStream(int status, String contentType) {
        isAnswered = true;
        settleRequestBody();
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
    }

    /** Writes one piece of a streamed answer and waits until it is sent (backpressure for slow clients). */
    void stream(CharSequence text) throws IOException {
        try (Blocker.Callback sent = Blocker.callback()) {
            // Through a String: its UTF-8 encoding copies ASCII/Latin-1 text in bulk, where a
            // CharsetEncoder over a CharBuffer goes character by character (megabytes per large answer).
            response.write(false, ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8)), sent);
            sent.block();
        }
    }

    /** Writes one binary piece of a streamed answer and waits until it is sent. */
    void streamBytes(byte[] bytes) throws IOException {
        streamBytes(ByteBuffer.wrap(bytes));
    }

    /** Writes bytes of a streamed answer from their buffer's position to its limit and waits until they are sent. */
    void streamBytes(ByteBuffer bytes) throws IOException {
        try (Blocker.Callback sent = Blocker.callback()) {
            response.write(false, bytes, sent);
            sent.block();
        }
    }

    void endStream() {
        response.write(true, ByteBuffer.allocate(0), callback);
    }

    /** Answers 405 naming the allowed methods. */
    void sendMethodNotAllowed(ErrorShape shape, String allowed) {
        response.getHeaders().put(HttpHeader.ALLOW, allowed);
        sendError(shape, new ApiError(405, "method not allowed", "method " + method() + " is not allowed on " + path()
                + "; use " + allowed));
    }

    void sendError(ErrorShape shape, ApiError error) {
        sendJson(error.status(), shape.render(error));
    }

    /**
     * Reads, without blocking, what is left of a request body the handler did not read (a refusal
     * before the body, such as 401 or 413). Jetty does this only after the answer has gone out as
     * keep-alive, and closes the connection when the rest has not arrived; a client reusing that
     * connection meanwhile loses its next request. Done before the headers, the same check makes
     * the answer say {@code Connection: close}.
     */
    private void settleRequestBody() {
        request.consumeAvailable();
    }

    /** Fails the exchange when nothing could be answered (the connection is broken). */
    void abort(Throwable failure) {
        isAnswered = true;
        callback.failed(failure);
    }
}
