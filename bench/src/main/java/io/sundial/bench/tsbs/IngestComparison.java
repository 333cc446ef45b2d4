package io.sundial.bench.tsbs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Line-protocol ingest over HTTP into one running system (issue 4, "Benchmarks"): Sundial,
 * InfluxDB 1.x, VictoriaMetrics or QuestDB, started fresh by {@code bench/scripts/http-ingest.sh}.
 * The set's bodies are rendered before the clock starts; {@code clients} threads then take the
 * next body in time order and POST it over keep-alive HTTP/1.1 connections. The rate is values
 * divided by the wall time from the first byte sent until the last row is counted by a query.
 * Afterwards the system persists (Sundial: admin flush then compact; VictoriaMetrics:
 * force_flush then force_merge, whose merge runs in the background so the size is read once it
 * stops changing; InfluxDB and QuestDB have no such call) and the harness reads the server's peak
 * RSS ({@code VmHWM} of its pid) and the disk blocks in use ({@code du}) under its data directories.
 *
 * <p>Arguments: {@code kind=http://host:port} with kind one of sundial, influxdb,
 * victoriametrics, questdb. System properties: {@code set} (A or B), {@code clients} (4),
 * {@code linesPerBody} (5000), {@code pid} (the server process), {@code dataDirs}
 * (comma-separated directories whose files count as its disk use), {@code label} (column title),
 * {@code results} (a TSV file the result row is appended to, read by {@link IngestChart}).
 */
public final class IngestComparison {
    /** Longest a background merge may keep changing the data directory before the size is read anyway. */
    private static final Duration SETTLE_MAX = Duration.ofMinutes(3);

    private IngestComparison() {}

    /** One measured load: what {@link IngestChart} draws. */
    record Result(String set, String system, long values, double seconds, long peakRssBytes, long diskBytes) {
        double valuesPerSecond() {
            return values / seconds;
        }

        double bytesPerValue() {
            return (double) diskBytes / values;
        }

        String tsv() {
            return String.join("\t", set, system, Long.toString(values), String.format(Locale.ROOT, "%.3f", seconds),
                    Long.toString(peakRssBytes), Long.toString(diskBytes));
        }

        static Result parse(String line) {
            String[] cells = line.split("\t");
            if (cells.length != 6) {
                throw new IllegalArgumentException("expected 6 tab-separated cells (set, system, values, seconds, "
                        + "peak RSS bytes, disk bytes), got " + cells.length + ": " + line);
            }
            return new Result(cells[0], cells[1], Long.parseLong(cells[2]), Double.parseDouble(cells[3]),
                    Long.parseLong(cells[4]), Long.parseLong(cells[5]));
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1 || args[0].indexOf('=') <= 0) {
            throw new IllegalArgumentException("expected one argument kind=http://host:port, got " + List.of(args));
        }
        String kind = args[0].substring(0, args[0].indexOf('='));
        URI base = URI.create(args[0].substring(args[0].indexOf('=') + 1));
        String set = System.getProperty("set", "A");
        int clients = Integer.getInteger("clients", 4);
        int linesPerBody = Integer.getInteger("linesPerBody", 5_000);
        long pid = Long.parseLong(required("pid"));
        List<Path> dataDirs = Stream.of(required("dataDirs").split(",")).map(Path::of).toList();
        String label = System.getProperty("label", kind);

        DevopsGenerator data = switch (set) {
            case "A" -> DevopsGenerator.setA();
            case "B" -> DevopsGenerator.setB();
            default -> throw new IllegalArgumentException("set must be A or B, got " + set);
        };
        List<byte[]> bodies = DevopsLineProtocol.bodies(data, linesPerBody);
        long rows = (long) data.hostCount() * data.pointsPerHost();
        System.out.printf(Locale.ROOT, "%s set %s: %,d rows, %,d values, %d bodies of %d lines, %,d bytes, %d clients%n",
                label, set, rows, data.valueCount(), bodies.size(), linesPerBody,
                bodies.stream().mapToLong(b -> b.length).sum(), clients);

        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        QueryTarget target = switch (kind) {
            // Rows in the memtable answer queries, so the flush is not part of the timed load.
            case "sundial", "influxdb" -> new InfluxQlTarget(label, base, client, null);
            case "victoriametrics" -> new PromQlTarget(label, base, client);
            case "questdb" -> new QuestDbTarget(label, base, client);
            default -> throw new IllegalArgumentException("unknown kind '" + kind
                    + "' (known: sundial, influxdb, victoriametrics, questdb)");
        };
        target.prepare();
        double cpuSecondsBefore = processCpuSeconds(pid);
        long started = System.nanoTime();
        writeAll(target, bodies, clients);
        double acceptedSeconds = (System.nanoTime() - started) / 1e9;
        target.awaitVisible(rows);
        double seconds = (System.nanoTime() - started) / 1e9;
        double cpuSeconds = processCpuSeconds(pid) - cpuSecondsBefore;
        System.out.printf(Locale.ROOT, "%s: all bodies accepted after %.2f s, all rows queryable after %.2f s%n",
                label, acceptedSeconds, seconds);
        // On a shared machine the wall clock measures the neighbours too; the server's own CPU time does not.
        System.out.printf(Locale.ROOT, "%s: server CPU %.2f s over the load = %,.0f values per server CPU-second%n",
                label, cpuSeconds, data.valueCount() / cpuSeconds);

        persist(kind, target);
        long diskBytes = settledBytes(dataDirs, kind.equals("victoriametrics"));
        for (Path dir : dataDirs) {
            System.out.printf(Locale.ROOT, "%s: %s holds %,d bytes allocated, %,d bytes of file lengths%n", label, dir,
                    allocatedBytes(List.of(dir)), bytesUnder(dir));
        }
        Result result = new Result(set, label, data.valueCount(), seconds, peakRssBytes(pid), diskBytes);
        System.out.printf(Locale.ROOT, "%s set %s: %,.0f values/s, peak RSS %.0f MiB, %.3f bytes/value (%,d bytes)%n",
                label, set, result.valuesPerSecond(), result.peakRssBytes() / 1048576.0, result.bytesPerValue(),
                diskBytes);
        String results = System.getProperty("results");
        if (results != null) {
            Files.writeString(Path.of(results), result.tsv() + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("system property " + property + " is required (see the class comment)");
        }
        return value;
    }

    /** Each client takes the next body in order, so every series' points arrive nearly in time order. */
    private static void writeAll(QueryTarget target, List<byte[]> bodies, int clients) throws Exception {
        AtomicInteger next = new AtomicInteger();
        try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
            List<Future<?>> pending = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                pending.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < bodies.size(); i = next.getAndIncrement()) {
                        target.write(bodies.get(i));
                    }
                    return null;
                }));
            }
            for (Future<?> future : pending) {
                future.get();
            }
        }
    }

    /** The system's own call to put what it holds in memory into its final files, where it has one. */
    private static void persist(String kind, QueryTarget target) throws IOException, InterruptedException {
        switch (kind) {
            case "sundial" -> {
                post(target, "/api/v1/admin/flush?db=" + InfluxQlTarget.DATABASE);
                post(target, "/api/v1/admin/compact?db=" + InfluxQlTarget.DATABASE);
            }
            case "victoriametrics" -> {
                target.sendOk(target.builder("/internal/force_flush").GET().build());
                target.sendOk(target.builder("/internal/force_merge").GET().build());
            }
            default -> { } // InfluxDB has no flush call; QuestDB commits each request before answering it.
        }
    }

    private static void post(QueryTarget target, String path) throws IOException, InterruptedException {
        target.sendOk(target.builder(path).POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    /**
     * The directories' bytes; when {@code waitForMerge}, read until two readings a second apart agree
     * (VictoriaMetrics merges in the background after force_merge answers) or {@link #SETTLE_MAX} passes.
     */
    private static long settledBytes(List<Path> dirs, boolean waitForMerge) throws InterruptedException {
        long bytes = totalBytes(dirs);
        if (!waitForMerge) {
            return bytes;
        }
        long deadline = System.nanoTime() + SETTLE_MAX.toNanos();
        while (System.nanoTime() < deadline) {
            // Polling, not synchronisation: VictoriaMetrics reports no end of its merge.
            Thread.sleep(1_000);
            long again = totalBytes(dirs);
            if (again == bytes) {
                return bytes;
            }
            bytes = again;
        }
        return bytes;
    }

    /**
     * Disk blocks in use ({@code du -s -B1}), not file lengths: QuestDB and VictoriaMetrics create
     * sparse, pre-sized files whose length is far more than what they hold.
     */
    private static long totalBytes(List<Path> dirs) throws InterruptedException {
        return allocatedBytes(dirs);
    }

    static long allocatedBytes(List<Path> dirs) throws InterruptedException {
        long total = 0;
        for (Path dir : dirs) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try {
                Process du = new ProcessBuilder("du", "-s", "-B1", "--", dir.toString()).redirectErrorStream(true).start();
                String output = new String(du.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                int exit = du.waitFor();
                // du exits 1 when a file a merge removed vanished under it; its total is still usable.
                String last = output.lines().reduce((first, second) -> second).orElse("");
                if (exit > 1 || !last.endsWith(dir.toString())) {
                    throw new IllegalStateException("du -s -B1 " + dir + " failed (exit " + exit + "): " + output);
                }
                total += Long.parseLong(last.substring(0, last.indexOf('\t')));
            } catch (IOException e) {
                throw new IllegalStateException("cannot run du on " + dir + " (" + e.getMessage() + ")", e);
            }
        }
        return total;
    }

    /** Sum of regular files' lengths; files a background merge deletes while walking count as gone. */
    static long bytesUnder(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.mapToLong(file -> {
                try {
                    return Files.isRegularFile(file) ? Files.size(file) : 0;
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException | UncheckedIOException e) {
            return totalAfterRace(dir);
        }
    }

    private static long totalAfterRace(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(file -> file.toFile().length()).sum();
        } catch (IOException | UncheckedIOException e) {
            throw new IllegalStateException("cannot walk " + dir + " (" + e.getMessage() + ")", e);
        }
    }

    /** User + system CPU time of a process so far, from /proc/pid/stat (clock ticks of 1/100 s on Linux). */
    static double processCpuSeconds(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        // Fields after the parenthesised command name, which may itself hold spaces.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
    }

    /** {@code VmHWM} of /proc/pid/status: the most resident memory the process has had. */
    static long peakRssBytes(long pid) throws IOException {
        Path status = Path.of("/proc", Long.toString(pid), "status");
        for (String line : Files.readAllLines(status, StandardCharsets.UTF_8)) {
            if (line.startsWith("VmHWM:")) {
                String[] parts = line.substring("VmHWM:".length()).strip().split("\\s+");
                return Long.parseLong(parts[0]) * 1024;
            }
        }
        throw new IOException(status + " has no VmHWM line (is pid " + pid + " a Linux process?)");
    }
}
