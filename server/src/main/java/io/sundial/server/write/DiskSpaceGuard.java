package io.sundial.server.write;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongSupplier;

/**
 * Refuses writes while the data directory's file system has less than a reserve free, before
 * anything reaches the WAL. Refusing early keeps the WAL and the flush from ever hitting "No space
 * left on device" (after which a WAL stops accepting records until restart), keeps the room a
 * flush of the memtables needs, and lets writes resume by themselves once space is freed: every
 * check reads the free space again (at most every {@code checkIntervalNanos}).
 */
public final class DiskSpaceGuard {
    /** Room kept free for flushes, WAL rotation and the manifest: one flush of a large memtable fits. */
    public static final long RESERVE_BYTES_DEFAULT = 256L << 20;
    private static final long CHECK_INTERVAL_NANOS_DEFAULT = 100_000_000L;

    private final String where;
    private final LongSupplier usableBytes;
    private final long reserveBytes;
    private final long checkIntervalNanos;
    private volatile long lastUsableBytes = Long.MAX_VALUE;
    private volatile long lastCheckNanos;
    private volatile boolean hasChecked;

    /**
     * @param where the directory named in the error
     * @param usableBytes free bytes now; a negative value means unknown (writes are admitted)
     */
    public DiskSpaceGuard(String where, LongSupplier usableBytes, long reserveBytes, long checkIntervalNanos) {
        if (reserveBytes < 0 || checkIntervalNanos < 0) {
            throw new IllegalArgumentException("reserveBytes and checkIntervalNanos must be >= 0");
        }
        this.where = where;
        this.usableBytes = usableBytes;
        this.reserveBytes = reserveBytes;
        this.checkIntervalNanos = checkIntervalNanos;
    }

    /** A guard of {@code dataDir}'s file system with the default reserve. */
    public static DiskSpaceGuard of(Path dataDir) {
        Path dir = dataDir.toAbsolutePath();
        return new DiskSpaceGuard(dir.toString(), () -> {
            try {
                return Files.getFileStore(dir).getUsableSpace();
            } catch (IOException e) {
                return -1;
            }
        }, RESERVE_BYTES_DEFAULT, CHECK_INTERVAL_NANOS_DEFAULT);
    }

    /** Null when writes may proceed, else the message of the refusal ({@code disk full: ...}). */
    public String refusal() {
        long now = System.nanoTime();
        if (!hasChecked || now - lastCheckNanos >= checkIntervalNanos) {
            lastUsableBytes = usableBytes.getAsLong();
            lastCheckNanos = now;
            hasChecked = true;
        }
        long free = lastUsableBytes;
        if (free < 0 || free >= reserveBytes) {
            return null;
        }
        return "disk full: " + free + " bytes free on the file system of " + where + ", below the reserve of " + reserveBytes
                + " bytes kept for flushes; nothing of this request was written. Free space (delete old data, "
                + "shorten retention, grow the disk); writes resume by themselves";
    }
}
