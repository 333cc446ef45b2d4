package io.sundial.query;

/**
 * A query that ended, as the slow-query log keeps it.
 *
 * @param text the query as printed (normalized SundialQL, or the PromQL expression as sent)
 * @param database the database it ran against ("" for the server's default)
 * @param language {@link QueryScope#SUNDIALQL} or {@link QueryScope#PROMQL}
 * @param user the authenticated user, "" when authentication is off
 * @param requestId the HTTP request id or PG connection id
 * @param finishedAtMillis wall-clock end, milliseconds since the epoch
 * @param durationNanos time from registration to the end
 * @param rows rows answered (PromQL: samples)
 * @param error the error answered, or null when the query succeeded
 */
public record FinishedQuery(String text, String database, String language, String user, String requestId,
                            long finishedAtMillis, long durationNanos, long rows, String error) {
    public boolean isFailed() {
        return error != null;
    }

    /** ok, error, cancelled (KILL QUERY or client gone) or timeout. */
    public String outcome() {
        if (error == null) {
            return "ok";
        }
        if (error.contains("query interrupted")) {
            return "cancelled";
        }
        if (error.contains("query-timeout") || error.startsWith("timeout: ")) {
            return "timeout";
        }
        return "error";
    }
}
