package io.sundial.storage.manifest;

import static io.sundial.storage.manifest.ManifestFixtures.DAY_NANOS;
import static io.sundial.storage.manifest.ManifestFixtures.file;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class VersionTest {
    private static final Version BASE = Version.EMPTY.apply(VersionEdit.builder()
            .addFile(file(1, 0, 10)).addFile(file(2, 1, 5)).addFile(file(3, 0, 4))
            .addTombstone(new Tombstone(20, "cpu", List.of(), 0, 5))
            .setProperty("a", "1")
            .build());

    @Test
    void filesAreSortedByPartitionThenSequence() {
        assertEquals(List.of(3L, 1L, 2L), BASE.files().stream().map(FileMeta::fileNumber).toList());
        assertEquals(List.of(3L, 1L), BASE.files(0).stream().map(FileMeta::fileNumber).toList());
        assertEquals(List.of(2L), BASE.files(DAY_NANOS).stream().map(FileMeta::fileNumber).toList());
        assertEquals(List.of(), BASE.files(5 * DAY_NANOS));
        assertEquals(List.of(), BASE.files(-DAY_NANOS));
    }

    @Test
    void overlappingSelectsByTimeRangeInclusive() {
        FileMeta two = file(2, 1, 5);
        assertEquals(List.of(two), BASE.overlapping(two.maxTime(), two.maxTime() + 10));
        assertEquals(List.of(), BASE.overlapping(two.maxTime() + 1, two.maxTime() + 10));
        assertEquals(3, BASE.overlapping(Long.MIN_VALUE, Long.MAX_VALUE).size());
    }

    @Test
    void countersOnlyRiseAndCoverAddedSequences() {
        assertEquals(20, BASE.lastSequence(), "raised to the tombstone's sequence");
        assertEquals(4, BASE.nextFileNumber(), "raised above the highest added file");
        Version lowered = BASE.apply(VersionEdit.builder().setNextFileNumber(1).setLastSequence(2)
                .setWalSegmentFloor(9).build());
        assertEquals(4, lowered.nextFileNumber());
        assertEquals(20, lowered.lastSequence());
        assertEquals(9, lowered.walSegmentFloor());
        assertEquals(9, lowered.apply(VersionEdit.builder().setWalSegmentFloor(3).build()).walSegmentFloor());
    }

    @Test
    void removalsAndPropertiesApply() {
        Version next = BASE.apply(VersionEdit.builder().removeFile(1).removeTombstone(20).removeProperty("a")
                .setProperty("b", "2").setRetention(Duration.ofHours(2)).build());
        assertEquals(List.of(3L, 2L), next.files().stream().map(FileMeta::fileNumber).toList());
        assertEquals(List.of(), next.tombstones());
        assertEquals(Optional.empty(), next.property("a"));
        assertEquals(Optional.of("2"), next.property("b"));
        assertEquals(Duration.ofHours(2), next.retention());
        assertTrue(BASE.contains(1), "the old version is unchanged");
    }

    @Test
    void snapshotEditRebuildsTheVersion() {
        Version rebuilt = Version.EMPTY.apply(BASE.snapshotEdit());
        assertEquals(BASE.files(), rebuilt.files());
        assertEquals(BASE.tombstones(), rebuilt.tombstones());
        assertEquals(BASE.properties(), rebuilt.properties());
        assertEquals(BASE.nextFileNumber(), rebuilt.nextFileNumber());
        assertEquals(BASE.lastSequence(), rebuilt.lastSequence());
        assertEquals(BASE.walSegmentFloor(), rebuilt.walSegmentFloor());
        assertEquals(BASE.retentionNanos(), rebuilt.retentionNanos());
    }

    static Stream<Arguments> editsThatDoNotFit() {
        return Stream.of(
                Arguments.of(Named.of("remove_missing_file", VersionEdit.builder().removeFile(99).build()), "file 99"),
                Arguments.of(Named.of("add_live_file", VersionEdit.builder().addFile(file(1, 3, 30)).build()), "file 1"),
                Arguments.of(Named.of("add_file_twice",
                        VersionEdit.builder().addFile(file(8, 3, 30)).addFile(file(8, 3, 31)).build()), "file 8"),
                Arguments.of(Named.of("re_add_removed_file",
                        VersionEdit.builder().removeFile(2).addFile(file(2, 3, 30)).build()), "file 2"),
                Arguments.of(Named.of("remove_missing_tombstone", VersionEdit.builder().removeTombstone(7).build()),
                        "tombstone 7"),
                Arguments.of(Named.of("add_live_tombstone",
                        VersionEdit.builder().addTombstone(new Tombstone(20, null, List.of(), 0, 1)).build()),
                        "tombstone 20"));
    }

    @ParameterizedTest
    @MethodSource("editsThatDoNotFit")
    void editThatDoesNotFitIsRejected(VersionEdit edit, String named) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BASE.apply(edit));
        assertTrue(e.getMessage().contains(named), e.getMessage());
    }

    static Stream<Arguments> invalidRecords() {
        return Stream.<Arguments>of(
                Arguments.of(Named.of("negative_file_number", (Runnable) () -> new FileMeta(-1, 0, 1, 0, 1, 0, 0, 0, 0))),
                Arguments.of(Named.of("max_time_before_min", (Runnable) () -> new FileMeta(1, 0, 1, 5, 4, 0, 0, 0, 0))),
                Arguments.of(Named.of("partition_end_before_start",
                        (Runnable) () -> new FileMeta(1, 5, 4, 0, 1, 0, 0, 0, 0))),
                Arguments.of(Named.of("level_too_high", (Runnable) () -> new FileMeta(1, 0, 1, 0, 1, 0, 0, 0, 256))),
                Arguments.of(Named.of("tombstone_range_reversed",
                        (Runnable) () -> new Tombstone(1, null, List.of(), 2, 1))),
                Arguments.of(Named.of("string_too_long",
                        (Runnable) () -> new TagMatcher("k".repeat(70_000), TagMatcher.Op.EQ, "v"))),
                Arguments.of(Named.of("negative_retention",
                        (Runnable) () -> VersionEdit.builder().setRetention(Duration.ofSeconds(-1)))));
    }

    @ParameterizedTest
    @MethodSource("invalidRecords")
    void invalidValuesAreRejectedWhenBuilt(Runnable construction) {
        assertThrows(IllegalArgumentException.class, construction::run);
    }
}
