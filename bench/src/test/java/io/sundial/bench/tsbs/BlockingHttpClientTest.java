package io.sundial.bench.tsbs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BlockingHttpClientTest {
    private ScriptedServer server;
    private BlockingHttpClient client;

    @AfterEach
    void stop() throws IOException {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void readsContentLengthBodiesOverOneKeptConnection() throws Exception {
        start(new Reply(answer("200 OK", "Content-Length: 10", "{\"a\":\"é\"}"), false),
                new Reply(answer("404 Not Found", "Content-Length: 3", "no!"), false));

        assertEquals(new QueryClient.Answer(200, "{\"a\":\"é\"}"), client.send(get("/query?q=a%20b")));
        assertEquals(new QueryClient.Answer(404, "no!"), client.send(post("/exec")));

        assertEquals(1, client.connections());
        assertEquals(1, server.accepted());
        assertEquals(List.of("GET /query?q=a%20b HTTP/1.1", "POST /exec HTTP/1.1"), server.requestLines());
        assertEquals("127.0.0.1:" + server.port(), server.hostHeaders().getFirst());
        assertEquals(List.of("0"), server.contentLengths());
    }

    @Test
    void readsChunkedBodiesWithExtensionsAndTrailers() throws Exception {
        String chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "4\r\nabcd\r\n" + "a;name=value\r\n0123456789\r\n" + "0\r\nTrailer: x\r\n\r\n";
        start(new Reply(chunked, false), new Reply(answer("200 OK", "Content-Length: 2", "ok"), false));

        assertEquals(new QueryClient.Answer(200, "abcd0123456789"), client.send(get("/a")));
        assertEquals(new QueryClient.Answer(200, "ok"), client.send(get("/b")));

        assertEquals(1, server.accepted());
    }

    @Test
    void reconnectsWhenTheServerClosedTheIdleConnection() throws Exception {
        start(new Reply(answer("200 OK", "Content-Length: 5", "first"), true),
                new Reply(answer("200 OK", "Content-Length: 6", "second"), false));

        assertEquals("first", client.send(get("/a")).body());
        assertEquals("second", client.send(get("/b")).body());

        assertEquals(2, client.connections());
        assertEquals(2, server.accepted());
        assertEquals(List.of("GET /a HTTP/1.1", "GET /b HTTP/1.1"), server.requestLines());
    }

    @Test
    void closesAfterConnectionCloseAndAfterABodyUpToTheEnd() throws Exception {
        start(new Reply(answer("200 OK", "Connection: close\r\nContent-Length: 3", "one"), true),
                new Reply("HTTP/1.0 200 OK\r\n\r\nto the end", true),
                new Reply(answer("200 OK", "Content-Length: 5", "three"), false));

        assertEquals("one", client.send(get("/1")).body());
        assertEquals("to the end", client.send(get("/2")).body());
        assertEquals("three", client.send(get("/3")).body());

        assertEquals(3, client.connections());
    }

    @Test
    void aNewConnectionClosedBeforeAnAnswerIsAnError() throws Exception {
        start(new Reply(null, true));

        IOException failure = assertThrows(IOException.class, () -> client.send(get("/a")));

        assertTrue(failure.getMessage().contains("closed a new connection before answering (end of stream"),
                failure.getMessage());
        assertEquals(1, client.connections());
    }

    @Test
    void theHarnessAsksThroughTheBlockingClientUnlessToldOtherwise() {
        assertEquals(QueryClient.Kind.BLOCKING, QueryClient.Kind.DEFAULT);
        assertEquals(QueryClient.Kind.DEFAULT, QueryClient.Kind.of(QueryClient.Kind.DEFAULT.label()));
        assertEquals(QueryClient.Kind.JDK, QueryClient.Kind.of(" JDK "));
    }

    private void start(Reply... replies) throws IOException {
        server = new ScriptedServer(List.of(replies));
        client = new BlockingHttpClient(base(), Duration.ofMinutes(1));
    }

    private URI base() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    private HttpRequest get(String path) {
        return HttpRequest.newBuilder(base().resolve(path)).GET().build();
    }

    private HttpRequest post(String path) {
        return HttpRequest.newBuilder(base().resolve(path)).POST(HttpRequest.BodyPublishers.noBody()).build();
    }

    private static String answer(String status, String headers, String body) {
        return "HTTP/1.1 " + status + "\r\n" + headers + "\r\n\r\n" + body;
    }

    /** The raw answer to the next request (null: none), and whether the server closes the connection after it. */
    private record Reply(String raw, boolean thenClose) {}

    /** Answers requests in order with the scripted replies, one connection at a time. */
    private static final class ScriptedServer implements AutoCloseable {
        private final ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        private final List<String> requestLines = new CopyOnWriteArrayList<>();
        private final List<String> hostHeaders = new CopyOnWriteArrayList<>();
        private final List<String> contentLengths = new CopyOnWriteArrayList<>();
        private final Thread thread;
        private volatile int accepted;

        ScriptedServer(List<Reply> replies) throws IOException {
            thread = Thread.ofPlatform().daemon().start(() -> serve(replies));
        }

        private void serve(List<Reply> replies) {
            int next = 0;
            try {
                while (next < replies.size()) {
                    try (Socket connection = listener.accept()) {
                        accepted++;
                        var in = new BufferedReader(new InputStreamReader(connection.getInputStream(), StandardCharsets.UTF_8));
                        OutputStream out = connection.getOutputStream();
                        while (next < replies.size() && readRequest(in)) {
                            Reply reply = replies.get(next++);
                            if (reply.raw() != null) {
                                out.write(reply.raw().getBytes(StandardCharsets.UTF_8));
                                out.flush();
                            }
                            if (reply.thenClose()) {
                                break;
                            }
                        }
                    }
                }
            } catch (IOException e) {
                // The test closed the listener.
            }
        }

        private boolean readRequest(BufferedReader in) throws IOException {
            String requestLine = in.readLine();
            if (requestLine == null) {
                return false;
            }
            requestLines.add(requestLine);
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                String[] header = line.split(":\\s*", 2);
                switch (header[0].toLowerCase(Locale.ROOT)) {
                    case "host" -> hostHeaders.add(header[1]);
                    case "content-length" -> contentLengths.add(header[1]);
                    default -> { }
                }
            }
            return true;
        }

        int port() {
            return listener.getLocalPort();
        }

        int accepted() {
            return accepted;
        }

        List<String> requestLines() {
            return requestLines;
        }

        List<String> hostHeaders() {
            return hostHeaders;
        }

        List<String> contentLengths() {
            return contentLengths;
        }

        @Override
        public void close() throws IOException {
            listener.close();
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
