package io.sundial.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Before/after comparison of {@link LineProtocolParseBenchmark} on a loaded machine: each build
 * (its core and ingest classes, directories or jars) is loaded by its own class loader into one
 * JVM, and the rounds alternate between the builds, so every build sees the same neighbours'
 * load, minute by minute. Reports MB per CPU-second of this thread (median, 75th percentile and
 * best of the rounds after the first third, which is JIT warm-up).
 *
 * <pre>
 * java -cp bench/target/classes io.sundial.bench.LineProtocolParseComparison 45 parseSetAColumns \
 *     bench/target/lib before/core.jar:before/ingest.jar after/core/classes:after/ingest/classes
 * </pre>
 *
 * The shared library directory is the bench's {@code target/lib}; its own sundial-core and
 * sundial-ingest jars are left out so that each build's classes are the ones measured.
 */
public final class LineProtocolParseComparison {
    private static final String BENCHMARK = "io.sundial.bench.LineProtocolParseBenchmark";

    private LineProtocolParseComparison() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            throw new IllegalArgumentException("usage: LineProtocolParseComparison ROUNDS parseSetAColumns|parseSetA LIB_DIR"
                    + " BUILD_CLASSPATH... (at least one build; builds are ':'-separated class directories or jars)");
        }
        int rounds = Integer.parseInt(args[0]);
        if (rounds < 3) {
            throw new IllegalArgumentException("ROUNDS must be at least 3, got " + rounds);
        }
        String method = args[1];
        List<URL> shared = sharedLibraries(Path.of(args[2]));
        List<String> builds = Arrays.asList(args).subList(3, args.length);
        Object[] benchmarks = new Object[builds.size()];
        Method[] parses = new Method[builds.size()];
        for (int b = 0; b < builds.size(); b++) {
            List<URL> urls = new ArrayList<>();
            for (String entry : builds.get(b).split(":")) {
                urls.add(Path.of(entry).toAbsolutePath().toUri().toURL());
            }
            urls.addAll(shared);
            Class<?> type = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader()).loadClass(BENCHMARK);
            benchmarks[b] = type.getDeclaredConstructor().newInstance();
            type.getMethod("setUp").invoke(benchmarks[b]);
            parses[b] = type.getMethod(method);
        }
        long textBytes = (int) benchmarks[0].getClass().getMethod("textBytes").invoke(benchmarks[0]);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double[][] megabytesPerCpuSecond = new double[builds.size()][rounds];
        System.out.println(RunEnvironment.jvmDescription() + ", " + RunEnvironment.loadAverage());
        for (int round = 0; round < rounds; round++) {
            for (int b = 0; b < builds.size(); b++) {
                long started = threads.getCurrentThreadCpuTime();
                invoke(parses[b], benchmarks[b]);
                long cpuNanos = threads.getCurrentThreadCpuTime() - started;
                megabytesPerCpuSecond[b][round] = textBytes / 1e3 / (cpuNanos / 1e6);
            }
        }
        for (int b = 0; b < builds.size(); b++) {
            double[] measured = Arrays.copyOfRange(megabytesPerCpuSecond[b], rounds / 3, rounds);
            Arrays.sort(measured);
            System.out.printf(Locale.ROOT, "%s %s: median %.1f, p75 %.1f, best %.1f MB per CPU-second (%d rounds after %d warm-up)%n",
                    method, builds.get(b), measured[measured.length / 2], measured[measured.length * 3 / 4],
                    measured[measured.length - 1], measured.length, rounds / 3);
        }
        System.out.println(RunEnvironment.loadAverage());
    }

    private static List<URL> sharedLibraries(Path directory) throws IOException {
        List<URL> urls = new ArrayList<>();
        urls.add(LineProtocolParseComparison.class.getProtectionDomain().getCodeSource().getLocation());
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                if (!name.startsWith("sundial-core") && !name.startsWith("sundial-ingest")) {
                    urls.add(file.toUri().toURL());
                }
            }
        }
        return urls;
    }

    private static void invoke(Method parse, Object benchmark) throws Exception {
        try {
            parse.invoke(benchmark);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }
}
