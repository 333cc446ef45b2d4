package io.sundial.server.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DiskSpaceGuardTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "plenty_free,      5000, 1000, true",
            "exactly_reserve,  1000, 1000, true",
            "one_byte_short,    999, 1000, false",
            "nothing_free,        0, 1000, false",
            "unknown_free,       -1, 1000, true",
            "no_reserve,          0,    0, true"})
    void admitsWritesOnlyAboveTheReserve(String name, long free, long reserve, boolean isAdmitted) {
        DiskSpaceGuard guard = new DiskSpaceGuard("/data", () -> free, reserve, 0);
        assertEquals(isAdmitted, guard.refusal() == null, name);
    }

    @Test
    void refusalNamesTheDirectoryTheFiguresAndWhatToDo() {
        DiskSpaceGuard guard = new DiskSpaceGuard("/var/lib/sundial", () -> 10, 1000, 0);
        assertEquals("disk full: 10 bytes free on the file system of /var/lib/sundial, below the reserve of 1000 bytes kept"
                + " for flushes; nothing of this request was written. Free space (delete old data, shorten retention,"
                + " grow the disk); writes resume by themselves", guard.refusal());
    }

    @Test
    void writesResumeByThemselvesWhenSpaceReturns() {
        AtomicLong free = new AtomicLong(2000);
        DiskSpaceGuard guard = new DiskSpaceGuard("/data", free::get, 1000, 0);
        assertNull(guard.refusal());
        free.set(10);
        assertEquals(true, guard.refusal() != null);
        free.set(1500);
        assertNull(guard.refusal());
    }

    @Test
    void readsTheFreeSpaceAtMostOncePerInterval() {
        AtomicLong reads = new AtomicLong();
        DiskSpaceGuard guard = new DiskSpaceGuard("/data", () -> {
            reads.incrementAndGet();
            return 10;
        }, 1000, Long.MAX_VALUE);
        guard.refusal();
        guard.refusal();
        guard.refusal();
        assertEquals(1, reads.get());
    }

    @Test
    void realGuardReadsTheDataDirectorysFileSystem(@TempDir Path dir) {
        // The build machine has more than the 256 MiB reserve free, or the build itself would fail.
        assertNull(DiskSpaceGuard.of(dir).refusal());
    }

    @Test
    void refusesNegativeSettings() {
        assertThrows(IllegalArgumentException.class, () -> new DiskSpaceGuard("/d", () -> 0, -1, 0));
    }
}
