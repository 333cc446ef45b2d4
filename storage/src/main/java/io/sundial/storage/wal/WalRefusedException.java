package io.sundial.storage.wal;

import java.io.IOException;

/**
 * The WAL did not take a record, and says whether trying again can help.
 *
 * <ul>
 *   <li>Retryable: a write failed (typically "No space left on device") but the WAL cut the
 *       partial bytes off again and stays usable; the next record is tried afresh, so writing
 *       resumes by itself once space is freed.</li>
 *   <li>Not retryable: an fsync failed (or a failed write could not be cut off). After a failed
 *       fsync the kernel may have dropped the dirty pages and report the next fsync as a success
 *       (PostgreSQL's "fsyncgate", 2018), so the WAL refuses every record until it is reopened
 *       (Sundial restarted), when replay re-reads what really reached the disk.</li>
 * </ul>
 */
public final class WalRefusedException extends IOException {
    private static final long serialVersionUID = 1L;

    private final boolean isRetryable;
    private final boolean isDiskFull;

    WalRefusedException(String message, boolean isRetryable, Throwable cause) {
        super(message, cause);
        this.isRetryable = isRetryable;
        this.isDiskFull = isNoSpace(cause);
    }

    /** A copy thrown in the caller's thread, so its stack shows the caller as well as the writer thread's cause. */
    WalRefusedException(WalRefusedException original) {
        super(original.getMessage(), original);
        this.isRetryable = original.isRetryable;
        this.isDiskFull = original.isDiskFull;
    }

    /** Whether the same record may succeed later without a restart (the WAL is still usable). */
    public boolean isRetryable() {
        return isRetryable;
    }

    /** Whether the cause was a full disk (ENOSPC), so a client should be told 507 and to retry later. */
    public boolean isDiskFull() {
        return isDiskFull;
    }

    private static boolean isNoSpace(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && message.contains("No space left on device")) {
                return true;
            }
        }
        return false;
    }
}
