package io.sundial.bench.tsbs;

import io.sundial.ingest.remotewrite.SnappyCompressor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Remote-write ingest rate and PromQL query_range latency, Sundial next to Prometheus-compatible
 * peers (VictoriaMetrics, Prometheus with its remote-write receiver) in one run (issue 5,
 * "Benchmarks"). The data is the TSBS devops cpu set ({@link DevopsGenerator}) with one metric per
 * field ({@code cpu_usage_user{hostname=…,region=…,…}}), shifted to end ten minutes ago so every
 * system keeps and answers it. It is sent as Prometheus remote write 1.0 (protobuf, snappy), in
 * time order (Prometheus refuses samples an hour older than its newest); the same request bodies
 * go to every system. Two request shapes:
 *
 * <ul>
 *   <li>{@code shape=prometheus} (default): what Prometheus 2.42 itself sends. Its queue manager
 *       ships samples in WAL (scrape) order, each as its own TimeSeries carrying the full label
 *       set and one sample, at most {@code max_samples_per_send} (500 by default) per request,
 *       each shard (writer) owning a fixed subset of the series.
 *   <li>{@code shape=slices}: each request holds every series' samples of one time slice
 *       (sliceMinutes), one TimeSeries per series: a backfill tool's shape, 30,000 samples a
 *       request at the defaults.
 * </ul>
 *
 * <p>After the ingest the harness waits until each system is ready by its own signal (Sundial: its
 * start-up query warm-up has ended), times the queries over the data as written (Sundial's
 * memtable), asks each system to persist it (its own flush call), and times them again.
 *
 * <p>Arguments: {@code name=http://host:port} per system (names starting with sundial,
 * victoriametrics or prometheus get that system's readiness check and flush). System properties:
 * hosts (100), hours (6), runs (9), warmups (10), writers (2, concurrent requests), shape
 * (prometheus), samplesPerSend (500), sliceMinutes (10), pids ({@code name=pid,...}: adds each
 * server's CPU time per query, from /proc).
 */
public final class RemoteWriteComparison {
    private static final List<String> FIELDS = DevopsGenerator.FIELDS;
    /** Linux' USER_HZ: /proc/<pid>/stat counts CPU time in 10 ms ticks. */
    private static final double TICK_MILLIS = 10.0;

    private RemoteWriteComparison() {}

    public static void main(String[] args) throws Exception {
        int hosts = Integer.getInteger("hosts", 100);
        int hours = Integer.getInteger("hours", 6);
        int runs = Integer.getInteger("runs", 9);
        int warmups = Integer.getInteger("warmups", 10);
        int writers = Integer.getInteger("writers", 2);
        int sliceMinutes = Integer.getInteger("sliceMinutes", 10);
        String shape = System.getProperty("shape", "prometheus");
        int samplesPerSend = Integer.getInteger("samplesPerSend", 500);
        if (!shape.equals("prometheus") && !shape.equals("slices")) {
            throw new IllegalArgumentException("shape must be prometheus or slices, got " + shape);
        }
        RequestShape requestShape = shape.equals("prometheus") ? new RequestShape(0, samplesPerSend) : new RequestShape(sliceMinutes, 0);
        Map<String, URI> targets = new LinkedHashMap<>();
        for (String arg : args) {
            int equals = arg.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("expected name=http://host:port, got " + arg);
            }
            targets.put(arg.substring(0, equals), URI.create(arg.substring(equals + 1)));
        }
        DevopsGenerator generator = new DevopsGenerator(hosts, Duration.ofHours(hours), false, DevopsGenerator.DEFAULT_SEED);
        long endMillis = (System.currentTimeMillis() / 60_000 - 10) * 60_000;
        long startMillis = endMillis - hours * 3_600_000L;
        long shiftMillis = startMillis - DevopsGenerator.START_NANOS / 1_000_000;
        List<List<byte[]>> bodies = requests(generator, shiftMillis, requestShape, writers, "cpu_");
        // Same shape under other metric names: warms up each system's JIT and buffers before the timed run.
        DevopsGenerator warmupData = new DevopsGenerator(hosts, Duration.ofMinutes(2L * sliceMinutes), false, DevopsGenerator.DEFAULT_SEED);
        List<List<byte[]>> warmupBodies = requests(warmupData, shiftMillis, requestShape, writers, "warmup_cpu_");
        int requestCount = bodies.stream().mapToInt(List::size).sum();
        long samples = (long) hosts * FIELDS.size() * generator.pointsPerHost();
        System.out.printf("data: %d hosts x %d fields x %d points = %,d samples in %d requests (%s), %d writers%n",
                hosts, FIELDS.size(), generator.pointsPerHost(), samples, requestCount,
                shape.equals("prometheus") ? "Prometheus shape, " + samplesPerSend + " samples a request, one per TimeSeries"
                        : sliceMinutes + " min slices", writers);
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

        Map<String, Double> rates = new LinkedHashMap<>();
        for (Map.Entry<String, URI> target : targets.entrySet()) {
            ingest(client, target.getValue(), warmupBodies);
            double seconds = ingest(client, target.getValue(), bodies);
            rates.put(target.getKey(), samples / seconds);
            System.out.printf("ingest %-16s %,12.0f samples/s (%.2f s)%n", target.getKey(), samples / seconds, seconds);
        }
        Map<String, Long> pids = pids(System.getProperty("pids", ""));
        // Every system the same way: ready by its own signal (Sundial's start-up query warm-up, which
        // yields to the ingest, included), then the queries over recent data as it was written, then
        // each system's own flush and the same queries over persisted data.
        for (Map.Entry<String, URI> target : targets.entrySet()) {
            awaitReady(client, target.getKey(), target.getValue());
        }
        Map<String, String> queries = new LinkedHashMap<>();
        queries.put("rate-1-host-1h", "rate(cpu_usage_user{hostname=\"host_0\"}[5m])|3600|60");
        queries.put("sum-by-host-rate-8-hosts", "sum by (hostname) (rate(cpu_usage_system{hostname=~\"host_[1-8]\"}[1m]))|" + hours * 3600 + "|60");
        queries.put("sum-by-region-rate-all", "sum by (region) (rate(cpu_usage_user[5m]))|" + hours * 3600 + "|300");
        queries.put("max-by-host-all-fields-1h", "max by (hostname) ({__name__=~\"cpu_usage_.*\"})|3600|60");
        QueryTimer timer = new QueryTimer(client, targets, pids, runs, warmups, endMillis);
        timer.run("before flush: recent data as written (memtable, head, in-memory parts)", queries);
        for (Map.Entry<String, URI> target : targets.entrySet()) {
            flush(client, target.getKey(), target.getValue());
        }
        timer.run("after each system's flush (Prometheus: none, its head is its store)", queries);
    }

    /** {@code name=pid,...}: the servers' process ids, for their CPU time per query (empty: none). */
    private static Map<String, Long> pids(String text) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String pair : text.split(",")) {
            int equals = pair.indexOf('=');
            if (equals > 0) {
                out.put(pair.substring(0, equals), Long.parseLong(pair.substring(equals + 1)));
            }
        }
        return out;
    }

    /**
     * Waits (3 minutes at most, then fails) until the system says it is ready: Sundial when its
     * start-up query warm-up has ended ({@code sundial_query_warmup_running 0} on /metrics),
     * VictoriaMetrics at /health, Prometheus at /-/ready; another name is taken as ready.
     */
    private static void awaitReady(HttpClient client, String name, URI base) throws IOException, InterruptedException {
        String path = name.startsWith("sundial") ? "/metrics" : name.startsWith("victoriametrics") ? "/health"
                : name.startsWith("prometheus") ? "/-/ready" : null;
        if (path == null) {
            return;
        }
        long started = System.nanoTime();
        long deadline = started + Duration.ofMinutes(3).toNanos();
        while (true) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(base.resolve(path)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            boolean isReady = response.statusCode() == 200
                    && (!path.equals("/metrics") || response.body().contains("\nsundial_query_warmup_running 0\n"));
            if (isReady) {
                System.out.printf("ready %-16s after %.1f s%n", name, (System.nanoTime() - started) / 1e9);
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IOException(name + " was not ready within 3 minutes (" + base.resolve(path) + " answered "
                        + response.statusCode() + ")");
            }
            Thread.sleep(200); // polling an external process with a deadline, not synchronisation
        }
    }

    /**
     * Each system's own way to persist what it holds in memory, so the second round of queries reads
     * what a long-running server reads: Sundial's memtables into segment files, VictoriaMetrics'
     * in-memory parts; Prometheus has no such call (its head block is where recent data lives).
     */
    private static void flush(HttpClient client, String name, URI base) throws IOException, InterruptedException {
        HttpRequest request;
        if (name.startsWith("sundial")) {
            request = HttpRequest.newBuilder(base.resolve("/api/v1/admin/flush")).POST(HttpRequest.BodyPublishers.noBody()).build();
        } else if (name.startsWith("victoriametrics")) {
            request = HttpRequest.newBuilder(base.resolve("/internal/force_flush")).GET().build();
        } else {
            return;
        }
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IOException(name + ": " + request.uri() + " answered " + response.statusCode() + ": " + response.body());
        }
    }

    /** Times every query on every system: warm-ups, then the median of the timed runs and the server's CPU per run. */
    private record QueryTimer(HttpClient client, Map<String, URI> targets, Map<String, Long> pids, int runs, int warmups,
                              long endMillis) {
        void run(String title, Map<String, String> queries) throws IOException, InterruptedException {
            System.out.printf("%nquery_range, %s; %d warm-ups, median of %d runs, ms%s%n", title, warmups, runs,
                    pids.isEmpty() ? "" : " (server CPU ms per run)");
            System.out.printf("%-28s", "");
            targets.keySet().forEach(name -> System.out.printf(" %22s", name));
            System.out.println();
            for (Map.Entry<String, String> query : queries.entrySet()) {
                String[] parts = query.getValue().split("\\|");
                long rangeMillis = Long.parseLong(parts[1]) * 1000;
                String form = "query=" + URLEncoder.encode(parts[0], StandardCharsets.UTF_8) + "&start="
                        + (endMillis - rangeMillis) / 1000.0 + "&end=" + endMillis / 1000.0 + "&step=" + parts[2] + "&nocache=1";
                System.out.printf("%-28s", query.getKey());
                StringBuilder shapes = new StringBuilder();
                for (Map.Entry<String, URI> target : targets.entrySet()) {
                    double[] millis = new double[runs];
                    String answer = "";
                    Long pid = pids.get(target.getKey());
                    long cpuTicks = 0;
                    for (int i = 0; i < warmups + runs; i++) {
                        if (i == warmups && pid != null) {
                            cpuTicks = cpuTicks(pid);
                        }
                        long started = System.nanoTime();
                        answer = queryRange(client, target.getValue(), form);
                        if (i >= warmups) {
                            millis[i - warmups] = (System.nanoTime() - started) / 1e6;
                        }
                    }
                    String cpu = pid == null ? "" : String.format(" (%.1f)", (cpuTicks(pid) - cpuTicks) * TICK_MILLIS / runs);
                    Arrays.sort(millis);
                    System.out.printf(" %22s", String.format("%.1f", millis[runs / 2]) + cpu);
                    shapes.append(' ').append(target.getKey()).append(": ").append(shape(answer));
                }
                System.out.println("   [" + shapes.toString().strip() + "]");
            }
        }
    }

    /** utime + stime of a process, all its threads, from /proc/<pid>/stat. */
    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        // Fields after the command (which may hold spaces) in parentheses; utime and stime are fields 14 and 15.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /** Series and points of an answer, so a reader sees the systems answered the same shape. */
    private static String shape(String answer) {
        int series = answer.split("\"metric\"", -1).length - 1;
        int points = answer.split("\\],\\[", -1).length + series - 1;
        return series + " series/" + Math.max(points, 0) + " points";
    }

    private static String queryRange(HttpClient client, URI base, String form) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(base.resolve("/api/v1/query_range"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(base + " query_range answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    /**
     * Wall seconds to have every request accepted (2xx): one writer per list, each sending its
     * requests in order, so every series' samples arrive in time order (Prometheus refuses others).
     */
    private static double ingest(HttpClient client, URI base, List<List<byte[]>> bodies) throws Exception {
        URI uri = base.resolve("/api/v1/write");
        long started = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(bodies.size())) {
            List<Future<?>> pending = new ArrayList<>();
            for (List<byte[]> writerBodies : bodies) {
                pending.add(pool.submit(() -> {
                    for (byte[] body : writerBodies) {
                        send(client, uri, body);
                    }
                    return null;
                }));
            }
            for (Future<?> future : pending) {
                future.get();
            }
        }
        return (System.nanoTime() - started) / 1e9;
    }

    private static void send(HttpClient client, URI uri, byte[] body) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/x-protobuf").header("Content-Encoding", "snappy")
                .header("X-Prometheus-Remote-Write-Version", "0.1.0")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IOException(uri + " answered " + response.statusCode() + ": " + response.body());
        }
    }

    /** Either {@code sliceMinutes} (slices shape) or {@code samplesPerSend} (Prometheus shape) is positive. */
    record RequestShape(int sliceMinutes, int samplesPerSend) {}

    /** Per writer (hosts split round-robin), that writer's snappy-compressed WriteRequests in send order. */
    static List<List<byte[]>> requests(DevopsGenerator generator, long shiftMillis, RequestShape shape, int writers,
                                       String metricPrefix) {
        List<List<byte[]>> out = new ArrayList<>();
        for (int writer = 0; writer < writers; writer++) {
            out.add(shape.samplesPerSend() > 0
                    ? prometheusRequests(generator, shiftMillis, shape.samplesPerSend(), writers, writer, metricPrefix)
                    : sliceRequests(generator, shiftMillis, shape.sliceMinutes(), writers, writer, metricPrefix));
        }
        return out;
    }

    /**
     * Prometheus 2.42's queue-manager shape: samples in scrape order (time, then series), each one
     * TimeSeries of the full label set and one sample, {@code samplesPerSend} to a request.
     */
    private static List<byte[]> prometheusRequests(DevopsGenerator generator, long shiftMillis, int samplesPerSend, int writers,
                                                   int writer, String metricPrefix) {
        List<byte[]> labelBytes = new ArrayList<>();
        List<DevopsGenerator.Column> columns = new ArrayList<>();
        for (int host = writer; host < generator.hostCount(); host += writers) {
            for (int field = 0; field < FIELDS.size(); field++) {
                labelBytes.add(labelFields(generator, host, metricPrefix + FIELDS.get(field)));
                columns.add(generator.column(host, field));
            }
        }
        List<byte[]> out = new ArrayList<>();
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        int inRequest = 0;
        for (int i = 0; i < generator.pointsPerHost(); i++) {
            for (int s = 0; s < columns.size(); s++) {
                ByteArrayOutputStream series = new ByteArrayOutputStream();
                series.writeBytes(labelBytes.get(s));
                bytes(series, 2, sample(columns.get(s), i, shiftMillis));
                bytes(request, 1, series.toByteArray());
                if (++inRequest == samplesPerSend) {
                    out.add(SnappyCompressor.compress(request.toByteArray()));
                    request.reset();
                    inRequest = 0;
                }
            }
        }
        if (inRequest > 0) {
            out.add(SnappyCompressor.compress(request.toByteArray()));
        }
        return out;
    }

    /** One snappy-compressed WriteRequest per time slice holding the samples of the writer's series in it. */
    private static List<byte[]> sliceRequests(DevopsGenerator generator, long shiftMillis, int sliceMinutes, int writers,
                                              int writer, String metricPrefix) {
        int points = generator.pointsPerHost();
        int pointsPerSlice = (int) (sliceMinutes * 60_000_000_000L / DevopsGenerator.INTERVAL_NANOS);
        List<byte[]> out = new ArrayList<>();
        DevopsGenerator.Column[][] columns = new DevopsGenerator.Column[generator.hostCount()][FIELDS.size()];
        for (int host = writer; host < generator.hostCount(); host += writers) {
            for (int field = 0; field < FIELDS.size(); field++) {
                columns[host][field] = generator.column(host, field);
            }
        }
        for (int from = 0; from < points; from += pointsPerSlice) {
            int to = Math.min(points, from + pointsPerSlice);
            ByteArrayOutputStream request = new ByteArrayOutputStream();
            for (int host = writer; host < generator.hostCount(); host += writers) {
                for (int field = 0; field < FIELDS.size(); field++) {
                    ByteArrayOutputStream series = new ByteArrayOutputStream();
                    series.writeBytes(labelFields(generator, host, metricPrefix + FIELDS.get(field)));
                    DevopsGenerator.Column column = columns[host][field];
                    for (int i = from; i < to; i++) {
                        bytes(series, 2, sample(column, i, shiftMillis));
                    }
                    bytes(request, 1, series.toByteArray());
                }
            }
            out.add(SnappyCompressor.compress(request.toByteArray()));
        }
        return out;
    }

    /** The TimeSeries.labels fields of one series, sorted by name as Prometheus sends them. */
    private static byte[] labelFields(DevopsGenerator generator, int host, String metric) {
        List<String> tagKeys = DevopsGenerator.tagKeys();
        TreeMap<String, String> labels = new TreeMap<>();
        for (int t = 0; t < tagKeys.size(); t++) {
            labels.put(tagKeys.get(t), generator.tagValue(host, t));
        }
        labels.put("__name__", metric);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Map.Entry<String, String> label : labels.entrySet()) {
            ByteArrayOutputStream pair = new ByteArrayOutputStream();
            bytes(pair, 1, label.getKey().getBytes(StandardCharsets.UTF_8));
            bytes(pair, 2, label.getValue().getBytes(StandardCharsets.UTF_8));
            bytes(out, 1, pair.toByteArray());
        }
        return out.toByteArray();
    }

    /** A Sample message: value (fixed64 double), timestamp (varint milliseconds). */
    private static byte[] sample(DevopsGenerator.Column column, int i, long shiftMillis) {
        ByteArrayOutputStream sample = new ByteArrayOutputStream(16);
        key(sample, 1, 1);
        long bits = Double.doubleToRawLongBits(column.values()[i]);
        for (int b = 0; b < 8; b++) {
            sample.write((int) (bits >>> (8 * b)));
        }
        key(sample, 2, 0);
        varint(sample, column.timestampsNanos()[i] / 1_000_000 + shiftMillis);
        return sample.toByteArray();
    }

    private static void bytes(ByteArrayOutputStream out, int field, byte[] value) {
        key(out, field, 2);
        varint(out, value.length);
        out.writeBytes(value);
    }

    private static void key(ByteArrayOutputStream out, int field, int wireType) {
        varint(out, (long) field << 3 | wireType);
    }

    private static void varint(ByteArrayOutputStream out, long value) {
        long v = value;
        while ((v & ~0x7FL) != 0) {
            out.write((int) (v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.write((int) v);
    }
}
