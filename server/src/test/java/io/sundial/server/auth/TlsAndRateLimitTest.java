package io.sundial.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.server.Eventually;
import io.sundial.server.ServerOptions;
import io.sundial.server.SundialServer;
import io.sundial.storage.Databases;
import io.sundial.storage.EngineOptions;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsAndRateLimitTest {
    @TempDir
    Path dir;

    @TempDir
    static Path certificateDir;
    private static SecurityOptions.Tls certificate;

    /**
     * A self-signed certificate for 127.0.0.1 and localhost with its key, as PEM files: fixed files
     * from the test resources ({@code io/sundial/server/tls/README.md} says how they were made).
     */
    private static synchronized SecurityOptions.Tls selfSigned() throws IOException {
        if (certificate == null) {
            certificate = new SecurityOptions.Tls(copy("self-signed.pem"), copy("self-signed-key.pem"));
        }
        return certificate;
    }

    private static Path copy(String name) throws IOException {
        try (InputStream in = TlsAndRateLimitTest.class.getResourceAsStream("/io/sundial/server/tls/" + name)) {
            if (in == null) {
                throw new IOException("test resource io/sundial/server/tls/" + name + " is missing");
            }
            Path file = certificateDir.resolve(name);
            Files.copy(in, file);
            return file;
        }
    }

    @Test
    void servesHttpsFromPemFiles() throws Exception {
        SecurityOptions.Tls tls = selfSigned();
        try (Databases databases = Databases.open(dir.resolve("data"), EngineOptions.defaults());
             SundialServer server = SundialServer.start(databases, loopback(), SecurityOptions.none().withTls(tls))) {
            assertTrue(server.httpUri().toString().startsWith("https://"), server.httpUri().toString());
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            Certificate certificate;
            try (InputStream in = Files.newInputStream(tls.certificateFile())) {
                certificate = java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in);
            }
            trusted.setCertificateEntry("sundial", certificate);
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, trust.getTrustManagers(), null);
            HttpClient client = HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(10)).build();
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(server.httpUri() + "/ping?verbose=true")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            assertEquals("https", response.uri().getScheme());
            // Plain HTTP on the TLS port gets no API answer.
            HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            URI plainUri = URI.create("http://127.0.0.1:" + server.httpAddress().getPort() + "/ping?verbose=true");
            HttpResponse<String> refused = sendOrNull(plain, plainUri);
            assertTrue(refused == null || refused.statusCode() == 400, "plain HTTP must not be served: " + refused);
        }
    }

    private static HttpResponse<String> sendOrNull(HttpClient client, URI uri) throws InterruptedException {
        try {
            return client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        }
    }

    @Test
    void keyInPkcs1FormIsRefusedWithAConversionHint() throws Exception {
        SecurityOptions.Tls tls = new SecurityOptions.Tls(selfSigned().certificateFile(), dir.resolve("pkcs1.pem"));
        Files.writeString(tls.privateKeyFile(), "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
        IOException e = assertThrows(IOException.class, () -> PemKeyStore.load(tls.certificateFile(), tls.privateKeyFile()));
        assertTrue(e.getMessage().contains("openssl pkcs8 -topk8"), e.getMessage());
    }

    @Test
    void rateLimitAnswers429WithRetryAfter() throws Exception {
        // The test drives the limiter's clock: however long the machine stalls between requests, no token refills.
        AtomicLong nowNanos = new AtomicLong(1_000_000_000L);
        try (Databases databases = Databases.open(dir.resolve("data"), EngineOptions.defaults());
             SundialServer server = SundialServer.start(databases, loopback(), SecurityOptions.none()
                     .withRateLimit(new SecurityOptions.RateLimit(0.001, 2)).withRateLimitNanoClock(nowNanos::get))) {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            HttpRequest request = HttpRequest.newBuilder(URI.create(server.httpUri() + "/api/v1/admin/databases")).build();
            assertEquals(200, client.send(request, HttpResponse.BodyHandlers.ofString()).statusCode());
            assertEquals(200, client.send(request, HttpResponse.BodyHandlers.ofString()).statusCode());
            HttpResponse<String> limited = client.send(request, HttpResponse.BodyHandlers.ofString());
            assertEquals(429, limited.statusCode(), limited.body());
            // 0.001 requests/s: the next token is 1000 s away.
            assertEquals("1000", limited.headers().firstValue("Retry-After").orElse(""));
            assertTrue(limited.body().contains("rate limit exceeded"), limited.body());
            // /ping is never limited: health checks keep working.
            HttpRequest ping = HttpRequest.newBuilder(URI.create(server.httpUri() + "/ping")).build();
            assertEquals(204, client.send(ping, HttpResponse.BodyHandlers.ofString()).statusCode());
            nowNanos.addAndGet(999_500_000_000L);
            HttpResponse<String> early = client.send(request, HttpResponse.BodyHandlers.ofString());
            assertEquals(429, early.statusCode(), "0.5 s before the token: " + early.body());
            assertEquals("1", early.headers().firstValue("Retry-After").orElse(""), "Retry-After rounds up");
            nowNanos.addAndGet(1_000_000_000L);
            assertEquals(200, client.send(request, HttpResponse.BodyHandlers.ofString()).statusCode(), "the token refilled");
        }
    }

    @Test
    void nonLoopbackWithoutUsersRefusesToStart() throws Exception {
        try (Databases databases = Databases.open(dir.resolve("data"), EngineOptions.defaults())) {
            ServerOptions open = loopback().withHttpAddress(new InetSocketAddress("0.0.0.0", 0));
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> SundialServer.start(databases, open, SecurityOptions.none()));
            assertTrue(e.getMessage().contains("--insecure-no-auth"), e.getMessage());
            try (SundialServer server = SundialServer.start(databases, open, SecurityOptions.none().withInsecureNoAuth(true))) {
                assertTrue(server.httpAddress().getPort() > 0);
            }
            ServerOptions openLineProtocol = loopback().withLineProtocolAddress(new InetSocketAddress("0.0.0.0", 0));
            IllegalStateException lp = assertThrows(IllegalStateException.class,
                    () -> SundialServer.start(databases, openLineProtocol, SecurityOptions.none()));
            assertTrue(lp.getMessage().contains("line-protocol listener") && lp.getMessage().contains("--lp-addr off"),
                    lp.getMessage());
        }
    }

    @Test
    void userCreatedWhileRunningTurnsAuthenticationOn() throws Exception {
        Path data = dir.resolve("data");
        try (Databases databases = Databases.open(data, EngineOptions.defaults());
             SundialServer server = SundialServer.start(databases, loopback(),
                     SecurityOptions.none().withUsers(UserStore.open(data)))) {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            HttpRequest request = HttpRequest.newBuilder(URI.create(server.httpUri() + "/api/v1/admin/databases")).build();
            assertEquals(200, client.send(request, HttpResponse.BodyHandlers.ofString()).statusCode(), "open: no users yet");
            UserStore.open(data).createUser("root", "root-password", true);
            // The server looks at the file at most once a second: poll until it did, with a deadline.
            int status = Eventually.observe(() -> client.send(request, HttpResponse.BodyHandlers.ofString()).statusCode(),
                    seen -> seen != 200);
            assertEquals(401, status);
        }
    }

    @Test
    void repeatedFailedLoginsAreAnswered429EvenWithTheRightPassword() throws Exception {
        Path data = dir.resolve("data");
        UserStore users = UserStore.open(data);
        users.createUser("root", "root-password", true);
        // The test drives the limiter's clock: a stall of 6 s (one refill) at load 30 must not let a login through.
        AtomicLong nowNanos = new AtomicLong(1_000_000_000L);
        try (Databases databases = Databases.open(data, EngineOptions.defaults());
             SundialServer server = SundialServer.start(databases, loopback(),
                     SecurityOptions.none().withUsers(users).withRateLimitNanoClock(nowNanos::get))) {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            URI uri = URI.create(server.httpUri() + "/api/v1/admin/databases");
            // 10 failures are allowed at once; the 11th try is refused before its password is checked.
            for (int attempt = 0; attempt < 10; attempt++) {
                assertEquals(401, login(client, uri, "guess-" + attempt).statusCode(), "failed login " + attempt);
            }
            assertEquals(429, login(client, uri, "guess-10").statusCode());
            HttpResponse<String> right = login(client, uri, "root-password");
            assertEquals(429, right.statusCode(), "blocked before the password is checked");
            // One failed login refills every 6 s.
            assertEquals("6", right.headers().firstValue("Retry-After").orElse(""));
            assertTrue(right.body().contains("too many failed logins"), right.body());
            nowNanos.addAndGet(6_000_000_000L);
            assertEquals(200, login(client, uri, "root-password").statusCode(), "one refill later the right password works");
            // A success takes nothing from the bucket: the refilled token is still there for one more failure.
            assertEquals(401, login(client, uri, "guess-11").statusCode());
            assertEquals(429, login(client, uri, "root-password").statusCode());
        }
    }

    private static HttpResponse<String> login(HttpClient client, URI uri, String password) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(uri).header("Authorization", HttpAuthenticationTest.basic("root", password)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static ServerOptions loopback() {
        return ServerOptions.defaults().withHttpAddress(new InetSocketAddress("127.0.0.1", 0)).withLineProtocolAddress(null);
    }
}
