package io.sundial.storage.manifest;

import static io.sundial.storage.manifest.ManifestFixtures.file;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Orphans, missing files, deletion failures and file-number allocation across reopen. */
class VersionSetFilesTest {
    @TempDir
    Path root;

    private Path dir() {
        return root.resolve("db");
    }

    private SegmentDirectory segments() {
        return new SegmentDirectory(dir().resolve("data"), SegmentFileNames.HEX_SEG);
    }

    private VersionSet open(Path directory, FileDeleter deleter) throws IOException {
        return VersionSet.open(directory, deleter, VersionSetOptions.defaults(directory.resolve("data")));
    }

    private static long addFile(VersionSet set, SegmentDirectory segments) throws IOException {
        long number = set.newFileNumber();
        ManifestFixtures.touch(segments, number);
        set.apply(VersionEdit.builder().addFile(file(number, 0, set.nextSequence())).build());
        return number;
    }

    /** What a crash leaves: every fsynced byte, nothing closed. */
    private Path crashCopy() throws IOException {
        Path copy = root.resolve("crashed-" + System.nanoTime());
        try (Stream<Path> walk = Files.walk(dir())) {
            for (Path p : walk.toList()) {
                Path target = copy.resolve(dir().relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return copy;
    }

    @Test
    void orphansAndTempFilesAreDeletedThroughTheDeleterOnOpen() throws IOException {
        long kept;
        try (VersionSet set = open(dir(), FileDeleter.of(segments()))) {
            kept = addFile(set, segments());
        }
        ManifestFixtures.touch(segments(), 40);
        Files.writeString(segments().directory().resolve("0000000000000041.seg.tmp"), "half written");
        Files.writeString(segments().directory().resolve("notes.txt"), "not ours");
        ManifestFixtures.RecordingDeleter deleter = new ManifestFixtures.RecordingDeleter(segments());
        try (VersionSet set = open(dir(), deleter)) {
            assertEquals(Set.of(segments().path(40), segments().directory().resolve("0000000000000041.seg.tmp")),
                    Set.copyOf(deleter.orphans));
            assertEquals(List.of(), deleter.deleted);
            assertTrue(Files.exists(segments().path(kept)));
            assertTrue(Files.exists(segments().directory().resolve("notes.txt")));
            assertTrue(set.newFileNumber() > 40, "an orphan's number is never handed out again");
        }
    }

    @Test
    void orphanScanUsesTheGivenNaming() throws IOException {
        SegmentFileNames decimal = new SegmentFileNames() {
            @Override
            public String fileName(long fileNumber) {
                return "seg-" + fileNumber + ".dat";
            }

            @Override
            public OptionalLong fileNumber(String name) {
                return name.matches("seg-\\d{1,18}\\.dat")
                        ? OptionalLong.of(Long.parseLong(name.substring(4, name.length() - 4))) : OptionalLong.empty();
            }
        };
        SegmentDirectory custom = new SegmentDirectory(root.resolve("segments"), decimal);
        VersionSetOptions options = new VersionSetOptions(custom, 1 << 20);
        try (VersionSet set = VersionSet.open(dir(), FileDeleter.of(custom), options)) {
            addFile(set, custom);
        }
        ManifestFixtures.touch(custom, 7);
        ManifestFixtures.touch(segments(), 8);
        ManifestFixtures.RecordingDeleter deleter = new ManifestFixtures.RecordingDeleter(custom);
        try (VersionSet set = VersionSet.open(dir(), deleter, options)) {
            assertEquals(List.of(custom.path(7)), deleter.orphans);
            assertTrue(Files.exists(custom.path(0)));
            assertTrue(Files.exists(segments().path(8)), "files elsewhere are not touched");
            assertEquals(List.of(), set.missingFiles());
        }
    }

    @Test
    void missingFilesAreListedNotFatal() throws IOException {
        long gone;
        try (VersionSet set = open(dir(), FileDeleter.of(segments()))) {
            addFile(set, segments());
            gone = addFile(set, segments());
        }
        Files.delete(segments().path(gone));
        try (VersionSet set = open(dir(), FileDeleter.of(segments()))) {
            assertEquals(List.of(gone), set.missingFiles().stream().map(FileMeta::fileNumber).toList());
            assertEquals(2, set.current().files().size());
        }
    }

    @Test
    void numbersAreNeverReusedAfterCleanReopen() throws IOException {
        long highestNumber;
        long highestSequence;
        try (VersionSet set = open(dir(), FileDeleter.of(segments()))) {
            addFile(set, segments());
            highestNumber = set.newFileNumber();
            highestSequence = set.nextSequence();
        }
        try (VersionSet set = open(dir(), FileDeleter.of(segments()))) {
            assertTrue(set.newFileNumber() > highestNumber);
            assertTrue(set.nextSequence() > highestSequence);
        }
    }

    @Test
    void numberOfAFileWrittenBeforeACrashIsNeverReused() throws IOException {
        VersionSet set = open(dir(), FileDeleter.of(segments()));
        addFile(set, segments());
        long written = set.newFileNumber();
        ManifestFixtures.touch(segments(), written);
        Path crashed = crashCopy();
        set.close();
        try (VersionSet recovered = open(crashed, FileDeleter.of(
                new SegmentDirectory(crashed.resolve("data"), SegmentFileNames.HEX_SEG)))) {
            assertTrue(recovered.newFileNumber() > written);
            assertTrue(Files.notExists(crashed.resolve("data").resolve(SegmentFileNames.HEX_SEG.fileName(written))),
                    "the unapplied file is an orphan");
        }
        try (VersionSet reopened = open(crashed, FileDeleter.of(segments()))) {
            assertTrue(reopened.newFileNumber() > written + 1, "the raised counter was recorded at open");
        }
    }

    @Test
    void onlyAllocatedNumbersCanBeAdded() throws IOException {
        try (VersionSet set = open(dir(), FileDeleter.of(segments()))) {
            long added = addFile(set, segments());
            IllegalArgumentException unallocated = assertThrows(IllegalArgumentException.class,
                    () -> set.apply(VersionEdit.builder().addFile(file(999, 0, 1)).build()));
            assertTrue(unallocated.getMessage().contains("999"), unallocated.getMessage());
            set.apply(VersionEdit.builder().removeFile(added).build());
            assertThrows(IllegalArgumentException.class,
                    () -> set.apply(VersionEdit.builder().addFile(file(added, 0, 1)).build()),
                    "a deleted file cannot come back");
        }
    }

    @Test
    void failedDeletionIsRetriedAfterTheNextEdit() throws IOException {
        int[] failuresLeft = {1};
        FileDeleter flaky = file -> {
            if (failuresLeft[0]-- > 0) {
                throw new IOException("disk said no");
            }
            Files.delete(segments().path(file.fileNumber()));
        };
        try (VersionSet set = open(dir(), flaky)) {
            long a = addFile(set, segments());
            set.apply(VersionEdit.builder().removeFile(a).build());
            assertEquals(Set.of(a), set.undeletedFiles().stream().map(FileMeta::fileNumber)
                    .collect(java.util.stream.Collectors.toSet()));
            assertTrue(Files.exists(segments().path(a)));
            set.apply(VersionEdit.builder().setProperty("k", "v").build());
            assertEquals(Set.of(), set.undeletedFiles());
            assertTrue(Files.notExists(segments().path(a)));
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "00000000000000ff.seg, 255",
        "0000000000000000.seg, 0",
        "7fffffffffffffff.seg, 9223372036854775807",
        "00000000000000FF.seg, -1",
        "ffffffffffffffff.seg, -1",
        "00000000000000ff.dat, -1",
        "0000000000000ff.seg, -1",
        "00000000000000ff.seg.tmp, -1",
        "MANIFEST-000001, -1",
    })
    void hexNamesParse(String name, long expected) {
        OptionalLong parsed = SegmentFileNames.HEX_SEG.fileNumber(name);
        assertEquals(expected < 0 ? OptionalLong.empty() : OptionalLong.of(expected), parsed);
        if (expected >= 0) {
            assertEquals(name, SegmentFileNames.HEX_SEG.fileName(expected));
        }
    }
}
