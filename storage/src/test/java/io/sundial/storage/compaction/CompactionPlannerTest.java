package io.sundial.storage.compaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.storage.manifest.FileMeta;
import io.sundial.storage.manifest.Tombstone;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CompactionPlannerTest {
    private static final long DAY = 86_400_000_000_000L;
    private static final long NOW = 100 * DAY + DAY / 2;

    /** A file in partition day {@code day} (or spanning {@code days}), numbered by its sequence. */
    private static FileMeta file(long seq, long day, long days, long bytes) {
        return new FileMeta(seq, day * DAY, (day + days) * DAY, day * DAY, (day + days) * DAY - 1, bytes, 10, seq, 0);
    }

    private static FileMeta file(long seq, long day) {
        return file(seq, day, 1, 1000);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("nothing", List.of(), false, null),
                Arguments.of("one_file_per_recent_partition", List.of(file(1, 97), file(2, 98), file(3, 99)), false, null),
                Arguments.of("cold_overlap_merged", List.of(file(1, 95), file(2, 95)), false, List.of(1L, 2L)),
                Arguments.of("hot_overlap_waits", List.of(file(1, 100), file(2, 100)), false, null),
                Arguments.of("hot_overlap_full_compaction", List.of(file(1, 100), file(2, 100)), true, List.of(1L, 2L)),
                Arguments.of("hot_overlap_many_files", List.of(file(1, 100), file(2, 100), file(3, 100), file(4, 100)), false,
                        List.of(1L, 2L, 3L, 4L)),
                Arguments.of("late_data_into_merged_week", List.of(file(1, 70, 7, 1000), file(2, 72)), false, List.of(1L, 2L)),
                Arguments.of("small_old_partitions_merged_per_week",
                        List.of(file(1, 70), file(2, 71), file(3, 72), file(4, 77)), false, List.of(1L, 2L, 3L)),
                Arguments.of("large_old_partitions_left_alone",
                        List.of(file(1, 70, 1, 1L << 30), file(2, 71, 1, 1L << 30)), false, null),
                Arguments.of("recent_small_partitions_left_alone", List.of(file(1, 97), file(2, 98)), false, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void plans(String name, List<FileMeta> files, boolean full, List<Long> expectedInputs) {
        Optional<CompactionTask> task = CompactionPlanner.plan(files, DAY, NOW, full);
        if (expectedInputs == null) {
            assertTrue(task.isEmpty(), () -> name + ": expected no task, got " + task);
            return;
        }
        assertTrue(task.isPresent(), name + ": expected a task");
        List<Long> inputs = new ArrayList<>();
        for (FileMeta f : task.get().inputs()) {
            inputs.add(f.fileNumber());
        }
        inputs.sort(null);
        assertEquals(expectedInputs, inputs, name);
        assertWindowHoldsOverlapping(name, files, task.get(), inputs);
    }

    private static Tombstone tombstone(long seq, long fromDay, long toDay) {
        return new Tombstone(seq, "cpu", List.of(), fromDay * DAY, toDay * DAY);
    }

    static Stream<Arguments> tombstoneCases() {
        return Stream.of(
                Arguments.of("newer_file_untouched", List.of(file(5, 97)), List.of(tombstone(3, 97, 98)), null),
                Arguments.of("older_file_outside_range_untouched", List.of(file(1, 97)), List.of(tombstone(3, 98, 99)), null),
                Arguments.of("older_overlapping_file_rewritten", List.of(file(1, 96), file(2, 97), file(5, 98)),
                        List.of(tombstone(3, 97, 99)), List.of(2L)),
                Arguments.of("merge_rules_first", List.of(file(1, 95), file(2, 95), file(4, 97)),
                        List.of(tombstone(5, 97, 97)), List.of(1L, 2L)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tombstoneCases")
    void rewritesFilesATombstoneStillAppliesTo(String name, List<FileMeta> files, List<Tombstone> tombstones,
                                               List<Long> expectedInputs) {
        Optional<CompactionTask> task = CompactionPlanner.plan(files, tombstones, DAY, NOW, false);
        if (expectedInputs == null) {
            assertTrue(task.isEmpty(), () -> name + ": expected no task, got " + task);
            return;
        }
        assertTrue(task.isPresent(), name + ": expected a task");
        List<Long> inputs = new ArrayList<>();
        for (FileMeta f : task.get().inputs()) {
            inputs.add(f.fileNumber());
        }
        inputs.sort(null);
        assertEquals(expectedInputs, inputs, name);
        assertWindowHoldsOverlapping(name, files, task.get(), inputs);
    }

    static Stream<Arguments> flushesActiveCases() {
        return Stream.of(
                Arguments.of("cold_overlap_waits_while_flushing", List.of(file(1, 95), file(2, 95)), false, null),
                Arguments.of("cold_overlap_of_three_waits", List.of(file(1, 95), file(2, 95), file(3, 95)), false, null),
                Arguments.of("cold_overlap_of_four_merged", List.of(file(1, 95), file(2, 95), file(3, 95), file(4, 95)), false,
                        List.of(1L, 2L, 3L, 4L)),
                Arguments.of("full_compaction_does_not_wait", List.of(file(1, 95), file(2, 95)), true, List.of(1L, 2L)),
                Arguments.of("small_old_partitions_still_merged", List.of(file(1, 70), file(2, 71)), false, List.of(1L, 2L)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("flushesActiveCases")
    void waitsForFilesWhileFlushesArrive(String name, List<FileMeta> files, boolean full, List<Long> expectedInputs) {
        Optional<CompactionTask> task = CompactionPlanner.plan(files, List.of(), DAY, NOW, full, true);
        if (expectedInputs == null) {
            assertTrue(task.isEmpty(), () -> name + ": expected no task, got " + task);
            return;
        }
        assertTrue(task.isPresent(), name + ": expected a task");
        List<Long> inputs = new ArrayList<>();
        for (FileMeta f : task.get().inputs()) {
            inputs.add(f.fileNumber());
        }
        inputs.sort(null);
        assertEquals(expectedInputs, inputs, name);
        assertWindowHoldsOverlapping(name, files, task.get(), inputs);
    }

    private static void assertWindowHoldsOverlapping(String name, List<FileMeta> files, CompactionTask task, List<Long> inputs) {
        // The output window covers every input and overlaps no file left out.
        for (FileMeta f : files) {
            boolean overlaps = f.partitionStart() < task.partitionEnd() && f.partitionEnd() > task.partitionStart();
            assertEquals(overlaps, inputs.contains(f.fileNumber()), name + ": file " + f.fileNumber());
        }
    }
}
