package io.sundial.server;

import io.sundial.storage.Column;
import io.sundial.storage.Databases;
import io.sundial.storage.EngineOptions;
import io.sundial.storage.ReadRequest;
import io.sundial.storage.SeriesData;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;

/** A real server on free ports over a fresh data directory, and an HTTP client for it. */
final class RunningServer implements AutoCloseable {
    final Databases databases;
    final SundialServer server;
    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private RunningServer(Databases databases, SundialServer server) {
        this.databases = databases;
        this.server = server;
    }

    static RunningServer start(Path dataDir) throws IOException {
        return start(dataDir, o -> o);
    }

    static RunningServer start(Path dataDir, UnaryOperator<ServerOptions> configure) throws IOException {
        Databases databases = Databases.open(dataDir, EngineOptions.defaults().withBackgroundCompaction(false));
        ServerOptions options = configure.apply(ServerOptions.defaults()
                .withHttpAddress(new InetSocketAddress("127.0.0.1", 0))
                .withLineProtocolAddress(new InetSocketAddress("127.0.0.1", 0)));
        try {
            return new RunningServer(databases, SundialServer.start(databases, options));
        } catch (IOException | RuntimeException e) {
            databases.close();
            throw e;
        }
    }

    URI uri(String pathAndQuery) {
        return server.httpUri().resolve(pathAndQuery);
    }

    HttpResponse<String> post(String pathAndQuery, String body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(pathAndQuery)).POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(pathAndQuery)).GET().build());
    }

    HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Points stored for {@code measurement} in {@code database}: the first field's values, all series. */
    long pointCount(String database, String measurement) {
        long points = 0;
        for (SeriesData series : databases.get(database).readAll(ReadRequest.all(measurement))) {
            Column first = series.columns().getFirst();
            points += first.size();
        }
        return points;
    }

    @Override
    public void close() throws IOException {
        try {
            server.close();
        } finally {
            client.close();
            databases.close();
        }
    }
}
