package io.sundial.storage.wal;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * When an appended WAL record is forced to the disk, and so what an acknowledgement means.
 */
public sealed interface FsyncPolicy permits FsyncPolicy.Always, FsyncPolicy.Interval {
    /** The default: an append returns only after its record is fsynced. */
    Always ALWAYS = new Always();

    /** Shortest interval accepted: below it the interval policy is ALWAYS with more latency. */
    Duration INTERVAL_MIN = Duration.ofMillis(1);
    /** Longest interval accepted: it bounds how much acknowledged data a power loss can take. */
    Duration INTERVAL_MAX = Duration.ofMinutes(10);

    /** Acknowledged means fsynced; concurrent appends share one fsync (group commit). */
    record Always() implements FsyncPolicy {
        @Override
        public String toString() {
            return "always";
        }
    }

    /**
     * An append returns once its record is written to the operating system; a background thread
     * fsyncs every {@code period}, and rotation and close fsync too. A power loss (not a process
     * crash) can take up to {@code period} of acknowledged records.
     */
    record Interval(Duration period) implements FsyncPolicy {
        public Interval {
            Objects.requireNonNull(period, "period");
            if (period.compareTo(INTERVAL_MIN) < 0 || period.compareTo(INTERVAL_MAX) > 0) {
                throw new IllegalArgumentException("fsync interval " + period + " is outside the allowed range "
                        + INTERVAL_MIN.toMillis() + " ms to " + INTERVAL_MAX.toMinutes() + " min");
            }
        }

        @Override
        public String toString() {
            return "interval=" + period.toMillis() + "ms";
        }
    }

    /**
     * Parses {@code always}, or {@code interval=<n><unit>} with unit {@code ms}, {@code s} or
     * {@code m} (for example {@code interval=100ms}, {@code interval=1s}).
     */
    static FsyncPolicy parse(String text) {
        Objects.requireNonNull(text, "text");
        String value = text.strip().toLowerCase(Locale.ROOT);
        if (value.equals("always")) {
            return ALWAYS;
        }
        String prefix = "interval=";
        if (value.startsWith(prefix)) {
            Duration period = parseDuration(value.substring(prefix.length()));
            if (period != null) {
                try {
                    return new Interval(period);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("invalid fsync policy '" + text + "': " + e.getMessage(), e);
                }
            }
        }
        throw new IllegalArgumentException("invalid fsync policy '" + text
                + "': expected 'always' or 'interval=<duration>' with unit ms, s or m, such as 'interval=100ms' or 'interval=1s'");
    }

    private static Duration parseDuration(String text) {
        int digits = 0;
        while (digits < text.length() && Character.isDigit(text.charAt(digits))) {
            digits++;
        }
        if (digits == 0 || digits > 9) {
            return null;
        }
        long amount = Long.parseLong(text.substring(0, digits));
        return switch (text.substring(digits)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> null;
        };
    }
}
