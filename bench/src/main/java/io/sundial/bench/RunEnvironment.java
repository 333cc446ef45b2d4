package io.sundial.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * What the end-to-end harnesses print next to their figures: the JVM flags they ran with, the
 * machine's load (the benchmark machine is shared, so a figure taken under load is marked as
 * such), the process RSS, and GC time. Also the scratch directories they write into.
 */
final class RunEnvironment {
    private RunEnvironment() {}

    /** The JVM's command-line flags and its effective max heap. */
    static String jvmDescription() {
        return String.format(Locale.ROOT, "JDK %s, flags %s, max heap %d MiB, %d CPUs",
                Runtime.version(), ManagementFactory.getRuntimeMXBean().getInputArguments(),
                Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors());
    }

    /** The three load averages of /proc/loadavg, or "n/a" where it does not exist. */
    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return "n/a";
        }
    }

    /** The process resident set size in bytes (VmRSS of /proc/self/status), or -1 where unknown. */
    static long residentBytes() {
        return statusKibibytes("VmRSS:");
    }

    /** The peak resident set size in bytes (VmHWM), or -1 where unknown. */
    static long peakResidentBytes() {
        return statusKibibytes("VmHWM:");
    }

    /** Resident anonymous memory (heap, native allocations) in bytes (RssAnon), or -1. */
    static long residentAnonymousBytes() {
        return statusKibibytes("RssAnon:");
    }

    /** Resident file-backed pages (mapped segment files, the JDK's own files) in bytes (RssFile), or -1. */
    static long residentFileBytes() {
        return statusKibibytes("RssFile:");
    }

    private static long statusKibibytes(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key)) {
                    String[] parts = line.substring(key.length()).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** CPU time this process has used so far, all threads, in nanoseconds (-1 where unknown). */
    static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    /** Milliseconds all collectors have spent so far. */
    static long gcMillis() {
        long total = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            total += Math.max(0, gc.getCollectionTime());
        }
        return total;
    }

    /** A fresh directory under {@code -Dsundial.bench.dir} (default: the temp directory). */
    static Path scratchDirectory(String prefix) throws IOException {
        Path parent = Path.of(System.getProperty("sundial.bench.dir", System.getProperty("java.io.tmpdir")));
        Files.createDirectories(parent);
        return Files.createTempDirectory(parent, prefix);
    }

    /** Total bytes of the regular files under {@code dir} (0 when it does not exist). */
    static long directoryBytes(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(path -> {
                try {
                    return Files.size(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
