package io.sundial.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.server.auth.SecurityOptions;
import io.sundial.server.auth.UserStore;
import io.sundial.storage.Databases;
import io.sundial.storage.EngineOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The console's files over HTTP: types, caching, gzip, 404s, and that they are public while the API is not. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleServingTest {
    private static final Pattern ASSET_REFERENCE = Pattern.compile("(?:src|href)=\"(/assets/[^\"]+)\"");

    @TempDir
    static Path dataDir;
    private Databases databases;
    private SundialServer server;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    void start() throws IOException {
        databases = Databases.open(dataDir, EngineOptions.defaults().withBackgroundCompaction(false));
        UserStore users = UserStore.open(dataDir);
        users.createUser("admin", "admin-password", true);
        server = SundialServer.start(databases, ServerOptions.defaults()
                        .withHttpAddress(new InetSocketAddress("127.0.0.1", 0)).withLineProtocolAddress(null),
                SecurityOptions.none().withUsers(users));
    }

    @AfterAll
    void stop() throws IOException {
        try {
            server.close();
        } finally {
            client.close();
            databases.close();
        }
    }

    private HttpResponse<byte[]> get(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).GET();
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private URI uri(String path) {
        return URI.create(server.httpUri().toString().replaceAll("/$", "") + path);
    }

    private static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    private List<String> assetPaths() throws IOException, InterruptedException {
        Matcher m = ASSET_REFERENCE.matcher(text(get("/")));
        List<String> paths = new ArrayList<>();
        while (m.find()) {
            paths.add(m.group(1));
        }
        return paths;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "/,           text/html; charset=utf-8",
            "/index.html, text/html; charset=utf-8",
            "/favicon.svg, image/svg+xml",
    })
    void servesThePageWithoutCachingAndWithoutCredentials(String path, String contentType) throws Exception {
        HttpResponse<byte[]> answer = get(path);
        assertEquals(200, answer.statusCode(), text(answer));
        assertEquals(contentType, answer.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("no-cache", answer.headers().firstValue("Cache-Control").orElseThrow());
        assertEquals("nosniff", answer.headers().firstValue("X-Content-Type-Options").orElseThrow());
        if (contentType.startsWith("text/html")) {
            assertTrue(text(answer).contains("<div id=\"app\">"), text(answer));
            assertTrue(answer.headers().firstValue("Content-Security-Policy").orElseThrow().contains("script-src 'self'"));
        }
    }

    @Test
    void servesTheHashedScriptAndStylesheetForAYearWithTheirTypes() throws Exception {
        List<String> paths = assetPaths();
        assertTrue(paths.stream().anyMatch(p -> p.endsWith(".js")) && paths.stream().anyMatch(p -> p.endsWith(".css")), paths.toString());
        for (String path : paths) {
            HttpResponse<byte[]> answer = get(path);
            assertEquals(200, answer.statusCode(), path);
            String expectedType = path.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8";
            assertEquals(expectedType, answer.headers().firstValue("Content-Type").orElseThrow(), path);
            assertEquals("public, max-age=31536000, immutable", answer.headers().firstValue("Cache-Control").orElseThrow(), path);
            assertTrue(answer.body().length > 1000, path + " is " + answer.body().length + " bytes");
        }
    }

    @Test
    void gzipsForClientsThatAcceptItAndTheBytesDecodeToTheSameFile() throws Exception {
        String script = assetPaths().stream().filter(p -> p.endsWith(".js")).findFirst().orElseThrow();
        HttpResponse<byte[]> plain = get(script);
        HttpResponse<byte[]> gzipped = get(script, "Accept-Encoding", "gzip, deflate");
        assertEquals("gzip", gzipped.headers().firstValue("Content-Encoding").orElseThrow());
        assertEquals("Accept-Encoding", gzipped.headers().firstValue("Vary").orElseThrow());
        assertFalse(plain.headers().firstValue("Content-Encoding").isPresent());
        assertTrue(gzipped.body().length < plain.body().length / 2, gzipped.body().length + " vs " + plain.body().length);
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped.body()))) {
            assertArrayEquals(plain.body(), in.readAllBytes());
        }
        HttpResponse<byte[]> refused = get(script, "Accept-Encoding", "gzip;q=0, identity");
        assertFalse(refused.headers().firstValue("Content-Encoding").isPresent());
    }

    @Test
    void answersNotModifiedForTheCurrentEtag() throws Exception {
        HttpResponse<byte[]> first = get("/");
        String etag = first.headers().firstValue("ETag").orElseThrow();
        HttpResponse<byte[]> again = get("/", "If-None-Match", etag);
        assertEquals(304, again.statusCode());
        assertEquals(0, again.body().length);
        assertEquals(200, get("/", "If-None-Match", "\"other\"").statusCode());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "/assets/index-missing.js, no console file /assets/index-missing.js",
            "/assets/,                 no console file /assets/",
    })
    void unknownConsoleFilesAre404WithoutCredentials(String path, String message) throws Exception {
        HttpResponse<byte[]> answer = get(path);
        assertEquals(404, answer.statusCode(), text(answer));
        assertTrue(text(answer).contains(message), text(answer));
    }

    @Test
    void refusesOtherMethodsOnTheConsole() throws Exception {
        HttpResponse<String> answer = client.send(HttpRequest.newBuilder(uri("/"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, answer.statusCode(), answer.body());
        assertEquals("GET, HEAD", answer.headers().firstValue("Allow").orElseThrow());
    }

    @Test
    void theApiStillNeedsCredentialsAndAScriptGetsNoBrowserChallenge() throws Exception {
        HttpResponse<byte[]> browser = get("/query?q=SHOW+DATABASES");
        assertEquals(401, browser.statusCode());
        assertTrue(browser.headers().firstValue("WWW-Authenticate").isPresent());
        HttpResponse<byte[]> script = get("/query?q=SHOW+DATABASES", "X-Requested-With", "XMLHttpRequest");
        assertEquals(401, script.statusCode());
        assertFalse(script.headers().firstValue("WWW-Authenticate").isPresent(), "the console shows its own login form");
        String basic = "Basic " + java.util.Base64.getEncoder().encodeToString("admin:admin-password".getBytes(StandardCharsets.UTF_8));
        HttpResponse<byte[]> signedIn = get("/query?q=SHOW+DATABASES", "X-Requested-With", "XMLHttpRequest", "Authorization", basic);
        assertEquals(200, signedIn.statusCode(), text(signedIn));
        assertEquals(401, get("/api/v1/status/config").statusCode());
    }
}
