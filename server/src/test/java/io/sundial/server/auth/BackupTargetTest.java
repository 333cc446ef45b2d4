package io.sundial.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import io.sundial.server.ServerOptions;
import io.sundial.server.SundialServer;
import io.sundial.storage.Databases;
import io.sundial.storage.EngineOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BackupTargetTest {
    @TempDir
    Path tmp;

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of("relative", (BiFunction<Path, Path, String>) (root, tmp) -> "backups/x", "absolute path"),
                Arguments.of("dot_dot_segment", (BiFunction<Path, Path, String>) (root, tmp) -> root + "/../etc", "'..' segment"),
                Arguments.of("dot_segment", (BiFunction<Path, Path, String>) (root, tmp) -> root + "/./x", "'.' segment"),
                Arguments.of("outside_root", (BiFunction<Path, Path, String>) (root, tmp) -> tmp.resolve("elsewhere").toString(),
                        "outside the backup root"),
                Arguments.of("root_itself", (BiFunction<Path, Path, String>) (root, tmp) -> root.toString(), "outside the backup root"),
                Arguments.of("symlink_out_of_root", (BiFunction<Path, Path, String>) (root, tmp) -> root.resolve("link/x").toString(),
                        "outside the backup root"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void refuses(String name, BiFunction<Path, Path, String> requested, String expected) throws IOException {
        Path root = Files.createDirectories(tmp.resolve("backups"));
        Files.createDirectories(tmp.resolve("elsewhere"));
        Files.createSymbolicLink(root.resolve("link"), tmp.resolve("elsewhere"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BackupTarget.check(requested.apply(root, tmp), root));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void acceptsNewDirectoriesInsideTheRoot() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("backups"));
        assertEquals(root.resolve("2026/one"), BackupTarget.check(root.resolve("2026/one").toString(), root));
        assertEquals(tmp.resolve("x"), BackupTarget.check(tmp.resolve("x").toString(), null));
    }

    @Test
    void backupEndpointRefusesTraversalAndErrorsCarryNoStackTrace() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("backups"));
        try (Databases databases = Databases.open(tmp.resolve("data"), EngineOptions.defaults());
             SundialServer server = SundialServer.start(databases, ServerOptions.defaults()
                             .withHttpAddress(new InetSocketAddress("127.0.0.1", 0)).withLineProtocolAddress(null),
                     SecurityOptions.none().withBackupRoot(root))) {
            HttpClient client = HttpClient.newHttpClient();
            String dir = URLEncoder.encode(root + "/../../etc/sundial", StandardCharsets.UTF_8);
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                    URI.create(server.httpUri() + "/api/v1/admin/backup?dir=" + dir))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(400, response.statusCode(), response.body());
            assertTrue(response.body().contains("'..' segment"), response.body());
            assertTrue(Files.notExists(tmp.resolve("etc")));

            // A request Jetty itself rejects is answered in JSON, without Java internals.
            try (Socket socket = new Socket("127.0.0.1", server.httpAddress().getPort())) {
                OutputStream out = socket.getOutputStream();
                out.write("GET /ping HTTP/1.1\r\nHost: x\r\nBad Header Without Colon\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = socket.getInputStream();
                String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
                assertTrue(answer.contains("{\"error\":"), answer);
                assertTrue(!answer.contains("Exception") && !answer.contains("at org.eclipse"), answer);
            }
        }
    }
}
