package io.sundial.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Runs a SundialQL query on a running server over HTTP ({@code POST /query}, so statements that
 * change data run without InfluxDB's read-only warning) and prints the answer.
 */
@Command(name = "query", mixinStandardHelpOptions = true,
        description = {"Run a SundialQL (InfluxQL) query on a running Sundial server and print the answer.",
                "Exit codes: 0 ok, 1 the query or a statement failed (message on stderr), 2 usage error, "
                        + "3 no server at --host (start one with 'sundial server')."})
final class QueryCommand implements Callable<Integer> {
    static final int EXIT_QUERY_FAILED = 1;
    static final int EXIT_NO_SERVER = 3;

    enum Format { table, json, csv }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "QUERY", description = "The query; several statements separated by ';'.")
    String query;

    @Option(names = "--host", paramLabel = "URL", defaultValue = "http://127.0.0.1:8086",
            description = "Server URL. Default: ${DEFAULT-VALUE}.")
    String host;

    @Option(names = "--db", paramLabel = "NAME", description = "Database of statements that name none (default: the server's default database).")
    String database;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
            description = "Output: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}. json and csv print the server's answer as is.")
    Format format;

    @Option(names = "--epoch", paramLabel = "UNIT",
            description = "Times as integers in h, m, s, ms, u or ns (default: RFC3339 text in table and json, nanoseconds in csv).")
    String epoch;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "PT5M",
            description = "How long to wait for the answer (ISO-8601, e.g. PT30S). Default: 5 minutes.")
    Duration timeout;

    @Override
    public Integer call() throws Exception {
        URI endpoint = endpoint();
        StringBuilder form = new StringBuilder("q=").append(URLEncoder.encode(query, StandardCharsets.UTF_8));
        if (database != null) {
            form.append("&db=").append(URLEncoder.encode(database, StandardCharsets.UTF_8));
        }
        if (epoch != null) {
            form.append("&epoch=").append(URLEncoder.encode(epoch, StandardCharsets.UTF_8));
        }
        if (format == Format.json) {
            form.append("&pretty=true");
        } else if (format == Format.table) {
            // One JSON document per chunk: each series is printed as soon as its last chunk arrives.
            form.append("&chunked=true");
        }
        HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", format == Format.csv ? "application/csv" : "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form.toString())).build();
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                return print(response.statusCode(), body);
            }
        } catch (ConnectException e) {
            System.err.println("sundial: cannot connect to " + host + " (" + (e.getMessage() == null ? "connection refused" : e.getMessage())
                    + "); is the server running? Start one with 'sundial server'.");
            return EXIT_NO_SERVER;
        }
    }

    private URI endpoint() {
        String base = host.contains("://") ? host : "http://" + host;
        try {
            URI uri = new URI(base.endsWith("/") ? base : base + "/");
            if (uri.getHost() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                throw new URISyntaxException(host, "expected http://HOST:PORT");
            }
            return uri.resolve("query");
        } catch (URISyntaxException e) {
            throw new ParameterException(spec.commandLine(), "--host '" + host + "' is not a server URL: " + e.getMessage());
        }
    }

    /** Prints the answer as it arrives: CSV as is, tables series by series; JSON is printed whole. */
    private int print(int status, InputStream body) throws IOException {
        PrintStream out = System.out;
        if (status != 200) {
            System.err.println("sundial: " + errorText(status, new String(body.readAllBytes(), StandardCharsets.UTF_8)));
            return EXIT_QUERY_FAILED;
        }
        if (format == Format.csv) {
            body.transferTo(out);
            out.flush();
            return 0;
        }
        if (format == Format.json) {
            String text = new String(body.readAllBytes(), StandardCharsets.UTF_8);
            int failed = reportStatements(JsonTree.parse(text));
            out.print(text);
            out.flush();
            return failed > 0 ? EXIT_QUERY_FAILED : 0;
        }
        ChunkedTables tables = new ChunkedTables(out);
        BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
        int failed = 0;
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            if (line.isBlank()) {
                continue;
            }
            Object chunk = JsonTree.parse(line);
            failed += reportStatements(chunk);
            tables.add(chunk);
        }
        tables.finish();
        out.flush();
        return failed > 0 ? EXIT_QUERY_FAILED : 0;
    }

    /** The server's {"error": ...} message, or the status and body when it is not JSON. */
    static String errorText(HttpResponse<String> response) {
        return errorText(response.statusCode(), response.body());
    }

    /** The server's {"error": ...} message, or the status and body when it is not JSON. */
    static String errorText(int status, String body) {
        try {
            if (JsonTree.parse(body) instanceof Map<?, ?> map && map.get("error") instanceof String error) {
                return error;
            }
        } catch (IOException e) {
            // not JSON: fall through to the raw answer
        }
        return "HTTP " + status + ": " + body.strip();
    }

    /** Writes each statement's error and warnings to stderr; returns how many statements failed. */
    static int reportStatements(Object answer) {
        int failed = 0;
        for (Map<?, ?> result : maps(member(answer, "results"))) {
            Object id = result.get("statement_id");
            if (result.get("error") instanceof String error) {
                System.err.println("sundial: statement " + id + ": " + error);
                failed++;
            }
            for (Map<?, ?> message : maps(result.get("messages"))) {
                System.err.println("sundial: statement " + id + ": " + message.get("level") + ": " + message.get("text"));
            }
        }
        return failed;
    }

    @SuppressWarnings("unchecked")
    static void printTables(PrintStream out, Object answer) {
        boolean isFirst = true;
        for (Map<?, ?> result : maps(member(answer, "results"))) {
            for (Map<?, ?> series : maps(result.get("series"))) {
                if (!isFirst) {
                    out.println();
                }
                isFirst = false;
                String name = series.get("name") instanceof String text ? text : "";
                Map<String, Object> tags = series.get("tags") instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
                List<String> columns = series.get("columns") instanceof List<?> list ? (List<String>) list : List.of();
                List<List<Object>> rows = series.get("values") instanceof List<?> list ? (List<List<Object>>) list : List.of();
                out.print(TableText.render(name, tags, columns, rows));
            }
        }
    }

    private static Object member(Object object, String name) {
        return object instanceof Map<?, ?> map ? map.get(name) : null;
    }

    private static List<Map<?, ?>> maps(Object list) {
        if (!(list instanceof List<?> elements)) {
            return List.of();
        }
        return elements.stream().filter(e -> e instanceof Map<?, ?>).<Map<?, ?>>map(e -> (Map<?, ?>) e).toList();
    }
}
