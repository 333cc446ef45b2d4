package io.sundial.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.storage.EngineOptions;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ResourcePlanTest {
    private static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;

    /** Expected values worked out by hand from the rules in ResourcePlan's Javadoc. */
    static Stream<Arguments> machines() {
        return Stream.of(
                // name, heap, memory, cores, disk free -> memtable, its native pages, query memory, parallelism, concurrent, compaction/s, WAL segment
                Arguments.of("tiny_heap_one_core", 32 * MIB, 512 * MIB, 1, 10 * GIB,
                        16 * MIB, 16 * MIB, 4 * MIB, 1, 4, 16 * MIB, 64 * MIB),
                Arguments.of("laptop", 4 * GIB, 16 * GIB, 8, 200 * GIB,
                        GIB, 16 * MIB, 512 * MIB, 8, 16, 128 * MIB, 64 * MIB),
                Arguments.of("small_vm_two_cores", 256 * MIB, GIB, 2, 20 * GIB,
                        64 * MIB, 16 * MIB, 32 * MIB, 2, 4, 32 * MIB, 64 * MIB),
                Arguments.of("big_server", 64 * GIB, 256 * GIB, 96, 4096 * GIB,
                        GIB, 256 * MIB, 4 * GIB, 64, 192, 256 * MIB, 64 * MIB),
                Arguments.of("huge_core_count", 8 * GIB, 512 * GIB, 512, 100 * GIB,
                        GIB, 256 * MIB, GIB, 64, 256, 256 * MIB, 64 * MIB),
                Arguments.of("nearly_full_disk", GIB, 8 * GIB, 4, 128 * MIB,
                        256 * MIB, 16 * MIB, 128 * MIB, 4, 8, 64 * MIB, 2 * MIB),
                Arguments.of("almost_no_disk", GIB, 8 * GIB, 4, 10 * MIB,
                        256 * MIB, 16 * MIB, 128 * MIB, 4, 8, 64 * MIB, MIB),
                Arguments.of("unknown_memory_and_disk", 512 * MIB, 0, 4, 0,
                        128 * MIB, EngineOptions.MEMTABLE_NATIVE_BYTES_DEFAULT, 64 * MIB, 4, 8, 64 * MIB, 64 * MIB),
                // the benchmark machine of docs/BENCHMARKS.md: the launcher's heap is half the memory
                Arguments.of("two_cores_24_gib", 12 * GIB, 24 * GIB, 2, 100 * GIB,
                        GIB, 24 * MIB, 1536 * MIB, 2, 4, 32 * MIB, 64 * MIB));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("machines")
    void derivesTheBudgetsOfTheTable(String name, long heap, long memory, int cores, long disk, long memtable,
                                     long memtableNative, long queryMemory, int parallelism, int concurrent, long compaction, long walSegment) {
        ResourcePlan plan = ResourcePlan.derive(new ResourcePlan.Machine(heap, memory, cores, disk));
        assertEquals(memtable, plan.memtableBytesMax(), "memtable");
        assertEquals(memtableNative, plan.memtableNativeBytesMax(), "memtable native pages");
        assertEquals(queryMemory, plan.queryMemoryBytesMax(), "query memory");
        assertEquals(parallelism, plan.queryParallelism(), "query parallelism");
        assertEquals(concurrent, plan.queriesConcurrentMax(), "queries at once");
        assertEquals(1, plan.flushThreads());
        assertEquals(1, plan.compactionThreads());
        assertEquals(compaction, plan.compactionBytesPerSecondMax(), "compaction throttle");
        assertEquals(walSegment, plan.walSegmentBytesMax(), "WAL segment");
    }

    @Test
    void memtableRuleMatchesTheEnginesOwnAutomaticSize() {
        long heap = Runtime.getRuntime().maxMemory();
        ResourcePlan plan = ResourcePlan.derive(new ResourcePlan.Machine(heap, 0, 2, 0));
        assertEquals(EngineOptions.defaults().effectiveMemtableBytesMax(), plan.memtableBytesMax());
    }

    @Test
    void appliesItsStorageBudgetsToEngineOptions() {
        ResourcePlan plan = ResourcePlan.derive(new ResourcePlan.Machine(GIB, 8 * GIB, 4, 128 * MIB));
        EngineOptions options = plan.applyTo(EngineOptions.defaults());
        assertEquals(256 * MIB, options.memtableBytesMax());
        assertEquals(16 * MIB, options.memtableNativeBytesMax());
        assertEquals(64 * MIB, options.compactionBytesPerSecondMax());
        assertEquals(2 * MIB, options.walSegmentBytesMax());
    }

    @Test
    void warnsAboutASmallHeapAHeapTooCloseToMachineMemoryAndALowDisk() {
        ResourcePlan plan = ResourcePlan.derive(new ResourcePlan.Machine(32 * MIB, 40 * MIB, 1, 100 * MIB));
        assertEquals(3, plan.warnings().size(), plan.warnings().toString());
        assertTrue(plan.warnings().get(0).contains("heap is only 32 MiB"), plan.warnings().get(0));
        assertTrue(plan.warnings().get(1).contains("over 3/4 of the machine's memory (40 MiB)"), plan.warnings().get(1));
        assertTrue(plan.warnings().get(2).contains("only 100 MiB free"), plan.warnings().get(2));
        assertEquals(0, ResourcePlan.derive(new ResourcePlan.Machine(4 * GIB, 16 * GIB, 8, 200 * GIB)).warnings().size());
    }

    @Test
    void summaryIsOneLineNamingMachineAndChoices() {
        ResourcePlan plan = ResourcePlan.derive(new ResourcePlan.Machine(4 * GIB, 16 * GIB, 8, 200 * GIB));
        assertEquals("resources: heap 4 GiB, memory 16 GiB, 8 cores, disk free 200 GiB -> memtable 1 GiB per database"
                + " (flushed at 16 MiB of native pages), query memory 512 MiB per query, query parallelism 8, 16 queries at once, 1 flush + 1 compaction thread"
                + " per database, compaction 128 MiB/s, WAL segments 64 MiB", plan.summary());
    }

    @Test
    void formatsBytesInBinaryUnits() {
        assertEquals("512 B", ResourcePlan.bytes(512));
        assertEquals("1.5 KiB", ResourcePlan.bytes(1536));
        assertEquals("96 MiB", ResourcePlan.bytes(96 * MIB));
    }

    @Test
    void currentMachineIsReadFromThisJvmAndTheNearestExistingDirectory(@TempDir Path dir) {
        ResourcePlan.Machine machine = ResourcePlan.Machine.current(dir.resolve("not/yet/created"));
        assertEquals(Runtime.getRuntime().maxMemory(), machine.heapBytesMax());
        assertEquals(Runtime.getRuntime().availableProcessors(), machine.cores());
        assertTrue(machine.diskFreeBytes() > 0, "free space of the temp dir's file system");
        assertTrue(machine.memoryBytes() >= machine.heapBytesMax() / 2, "physical memory " + machine.memoryBytes());
    }

    @Test
    void refusesImpossibleMachines() {
        assertThrows(IllegalArgumentException.class, () -> new ResourcePlan.Machine(0, 0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new ResourcePlan.Machine(GIB, 0, 0, 0));
    }
}
