package io.sundial.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sundial.server.auth.SecurityOptions;
import io.sundial.server.auth.UserStore;
import io.sundial.storage.Databases;
import io.sundial.storage.EngineOptions;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web console in a real browser: starts a server with authentication on, runs
 * console/web/e2e/console.e2e.mjs (playwright-core driving Debian's headless chromium) against it
 * and checks the script's outcome, the data it loaded through the Ingest page and the chart's
 * screenshot. Skipped when chromium, node or the console's node_modules are absent.
 */
class ConsoleBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path WEB = Path.of("..", "console", "web").toAbsolutePath().normalize();
    private static final Duration SMOKE_DEADLINE = Duration.ofSeconds(120);
    private static final Duration FULL_DEADLINE = Duration.ofSeconds(240);

    @TempDir
    Path dataDir;
    @TempDir
    Path outDir;

    @Test
    void smokeLoadsDataChartsTabulatesAndShowsAnErrorPosition() throws Exception {
        runScript(List.of(), SMOKE_DEADLINE);
    }

    /** The whole suite (EXPLAIN, PromQL, schema, status): `mvn -Plong -pl server -am test -Dtest=ConsoleBrowserTest`. */
    @Test
    @Tag("slow")
    void fullSuite() throws Exception {
        runScript(List.of("--full"), FULL_DEADLINE);
    }

    private void runScript(List<String> flags, Duration deadline) throws Exception {
        Optional<Path> node = onPath("node");
        assumeTrue(Files.isExecutable(CHROMIUM), "no " + CHROMIUM + " (apt-get install -y chromium)");
        assumeTrue(node.isPresent(), "no node on PATH");
        assumeTrue(Files.isDirectory(WEB.resolve("node_modules/playwright-core")),
                "no " + WEB.resolve("node_modules/playwright-core") + ": build the console module first (mvn -pl console package)");
        Databases databases = Databases.open(dataDir, EngineOptions.defaults().withBackgroundCompaction(false));
        UserStore users = UserStore.open(dataDir);
        users.createUser("admin", "console-password", true);
        try (databases; SundialServer server = SundialServer.start(databases, ServerOptions.defaults()
                        .withHttpAddress(new InetSocketAddress("127.0.0.1", 0)).withLineProtocolAddress(null),
                SecurityOptions.none().withUsers(users))) {
            String baseUrl = server.httpUri().toString().replaceAll("/$", "");
            List<String> command = new java.util.ArrayList<>(List.of(node.get().toString(), "e2e/console.e2e.mjs", "--out", outDir.toString()));
            command.addAll(flags);
            ProcessBuilder builder = new ProcessBuilder(command).directory(WEB.toFile()).redirectErrorStream(true)
                    .redirectOutput(outDir.resolve("output.txt").toFile());
            builder.environment().put("SUNDIAL_URL", baseUrl);
            builder.environment().put("CHROMIUM", CHROMIUM.toString());
            builder.environment().put("SUNDIAL_USER", "admin");
            builder.environment().put("SUNDIAL_PASSWORD", "console-password");
            Process process = builder.start();
            boolean finished = process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            String output = Files.readString(outDir.resolve("output.txt"));
            assertTrue(finished, "the browser test did not finish within " + deadline + "; output:\n" + output);
            assertEquals(0, process.exitValue(), "the browser test failed; output:\n" + output);
            assertTrue(output.contains("\"ok\":true"), output);

            // What the browser uploaded is stored: 2 hosts x 50 minutes, the conflicting point rejected.
            assertEquals("100", countOfUsage(server.httpUri()), output);
            assertChartHasManyColours(outDir.resolve("chart.png"), output);
        }
    }

    private static String countOfUsage(URI base) throws IOException, InterruptedException {
        try (HttpClient client = HttpClient.newHttpClient()) {
            String credential = Base64.getEncoder().encodeToString("admin:console-password".getBytes(StandardCharsets.UTF_8));
            HttpResponse<String> answer = client.send(HttpRequest.newBuilder(URI.create(base.toString().replaceAll("/$", "")
                            + "/query?db=sundial&q=SELECT+count(usage)+FROM+cpu")).header("Authorization", "Basic " + credential).build(),
                    HttpResponse.BodyHandlers.ofString());
            String body = answer.body();
            int at = body.indexOf("\"values\":[[");
            assertTrue(at >= 0, body);
            String row = body.substring(at + "\"values\":[[".length(), body.indexOf("]]", at));
            return row.substring(row.indexOf(',') + 1);
        }
    }

    /** A blank or failed chart is one or two flat colours; lines, axes and text make many. */
    private static void assertChartHasManyColours(Path png, String output) throws IOException {
        BufferedImage image = ImageIO.read(png.toFile());
        assertTrue(image != null, "no screenshot at " + png + "; output:\n" + output);
        assertTrue(image.getWidth() >= 300 && image.getHeight() >= 200, image.getWidth() + "x" + image.getHeight());
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                colours.add(image.getRGB(x, y));
            }
        }
        assertTrue(colours.size() >= 32, "the chart screenshot has " + colours.size() + " colours");
        // The two series' own colours (palette entries 1 and 2) are drawn, not just axes.
        assertTrue(colours.contains(0xFF1F77B4) && colours.contains(0xFFFF7F0E),
                "the screenshot lacks the lines' colours #1f77b4 and #ff7f0e");
    }

    private static Optional<Path> onPath(String program) {
        for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(directory, program);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
