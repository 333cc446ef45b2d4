package io.sundial.server.metrics;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.ThreadMXBean;

/**
 * The JVM and process families of /metrics, named as the Prometheus Java client and
 * node/process exporters name them, so existing dashboards and alerts apply: GC, threads,
 * non-heap memory, CPU time, open file descriptors, start time, and {@code sundial_build_info}.
 */
final class RuntimeMetrics {
    private RuntimeMetrics() {}

    static void write(PrometheusText text, long startedAtMillis) {
        text.family("sundial_build_info", "gauge", "Always 1; the labels say which Sundial and Java run.");
        String version = RuntimeMetrics.class.getPackage().getImplementationVersion();
        text.sample("sundial_build_info", 1, "version", version == null ? "development" : version,
                "java_version", Runtime.version().toString());
        MemoryUsage nonHeap = ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage();
        text.family("jvm_memory_nonheap_used_bytes", "gauge", "Non-heap memory in use (metaspace, code cache).");
        text.sample("jvm_memory_nonheap_used_bytes", nonHeap.getUsed());
        text.family("jvm_gc_collections_total", "counter", "Garbage collections, by collector.");
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            text.sample("jvm_gc_collections_total", Math.max(0, gc.getCollectionCount()), "gc", gc.getName());
        }
        text.family("jvm_gc_collection_seconds_total", "counter", "Time spent in garbage collection, by collector.");
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            text.sample("jvm_gc_collection_seconds_total", Math.max(0, gc.getCollectionTime()) / 1e3, "gc", gc.getName());
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        text.family("jvm_threads", "gauge", "Live platform threads (virtual threads of requests are not counted).");
        text.sample("jvm_threads", threads.getThreadCount());
        text.family("jvm_threads_peak", "gauge", "Most live platform threads since start.");
        text.sample("jvm_threads_peak", threads.getPeakThreadCount());
        text.family("process_start_time_seconds", "gauge", "Unix time the server started.");
        text.sample("process_start_time_seconds", startedAtMillis / 1e3);
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean hotspot) {
            text.family("process_cpu_seconds_total", "counter", "CPU time used by the process.");
            text.sample("process_cpu_seconds_total", Math.max(0, hotspot.getProcessCpuTime()) / 1e9);
        }
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            text.family("process_open_fds", "gauge", "Open file descriptors (segment files, sockets).");
            text.sample("process_open_fds", unix.getOpenFileDescriptorCount());
            text.family("process_max_fds", "gauge", "Limit on open file descriptors.");
            text.sample("process_max_fds", unix.getMaxFileDescriptorCount());
        }
    }
}
