package io.sundial.storage.manifest;

import static io.sundial.storage.manifest.ManifestFixtures.file;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VersionSetPinningTest {
    @TempDir
    Path dir;
    private SegmentDirectory segments;
    private ManifestFixtures.RecordingDeleter deleter;
    private VersionSet set;

    @BeforeEach
    void open() throws IOException {
        segments = new SegmentDirectory(dir.resolve("data"), SegmentFileNames.HEX_SEG);
        deleter = new ManifestFixtures.RecordingDeleter(segments);
        set = VersionSet.open(dir, deleter, new VersionSetOptions(segments, 64 << 10));
    }

    @AfterEach
    void close() throws IOException {
        set.close();
    }

    private long addFile() throws IOException {
        long number = set.newFileNumber();
        ManifestFixtures.touch(segments, number);
        set.apply(VersionEdit.builder().addFile(file(number, 0, set.nextSequence())).build());
        return number;
    }

    private void remove(long number) throws IOException {
        set.apply(VersionEdit.builder().removeFile(number).build());
    }

    @Test
    void unpinnedRemovedFileIsDeletedAtOnce() throws IOException {
        long a = addFile();
        remove(a);
        assertEquals(List.of(a), deleter.deleted.stream().map(FileMeta::fileNumber).toList());
        assertEquals(0, set.liveVersionCount(a));
    }

    @Test
    void pinnedFileIsDeletedOnlyWhenTheLastPinCloses() throws IOException {
        long a = addFile();
        PinnedVersion first = set.pin();
        PinnedVersion second = set.pin();
        remove(a);
        assertEquals(List.of(), deleter.deleted);
        assertEquals(2, set.pinnedCount());
        assertTrue(first.version().contains(a), "the pinned version still lists the file");
        first.close();
        assertEquals(List.of(), deleter.deleted, "the second pin still holds the file");
        second.close();
        assertEquals(List.of(a), deleter.deleted.stream().map(FileMeta::fileNumber).toList());
        assertEquals(0, set.pinnedCount());
    }

    @Test
    void doubleCloseIsHarmlessAndUseAfterCloseThrows() throws IOException {
        long a = addFile();
        PinnedVersion pin = set.pin();
        PinnedVersion other = set.pin();
        remove(a);
        pin.close();
        pin.close();
        assertEquals(1, set.pinnedCount(), "the second close did not release the other pin's hold");
        assertEquals(List.of(), deleter.deleted);
        assertTrue(pin.isClosed());
        assertThrows(IllegalStateException.class, pin::version);
        other.close();
        assertEquals(1, deleter.deleted.size());
    }

    @Test
    void eachFileWaitsForEveryVersionHoldingIt() throws IOException {
        long a = addFile();
        long b = addFile();
        PinnedVersion holdsBoth = set.pin();
        remove(a);
        PinnedVersion holdsB = set.pin();
        remove(b);
        holdsB.close();
        assertEquals(List.of(), deleter.deleted, "the older pin still holds a and b");
        long c = addFile();
        holdsBoth.close();
        assertEquals(Set.of(a, b), Set.copyOf(deleter.deletedNumbers));
        assertEquals(1, set.liveVersionCount(c));
    }

    @Test
    void readerHoldingAPinWhileAWriterRemovesItsFile() throws Exception {
        long a = addFile();
        CountDownLatch pinned = new CountDownLatch(1);
        CountDownLatch removed = new CountDownLatch(1);
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        Thread reader = Thread.ofPlatform().start(() -> {
            try (PinnedVersion pin = set.pin()) {
                pinned.countDown();
                assertTrue(removed.await(120, TimeUnit.SECONDS));
                assertTrue(pin.version().contains(a));
                assertTrue(!deleter.deletedNumbers.contains(a), "deleted while pinned");
            } catch (Throwable t) {
                failures.add(t);
            }
        });
        assertTrue(pinned.await(120, TimeUnit.SECONDS));
        remove(a);
        assertTrue(!set.current().contains(a));
        removed.countDown();
        reader.join();
        assertEquals(List.of(), failures);
        assertEquals(List.of(a), deleter.deleted.stream().map(FileMeta::fileNumber).toList());
    }

    @Test
    void concurrentReadersNeverSeeTheirFilesDeleted() throws Exception {
        long seed = Long.getLong("sundial.test.seed", System.nanoTime());
        System.out.println("concurrentReadersNeverSeeTheirFilesDeleted seed=" + seed + " (replay: -Dsundial.test.seed="
                + seed + ")");
        Random random = new Random(seed);
        Map<Long, Integer> heldByReaders = new ConcurrentHashMap<>();
        List<String> violations = new CopyOnWriteArrayList<>();
        Set<Long> deletedNumbers = ConcurrentHashMap.newKeySet();
        set.close();
        FileDeleter checking = file -> {
            if (heldByReaders.getOrDefault(file.fileNumber(), 0) > 0) {
                violations.add("file " + file.fileNumber() + " deleted while a reader held it");
            }
            if (!deletedNumbers.add(file.fileNumber())) {
                violations.add("file " + file.fileNumber() + " deleted twice");
            }
        };
        set = VersionSet.open(dir.resolve("concurrent"), checking);
        for (int i = 0; i < 8; i++) {
            long n = set.newFileNumber();
            set.apply(VersionEdit.builder().addFile(file(n, i % 3, set.nextSequence())).build());
        }
        int readers = 3;
        int edits = 400;
        CountDownLatch start = new CountDownLatch(1);
        AtomicBoolean writerDone = new AtomicBoolean();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int r = 0; r < readers; r++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                    int rounds = 0;
                    while (!writerDone.get() || rounds < 50) {
                        rounds++;
                        try (PinnedVersion pin = set.pin()) {
                            List<FileMeta> files = pin.version().files();
                            files.forEach(f -> heldByReaders.merge(f.fileNumber(), 1, Integer::sum));
                            for (FileMeta f : files) {
                                if (deletedNumbers.contains(f.fileNumber())) {
                                    violations.add("reader saw file " + f.fileNumber() + " of its pin deleted");
                                }
                            }
                            files.forEach(f -> heldByReaders.merge(f.fileNumber(), -1, Integer::sum));
                        }
                    }
                } catch (Throwable t) {
                    failures.add(t);
                }
            }));
        }
        Set<Long> removed = new HashSet<>();
        start.countDown();
        for (int i = 0; i < edits; i++) {
            List<FileMeta> live = set.current().files();
            FileMeta victim = live.get(random.nextInt(live.size()));
            long n = set.newFileNumber();
            set.apply(VersionEdit.builder().removeFile(victim.fileNumber())
                    .addFile(file(n, random.nextInt(3), set.nextSequence())).build());
            removed.add(victim.fileNumber());
        }
        writerDone.set(true);
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(List.of(), failures, "seed " + seed);
        assertEquals(List.of(), violations, "seed " + seed);
        assertEquals(0, set.pinnedCount());
        assertEquals(removed, deletedNumbers, "every removed file is deleted once the pins are gone; seed " + seed);
    }

    @Test
    void pinAfterCloseThrows() throws IOException {
        set.close();
        assertThrows(IllegalStateException.class, set::pin);
        assertThrows(IllegalStateException.class, () -> set.apply(VersionEdit.builder().build()));
    }

    @Test
    void pinOutlivingTheVersionSetStillReleasesItsFiles() throws IOException {
        long a = addFile();
        PinnedVersion pin = set.pin();
        remove(a);
        set.close();
        pin.close();
        assertEquals(List.of(a), deleter.deleted.stream().map(FileMeta::fileNumber).toList());
    }
}
