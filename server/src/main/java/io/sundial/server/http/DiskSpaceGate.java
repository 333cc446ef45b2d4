package io.sundial.server.http;

import io.sundial.server.write.DiskSpaceGuard;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;

/**
 * Answers write requests with 507 Insufficient Storage (and Retry-After, so Prometheus, Telegraf
 * and {@code sundial import} retry rather than drop) while the disk is below its reserve. Queries
 * and everything else pass: a full disk must not take reads down with it.
 */
final class DiskSpaceGate {
    static final int RETRY_AFTER_SECONDS = 30;
    private static final Set<String> WRITE_PATHS = Set.of("/write", "/api/v2/write", "/api/v1/write", "/api/v1/import/prometheus");

    private final DiskSpaceGuard guard;

    DiskSpaceGate(DiskSpaceGuard guard) {
        this.guard = guard;
    }

    /** Whether it answered {@code exchange} with a refusal. */
    boolean refuses(Exchange exchange) {
        if (!WRITE_PATHS.contains(exchange.path()) || !exchange.method().equals("POST")) {
            return false;
        }
        String refusal = guard.refusal();
        if (refusal == null) {
            return false;
        }
        exchange.response.getHeaders().put(HttpHeader.RETRY_AFTER, Integer.toString(RETRY_AFTER_SECONDS));
        exchange.sendError(exchange.path().equals("/api/v2/write") ? ErrorShape.V2 : ErrorShape.V1,
                new ApiError(507, "disk full", refusal));
        return true;
    }
}
