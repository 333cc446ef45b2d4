package io.sundial.server.query;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * How the time column is written: InfluxDB's RFC3339Nano text (the default of {@code /query}),
 * or an integer count of a unit since the epoch ({@code epoch=h|m|s|ms|u|ns}).
 */
public enum TimeFormat {
    RFC3339(0),
    HOURS(3_600_000_000_000L),
    MINUTES(60_000_000_000L),
    SECONDS(1_000_000_000L),
    MILLISECONDS(1_000_000L),
    MICROSECONDS(1_000L),
    NANOSECONDS(1L);

    private static final DateTimeFormatter SECONDS_TEXT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final long nanosPerUnit;

    TimeFormat(long nanosPerUnit) {
        this.nanosPerUnit = nanosPerUnit;
    }

    /**
     * The {@code epoch} parameter: absent or empty means RFC3339; InfluxDB's unit names
     * otherwise ({@code n} and {@code µ} too).
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static TimeFormat ofEpoch(String epoch) {
        if (epoch == null || epoch.isEmpty()) {
            return RFC3339;
        }
        return switch (epoch) {
            case "h" -> HOURS;
            case "m" -> MINUTES;
            case "s" -> SECONDS;
            case "ms" -> MILLISECONDS;
            case "u", "us", "µ", "µs" -> MICROSECONDS;
            case "ns", "n" -> NANOSECONDS;
            default -> throw new IllegalArgumentException("epoch '" + epoch
                    + "' is not a time unit; use h, m, s, ms, u or ns (or leave it out for RFC3339 text)");
        };
    }

    public boolean isEpoch() {
        return this != RFC3339;
    }

    /** Whole units since the epoch, truncated toward zero as InfluxDB's Go division does. */
    public long epoch(long nanos) {
        return nanos / nanosPerUnit;
    }

    /** Go's RFC3339Nano in UTC: fraction without trailing zeros (none at all on a whole second), then "Z". */
    public static String rfc3339(long nanos) {
        long seconds = Math.floorDiv(nanos, 1_000_000_000L);
        int fraction = (int) Math.floorMod(nanos, 1_000_000_000L);
        StringBuilder out = new StringBuilder(30).append(SECONDS_TEXT.format(Instant.ofEpochSecond(seconds)));
        if (fraction != 0) {
            String digits = Integer.toString(1_000_000_000 + fraction).substring(1);
            int end = digits.length();
            while (digits.charAt(end - 1) == '0') {
                end--;
            }
            out.append('.').append(digits, 0, end);
        }
        return out.append('Z').toString();
    }
}
