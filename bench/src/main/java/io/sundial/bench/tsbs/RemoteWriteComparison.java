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
 * <p>Arguments: {@code name=http://host:port} per system. System properties: hosts (100),
 * hours (6), runs (7), warmups (2), writers (2, concurrent requests), shape (prometheus),
 * samplesPerSend (500), sliceMinutes (10).
 */
public final class RemoteWriteComparison {
    private static final List<String> FIELDS = DevopsGenerator.FIELDS;

    private RemoteWriteComparison() {}

    public static void main(String[] args) throws Exception {
        int hosts = Integer.getInteger("hosts", 100);
        int hours = Integer.getInteger("hours", 6);
        int runs = Integer.getInteger("runs", 7);
        int warmups = Integer.getInteger("warmups", 2);
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
        for (URI base : targets.values()) {
            client.send(HttpRequest.newBuilder(base.resolve("/internal/force_flush")).GET().build(), HttpResponse.BodyHandlers.discarding());
        }

        Map<String, String> queries = new LinkedHashMap<>();
        queries.put("rate-1-host-1h", "rate(cpu_usage_user{hostname=\"host_0\"}[5m])|3600|60");
        queries.put("sum-by-host-rate-8-hosts", "sum by (hostname) (rate(cpu_usage_system{hostname=~\"host_[1-8]\"}[1m]))|" + hours * 3600 + "|60");
        queries.put("sum-by-region-rate-all", "sum by (region) (rate(cpu_usage_user[5m]))|" + hours * 3600 + "|300");
        queries.put("max-by-host-all-fields-1h", "max by (hostname) ({__name__=~\"cpu_usage_.*\"})|3600|60");
        System.out.printf("%n%-28s", "query_range median ms");
        targets.keySet().forEach(name -> System.out.printf(" %16s", name));
        System.out.println();
        for (Map.Entry<String, String> query : queries.entrySet()) {
            String[] parts = query.getValue().split("\\|");
            long rangeMillis = Long.parseLong(parts[1]) * 1000;
            String form = "query=" + URLEncoder.encode(parts[0], StandardCharsets.UTF_8)
                    + "&start=" + (endMillis - rangeMillis) / 1000.0 + "&end=" + endMillis / 1000.0 + "&step=" + parts[2] + "&nocache=1";
            System.out.printf("%-28s", query.getKey());
            StringBuilder shapes = new StringBuilder();
            for (Map.Entry<String, URI> target : targets.entrySet()) {
                double[] millis = new double[runs];
                String answer = "";
                for (int i = 0; i < warmups + runs; i++) {
                    long started = System.nanoTime();
                    answer = queryRange(client, target.getValue(), form);
                    if (i >= warmups) {
                        millis[i - warmups] = (System.nanoTime() - started) / 1e6;
                    }
                }
                Arrays.sort(millis);
                System.out.printf(" %16.1f", millis[runs / 2]);
                shapes.append(' ').append(target.getKey()).append(": ").append(shape(answer));
            }
            System.out.println("   [" + shapes.toString().strip() + "]");
        }
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
