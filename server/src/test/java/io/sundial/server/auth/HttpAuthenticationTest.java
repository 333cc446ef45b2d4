package io.sundial.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.server.ServerOptions;
import io.sundial.server.SundialServer;
import io.sundial.storage.Databases;
import io.sundial.storage.EngineOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpAuthenticationTest {
    @TempDir
    static Path dataDir;
    private Databases databases;
    private SundialServer server;
    private String writerToken;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    void start() throws IOException {
        databases = Databases.open(dataDir, EngineOptions.defaults());
        databases.create("metrics");
        databases.create("secret");
        UserStore users = UserStore.open(dataDir);
        users.createUser("root", "root-password", true);
        users.createUser("reader", "reader-password", false);
        users.grant("reader", "metrics", Permission.READ);
        users.createUser("writer", "writer-password", false);
        users.grant("writer", "metrics", Permission.WRITE);
        writerToken = users.createToken("writer", "collector");
        server = SundialServer.start(databases, ServerOptions.defaults()
                        .withHttpAddress(new InetSocketAddress("127.0.0.1", 0)).withLineProtocolAddress(null),
                SecurityOptions.none().withUsers(users));
    }

    @AfterAll
    void stop() throws IOException {
        server.close();
        databases.close();
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> send(String method, String pathAndQuery, String authorization, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.httpUri() + pathAndQuery))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (body != null && body.startsWith("FORM:")) {
            request.header("Content-Type", "application/x-www-form-urlencoded")
                    .method(method, HttpRequest.BodyPublishers.ofString(body.substring("FORM:".length())));
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String q(String query) {
        return URLEncoder.encode(query, StandardCharsets.UTF_8);
    }

    Stream<Arguments> cases() {
        String select = "/query?db=metrics&q=" + q("SELECT * FROM cpu");
        return Stream.of(
                Arguments.of("ping_open", "GET", "/ping", null, null, 204),
                Arguments.of("health_open", "GET", "/health", null, null, 200),
                Arguments.of("write_without_credentials", "POST", "/write?db=metrics", null, "cpu v=1 1", 401),
                Arguments.of("write_wrong_password", "POST", "/write?db=metrics", basic("writer", "nope-nope"), "cpu v=1 1", 401),
                Arguments.of("write_unknown_user", "POST", "/write?db=metrics", basic("ghost", "writer-password"), "cpu v=1 1", 401),
                Arguments.of("write_unknown_scheme", "POST", "/write?db=metrics", "Digest abc", "cpu v=1 1", 401),
                Arguments.of("write_basic", "POST", "/write?db=metrics", basic("writer", "writer-password"), "cpu v=1 1", 204),
                Arguments.of("write_u_p_parameters", "POST", "/write?db=metrics&u=writer&p=writer-password", null, "cpu v=2 2", 204),
                Arguments.of("write_bearer_token", "POST", "/write?db=metrics", "Bearer TOKEN", "cpu v=3 3", 204),
                Arguments.of("write_v2_token", "POST", "/api/v2/write?bucket=metrics", "Token TOKEN", "cpu v=4 4", 204),
                Arguments.of("write_bad_token", "POST", "/write?db=metrics", "Bearer sdl_wrong", "cpu v=1 1", 401),
                Arguments.of("write_other_database", "POST", "/write?db=secret", "Bearer TOKEN", "cpu v=1 1", 403),
                Arguments.of("reader_cannot_write", "POST", "/write?db=metrics", basic("reader", "reader-password"), "cpu v=1 1", 403),
                Arguments.of("reader_reads", "GET", select, basic("reader", "reader-password"), null, 200),
                Arguments.of("writer_cannot_read", "GET", select, "Bearer TOKEN", null, 403),
                Arguments.of("reader_cannot_read_other_db_by_name", "GET",
                        "/query?db=metrics&q=" + q("SELECT * FROM secret..cpu"), basic("reader", "reader-password"), null, 403),
                Arguments.of("reader_cannot_drop", "POST", "/query?q=" + q("DROP DATABASE secret"),
                        basic("reader", "reader-password"), null, 403),
                Arguments.of("reader_sql_other_db", "POST", "/api/v1/sql?db=secret", basic("reader", "reader-password"),
                        "SELECT * FROM cpu", 403),
                Arguments.of("reader_sql_own_db", "POST", "/api/v1/sql?db=metrics", basic("reader", "reader-password"),
                        "SELECT * FROM cpu", 200),
                Arguments.of("reader_promql_own_db", "GET", "/api/v1/query?db=metrics&query=1", basic("reader", "reader-password"), null, 200),
                Arguments.of("reader_promql_other_db", "GET", "/api/v1/query?db=secret&query=1", basic("reader", "reader-password"), null, 403),
                Arguments.of("reader_series_other_db_in_form_body", "POST", "/api/v1/series", basic("reader", "reader-password"),
                        "FORM:db=secret&match[]=cpu", 403),
                Arguments.of("reader_series_own_db_in_form_body", "POST", "/api/v1/series", basic("reader", "reader-password"),
                        "FORM:db=metrics&match[]=cpu", 200),
                Arguments.of("malformed_form_body_is_a_client_error", "POST", "/api/v1/series", basic("reader", "reader-password"),
                        "FORM:db=%zz", 400),
                Arguments.of("reader_not_admin", "GET", "/api/v1/admin/databases", basic("reader", "reader-password"), null, 403),
                Arguments.of("reader_cannot_probe_backup_paths", "POST", "/api/v1/admin/backup?dir=/tmp/../etc",
                        basic("reader", "reader-password"), null, 403),
                Arguments.of("unclassified_path_needs_admin", "GET", "/api/v1/unknown", basic("reader", "reader-password"), null, 403),
                Arguments.of("unknown_path_for_admin_is_404", "GET", "/api/v1/unknown", basic("root", "root-password"), null, 404),
                Arguments.of("admin_lists_databases", "GET", "/api/v1/admin/databases", basic("root", "root-password"), null, 200),
                Arguments.of("metrics_needs_login", "GET", "/metrics", null, null, 401));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void statusByCredentialsAndPermission(String name, String method, String path, String authorization, String body,
                                          int status) throws Exception {
        String header = authorization == null ? null : authorization.replace("TOKEN", writerToken);
        HttpResponse<String> response = send(method, path, header, body);
        assertEquals(status, response.statusCode(), response.body());
        if (status == 401) {
            assertEquals("Basic realm=\"sundial\"", response.headers().firstValue("WWW-Authenticate").orElse(""));
            assertTrue(response.body().contains(path.startsWith("/api/v2/") ? "\"code\":\"unauthorized\"" : "\"error\":"),
                    response.body());
        }
        if (status == 403) {
            assertTrue(response.body().contains("is not authorized"), response.body());
        }
    }

    /**
     * A refusal sent before the body arrived must not leave a keep-alive connection that the
     * server closes right after: a client reusing it would lose its next request.
     */
    @Test
    void refusalBeforeTheBodyArrivedClosesTheConnection() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.httpUri().getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /write?db=metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
                    + "Content-Length: 9\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            assertTrue(in.readLine().startsWith("HTTP/1.1 401 "));
            List<String> headers = new ArrayList<>();
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                headers.add(line.toLowerCase(Locale.ROOT));
            }
            assertTrue(headers.contains("connection: close"), headers.toString());
        }
    }

    @Test
    void v2ErrorsUseTheV2Shape() throws Exception {
        HttpResponse<String> response = send("POST", "/api/v2/write?bucket=metrics", null, "cpu v=1 1");
        assertEquals(401, response.statusCode());
        assertTrue(response.body().startsWith("{\"code\":\"unauthorized\",\"message\":"), response.body());
    }
}
