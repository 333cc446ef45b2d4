package io.sundial.server.write;

/**
 * What writing one request did.
 *
 * @param pointsWritten points the engine stored (durable under its fsync policy)
 * @param pointsDropped records refused: lines that did not parse plus points the engine rejected
 * @param parseErrors how many of the dropped records did not parse
 * @param firstError the first reason a record was dropped ({@code line N, column M: ...} for
 *     parse errors), or null when nothing was dropped
 */
public record WriteOutcome(long pointsWritten, long pointsDropped, long parseErrors, String firstError) {
    public boolean isComplete() {
        return pointsDropped == 0;
    }

    /** Nothing parsed: every record of the request was a syntax error (InfluxDB's "unable to parse"). */
    public boolean isNothingParsed() {
        return pointsWritten == 0 && parseErrors > 0 && parseErrors == pointsDropped;
    }
}
