package io.sundial.cli;

import io.sundial.storage.Databases;
import io.sundial.storage.EngineOptions;
import io.sundial.storage.backup.BackupManifest;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Online backup through a running server, or offline from a stopped data directory. */
@Command(name = "backup", mixinStandardHelpOptions = true,
        description = {"Back up every database into a new or empty directory (consistent; writes continue).",
                "Without --data-dir the running server at --host writes the backup (DIR is a path on the server's"
                        + " machine); with --data-dir a stopped data directory is backed up directly.",
                "Exit codes: 0 ok, 1 the backup failed, 2 usage error, 3 no server at --host."})
final class BackupCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "Backup directory: new or empty, outside the data directory.")
    Path target;

    @Option(names = "--host", paramLabel = "URL", defaultValue = "http://127.0.0.1:8086",
            description = "Server URL. Default: ${DEFAULT-VALUE}.")
    String host;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Back up this stopped data directory instead of asking a server.")
    Path dataDir;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "PT1H",
            description = "How long to wait for the server (ISO-8601). Default: 1 hour.")
    Duration timeout;

    @Override
    public Integer call() throws Exception {
        Path absolute = target.toAbsolutePath().normalize();
        if (dataDir != null) {
            try (Databases databases = Databases.open(dataDir, EngineOptions.defaults().withBackgroundCompaction(false))) {
                BackupManifest manifest = databases.backup(absolute);
                System.out.printf("backed up databases %s to %s: %d files, %d bytes%n", manifest.databases(), absolute,
                        manifest.files().size(), manifest.totalBytes());
            } catch (IllegalArgumentException e) {
                System.err.println("sundial: " + e.getMessage());
                return 1;
            }
            return 0;
        }
        URI uri = endpoint(absolute);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).POST(HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<String> response;
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
            response = client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException | HttpConnectTimeoutException e) {
            System.err.println("sundial: cannot connect to " + host + "; is the server running? For a stopped data"
                    + " directory use --data-dir.");
            return ImportCommand.EXIT_NO_SERVER;
        }
        if (response.statusCode() != 200) {
            System.err.println("sundial: backup failed: HTTP " + response.statusCode() + ": " + response.body().strip());
            return 1;
        }
        System.out.println(response.body().strip());
        return 0;
    }

    private URI endpoint(Path absolute) {
        String base = host.contains("://") ? host : "http://" + host;
        try {
            URI uri = new URI(base.endsWith("/") ? base : base + "/");
            if (uri.getHost() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                throw new URISyntaxException(host, "expected http://HOST:PORT");
            }
            return uri.resolve("api/v1/admin/backup?dir=" + URLEncoder.encode(absolute.toString(), StandardCharsets.UTF_8));
        } catch (URISyntaxException e) {
            throw new ParameterException(spec.commandLine(), "--host '" + host + "' is not a server URL: " + e.getMessage());
        }
    }
}
