package io.sundial.storage.manifest;

import static io.sundial.storage.manifest.ManifestFixtures.file;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.storage.format.CorruptFileException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VersionSetRecoveryTest {
    @TempDir
    Path root;

    private Path dir() {
        return root.resolve("db");
    }

    private VersionSetOptions options(long rolloverBytes) {
        return new VersionSetOptions(new SegmentDirectory(dir().resolve("data"), SegmentFileNames.HEX_SEG), rolloverBytes);
    }

    private VersionSet open() throws IOException {
        return open(VersionSetOptions.MANIFEST_ROLLOVER_BYTES_DEFAULT);
    }

    private VersionSet open(long rolloverBytes) throws IOException {
        VersionSetOptions options = options(rolloverBytes);
        return VersionSet.open(dir(), new ManifestFixtures.RecordingDeleter(options.segments()), options);
    }

    /** Everything a version holds except counters, which reopening may raise. */
    private static List<Object> state(Version v) {
        return List.of(v.files(), v.tombstones(), v.properties(), v.walSegmentFloor(), v.retentionNanos());
    }

    private static VersionEdit addFile(VersionSet set, long day) {
        return VersionEdit.builder().addFile(file(set.newFileNumber(), day, set.nextSequence())).build();
    }

    @Test
    void editsSurviveReopen() throws IOException {
        Version before;
        try (VersionSet set = open()) {
            set.apply(addFile(set, 0));
            set.apply(addFile(set, 1));
            set.apply(VersionEdit.builder().removeFile(set.current().files().get(0).fileNumber())
                    .addTombstone(new Tombstone(set.nextSequence(), "cpu",
                            List.of(new TagMatcher("host", TagMatcher.Op.REGEX, "web-\\d+")), 10, 20))
                    .setWalSegmentFloor(17).setRetention(Duration.ofDays(7)).setProperty("catalog", "v3").build());
            set.nextSequence();
            set.newFileNumber();
            before = set.current();
        }
        try (VersionSet set = open()) {
            Version after = set.current();
            assertEquals(state(before), state(after));
            assertEquals(Duration.ofDays(7), after.retention());
            assertTrue(after.lastSequence() > before.lastSequence(), "sequence handed out before close is recorded");
            assertTrue(after.nextFileNumber() > before.nextFileNumber(), "file number handed out before close is recorded");
        }
    }

    @Test
    void rolloverToANewManifestPreservesState() throws IOException {
        Version before;
        Path firstManifest;
        try (VersionSet set = open(512)) {
            firstManifest = set.manifestFile();
            for (int i = 0; i < 40; i++) {
                set.apply(addFile(set, i % 5));
                if (i % 3 == 2) {
                    set.apply(VersionEdit.builder().removeFile(set.current().files().get(0).fileNumber())
                            .setProperty("round", Integer.toString(i)).build());
                }
            }
            before = set.current();
            assertNotEquals(firstManifest, set.manifestFile());
            assertTrue(Files.size(set.manifestFile()) <= 2 * 512 + 1024, "rolled over more than once");
        }
        try (Stream<Path> entries = Files.list(dir())) {
            assertEquals(1, entries.filter(p -> p.getFileName().toString().startsWith("MANIFEST-")).count(),
                    "old manifests are deleted after the switch");
        }
        try (VersionSet set = open(512)) {
            assertEquals(state(before), state(set.current()));
            assertEquals(before.nextFileNumber(), set.current().nextFileNumber());
        }
    }

    /** A manifest with a snapshot and three edits; returns the file's size after each record. */
    private List<Long> writeFourRecords() throws IOException {
        List<Long> ends = new ArrayList<>();
        try (VersionSet set = open()) {
            ends.add(Files.size(set.manifestFile()));
            set.apply(addFile(set, 0));
            ends.add(Files.size(set.manifestFile()));
            set.apply(addFile(set, 1));
            ends.add(Files.size(set.manifestFile()));
            set.apply(VersionEdit.builder().removeFile(0).addFile(file(set.newFileNumber(), 2, set.nextSequence()))
                    .setProperty("last", "edit").build());
            ends.add(Files.size(set.manifestFile()));
        }
        return ends;
    }

    private Path manifest() throws IOException {
        try (Stream<Path> entries = Files.list(dir())) {
            return entries.filter(p -> p.getFileName().toString().startsWith("MANIFEST-")).findFirst().orElseThrow();
        }
    }

    @Test
    void tornTailAtEveryByteOfTheLastRecordRecoversThePreviousState() throws IOException {
        // Each cut logs a warning by design; hundreds of them would bury the build output.
        java.util.logging.Logger recoveryLog = java.util.logging.Logger.getLogger(Recovery.class.getName());
        java.util.logging.Level level = recoveryLog.getLevel();
        recoveryLog.setLevel(java.util.logging.Level.SEVERE);
        try {
            cutAtEveryByteOfTheLastRecord();
        } finally {
            recoveryLog.setLevel(level);
        }
    }

    private void cutAtEveryByteOfTheLastRecord() throws IOException {
        List<Long> ends = writeFourRecords();
        Path manifest = manifest();
        byte[] full = Files.readAllBytes(manifest);
        assertEquals(ends.get(3), full.length);
        Version previous;
        Files.write(manifest, Arrays.copyOf(full, ends.get(2).intValue()));
        try (VersionSet set = open()) {
            previous = set.current();
        }
        for (int cut = ends.get(2).intValue(); cut < full.length; cut++) {
            for (boolean zeroFilled : new boolean[] {false, true}) {
                byte[] torn = zeroFilled ? zeroFrom(full, cut) : Arrays.copyOf(full, cut);
                Files.write(manifest, torn);
                try (VersionSet set = open()) {
                    assertEquals(state(previous), state(set.current()),
                            "cut at " + cut + (zeroFilled ? " with zeros to the end" : ""));
                }
            }
        }
        Files.write(manifest, Arrays.copyOf(full, full.length - 1));
        try (VersionSet set = open()) {
            set.apply(addFile(set, 9));
        }
        try (VersionSet set = open()) {
            assertEquals(3, set.current().files().size(), "appends continue after the cut tail");
        }
    }

    private static byte[] zeroFrom(byte[] bytes, int from) {
        byte[] copy = bytes.clone();
        Arrays.fill(copy, from, copy.length, (byte) 0);
        return copy;
    }

    @Test
    void bitFlipInAnEarlierRecordIsReportedWithFileAndOffset() throws IOException {
        List<Long> ends = writeFourRecords();
        Path manifest = manifest();
        byte[] full = Files.readAllBytes(manifest);
        int recordStart = ends.get(1).intValue();
        for (int at = recordStart; at < ends.get(2); at++) {
            for (int bit : new int[] {0x01, 0x80}) {
                byte[] flipped = full.clone();
                flipped[at] ^= (byte) bit;
                Files.write(manifest, flipped);
                CorruptFileException e = assertThrows(CorruptFileException.class, this::open,
                        "flip 0x" + Integer.toHexString(bit) + " at " + at);
                assertEquals(manifest, e.file());
                assertEquals(recordStart, e.offset(), e.getMessage());
                assertTrue(e.getMessage().contains(manifest.toString()), e.getMessage());
            }
        }
    }

    @Test
    void damagedHeaderIsReported() throws IOException {
        writeFourRecords();
        Path manifest = manifest();
        byte[] bytes = Files.readAllBytes(manifest);
        bytes[9] ^= 0x40;
        Files.write(manifest, bytes);
        CorruptFileException e = assertThrows(CorruptFileException.class, this::open);
        assertEquals(8, e.offset(), e.getMessage());
    }

    @Test
    void newDirectoryStartsEmpty() throws IOException {
        try (VersionSet set = open()) {
            assertEquals(List.of(), set.current().files());
            assertEquals("MANIFEST-000001", set.manifestFile().getFileName().toString());
            assertEquals("MANIFEST-000001\n", Files.readString(dir().resolve("CURRENT")));
        }
    }

    @Test
    void creationCutShortBeforeCurrentIsRedone() throws IOException {
        try (VersionSet set = open()) {
            assertTrue(set.current().files().isEmpty());
        }
        Files.delete(dir().resolve("CURRENT"));
        Files.writeString(dir().resolve("CURRENT.tmp"), "MANIF");
        try (VersionSet set = open()) {
            assertEquals("MANIFEST-000002", set.manifestFile().getFileName().toString());
        }
        assertTrue(Files.notExists(dir().resolve("MANIFEST-000001")));
        assertTrue(Files.notExists(dir().resolve("CURRENT.tmp")));
    }

    @Test
    void lostCurrentWithALiveManifestIsRefused() throws IOException {
        writeFourRecords();
        Files.delete(dir().resolve("CURRENT"));
        CorruptFileException e = assertThrows(CorruptFileException.class, this::open);
        assertEquals(dir().resolve("CURRENT"), e.file());
        assertTrue(e.getMessage().contains("MANIFEST-000001"), e.getMessage());
    }

    @Test
    void lostManifestWithSegmentFilesIsRefused() throws IOException {
        ManifestFixtures.touch(options(1024).segments(), 5);
        CorruptFileException e = assertThrows(CorruptFileException.class, this::open);
        assertTrue(e.getMessage().contains("segment file"), e.getMessage());
        assertTrue(Files.exists(options(1024).segments().path(5)), "nothing is deleted");
    }

    @Test
    void currentNamingAMissingManifestIsRefused() throws IOException {
        writeFourRecords();
        Files.writeString(dir().resolve("CURRENT"), "MANIFEST-000007\n");
        CorruptFileException e = assertThrows(CorruptFileException.class, this::open);
        assertTrue(e.getMessage().contains("MANIFEST-000007"), e.getMessage());
    }

    @Test
    void garbledCurrentIsRefused() throws IOException {
        writeFourRecords();
        Files.write(dir().resolve("CURRENT"), "MANIFEST-00x\n".getBytes(StandardCharsets.US_ASCII));
        CorruptFileException e = assertThrows(CorruptFileException.class, this::open);
        assertEquals(dir().resolve("CURRENT"), e.file());
    }

    @Test
    void staleManifestsAreDeletedOnOpen() throws IOException {
        writeFourRecords();
        Files.writeString(dir().resolve("MANIFEST-000002"), "a rollover cut short before CURRENT switched");
        try (VersionSet set = open()) {
            assertEquals(2, set.current().files().size());
        }
        assertTrue(Files.notExists(dir().resolve("MANIFEST-000002")));
    }
}
