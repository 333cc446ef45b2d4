package io.sundial.cli;

import io.sundial.core.PointColumns;
import io.sundial.core.Precision;
import io.sundial.ingest.FormatRegistry;
import io.sundial.ingest.ParseOptions;
import io.sundial.ingest.ParsedRows;
import io.sundial.ingest.PointParser;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Loads a file into a running server: line protocol streamed in batches to {@code /write}, CSV
 * and JSON sent whole with their Content-Type (the server's parser handles them as it does for any
 * client: parsed into {@code PointColumns} and written by {@code Engine.write(PointColumns)}).
 * Reports points written and rejected with the first reasons, line numbers relative to the file.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Load line protocol, CSV or JSON into a running Sundial server.",
                "Exit codes: 0 every point written, 1 some points rejected (reasons on stderr) or the server refused"
                        + " the import, 2 usage error, 3 no server at --host."})
final class ImportCommand implements Callable<Integer> {
    static final int EXIT_REJECTED = 1;
    static final int EXIT_NO_SERVER = 3;
    static final int REASONS_KEPT_MAX = 10;
    static final int BATCH_POINTS_MAX = 1_000_000;
    private static final int READ_BUFFER_BYTES = 1 << 16;
    private static final int COUNT_BATCH_RECORDS = 5_000;
    private static final int UNAVAILABLE_RETRIES_MAX = 10;
    private static final Pattern LINE_POSITION = Pattern.compile("line (\\d+), column (\\d+)");
    private static final Pattern DROPPED = Pattern.compile("dropped=(\\d+)\\s*$");

    enum Format { lp, csv, json }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "File to import, or '-' for standard input.")
    String file;

    @Option(names = "--host", paramLabel = "URL", defaultValue = "http://127.0.0.1:8086",
            description = "Server URL. Default: ${DEFAULT-VALUE}.")
    String host;

    @Option(names = "--db", paramLabel = "NAME", description = "Database (default: the server's default database).")
    String database;

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "${COMPLETION-CANDIDATES}. Default: from the file extension (.lp, .csv, .json, .ndjson), else by"
                    + " sniffing the first bytes as the server does.")
    Format format;

    @Option(names = "--precision", paramLabel = "UNIT", defaultValue = "ns",
            description = "Unit of integer timestamps: ns, us, ms or s. Default: ${DEFAULT-VALUE}.")
    String precision;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "5000",
            description = "Line protocol points per request (1 to 1,000,000). Default: ${DEFAULT-VALUE}.")
    int batchPoints;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "PT5M",
            description = "How long to wait for each request (ISO-8601). Default: 5 minutes.")
    Duration timeout;

    /** Tallies of the whole import; reasons carry file line numbers. */
    static final class Tally {
        long written;
        long rejected;
        long bytesSent;
        final List<String> reasons = new ArrayList<>();

        void reason(String text) {
            if (reasons.size() < REASONS_KEPT_MAX) {
                reasons.add(text);
            }
        }
    }

    /** The server refused the import as a whole (unknown database, body too large, internal error). */
    static final class ImportRefusedException extends Exception {
        private static final long serialVersionUID = 1L;

        ImportRefusedException(String message) {
            super(message);
        }
    }

    @Override
    public Integer call() throws Exception {
        if (batchPoints < 1 || batchPoints > BATCH_POINTS_MAX) {
            throw new ParameterException(spec.commandLine(), "--batch " + batchPoints + " is outside 1 to " + BATCH_POINTS_MAX);
        }
        Precision unit;
        try {
            unit = Precision.parse(precision);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--precision: " + e.getMessage());
        }
        URI writeUri = writeUri(unit);
        PrintStream err = System.err;
        Path spooled = null;
        Path input = file.equals("-") ? null : Path.of(file);
        if (input != null && !Files.isRegularFile(input)) {
            throw new ParameterException(spec.commandLine(), "no file " + input + " to import");
        }
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
            Format chosen = format != null ? format : detect(input);
            if (input == null && chosen != Format.lp) {
                // Counting CSV/JSON records needs a second read, which stdin does not allow.
                spooled = Files.createTempFile("sundial-import", "." + chosen);
                try (InputStream in = System.in) {
                    Files.copy(in, spooled, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
                input = spooled;
            }
            long size = input == null ? -1 : Files.size(input);
            ImportProgress progress = new ImportProgress(err, System.console() != null && System.console().isTerminal(), size);
            Tally tally = new Tally();
            try {
                if (chosen == Format.lp) {
                    try (InputStream in = input == null ? System.in : Files.newInputStream(input)) {
                        importLineProtocol(client, writeUri, in, tally, progress);
                    }
                } else {
                    importWhole(client, writeUri, input, chosen, unit, tally, progress);
                }
            } catch (ConnectException | HttpConnectTimeoutException e) {
                progress.finish();
                err.println("sundial: cannot connect to " + host + " (" + (e.getMessage() == null ? "connection refused"
                        : e.getMessage()) + "); is the server running? Start one with 'sundial server'.");
                return EXIT_NO_SERVER;
            } catch (ImportRefusedException e) {
                progress.finish();
                report(err, tally);
                err.println("sundial: import stopped: " + e.getMessage());
                return EXIT_REJECTED;
            }
            progress.finish();
            report(err, tally);
            return tally.rejected == 0 ? 0 : EXIT_REJECTED;
        } finally {
            if (spooled != null) {
                Files.deleteIfExists(spooled);
            }
        }
    }

    private URI writeUri(Precision unit) {
        String base = host.contains("://") ? host : "http://" + host;
        try {
            URI uri = new URI(base.endsWith("/") ? base : base + "/");
            if (uri.getHost() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                throw new URISyntaxException(host, "expected http://HOST:PORT");
            }
            StringBuilder query = new StringBuilder("write?precision=").append(unit.symbol());
            if (database != null) {
                query.append("&db=").append(URLEncoder.encode(database, StandardCharsets.UTF_8));
            }
            return uri.resolve(query.toString());
        } catch (URISyntaxException e) {
            throw new ParameterException(spec.commandLine(), "--host '" + host + "' is not a server URL: " + e.getMessage());
        }
    }

    /** By extension, else by the registry's sniffing of the first bytes (stdin: line protocol unless told). */
    static Format detect(Path input) throws IOException {
        if (input == null) {
            return Format.lp;
        }
        String name = input.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".csv")) {
            return Format.csv;
        }
        if (name.endsWith(".json") || name.endsWith(".ndjson") || name.endsWith(".jsonl")) {
            return Format.json;
        }
        if (name.endsWith(".lp") || name.endsWith(".txt") || name.endsWith(".line")) {
            return Format.lp;
        }
        byte[] head = new byte[FormatRegistry.SNIFF_BYTES];
        int length;
        try (InputStream in = Files.newInputStream(input)) {
            length = in.readNBytes(head, 0, head.length);
        }
        return FormatRegistry.withBuiltins().bySniff(head, length)
                .map(f -> f.names().contains("csv") ? Format.csv : f.names().contains("json") ? Format.json : Format.lp)
                .orElse(Format.lp);
    }

    // ------------------------------------------------------------------ line protocol

    /**
     * Cuts the stream at line ends into batches of {@code batchPoints} point lines (blank and
     * comment lines travel along but are not points), so the server's line numbers map back to
     * the file by the batch's first line.
     */
    private void importLineProtocol(HttpClient client, URI uri, InputStream in, Tally tally, ImportProgress progress)
            throws IOException, InterruptedException, ImportRefusedException {
        byte[] buffer = new byte[READ_BUFFER_BYTES];
        ByteArrayOutputStream batch = new ByteArrayOutputStream(1 << 20);
        long line = 1;
        long batchFirstLine = 1;
        int points = 0;
        int lineKind = 0; // 0 nothing yet, 1 point, 2 comment
        boolean endsWithNewline = true;
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            endsWithNewline = n == 0 ? endsWithNewline : buffer[n - 1] == '\n';
            int segmentStart = 0;
            for (int i = 0; i < n; i++) {
                byte b = buffer[i];
                if (b == '\n') {
                    points += lineKind == 1 ? 1 : 0;
                    lineKind = 0;
                    line++;
                    if (points >= batchPoints) {
                        batch.write(buffer, segmentStart, i + 1 - segmentStart);
                        segmentStart = i + 1;
                        send(client, uri, batch.toByteArray(), points, batchFirstLine, line - 1, tally);
                        progress.update(tally.written + tally.rejected, tally.bytesSent);
                        batch.reset();
                        points = 0;
                        batchFirstLine = line;
                    }
                } else if (lineKind == 0 && b != ' ' && b != '\t' && b != '\r') {
                    lineKind = b == '#' ? 2 : 1;
                }
            }
            batch.write(buffer, segmentStart, n - segmentStart);
        }
        points += lineKind == 1 ? 1 : 0;
        if (points > 0) {
            send(client, uri, batch.toByteArray(), points, batchFirstLine, endsWithNewline ? line - 1 : line, tally);
            progress.update(tally.written + tally.rejected, tally.bytesSent);
        }
    }

    // ------------------------------------------------------------------ CSV and JSON

    private void importWhole(HttpClient client, URI uri, Path input, Format chosen, Precision unit, Tally tally,
                             ImportProgress progress) throws IOException, InterruptedException, ImportRefusedException {
        long records = countRecords(input, chosen, unit);
        long size = Files.size(input);
        Supplier<InputStream> body = () -> {
            try {
                return new ProgressStream(Files.newInputStream(input), bytes -> progress.update(
                        size == 0 ? 0 : (long) ((double) records * bytes / size), bytes));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Content-Type", chosen == Format.csv ? "text/csv" : "application/json")
                .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(body), size)).build();
        HttpResponse<String> response = sendWithRetries(client, request);
        tally.bytesSent += size;
        account(response, records, 1, 0, tally);
    }

    /**
     * Points and bad records as the server's own parser will see them (same registry, same
     * precision, the same columnar path as the server's write), for the progress bar's ETA.
     */
    private static long countRecords(Path input, Format chosen, Precision unit) throws IOException {
        long records = 0;
        ParseOptions options = ParseOptions.builder().precision(unit).build();
        PointColumns columns = new PointColumns(COUNT_BATCH_RECORDS, 8);
        try (InputStream in = Files.newInputStream(input);
             PointParser parser = FormatRegistry.withBuiltins().open(in, chosen.name(), null, options)) {
            ParsedRows rows;
            do {
                columns.clear();
                rows = parser.nextRows(columns, COUNT_BATCH_RECORDS);
                records += columns.rowCount() + rows.errors().size();
            } while (!rows.isEndOfInput());
        }
        return records;
    }

    /** Counts bytes as the HTTP client reads them and reports them. */
    private static final class ProgressStream extends FilterInputStream {
        private final java.util.function.LongConsumer listener;
        private long bytes;

        ProgressStream(InputStream in, java.util.function.LongConsumer listener) {
            super(in);
            this.listener = listener;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                bytes += n;
                listener.accept(bytes);
            }
            return n;
        }
    }

    // ------------------------------------------------------------------ requests and answers

    private void send(HttpClient client, URI uri, byte[] body, int points, long firstLine, long lastLine, Tally tally)
            throws IOException, InterruptedException, ImportRefusedException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).header("Content-Type", "text/plain; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        HttpResponse<String> response = sendWithRetries(client, request);
        tally.bytesSent += body.length;
        account(response, points, firstLine, lastLine, tally);
    }

    /** A 503 means storage is catching up: wait as the server asks (Retry-After) and send again. */
    private static HttpResponse<String> sendWithRetries(HttpClient client, HttpRequest request)
            throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 503 || attempt == UNAVAILABLE_RETRIES_MAX) {
                return response;
            }
            long seconds = response.headers().firstValueAsLong("Retry-After").orElse(5);
            Thread.sleep(Duration.ofSeconds(Math.clamp(seconds, 1, 60)));
        }
    }

    /**
     * Folds one answer into the tally: 204 all written, 400 partial or nothing, anything else stops.
     *
     * @param lastLine last file line of the request, or 0 when the request was the whole file
     */
    static void account(HttpResponse<String> response, long points, long firstLine, long lastLine, Tally tally)
            throws ImportRefusedException {
        int status = response.statusCode();
        if (status == 204 || status == 200) {
            tally.written += points;
            return;
        }
        String message = errorMessage(response.body());
        if (status != 400) {
            throw new ImportRefusedException("HTTP " + status + ": " + message
                    + (status == 413 ? " (lower --batch, or split the file)" : ""));
        }
        Matcher dropped = DROPPED.matcher(message);
        long rejected = message.startsWith("partial write") && dropped.find() ? Math.min(points, Long.parseLong(dropped.group(1)))
                : points;
        tally.rejected += rejected;
        tally.written += points - rejected;
        tally.reason(withFileLines(message, firstLine, lastLine));
    }

    private static String errorMessage(String body) {
        try {
            if (JsonTree.parse(body) instanceof Map<?, ?> map && map.get("error") instanceof String text) {
                return text;
            }
        } catch (IOException | RuntimeException e) {
            // not JSON: show the body as it came
        }
        return body.strip();
    }

    /**
     * Rewrites the last "line N, column M" of a server message from batch to file line numbers; a
     * message without a position (a storage rejection such as a field type conflict) gets the
     * batch's line range.
     */
    static String withFileLines(String message, long firstLine, long lastLine) {
        Matcher m = LINE_POSITION.matcher(message);
        int start = -1;
        int end = -1;
        long line = 0;
        String column = null;
        while (m.find()) {
            start = m.start();
            end = m.end();
            line = Long.parseLong(m.group(1));
            column = m.group(2);
        }
        if (start < 0) {
            return lastLine > 0 ? message + " (in lines " + firstLine + " to " + lastLine + ")" : message;
        }
        if (firstLine == 1) {
            return message;
        }
        return message.substring(0, start) + "line " + (firstLine + line - 1) + ", column " + column + message.substring(end);
    }

    private static void report(PrintStream err, Tally tally) {
        err.printf(Locale.ROOT, "imported %,d points, rejected %,d (%s sent)%n", tally.written, tally.rejected,
                ImportProgress.bytesText(tally.bytesSent));
        for (String reason : tally.reasons) {
            err.println("  " + reason);
        }
    }
}
