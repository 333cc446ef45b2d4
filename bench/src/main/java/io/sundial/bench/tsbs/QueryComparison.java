package io.sundial.bench.tsbs;

import com.fasterxml.jackson.databind.JsonNode;
import io.sundial.bench.tsbs.DevopsQueries.DevopsQuery;
import io.sundial.bench.tsbs.QueryTarget.AnswerException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The TSBS devops query benchmark over HTTP, Sundial side by side with its peers in one run
 * (issue 3, "Benchmarks"). Every server is already running (bench/scripts/tsbs-queries.sh starts
 * them); the arguments name them:
 *
 * <pre>
 * QueryComparison sundial=http://127.0.0.1:P1 influxdb=http://127.0.0.1:P2 \
 *     victoriametrics=http://127.0.0.1:P3 questdb=http://127.0.0.1:P4
 * </pre>
 *
 * <p>It loads set A (100 hosts x 24 h) as identical line-protocol bodies into each, waits until
 * every row is visible, then per query type and per system: one checked request (the answer must
 * be non-empty; Sundial's must equal InfluxDB's), {@code -Dwarmups} untimed requests, and
 * {@code -Druns} timed ones, each timed from sending the request to the last byte of the answer.
 * The timed runs go round robin over the systems, so a burst of load from the machine's other
 * users slows all of them alike.
 * It prints the median, the fastest and slowest run, and the machine load around each type.
 *
 * <p>Properties: {@code -Druns=9} (at least 7), {@code -Dwarmups=3}, {@code -Dqueries=a,b} (a
 * subset of {@link DevopsQueries#TYPES}), {@code -Dhosts=100 -Dhours=24} (the data set),
 * {@code -Dlabels=kind=label,...} (column titles, e.g. with versions), {@code -DanswersDir=DIR} (keep
 * each system's first answer to each query there), {@code -Dclient=blocking|jdk} (what sends the queries:
 * {@link BlockingHttpClient}, one keep-alive socket per system, by default; or java.net.http.HttpClient,
 * whose own overhead of a few milliseconds hid the small query types' differences).
 */
public final class QueryComparison {
    private static final Map<String, String> DEFAULT_LABELS = Map.of("sundial", "Sundial", "influxdb", "InfluxDB",
            "victoriametrics", "VictoriaMetrics", "questdb", "QuestDB", "sundial-cold", "Sundial (query warm-up off)");
    private static final int RUNS_MIN = 7;
    private static final int LOAD_WRITERS = 2;

    private final PrintStream out;
    private final List<QueryTarget> targets;
    private final int runs;
    private final int warmups;
    private final QueryClient.Kind clientKind;
    private final Map<QueryTarget, QueryClient> clients = new LinkedHashMap<>();

    private QueryComparison(PrintStream out, List<QueryTarget> targets, int runs, int warmups,
            QueryClient.Kind clientKind, HttpClient jdkClient) {
        this.out = out;
        this.targets = targets;
        this.runs = runs;
        this.warmups = warmups;
        this.clientKind = clientKind;
        for (QueryTarget target : targets) {
            clients.put(target, clientKind.open(target, jdkClient));
        }
    }

    /** What one system did with one query type: answer rows and timed runs, or why it could not. */
    record Outcome(long rows, double[] millis, String error) {
        static Outcome failed(String error) {
            return new Outcome(-1, new double[0], error);
        }

        boolean isMeasured() {
            return error == null;
        }

        double medianMillis() {
            double[] sorted = millis.clone();
            Arrays.sort(sorted);
            int n = sorted.length;
            return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        }
    }

    public static void main(String[] args) throws Exception {
        int runs = Integer.getInteger("runs", 9);
        if (runs < RUNS_MIN) {
            throw new IllegalArgumentException("-Druns=" + runs + ": the issue asks for at least " + RUNS_MIN + " runs");
        }
        int warmups = Integer.getInteger("warmups", 3);
        DevopsGenerator data = new DevopsGenerator(Integer.getInteger("hosts", 100),
                Duration.ofHours(Integer.getInteger("hours", 24)), false, DevopsGenerator.DEFAULT_SEED);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        List<QueryTarget> targets = targets(args, labels(System.getProperty("labels", "")), client);
        List<String> types = System.getProperty("queries") == null ? DevopsQueries.TYPES
                : List.of(System.getProperty("queries").split(","));
        DevopsQueries queries = new DevopsQueries(data, DevopsQueries.DEFAULT_SEED);
        QueryClient.Kind clientKind = QueryClient.Kind.of(System.getProperty("client", QueryClient.Kind.DEFAULT.label()));
        QueryComparison comparison = new QueryComparison(System.out, targets, runs, warmups, clientKind, client);
        comparison.load(data);
        Map<String, Map<QueryTarget, Outcome>> results = new LinkedHashMap<>();
        List<String> wrong = new ArrayList<>();
        for (String type : types) {
            results.put(type, comparison.measure(queries.of(type.strip()), wrong));
        }
        comparison.clients.values().forEach(QueryClient::close);
        comparison.printTable(results);
        if (!wrong.isEmpty()) {
            System.out.println("\nAnswers that failed the checks:");
            wrong.forEach(w -> System.out.println("  " + w));
        }
        System.out.println("load average at the end: " + loadAverage());
    }

    private static Map<String, String> labels(String text) {
        Map<String, String> labels = new LinkedHashMap<>(DEFAULT_LABELS);
        for (String pair : text.split(",")) {
            int equals = pair.indexOf('=');
            if (equals > 0) {
                labels.put(pair.substring(0, equals).strip(), pair.substring(equals + 1).strip());
            }
        }
        return labels;
    }

    private static List<QueryTarget> targets(String[] args, Map<String, String> labels, HttpClient client) {
        List<QueryTarget> targets = new ArrayList<>();
        for (String arg : args) {
            int equals = arg.indexOf('=');
            if (equals < 0) {
                throw new IllegalArgumentException("argument '" + arg + "' is not kind=url; kinds: " + DEFAULT_LABELS.keySet());
            }
            String kind = arg.substring(0, equals);
            URI base = URI.create(arg.substring(equals + 1));
            String label = labels.getOrDefault(kind, kind);
            targets.add(switch (kind) {
                case "sundial", "sundial-cold" -> new InfluxQlTarget(label, base, client, "/api/v1/admin/flush?db=" + InfluxQlTarget.DATABASE);
                case "influxdb" -> new InfluxQlTarget(label, base, client, null);
                case "victoriametrics" -> new PromQlTarget(label, base, client);
                case "questdb" -> new QuestDbTarget(label, base, client);
                default -> throw new IllegalArgumentException("unknown kind '" + kind + "'; kinds: " + DEFAULT_LABELS.keySet());
            });
        }
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("name at least one server, e.g. sundial=http://127.0.0.1:8086");
        }
        return targets;
    }

    private void load(DevopsGenerator data) throws Exception {
        long started = System.nanoTime();
        List<byte[]> bodies = DevopsLineProtocol.bodies(data, DevopsLineProtocol.POINTS_PER_BODY_DEFAULT);
        long bytes = bodies.stream().mapToLong(b -> b.length).sum();
        out.printf(Locale.ROOT, "data: %d hosts x %d points = %,d rows (%,d values), %d line-protocol bodies of "
                + "%,d bytes in all, generated in %.1f s%n", data.hostCount(), data.pointsPerHost(),
                (long) data.hostCount() * data.pointsPerHost(), data.valueCount(), bodies.size(), bytes,
                (System.nanoTime() - started) / 1e9);
        long rows = (long) data.hostCount() * data.pointsPerHost();
        for (QueryTarget target : targets) {
            String loadBefore = loadAverage();
            long start = System.nanoTime();
            target.prepare();
            writeAll(target, bodies);
            double writeSeconds = (System.nanoTime() - start) / 1e9;
            target.awaitVisible(rows);
            out.printf(Locale.ROOT, "loaded %-16s %,d rows written in %.1f s (%,.0f values/s), all visible after "
                    + "%.1f s; load %s -> %s%n", target.name, rows, writeSeconds, data.valueCount() / writeSeconds,
                    (System.nanoTime() - start) / 1e9, loadBefore, loadAverage());
        }
    }

    private static void writeAll(QueryTarget target, List<byte[]> bodies) throws Exception {
        AtomicInteger next = new AtomicInteger();
        try (ExecutorService writers = Executors.newFixedThreadPool(LOAD_WRITERS)) {
            List<Future<Void>> done = new ArrayList<>();
            for (int w = 0; w < LOAD_WRITERS; w++) {
                done.add(writers.submit(() -> {
                    for (int i = next.getAndIncrement(); i < bodies.size(); i = next.getAndIncrement()) {
                        target.write(bodies.get(i));
                    }
                    return null;
                }));
            }
            for (Future<Void> future : done) {
                future.get();
            }
        }
    }

    private Map<QueryTarget, Outcome> measure(DevopsQuery query, List<String> wrong) throws InterruptedException {
        out.printf("%n== %s (load %s)%n", query.type(), loadAverage());
        out.println("   InfluxQL: " + query.influxQl());
        if (query.promQl() != null) {
            out.println("   PromQL:   " + query.promQl().expression() + (query.promQl().isApproximation()
                    ? "   (not in TSBS: nearest PromQL form)" : ""));
        }
        out.println("   SQL:      " + query.questDbSql());
        Map<QueryTarget, String> firstAnswers = new LinkedHashMap<>();
        Map<QueryTarget, String> errors = new LinkedHashMap<>();
        Map<QueryTarget, Live> live = new LinkedHashMap<>();
        for (QueryTarget target : targets) {
            try {
                live.put(target, checkAndWarmUp(target, query, firstAnswers));
            } catch (AnswerException e) {
                errors.put(target, e.getMessage());
            } catch (IOException e) {
                errors.put(target, "request failed: " + e);
            }
        }
        // Round robin: run i of every system before run i + 1 of any, so that the neighbours' load,
        // which comes and goes on this shared machine, falls on all systems alike.
        for (int run = 0; run < runs; run++) {
            for (var entry : List.copyOf(live.entrySet())) {
                try {
                    entry.getValue().time(run);
                } catch (AnswerException e) {
                    errors.put(entry.getKey(), "run " + (run + 1) + ": " + e.getMessage());
                    live.remove(entry.getKey());
                } catch (IOException e) {
                    errors.put(entry.getKey(), "run " + (run + 1) + ": request failed: " + e);
                    live.remove(entry.getKey());
                }
            }
        }
        Map<QueryTarget, Outcome> outcomes = new LinkedHashMap<>();
        for (QueryTarget target : targets) {
            Live measured = live.get(target);
            Outcome outcome = measured != null ? new Outcome(measured.rows, measured.millis, null)
                    : Outcome.failed(errors.get(target));
            outcomes.put(target, outcome);
            if (outcome.isMeasured()) {
                out.printf(Locale.ROOT, "   %-22s %,9d rows  median %9.2f ms  runs %s%n", target.name, outcome.rows(),
                        outcome.medianMillis(), formatRuns(outcome.millis()));
            } else {
                out.printf("   %-22s FAILED: %s%n", target.name, outcome.error());
                wrong.add(query.type() + " on " + target.name + ": " + outcome.error());
            }
        }
        compareInfluxQlAnswers(query, firstAnswers, wrong);
        out.println("   load after: " + loadAverage());
        return outcomes;
    }

    /** One system's request for one query, past its checks, collecting timed runs. */
    private final class Live {
        final QueryTarget target;
        final HttpRequest request;
        final long rows;
        final double[] millis = new double[runs];

        Live(QueryTarget target, HttpRequest request, long rows) {
            this.target = target;
            this.request = request;
            this.rows = rows;
        }

        void time(int run) throws IOException, InterruptedException, AnswerException {
            QueryClient client = clients.get(target);
            long start = System.nanoTime();
            QueryClient.Answer response = client.send(request);
            millis[run] = (System.nanoTime() - start) / 1e6;
            // Row counts, not bytes: QuestDB sums in parallel, so a mean's last digits vary from run to run.
            long runRows = target.answerRows(response.status(), response.body());
            if (runRows != rows) {
                throw new AnswerException(runRows + " rows, the first request had " + rows + ": "
                        + QueryTarget.abbreviate(response.body()));
            }
        }
    }

    /** The checked first request (non-empty answer), then the untimed warm-ups. */
    private Live checkAndWarmUp(QueryTarget target, DevopsQuery query, Map<QueryTarget, String> firstAnswers)
            throws IOException, InterruptedException, AnswerException {
        Optional<HttpRequest> request = target.request(query);
        if (request.isEmpty()) {
            throw new AnswerException("no " + target.language() + " form of this query");
        }
        QueryClient client = clients.get(target);
        QueryClient.Answer first = client.send(request.get());
        long rows = target.answerRows(first.status(), first.body());
        keepAnswer(target, query, first.body());
        if (rows == 0) {
            throw new AnswerException("empty answer: " + QueryTarget.abbreviate(first.body()));
        }
        firstAnswers.put(target, first.body());
        for (int i = 0; i < warmups; i++) {
            client.send(request.get());
        }
        return new Live(target, request.get(), rows);
    }

    /** With -DanswersDir, the first answer of each system to each query, for a look at a difference. */
    private static void keepAnswer(QueryTarget target, DevopsQuery query, String body) throws IOException {
        String directory = System.getProperty("answersDir");
        if (directory != null) {
            Path file = Path.of(directory, query.type() + "." + target.name.replaceAll("[^A-Za-z0-9.]+", "_") + ".json");
            Files.createDirectories(file.getParent());
            Files.writeString(file, body);
        }
    }

    /** Sundial must give InfluxDB's answer to the same InfluxQL: the correctness check of the harness. */
    private void compareInfluxQlAnswers(DevopsQuery query, Map<QueryTarget, String> firstAnswers, List<String> wrong) {
        QueryTarget sundial = find("InfluxQL", 0, firstAnswers);
        QueryTarget influx = find("InfluxQL", 1, firstAnswers);
        if (sundial == null || influx == null) {
            return;
        }
        try {
            JsonNode expected = QueryTarget.parse(firstAnswers.get(influx));
            JsonNode actual = QueryTarget.parse(firstAnswers.get(sundial));
            Optional<String> difference = AnswerDifference.explained(expected, actual);
            if (difference.isEmpty()) {
                out.println("   check: " + sundial.name + "'s answer equals " + influx.name + "'s");
            } else {
                out.println("   check: " + sundial.name + "'s answer DIFFERS from " + influx.name + "'s: "
                        + difference.get());
                wrong.add(query.type() + ": " + sundial.name + " differs from " + influx.name + ": "
                        + difference.get());
            }
        } catch (AnswerException e) {
            wrong.add(query.type() + ": answers not comparable: " + e.getMessage());
        }
    }

    /** The index-th InfluxQL target in argument order that gave an answer (0 = Sundial, 1 = InfluxDB by convention). */
    private QueryTarget find(String language, int index, Map<QueryTarget, String> answers) {
        List<QueryTarget> matching = targets.stream().filter(t -> t.language().equals(language)).toList();
        if (matching.size() <= index) {
            return null;
        }
        QueryTarget target = matching.get(index);
        return answers.containsKey(target) ? target : null;
    }

    private void printTable(Map<String, Map<QueryTarget, Outcome>> results) {
        out.printf("%nMedian HTTP latency (ms) over %d runs after %d warm-ups, client %s; load at the end %s%n%n", runs,
                warmups, clientKind.label(), loadAverage());
        StringBuilder header = new StringBuilder("| query type |");
        StringBuilder rule = new StringBuilder("|---|");
        for (QueryTarget target : targets) {
            header.append(' ').append(target.name).append(" |");
            rule.append("---:|");
        }
        out.println(header.append(" best peer | ").append(targets.getFirst().name).append(" vs best peer |"));
        out.println(rule.append("---|---:|"));
        for (var entry : results.entrySet()) {
            StringBuilder row = new StringBuilder("| " + entry.getKey() + " |");
            QueryTarget best = null;
            for (QueryTarget target : targets) {
                Outcome outcome = entry.getValue().get(target);
                row.append(' ').append(outcome.isMeasured() ? String.format(Locale.ROOT, "%.2f", outcome.medianMillis())
                        : "—").append(" |");
                if (target != targets.getFirst() && outcome.isMeasured()
                        && (best == null || outcome.medianMillis() < entry.getValue().get(best).medianMillis())) {
                    best = target;
                }
            }
            Outcome first = entry.getValue().get(targets.getFirst());
            if (best == null) {
                row.append(" — | — |");
            } else {
                double bestMillis = entry.getValue().get(best).medianMillis();
                row.append(String.format(Locale.ROOT, " %.2f (%s) | %s |", bestMillis, best.name,
                        first.isMeasured() ? ratio(first.medianMillis(), bestMillis) : "failed"));
            }
            out.println(row);
        }
    }

    /** "2.5x faster" or "3.1x slower", from the first target's point of view. */
    private static String ratio(double firstMillis, double bestMillis) {
        return firstMillis <= bestMillis ? String.format(Locale.ROOT, "%.1fx faster", bestMillis / firstMillis)
                : String.format(Locale.ROOT, "%.1fx slower", firstMillis / bestMillis);
    }

    private static String formatRuns(double[] millis) {
        double min = Arrays.stream(millis).min().orElse(0);
        double max = Arrays.stream(millis).max().orElse(0);
        return String.format(Locale.ROOT, "%d (min %.2f, max %.2f)", millis.length, min, max);
    }

    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return "n/a";
        }
    }
}
