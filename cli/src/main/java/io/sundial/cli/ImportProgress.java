package io.sundial.cli;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Import progress on stderr: rewritten in place (carriage return) when stderr is a terminal,
 * else one line every few seconds so logs of scripted imports stay readable.
 */
final class ImportProgress {
    private static final long TERMINAL_INTERVAL_NANOS = 200_000_000L;
    private static final long LOG_INTERVAL_NANOS = 5_000_000_000L;

    private final PrintStream err;
    private final boolean isTerminal;
    private final long totalBytes;
    private final long startedNanos = System.nanoTime();
    private long lastPrintNanos = startedNanos;
    private boolean printedInPlace;

    /** @param totalBytes input size, or -1 when unknown (stdin): then there is no ETA */
    ImportProgress(PrintStream err, boolean isTerminal, long totalBytes) {
        this.err = err;
        this.isTerminal = isTerminal;
        this.totalBytes = totalBytes;
    }

    void update(long points, long bytes) {
        long now = System.nanoTime();
        if (now - lastPrintNanos < (isTerminal ? TERMINAL_INTERVAL_NANOS : LOG_INTERVAL_NANOS)) {
            return;
        }
        lastPrintNanos = now;
        String line = describe(points, bytes, now);
        if (isTerminal) {
            err.print("\r" + line + "\u001b[K");
            printedInPlace = true;
        } else {
            err.println(line);
        }
        err.flush();
    }

    /** Ends the in-place line so the report starts on a fresh one. */
    void finish() {
        if (printedInPlace) {
            err.println();
        }
    }

    long startedNanos() {
        return startedNanos;
    }

    String describe(long points, long bytes, long nowNanos) {
        double seconds = Math.max(1e-9, (nowNanos - startedNanos) / 1e9);
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%,d points, %,.0f points/s, %s",
                points, points / seconds, bytesText(bytes)));
        if (totalBytes > 0) {
            text.append(String.format(Locale.ROOT, " of %s (%.0f%%)", bytesText(totalBytes), 100.0 * bytes / totalBytes));
            if (bytes > 0 && bytes < totalBytes) {
                long etaSeconds = Math.round(seconds * (totalBytes - bytes) / bytes);
                text.append(String.format(Locale.ROOT, ", ETA %d:%02d", etaSeconds / 60, etaSeconds % 60));
            }
        }
        return text.toString();
    }

    static String bytesText(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
    }
}
