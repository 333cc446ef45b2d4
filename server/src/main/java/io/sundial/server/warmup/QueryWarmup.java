package io.sundial.server.warmup;

import io.sundial.ingest.FormatRegistry;
import io.sundial.query.QueryRegistry;
import io.sundial.server.ServerOptions;
import io.sundial.server.SundialServer;
import io.sundial.server.http.AccessGate;
import io.sundial.server.http.ApiHandler;
import io.sundial.server.http.WriteActivity;
import io.sundial.server.metrics.ServerMetrics;
import io.sundial.server.status.ObservabilityOptions;
import io.sundial.storage.Databases;
import io.sundial.storage.EngineOptions;
import io.sundial.storage.wal.FsyncPolicy;
import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The start-up query warm-up: a background thread that runs the real query path end to end —
 * HTTP (Jetty), SundialQL parse, check, plan and execute over segment files and the memtable, the
 * {@code /query} JSON and CSV writers, {@code /api/v1/sql}, PromQL {@code query_range} and
 * {@code query} — against a scratch server on a loopback port over a scratch data directory with
 * a small synthetic devops data set, so the JIT has compiled those paths before the first user
 * queries need them. The per-query code is otherwise reached a dozen times per
 * query type and never leaves the interpreter and C1 (docs/BENCHMARKS.md section 7). Its writes,
 * shaped like real clients' ({@link WarmupDataSet}, {@link #inArrivalOrder}, a second fresh
 * database), compile the HTTP ingest path before a user's first load (docs/BENCHMARKS.md section 11).
 *
 * <p>It never touches the user's databases; its directory is removed when it ends. It runs one
 * request at a time (about one core at most), on a minimum-priority thread, and waits while any
 * user query is running and while users write over HTTP (and briefly after), so users' queries and
 * writes take precedence. It ends after {@link Limits#roundsMax} full rounds and
 * {@link Limits#hotRoundsMax} hot rounds (the small queries only: the code that runs once per query
 * needs thousands of queries to reach C2) or after {@link Limits#cpuTimeMax} of CPU on its own threads (its driver thread and the
 * scratch server's), whichever comes first; then it waits, at most {@link Limits#compilerQuietMax}, until the JIT
 * compilers have gone quiet ({@link CompilerQuiet}), and logs one line. CPU rather than wall-clock time:
 * on a busy machine a wall-clock bound would end it before it compiled anything.
 */
public final class QueryWarmup implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(QueryWarmup.class.getName());
    /** X-Request-Id prefix of the warm-up's requests: how it tells its own running queries from users'. */
    static final String REQUEST_ID_PREFIX = WriteActivity.INTERNAL_REQUEST_ID_PREFIX;
    /**
     * How long after a user's write ended the warm-up still waits: an ingesting client sends its
     * next batch within a millisecond or so, and a warm-up request slipped into that gap would
     * take a core from the write path (HTTP ingest right after start lost about 18 % to it).
     */
    static final long WRITE_QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** Wall-clock bound including the pauses for user queries and writes and waits for a core: a busy server stops warming up after it. */
    static final Duration WALL_TIME_MAX = Duration.ofMinutes(5);
    private static final long PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final long STOP_WAIT_MILLIS = 15_000;
    /** The database written last, fresh, besides {@link WarmupQueries#DATABASE}. */
    static final String SECOND_DATABASE = "warmup_second";

    /**
     * @param roundsMax rounds of {@link WarmupQueries#round} to run (about a dozen requests each)
     * @param hotRoundsMax rounds of {@link WarmupQueries#hotRound} to run after them (the small queries only)
     * @param cpuTimeMax CPU time at most on the warm-up's driver thread and its scratch server's threads
     *     (the JIT compiler threads' work it causes is not counted: users' first queries would cause it)
     * @param scratchParent directory the scratch data directory is made in (and removed from)
     * @param compilerQuietMax wall-clock time at most to wait after the last request until the JIT compilers are quiet
     *     (zero: no wait)
     */
    public record Limits(int roundsMax, int hotRoundsMax, Duration cpuTimeMax, Path scratchParent, Duration compilerQuietMax) {
        /**
         * Rounds after which C2 has compiled the code that runs per row, value and chunk (checked with
         * -XX:+PrintCompilation, docs/BENCHMARKS.md section 7); code that runs once per query is in C1 by then.
         */
        public static final int ROUNDS_MAX_DEFAULT = 150;
        /**
         * Hot rounds after the full ones: with them the code that runs once per query (HTTP, parse,
         * plan, snapshot, shaping) has run about 5,000 times, where C2 takes it over (measured on
         * set A: single-groupby-1-1-1's median fell from 7.8 ms after the full rounds alone to
         * about 1 ms once that code reached C2; docs/BENCHMARKS.md section 7).
         */
        public static final int HOT_ROUNDS_MAX_DEFAULT = 500;
        public static final Duration CPU_TIME_MAX_DEFAULT = Duration.ofSeconds(20);
        /**
         * The compile queue the warm-up leaves drains in a second or two on a quiet machine; the
         * bound keeps a busy machine's slow compilers from holding the warm-up's gauge at 1 long.
         */
        public static final Duration COMPILER_QUIET_MAX_DEFAULT = Duration.ofSeconds(15);
        public static final int ROUNDS_MAX_UPPER = 100_000;

        public Limits {
            Objects.requireNonNull(cpuTimeMax, "cpuTimeMax");
            Objects.requireNonNull(scratchParent, "scratchParent");
            Objects.requireNonNull(compilerQuietMax, "compilerQuietMax");
            if (roundsMax < 1 || roundsMax > ROUNDS_MAX_UPPER) {
                throw new IllegalArgumentException("warm-up roundsMax " + roundsMax + " is outside [1, " + ROUNDS_MAX_UPPER + "]");
            }
            if (hotRoundsMax < 0 || hotRoundsMax > ROUNDS_MAX_UPPER) {
                throw new IllegalArgumentException("warm-up hotRoundsMax " + hotRoundsMax + " is outside [0, " + ROUNDS_MAX_UPPER
                        + "]");
            }
            if (cpuTimeMax.isNegative() || cpuTimeMax.isZero() || cpuTimeMax.compareTo(WALL_TIME_MAX) > 0) {
                throw new IllegalArgumentException("warm-up cpuTimeMax " + cpuTimeMax + " is outside (0, " + WALL_TIME_MAX + "]");
            }
            if (compilerQuietMax.isNegative() || compilerQuietMax.compareTo(WALL_TIME_MAX) > 0) {
                throw new IllegalArgumentException("warm-up compilerQuietMax " + compilerQuietMax + " is outside [0, " + WALL_TIME_MAX
                        + "]");
            }
        }

        /** The defaults, scratch directory under java.io.tmpdir. */
        public static Limits defaults() {
            return new Limits(ROUNDS_MAX_DEFAULT, HOT_ROUNDS_MAX_DEFAULT, CPU_TIME_MAX_DEFAULT,
                    Path.of(System.getProperty("java.io.tmpdir")), COMPILER_QUIET_MAX_DEFAULT);
        }

        public Limits withRoundsMax(int rounds) {
            return new Limits(rounds, hotRoundsMax, cpuTimeMax, scratchParent, compilerQuietMax);
        }

        public Limits withHotRoundsMax(int rounds) {
            return new Limits(roundsMax, rounds, cpuTimeMax, scratchParent, compilerQuietMax);
        }

        public Limits withCpuTimeMax(Duration time) {
            return new Limits(roundsMax, hotRoundsMax, time, scratchParent, compilerQuietMax);
        }

        public Limits withScratchParent(Path parent) {
            return new Limits(roundsMax, hotRoundsMax, cpuTimeMax, parent, compilerQuietMax);
        }

        public Limits withCompilerQuietMax(Duration time) {
            return new Limits(roundsMax, hotRoundsMax, cpuTimeMax, scratchParent, time);
        }
    }

    /**
     * How a warm-up ended.
     *
     * @param connectionsClosed connections of the scratch server that were closed (its clients open a new one after each round)
     * @param stopReason "done", "time limit", "stopped" (server closing) or the failure
     * @param compilerWait time it waited after its last request for the JIT compilers to go quiet (included in {@code elapsed})
     * @param isCompilerQuiet true when they went quiet within {@link Limits#compilerQuietMax}
     */
    public record Outcome(int rounds, int hotRounds, int requests, int connectionsClosed, Duration elapsed, Duration paused, Duration cpu,
                          String stopReason, boolean isFailure, Duration compilerWait, boolean isCompilerQuiet) {}

    private final Limits limits;
    /** True while a user's query runs or a user's write is in flight or just ended. */
    private final BooleanSupplier isUserBusy;
    private final Thread thread;
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile boolean isStopping;
    private volatile Outcome outcome;

    private QueryWarmup(Limits limits, BooleanSupplier isUserBusy) {
        this.limits = limits;
        this.isUserBusy = isUserBusy;
        this.thread = new Thread(this::run, "sundial-query-warmup");
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
    }

    /**
     * Starts the warm-up thread; it yields to every query of the process's {@link QueryRegistry} not
     * its own and to the process's HTTP writes ({@link WriteActivity#global()}).
     */
    public static QueryWarmup start(Limits limits) {
        return start(limits, () -> isOtherQueryRunning()
                || WriteActivity.global().isBusy(System.nanoTime(), WRITE_QUIET_NANOS));
    }

    static QueryWarmup start(Limits limits, BooleanSupplier isUserBusy) {
        QueryWarmup warmup = new QueryWarmup(limits, isUserBusy);
        warmup.thread.start();
        return warmup;
    }

    private static boolean isOtherQueryRunning() {
        for (QueryRegistry.Running query : QueryRegistry.global().list()) {
            if (!query.requestId().startsWith(REQUEST_ID_PREFIX)) {
                return true;
            }
        }
        return false;
    }

    /** Waits up to {@code timeout} for the warm-up to end; true when it has (its directory is removed by then). */
    public boolean awaitDone(Duration timeout) throws InterruptedException {
        return done.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** The warm-up's thread (tests look at where it waits). */
    Thread thread() {
        return thread;
    }

    /** How it ended, empty while it runs. */
    public Optional<Outcome> outcome() {
        return Optional.ofNullable(outcome);
    }

    /** Stops the warm-up (if still running) and waits for it to remove its directory. */
    @Override
    public void close() {
        isStopping = true;
        thread.interrupt();
        try {
            if (!done.await(STOP_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                LOG.warning(() -> "the query warm-up did not stop within " + STOP_WAIT_MILLIS + " ms; its scratch directory under "
                        + limits.scratchParent() + " may remain");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        long startNanos = System.nanoTime();
        Progress progress = new Progress();
        String stopReason;
        boolean isFailure = false;
        Path directory = null;
        try {
            directory = Files.createTempDirectory(limits.scratchParent(), "sundial-warmup-");
            stopReason = runOn(directory, startNanos, progress);
        } catch (InterruptedException e) {
            stopReason = "stopped";
        } catch (IOException | RuntimeException e) {
            stopReason = isStopping ? "stopped" : "failed: " + e.getMessage();
            isFailure = !isStopping;
            if (isFailure) {
                LOG.log(Level.FINE, "query warm-up failure", e);
            }
        } finally {
            if (directory != null) {
                deleteQuietly(directory);
            }
        }
        CompilerQuiet.Result compilers = new CompilerQuiet.Result(false, Duration.ZERO, Duration.ZERO);
        if (!isFailure && !stopReason.equals("stopped")) {
            try {
                compilers = awaitCompilerQuiet();
            } catch (InterruptedException e) {
                stopReason = "stopped";
            }
        }
        Outcome result = new Outcome(progress.rounds, progress.hotRounds, progress.requests, progress.connectionsClosed.get(),
                Duration.ofNanos(System.nanoTime() - startNanos), Duration.ofNanos(progress.pausedNanos),
                Duration.ofNanos(progress.cpuNanos), stopReason, isFailure, compilers.waited(), compilers.isQuiet());
        outcome = result;
        done.countDown();
        // Nothing about the compilers when it did not wait for them (failed, stopped, -Xint or a zero bound).
        String compilerWait = result.compilerWait().isZero() ? "" : String.format(java.util.Locale.ROOT,
                ", %.1f s waiting for the JIT compilers: %s", result.compilerWait().toMillis() / 1e3,
                result.isCompilerQuiet() ? "quiet" : "not quiet, " + compilers.compileTime().toMillis() + " ms compiling in the wait");
        String line = String.format(java.util.Locale.ROOT,
                "query warm-up %s: %d queries in %d rounds and %d hot rounds, %.1f s CPU, %.1f s (%.1f s paused for user queries and writes%s),"
                        + " over a scratch database",
                result.stopReason(), result.requests(), result.rounds(), result.hotRounds(), result.cpu().toMillis() / 1e3,
                result.elapsed().toMillis() / 1e3, result.paused().toMillis() / 1e3, compilerWait);
        if (isFailure) {
            LOG.warning(line + "; queries run cold until the JIT compiles them");
        } else {
            LOG.info(line);
        }
    }

    /**
     * Waits for the compile queue the warm-up left to drain, where the JVM reports its compilers' time
     * (with -Xint or without that support there is nothing to wait for).
     */
    private CompilerQuiet.Result awaitCompilerQuiet() throws InterruptedException {
        CompilationMXBean compilation = ManagementFactory.getCompilationMXBean();
        if (limits.compilerQuietMax().isZero() || compilation == null || !compilation.isCompilationTimeMonitoringSupported()) {
            return new CompilerQuiet.Result(false, Duration.ZERO, Duration.ZERO);
        }
        if (isStopping) {
            throw new InterruptedException("query warm-up stopped");
        }
        return CompilerQuiet.await(compilation::getTotalCompilationTime, CompilerQuiet.Clock.SYSTEM, limits.compilerQuietMax());
    }

    /** Counts, written by the warm-up thread only (the closed connections by the scratch server's). */
    private static final class Progress {
        final AtomicInteger connectionsClosed = new AtomicInteger();
        int rounds;
        int hotRounds;
        int requests;
        long pausedNanos;
        long cpuNanos;
    }

    private String runOn(Path directory, long startNanos, Progress progress) throws IOException, InterruptedException {
        // Scratch data: no fsync per write (nothing here must survive a crash), no compaction.
        EngineOptions scratch = EngineOptions.defaults().withBackgroundCompaction(false)
                .withFsyncPolicy(new FsyncPolicy.Interval(Duration.ofSeconds(1)));
        try (Databases databases = Databases.open(directory, scratch)) {
            databases.create(WarmupQueries.DATABASE);
            Set<Thread> serverThreads = ConcurrentHashMap.newKeySet();
            Server jetty = startJetty(databases, serverThreads, progress.connectionsClosed);
            ServerConnector connector = (ServerConnector) jetty.getConnectors()[0];
            URI base = URI.create("http://127.0.0.1:" + connector.getLocalPort());
            try (Sender sender = new Sender(base, progress, startNanos, serverThreads)) {
                // Hour by hour, so only one hour's text is held at a time.
                for (int hour = 0; hour < WarmupDataSet.HOURS - 1; hour++) {
                    // Its CPU bound holds while it writes too: under load the data alone took minutes.
                    if (sender.isOverTime()) {
                        return "time limit";
                    }
                    sendBodies(sender, WarmupQueries.DATABASE, inArrivalOrder(WarmupDataSet.bodies(hour, hour + 1)));
                }
                // The Prometheus-shaped metric: six hours into the segment file, the last six into the
                // memtable, as the data of a remote-write client before and after a flush.
                sendBodies(sender, WarmupQueries.DATABASE, WarmupDataSet.promBodies(WarmupDataSet.PROM_FILE_HOUR, WarmupDataSet.PROM_FILE_HOUR + 6));
                sender.send(new WarmupQueries.Request("POST", "/api/v1/admin/flush?db=" + WarmupQueries.DATABASE, null, null), 200);
                sendBodies(sender, WarmupQueries.DATABASE, WarmupDataSet.promBodies(WarmupDataSet.PROM_MEMTABLE_HOUR, WarmupDataSet.HOURS));
                // The last hour of half the hosts stays in the memtable: the other half's series have
                // none there, as every series has after a flush, and the readers see both cases.
                sendBodies(sender, WarmupQueries.DATABASE, WarmupDataSet.bodies(WarmupDataSet.HOURS - 1, WarmupDataSet.HOURS,
                        WarmupDataSet.HOST_COUNT / 2));
                // A user's first write into a fresh database creates every field and series; by now
                // the first database's batches had not done so for long, and C2's code for them
                // had no such branch (ResolvedColumns.resolve's unstable_if trap at a user's first
                // write, docs/BENCHMARKS.md section 11).
                databases.create(SECOND_DATABASE);
                sendBodies(sender, SECOND_DATABASE, WarmupDataSet.bodies(0, 1));
                while (progress.rounds < limits.roundsMax()) {
                    for (WarmupQueries.Request request : WarmupQueries.round(progress.rounds)) {
                        if (sender.isOverTime()) {
                            return "time limit";
                        }
                        sender.send(request, 200);
                        progress.requests++;
                    }
                    progress.rounds++;
                    sender.reconnect();
                }
                while (progress.hotRounds < limits.hotRoundsMax()) {
                    for (WarmupQueries.Request request : WarmupQueries.hotRound(progress.rounds + progress.hotRounds)) {
                        if (sender.isOverTime()) {
                            return "time limit";
                        }
                        sender.send(request, 200);
                        progress.requests++;
                    }
                    progress.hotRounds++;
                }
                return "done";
            } finally {
                stopJetty(jetty);
            }
        }
    }

    private static void sendBodies(Sender sender, String database, List<byte[]> bodies) throws IOException, InterruptedException {
        for (byte[] body : bodies) {
            sender.send(new WarmupQueries.Request("POST", "/write?db=" + database, null, body), 204);
        }
    }

    /**
     * The bodies with each pair swapped, as the bodies of concurrent writers arrive: every series
     * then gets points older than its newest, as it does under several clients, so the memtable's
     * out-of-order appends and the flush's sort are compiled too (with bodies in time order they
     * never ran here, and C2's code for the appends was thrown away at a user's first concurrent load).
     */
    static List<byte[]> inArrivalOrder(List<byte[]> bodies) {
        List<byte[]> arrived = new ArrayList<>(bodies);
        for (int i = 0; i + 1 < arrived.size(); i += 2) {
            Collections.swap(arrived, i, i + 1);
        }
        return arrived;
    }

    /** Sends one request at a time, after any running user query or write, and checks the answer. */
    private final class Sender implements AutoCloseable {
        private HttpClient client = newClient();
        private final URI base;
        private final Progress progress;
        private final long startNanos;
        private final Set<Thread> serverThreads;
        private final ThreadMXBean threadBean = ManagementFactory.getThreadMXBean();
        private final long startCpuNanos;
        private long sent;

        Sender(URI base, Progress progress, long startNanos, Set<Thread> serverThreads) {
            this.base = base;
            this.progress = progress;
            this.startNanos = startNanos;
            this.serverThreads = serverThreads;
            this.startCpuNanos = threadBean.getCurrentThreadCpuTime();
        }

        private static HttpClient newClient() {
            return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(REQUEST_TIMEOUT).build();
        }

        /**
         * Closes the connection and opens another for the next requests. With one kept-alive
         * connection the server's read path never saw a client go away until the warm-up ended:
         * C2's code for it had no such branch, and the scratch server's last connection closing
         * threw it away (unstable_if traps in Jetty's HttpParser.parseNext, HttpConnection.fillRequestBuffer
         * and SocketChannelEndPoint.fill), so the users' requests after the warm-up ran it in C1 until
         * C2 compiled it again. Clients do close connections: between rounds they do here too.
         */
        void reconnect() {
            client.close();
            client = newClient();
        }

        @Override
        public void close() {
            client.close();
        }

        boolean isOverTime() {
            long cpu = threadBean.getCurrentThreadCpuTime() - startCpuNanos;
            for (Thread thread : serverThreads) {
                cpu += Math.max(0, threadBean.getThreadCpuTime(thread.threadId()));
            }
            progress.cpuNanos = cpu;
            return cpu > limits.cpuTimeMax().toNanos() || System.nanoTime() - startNanos > WALL_TIME_MAX.toNanos();
        }

        void send(WarmupQueries.Request request, int expectedStatus) throws IOException, InterruptedException {
            awaitUserIdle();
            HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(request.pathAndQuery())).timeout(REQUEST_TIMEOUT)
                    .header("X-Request-Id", REQUEST_ID_PREFIX + sent++)
                    .method(request.method(), request.body() == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(request.body()));
            if (request.accept() != null) {
                builder.header("Accept", request.accept());
            }
            if (request.contentType() != null) {
                builder.header("Content-Type", request.contentType());
            }
            HttpResponse<byte[]> response = client.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
            String text = new String(response.body(), StandardCharsets.UTF_8);
            // A statement error comes back as 200 with an "error" member (InfluxDB 1.x's shape).
            if (response.statusCode() != expectedStatus || text.contains("\"error\"")) {
                throw new IllegalStateException(request.method() + " " + request.pathAndQuery() + " answered "
                        + response.statusCode() + ": " + text.substring(0, Math.min(300, text.length())));
            }
        }

        private void awaitUserIdle() throws InterruptedException {
            if (!isUserBusy.getAsBoolean()) {
                return;
            }
            long pauseStart = System.nanoTime();
            while (isUserBusy.getAsBoolean() && System.nanoTime() - startNanos < WALL_TIME_MAX.toNanos()) {
                LockSupport.parkNanos(PAUSE_NANOS);
                if (Thread.interrupted() || isStopping) {
                    throw new InterruptedException("query warm-up stopped");
                }
            }
            progress.pausedNanos += System.nanoTime() - pauseStart;
        }
    }

    /**
     * The scratch server: the same handler as {@link SundialServer}'s HTTP API, so the JIT compiles
     * the code users' requests run; no authentication (loopback, scratch data), no slow-query log
     * and no self-metrics (the warm-up must not write into the user's log or databases). Requests
     * run on the pool's platform threads, writes too (the API hands those to virtual threads), so that
     * their CPU time can be read and bounded ({@code threads} collects them).
     */
    private static Server startJetty(Databases databases, Set<Thread> threadsMade, AtomicInteger connectionsClosed) throws IOException {
        ThreadFactory recording = runnable -> {
            Thread thread = new Thread(runnable);
            threadsMade.add(thread);
            return thread;
        };
        QueuedThreadPool threads = new QueuedThreadPool(8, 2, 60_000, 0, null, null, recording);
        threads.setName("sundial-warmup-http");
        threads.setDaemon(true);
        threads.setThreadsPriority(Thread.MIN_PRIORITY);
        Server jetty = new Server(threads);
        jetty.setStopTimeout(2_000);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        ServerConnector connector = new ServerConnector(jetty, 1, 1, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        connector.addEventListener(new Connection.Listener() {
            @Override
            public void onClosed(Connection connection) {
                connectionsClosed.incrementAndGet();
            }
        });
        jetty.addConnector(connector);
        ServerOptions options = ServerOptions.defaults().withHttpAddress(new InetSocketAddress("127.0.0.1", 0));
        ServerMetrics metrics = new ServerMetrics(new ObservabilityOptions(null, null));
        jetty.setHandler(new ApiHandler(databases, FormatRegistry.withBuiltins(), options, metrics, () -> true,
                SundialServer.version(), AccessGate.open(), Runnable::run));
        try {
            jetty.start();
        } catch (Exception e) {
            stopJetty(jetty);
            throw new IOException("cannot start the warm-up's loopback HTTP server: " + e.getMessage(), e);
        }
        return jetty;
    }

    private static void stopJetty(Server jetty) {
        try {
            jetty.stop();
        } catch (Exception e) {
            LOG.fine(() -> "stopping the warm-up's HTTP server failed: " + e.getMessage());
        }
    }

    private static void deleteQuietly(Path directory) {
        try (var paths = Files.walk(directory)) {
            List<Path> deepestFirst = paths.sorted(java.util.Comparator.reverseOrder()).toList();
            for (Path path : deepestFirst) {
                Files.deleteIfExists(path);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warning(() -> "could not remove the query warm-up's scratch directory " + directory + ": " + e.getMessage()
                    + "; delete it by hand");
        }
    }
}
