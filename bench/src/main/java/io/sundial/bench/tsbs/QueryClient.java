package io.sundial.bench.tsbs;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * How {@link QueryComparison} sends one system its query requests (the checked first one, the
 * warm-ups and the timed runs): the same kind of client for every system, so that its own cost
 * falls on all of them alike.
 */
interface QueryClient extends AutoCloseable {
    /** Status and body text (UTF-8) of one answer. */
    record Answer(int status, String body) {}

    Answer send(HttpRequest request) throws IOException, InterruptedException;

    @Override
    void close();

    /** The clients to choose from with {@code -Dclient=}. */
    enum Kind {
        /** {@link BlockingHttpClient}: one keep-alive socket per system, read on the calling thread. */
        BLOCKING,
        /** java.net.http.HttpClient (HTTP/1.1), shared by all systems: its selector thread and hand-offs add milliseconds. */
        JDK;

        /** What {@code -Dclient} is when not given: the blocking client, whose figures are the truer on small answers. */
        static final Kind DEFAULT = BLOCKING;

        static Kind of(String name) {
            return valueOf(name.strip().toUpperCase(Locale.ROOT));
        }

        QueryClient open(QueryTarget target, HttpClient jdk) {
            return switch (this) {
                case BLOCKING -> new BlockingHttpClient(target.base, QueryTarget.REQUEST_TIMEOUT);
                case JDK -> new QueryClient() {
                    @Override
                    public Answer send(HttpRequest request) throws IOException, InterruptedException {
                        HttpResponse<String> response = jdk.send(request,
                                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                        return new Answer(response.statusCode(), response.body());
                    }

                    @Override
                    public void close() {}
                };
            };
        }

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
