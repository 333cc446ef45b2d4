package io.sundial.server;

import io.sundial.storage.EngineOptions;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The resource budgets Sundial gives itself when nobody configured them, derived from the
 * machine it runs on. A pure function of {@link Machine} ({@link #derive}), so the sizing rules
 * are tested as a table and the same machine always gets the same plan.
 *
 * <p>The rules, and why:
 * <ul>
 *   <li>memtable budget: a quarter of the heap, 16 MiB to 1 GiB. Writers wait (then get 503)
 *       past it, so ingestion can never take more than this share of the heap; the rest is for
 *       queries, the catalog and the flush that drains the memtables. Not bounded lower for the
 *       resident size: a 128 MiB bound cost 16 % of set A's and 35 % of set B's ingest rate and
 *       left set B's peak RSS higher, not lower (more flushes, more garbage for the collector to
 *       grow the heap for; docs/BENCHMARKS.md section 11). The budget also counts the memtables'
 *       native column pages (long columns live mostly there since session 6), so it bounds those
 *       too. The same rule as {@link EngineOptions#effectiveMemtableBytesMax()}.</li>
 *   <li>native pages of the active memtable: flushed at 1 MiB per GiB of the machine's memory, 16 to
 *       256 MiB (64 MiB when the memory is unknown), whatever the heap. The budget above is derived
 *       from the heap, which by default is half the machine, so alone it let a load of long columns
 *       (set A) keep all its ~150 MiB of pages resident beside the heap; this bound keeps them to
 *       about twice it (one memtable filling, one flushing; writers wait past three times it) at
 *       a flush every ~1.5 M values of long columns on a 24 GiB machine.</li>
 *   <li>query memory per query: an eighth of the heap, 4 MiB to 4 GiB, so four queries at their
 *       limit plus a full memtable still fit in three quarters of the heap.</li>
 *   <li>query parallelism: one worker per core, at most 64: a query's partitions are independent.</li>
 *   <li>queries at once: two per core, 4 to 256; more wait, so their memory stays bounded.</li>
 *   <li>flush and compaction: one thread each per database (the engine's design: a flush or
 *       compaction of one database never runs twice at once); compaction is throttled to 16 MiB/s
 *       per core, 16 to 256 MiB/s, so on a small machine it leaves cores to ingestion.</li>
 *   <li>WAL segment size: 1/64 of the free disk, 1 to 64 MiB, so a nearly full small disk is not
 *       taken by one preallocated segment.</li>
 * </ul>
 *
 * @param machine what the plan was derived from
 * @param memtableBytesMax memtables (active + being flushed) per database before writers wait
 * @param memtableNativeBytesMax native column pages of a database's active memtable at which it is flushed
 * @param queryMemoryBytesMax memory one query may hold
 * @param queryParallelism workers one query may use
 * @param queriesConcurrentMax queries running at once
 * @param flushThreads flush threads per database
 * @param compactionThreads compaction threads per database
 * @param compactionBytesPerSecondMax background compaction throttle per database
 * @param walSegmentBytesMax WAL segment size before rotation
 * @param warnings what about the machine an operator should fix (empty when nothing)
 */
public record ResourcePlan(Machine machine, long memtableBytesMax, long memtableNativeBytesMax, long queryMemoryBytesMax, int queryParallelism,
                           int queriesConcurrentMax, int flushThreads, int compactionThreads,
                           long compactionBytesPerSecondMax, long walSegmentBytesMax, List<String> warnings) {
    private static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;
    /** The active memtable's native pages are flushed at 1 MiB per GiB of the machine's memory. */
    private static final long NATIVE_SHARE_DIVISOR = 1024;

    public ResourcePlan {
        warnings = List.copyOf(warnings);
    }

    /**
     * What the plan is derived from.
     *
     * @param heapBytesMax the JVM's maximum heap ({@link Runtime#maxMemory()})
     * @param memoryBytes physical (or container) memory; 0 when unknown
     * @param cores processors the JVM may use ({@link Runtime#availableProcessors()}, container-aware)
     * @param diskFreeBytes usable bytes on the data directory's file system; 0 when unknown
     */
    public record Machine(long heapBytesMax, long memoryBytes, int cores, long diskFreeBytes) {
        public Machine {
            if (heapBytesMax <= 0 || cores <= 0 || memoryBytes < 0 || diskFreeBytes < 0) {
                throw new IllegalArgumentException("machine figures must be positive (memory and disk may be 0 = unknown): "
                        + heapBytesMax + " heap, " + memoryBytes + " memory, " + cores + " cores, " + diskFreeBytes + " disk");
            }
        }

        /** This JVM on this machine, with the free space of {@code dataDir}'s file system (or its nearest existing parent). */
        public static Machine current(Path dataDir) {
            return new Machine(Runtime.getRuntime().maxMemory(), physicalMemoryBytes(),
                    Runtime.getRuntime().availableProcessors(), usableBytes(dataDir));
        }

        private static long physicalMemoryBytes() {
            // The com.sun.management bean is container-aware (cgroup limits), unlike /proc/meminfo.
            if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
                return Math.max(0, os.getTotalMemorySize());
            }
            return 0;
        }

        private static long usableBytes(Path dir) {
            Path probe = dir.toAbsolutePath();
            while (probe != null && !Files.exists(probe)) {
                probe = probe.getParent();
            }
            if (probe == null) {
                return 0;
            }
            try {
                return Math.max(0, Files.getFileStore(probe).getUsableSpace());
            } catch (IOException e) {
                return 0;
            }
        }
    }

    /** The plan for {@code machine}. */
    public static ResourcePlan derive(Machine machine) {
        long heap = machine.heapBytesMax();
        int cores = machine.cores();
        long memtable = Math.clamp(heap / 4, 16 * MIB, GIB);
        long memtableNative = machine.memoryBytes() == 0 ? EngineOptions.MEMTABLE_NATIVE_BYTES_DEFAULT
                : Math.clamp(machine.memoryBytes() / NATIVE_SHARE_DIVISOR, 16 * MIB, 256 * MIB);
        long queryMemory = Math.clamp(heap / 8, 4 * MIB, 4 * GIB);
        int parallelism = Math.min(cores, 64);
        int concurrent = Math.clamp(2L * cores, 4, 256);
        long compaction = Math.clamp(16 * MIB * cores, 16 * MIB, 256 * MIB);
        long walSegment = machine.diskFreeBytes() == 0 ? 64 * MIB : Math.clamp(machine.diskFreeBytes() / 64, MIB, 64 * MIB);
        List<String> warnings = new ArrayList<>();
        if (heap < 64 * MIB) {
            warnings.add("the heap is only " + bytes(heap) + ": give Sundial at least 256 MiB (-Xmx256m in SUNDIAL_JAVA_OPTS)");
        }
        if (machine.memoryBytes() > 0 && heap > machine.memoryBytes() / 4 * 3) {
            warnings.add("the heap (" + bytes(heap) + ") is over 3/4 of the machine's memory (" + bytes(machine.memoryBytes())
                    + "): the page cache that serves segment files gets too little; lower -Xmx");
        }
        if (machine.diskFreeBytes() > 0 && machine.diskFreeBytes() < GIB) {
            warnings.add("only " + bytes(machine.diskFreeBytes()) + " free on the data directory's disk");
        }
        return new ResourcePlan(machine, memtable, memtableNative, queryMemory, parallelism, concurrent, 1, 1, compaction, walSegment, warnings);
    }

    /** {@code base} with this plan's storage budgets (memtable and its native pages, compaction throttle, WAL segment size). */
    public EngineOptions applyTo(EngineOptions base) {
        return base.withMemtableBytesMax(memtableBytesMax)
                .withMemtableNativeBytesMax(memtableNativeBytesMax)
                .withCompactionBytesPerSecondMax(compactionBytesPerSecondMax)
                .withWalSegmentBytesMax(walSegmentBytesMax);
    }

    /** One log line: the machine, then what was chosen. */
    public String summary() {
        return "resources: heap " + bytes(machine.heapBytesMax()) + ", memory "
                + (machine.memoryBytes() == 0 ? "unknown" : bytes(machine.memoryBytes())) + ", " + machine.cores()
                + (machine.cores() == 1 ? " core" : " cores") + ", disk free "
                + (machine.diskFreeBytes() == 0 ? "unknown" : bytes(machine.diskFreeBytes()))
                + " -> memtable " + bytes(memtableBytesMax) + " per database (flushed at " + bytes(memtableNativeBytesMax)
                + " of native pages), query memory " + bytes(queryMemoryBytesMax)
                + " per query, query parallelism " + queryParallelism + ", " + queriesConcurrentMax + " queries at once, "
                + flushThreads + " flush + " + compactionThreads + " compaction thread per database, compaction "
                + bytes(compactionBytesPerSecondMax) + "/s, WAL segments " + bytes(walSegmentBytesMax);
    }

    /** {@code n} bytes in the largest binary unit that keeps one decimal, e.g. {@code 1.5 GiB}. */
    static String bytes(long n) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double value = n;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? n + " B" : String.format(Locale.ROOT, value == Math.rint(value) ? "%.0f %s" : "%.1f %s", value, units[unit]);
    }
}
