package io.sundial.cli;

import java.io.BufferedReader;
import java.io.IOException;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * An interactive SundialQL shell over HTTP, reading statements from standard input: a statement
 * may span lines and ends with {@code ;} outside quotes; shell commands ({@code use},
 * {@code format}, {@code precision}, {@code timing}, {@code history}, {@code help}, {@code \q})
 * take one line. No line editing beyond the terminal's own (no native library); history is kept
 * in a file and listed by {@code history}.
 */
@Command(name = "shell", mixinStandardHelpOptions = true,
        description = {"Interactive SundialQL (InfluxQL) shell on a running Sundial server, reading standard input.",
                "Statements end with ';' and may span lines. Type 'help' for the shell commands, '\\q' to leave.",
                "Exit codes: 0 at end of input or \\q, 2 usage error, 3 no server at --host."})
final class ShellCommand implements Callable<Integer> {
    /** Longest statement the shell buffers before refusing it (the server's own limit is larger). */
    static final int STATEMENT_CHARS_MAX = 1 << 20;
    /** Statements kept in the history file. */
    static final int HISTORY_ENTRIES_MAX = 1_000;
    private static final Set<String> PRECISIONS = Set.of("rfc3339", "h", "m", "s", "ms", "u", "ns");

    @Spec
    CommandSpec spec;

    @Option(names = "--host", paramLabel = "URL", defaultValue = "http://127.0.0.1:8086",
            description = "Server URL. Default: ${DEFAULT-VALUE}.")
    String host;

    @Option(names = "--db", paramLabel = "NAME", description = "Database to start with (change it with 'use NAME').")
    String database;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
            description = "Output: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
    QueryCommand.Format format;

    @Option(names = "--precision", paramLabel = "UNIT", defaultValue = "rfc3339",
            description = "Times as rfc3339 text or integers in h, m, s, ms, u, ns. Default: ${DEFAULT-VALUE}.")
    String precision;

    @Option(names = "--history-file", paramLabel = "FILE",
            description = "Where statements are remembered (default: ~/.sundial_history; 'none' keeps no history).")
    String historyFile;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "PT5M",
            description = "How long to wait for each answer (ISO-8601). Default: 5 minutes.")
    Duration timeout;

    private final Deque<String> history = new ArrayDeque<>();
    private boolean isTiming;
    private PrintStream out;
    private HttpClient client;
    private URI endpoint;

    @Override
    public Integer call() throws IOException {
        out = System.out;
        endpoint = endpoint();
        checkPrecision(precision);
        Path historyPath = historyPath();
        loadHistory(historyPath);
        boolean isInteractive = System.console() != null;
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
            client = http;
            if (isInteractive) {
                out.println("Connected to " + host + ". Type 'help' for commands, '\\q' to leave.");
            }
            StringBuilder statement = new StringBuilder();
            while (true) {
                if (isInteractive) {
                    out.print(statement.isEmpty() ? "> " : "... ");
                    out.flush();
                }
                String line = in.readLine();
                if (line == null) {
                    break;
                }
                if (statement.isEmpty() && !line.isBlank()) {
                    Boolean keepGoing = command(line.strip());
                    if (keepGoing != null) {
                        if (!keepGoing) {
                            break;
                        }
                        continue;
                    }
                }
                statement.append(statement.isEmpty() ? "" : "\n").append(line);
                if (statement.length() > STATEMENT_CHARS_MAX) {
                    System.err.println("sundial: statement longer than " + STATEMENT_CHARS_MAX
                            + " characters was dropped; did you forget the closing ';'?");
                    statement.setLength(0);
                } else if (endsStatement(statement)) {
                    String text = statement.toString().strip();
                    statement.setLength(0);
                    remember(historyPath, text);
                    if (!run(text)) {
                        return QueryCommand.EXIT_NO_SERVER;
                    }
                }
            }
            if (!statement.toString().isBlank()) {
                System.err.println("sundial: input ended inside a statement (no closing ';'); it was not run");
            }
        }
        return 0;
    }

    /** Runs a shell command; null when the line is not one (it starts a statement). False to leave. */
    private Boolean command(String line) {
        String trimmed = line.endsWith(";") ? line.substring(0, line.length() - 1).strip() : line;
        String[] words = trimmed.split("\\s+", 2);
        String verb = words[0].toLowerCase(Locale.ROOT);
        String argument = words.length > 1 ? words[1].strip() : "";
        switch (verb) {
            case "\\q", "exit", "quit" -> {
                return false;
            }
            case "use" -> {
                database = unquote(argument);
                out.println("Using database " + database);
            }
            case "format" -> {
                try {
                    format = QueryCommand.Format.valueOf(argument.toLowerCase(Locale.ROOT));
                    out.println("Format: " + format);
                } catch (IllegalArgumentException e) {
                    System.err.println("sundial: unknown format '" + argument + "'; use table, json or csv");
                }
            }
            case "precision" -> {
                String unit = argument.toLowerCase(Locale.ROOT);
                if (PRECISIONS.contains(unit)) {
                    precision = unit;
                    out.println("Precision: " + precision);
                } else {
                    System.err.println("sundial: unknown precision '" + argument + "'; use rfc3339, h, m, s, ms, u or ns");
                }
            }
            case "timing" -> {
                isTiming = !isTiming;
                out.println("Timing " + (isTiming ? "on" : "off"));
            }
            case "history" -> history.forEach(out::println);
            case "help" -> out.print(HELP);
            default -> {
                return null;
            }
        }
        return true;
    }

    private static final String HELP = """
            Statements end with ';' and may span lines. Shell commands (one line each):
              use <db>                        database for statements that name none
              format table|json|csv           output format
              precision rfc3339|h|m|s|ms|u|ns time format
              timing                          print each statement's time (toggles)
              history                         statements entered so far
              help                            this text
              \\q, exit, quit                  leave
            """;

    /** False when the server cannot be reached (the shell stops: nothing else will work). */
    private boolean run(String statement) throws IOException {
        StringBuilder form = new StringBuilder("q=").append(URLEncoder.encode(statement, StandardCharsets.UTF_8));
        if (database != null) {
            form.append("&db=").append(URLEncoder.encode(database, StandardCharsets.UTF_8));
        }
        if (!precision.equals("rfc3339")) {
            form.append("&epoch=").append(precision);
        }
        HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", format == QueryCommand.Format.csv ? "application/csv" : "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form.toString())).build();
        long started = System.nanoTime();
        HttpResponse<String> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            System.err.println("sundial: cannot connect to " + host + "; is the server running? Start one with 'sundial server'.");
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the answer", e);
        }
        if (response.statusCode() != 200) {
            System.err.println("sundial: " + QueryCommand.errorText(response));
        } else if (format == QueryCommand.Format.csv) {
            out.print(response.body());
        } else {
            Object answer = JsonTree.parse(response.body());
            QueryCommand.reportStatements(answer);
            if (format == QueryCommand.Format.json) {
                out.println(response.body().strip());
            } else {
                QueryCommand.printTables(out, answer);
            }
        }
        if (isTiming) {
            out.printf(Locale.ROOT, "(%.3f s)%n", (System.nanoTime() - started) / 1e9);
        }
        out.flush();
        return true;
    }

    /** Whether the text ends with ';' outside single quotes, double quotes and comments. */
    static boolean endsStatement(CharSequence text) {
        char quote = 0;
        int lastSignificant = -1;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
                lastSignificant = i;
            } else if (c == '-' && i + 1 < text.length() && text.charAt(i + 1) == '-') {
                while (i < text.length() && text.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                lastSignificant = i;
            } else if (!Character.isWhitespace(c)) {
                lastSignificant = i;
            }
        }
        return quote == 0 && lastSignificant >= 0 && text.charAt(lastSignificant) == ';';
    }

    private static String unquote(String name) {
        if (name.length() >= 2 && (name.startsWith("\"") && name.endsWith("\"") || name.startsWith("'") && name.endsWith("'"))) {
            return name.substring(1, name.length() - 1);
        }
        return name;
    }

    private Path historyPath() {
        if ("none".equals(historyFile)) {
            return null;
        }
        if (historyFile != null) {
            return Path.of(historyFile);
        }
        String home = System.getProperty("user.home");
        return home == null ? null : Path.of(home, ".sundial_history");
    }

    private void loadHistory(Path path) {
        if (path == null || !Files.isReadable(path)) {
            return;
        }
        try {
            List<String> lines = Files.readAllLines(path, StandardCharsets.UTF_8);
            lines.subList(Math.max(0, lines.size() - HISTORY_ENTRIES_MAX), lines.size()).forEach(history::addLast);
        } catch (IOException e) {
            System.err.println("sundial: cannot read history " + path + ": " + e.getMessage() + "; starting without it");
        }
    }

    /** Adds a statement to the history (one line: newlines are kept as spaces) and to its file. */
    private void remember(Path path, String statement) {
        String entry = statement.replace('\n', ' ');
        history.addLast(entry);
        while (history.size() > HISTORY_ENTRIES_MAX) {
            history.removeFirst();
        }
        if (path == null) {
            return;
        }
        try {
            if (history.size() == HISTORY_ENTRIES_MAX) {
                Files.write(path, history, StandardCharsets.UTF_8); // rewrite to keep the file bounded
            } else {
                Files.writeString(path, entry + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
        } catch (IOException e) {
            System.err.println("sundial: cannot write history " + path + ": " + e.getMessage());
        }
    }

    private void checkPrecision(String unit) {
        if (!PRECISIONS.contains(unit)) {
            throw new ParameterException(spec.commandLine(), "--precision '" + unit + "' is not one of rfc3339, h, m, s, ms, u, ns");
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
}
