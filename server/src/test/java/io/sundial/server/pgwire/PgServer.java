package io.sundial.server.pgwire;

import io.sundial.core.Point;
import io.sundial.server.ServerOptions;
import io.sundial.server.SundialServer;
import io.sundial.storage.Databases;
import io.sundial.storage.EngineOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.function.UnaryOperator;

/** A real server with the PostgreSQL listener on a free loopback port over a fresh data directory. */
final class PgServer implements AutoCloseable {
    /** 2023-11-14T22:13:20Z, the time of the sample data's first point. */
    static final long T0 = 1_700_000_000_000_000_000L;

    final Databases databases;
    final SundialServer server;

    private PgServer(Databases databases, SundialServer server) {
        this.databases = databases;
        this.server = server;
    }

    static PgServer start(Path dataDir) throws IOException {
        return start(dataDir, o -> o);
    }

    static PgServer start(Path dataDir, UnaryOperator<PgWireOptions> configure) throws IOException {
        Databases databases = Databases.open(dataDir, EngineOptions.defaults().withBackgroundCompaction(false));
        ServerOptions options = ServerOptions.defaults()
                .withHttpAddress(new InetSocketAddress("127.0.0.1", 0))
                .withLineProtocolAddress(null)
                // Longer than any wait of a test, so a slow machine never turns a cancel into a timeout.
                .withQueryTimeout(Duration.ofSeconds(300));
        PgWireOptions pg = configure.apply(PgWireOptions.defaults().withAddress(new InetSocketAddress("127.0.0.1", 0)));
        try {
            return new PgServer(databases, SundialServer.start(databases, options, pg));
        } catch (IOException | RuntimeException e) {
            databases.close();
            throw e;
        }
    }

    int port() {
        return server.pgWireAddress().orElseThrow().getPort();
    }

    String url() {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/sundial";
    }

    Connection connect() throws SQLException {
        return connect("tester", null, new Properties());
    }

    Connection connect(String user, String password, Properties extra) throws SQLException {
        Properties properties = new Properties();
        properties.putAll(extra);
        properties.setProperty("user", user);
        if (password != null) {
            properties.setProperty("password", password);
        }
        properties.setProperty("connectTimeout", "20");
        properties.setProperty("socketTimeout", "600");
        return DriverManager.getConnection(url(), properties);
    }

    /**
     * cpu: host a at T0 (usage 1.5, count 3, up true), host b at T0+60s (usage 2.5, count 4, up false);
     * mem: host a at T0 (used 10.0).
     */
    void writeSample() throws IOException {
        databases.get(Databases.DEFAULT).write(List.of(
                Point.builder("cpu").tag("host", "a").floatField("usage", 1.5).intField("count", 3).boolField("up", true)
                        .timestamp(T0).build(),
                Point.builder("cpu").tag("host", "b").floatField("usage", 2.5).intField("count", 4).boolField("up", false)
                        .timestamp(T0 + 60_000_000_000L).build(),
                Point.builder("mem").tag("host", "a").floatField("used", 10.0).timestamp(T0).build()));
    }

    @Override
    public void close() throws IOException {
        try {
            server.close();
        } finally {
            databases.close();
        }
    }
}
