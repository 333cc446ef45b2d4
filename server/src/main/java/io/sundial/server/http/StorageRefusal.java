package io.sundial.server.http;

import io.sundial.storage.wal.WalRefusedException;
import java.io.IOException;

/**
 * The answer to a write the WAL refused, told apart from an internal error so clients do the
 * right thing: a full disk is 507 (retry later; writing resumes by itself once space is freed), a
 * WAL stopped by a failed fsync is 503 (retry elsewhere or after an operator restarts Sundial).
 */
final class StorageRefusal {
    private StorageRefusal() {}

    /** The answer for {@code failure}, or null when it is not a WAL refusal. */
    static ApiError of(IOException failure, String writtenBefore) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof WalRefusedException refused) {
                if (refused.isDiskFull()) {
                    return new ApiError(507, "disk full", "disk full: " + refused.getMessage() + writtenBefore);
                }
                return new ApiError(503, "unavailable", (refused.isRetryable() ? "" : "writes are stopped until"
                        + " Sundial is restarted (see docs/OPERATIONS.md, Reliability suite): ")
                        + refused.getMessage() + writtenBefore);
            }
        }
        return null;
    }

    /** Seconds a client should wait before retrying a refusal of status {@code status}. */
    static int retryAfterSeconds(int status) {
        return status == 507 ? DiskSpaceGate.RETRY_AFTER_SECONDS : WriteEndpoint.RETRY_AFTER_SECONDS;
    }
}
