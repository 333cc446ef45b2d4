package io.sundial.cli.reliability;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real {@code sundial server} in a child JVM (the cli main class on this test's classpath) on
 * a free loopback port: started, waited for until {@code /ready} answers 200, and stopped with
 * SIGKILL or SIGTERM. Its output goes to {@code <log>} for the post-mortem of a failed run.
 */
final class ServerProcess {
    static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    /** Between two polls of /ready; bounds the resolution of the measured recovery time. */
    private static final long POLL_PAUSE_NANOS = 5_000_000L;
    private static final Pattern HTTP_LISTENING = Pattern.compile("HTTP listening on (\\S+):(\\d+)");

    final Process process;
    final URI base;
    /** Nanoseconds from starting the process to the first 200 of {@code /ready}. */
    final long readyNanos;

    private ServerProcess(Process process, URI base, long readyNanos) {
        this.process = process;
        this.base = base;
        this.readyNanos = readyNanos;
    }

    /** Starts a server on {@code dataDir} and returns once it is ready. */
    static ServerProcess start(Path dataDir, Path log, HttpClient client, String... extraJvmOptions) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC"));
        command.addAll(List.of(extraJvmOptions));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.sundial.cli.Main", "server",
                "--data-dir", dataDir.toString(), "--http-addr", "127.0.0.1:0", "--lp-addr", "off", "--pg-addr", "off",
                "--query-warmup", "off"));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.redirectErrorStream(true);
        long started = System.nanoTime();
        Process process = builder.start();
        try {
            CompletableFuture<URI> address = new CompletableFuture<>();
            Thread.ofPlatform().daemon().name("sundial-child-output").start(() -> copyOutput(process, log, address));
            URI base = address.get(READY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            long readyNanos = awaitReady(client, base, started);
            return new ServerProcess(process, base, readyNanos);
        } catch (Exception e) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
            throw new IllegalStateException("the sundial child did not become ready (its output is in " + log + ")", e);
        }
    }

    private static void copyOutput(Process process, Path log, CompletableFuture<URI> address) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8,
                     StandardOpenOption.CREATE, StandardOpenOption.APPEND))) {
            out.println("---- child " + process.pid());
            String line;
            while ((line = in.readLine()) != null) {
                out.println(line);
                Matcher m = HTTP_LISTENING.matcher(line);
                if (!address.isDone() && m.find()) {
                    address.complete(URI.create("http://" + m.group(1) + ":" + m.group(2)));
                }
            }
        } catch (IOException e) {
            address.completeExceptionally(e);
        } finally {
            address.completeExceptionally(new IOException("the child's output ended before it said where it listens"));
        }
    }

    /** Polls {@code /ready} (the server may listen before it has replayed its WAL) until 200 or the deadline. */
    private static long awaitReady(HttpClient client, URI base, long started) throws Exception {
        long deadline = started + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<Void> ready = client.send(HttpRequest.newBuilder(base.resolve("/ready"))
                        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.discarding());
                if (ready.statusCode() == 200) {
                    return System.nanoTime() - started;
                }
            } catch (IOException notYet) {
                // Not listening yet: poll again.
            }
            LockSupport.parkNanos(POLL_PAUSE_NANOS); // a poll interval, not a synchronisation: the deadline bounds it
        }
        throw new IllegalStateException("/ready did not answer 200 within " + READY_TIMEOUT);
    }

    /** SIGKILL: no shutdown hook, no flush, no close; what a power cut or the OOM killer does. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("child " + process.pid() + " did not die within 60 s of SIGKILL");
        }
    }

    /** SIGTERM and wait: the graceful shutdown path. */
    void stop() throws InterruptedException {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
