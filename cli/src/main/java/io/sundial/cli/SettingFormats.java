package io.sundial.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How setting values are written: durations ({@code 500ms}, {@code 10s}, {@code 5m}, {@code 2h},
 * {@code 7d}, combinations such as {@code 1h30m}), byte sizes ({@code 64MiB}, {@code 1GB},
 * {@code 4096}) and counts. Each parser throws IllegalArgumentException saying what it expected;
 * the caller adds the key and where the value came from.
 */
final class SettingFormats {
    private static final Pattern DURATION_PART = Pattern.compile("(\\d+)(ns|us|µs|ms|s|m|h|d|w)");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|kb|kib|k|mb|mib|m|gb|gib|g|tb|tib|t)?");

    private SettingFormats() {}

    /** A positive or zero duration. */
    static Duration duration(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        if (value.equals("0")) {
            return Duration.ZERO;
        }
        Matcher part = DURATION_PART.matcher(value);
        Duration total = Duration.ZERO;
        int end = 0;
        while (part.find() && part.start() == end) {
            long amount;
            try {
                amount = Long.parseLong(part.group(1));
                total = total.plus(switch (part.group(2)) {
                    case "ns" -> Duration.ofNanos(amount);
                    case "us", "µs" -> Duration.ofNanos(Math.multiplyExact(amount, 1_000L));
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    case "h" -> Duration.ofHours(amount);
                    case "d" -> Duration.ofDays(amount);
                    default -> Duration.ofDays(Math.multiplyExact(amount, 7L));
                });
            } catch (ArithmeticException | NumberFormatException e) {
                throw new IllegalArgumentException("duration '" + text + "' is too large");
            }
            end = part.end();
        }
        if (end == 0 || end != value.length()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration: write a number and a unit, "
                    + "e.g. 500ms, 10s, 5m, 2h, 7d or 1h30m");
        }
        return total;
    }

    /** A duration, or null for {@code off}. */
    static Duration durationOrOff(String text) {
        return text.trim().equalsIgnoreCase("off") ? null : duration(text);
    }

    /** Bytes: a whole number with an optional unit (k/KiB = 1024, KB = 1000; likewise M, G, T). */
    static long bytes(String text) {
        Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a size: write bytes with an optional unit, "
                    + "e.g. 4096, 64KiB, 25MiB, 1GB");
        }
        long multiplier = switch (m.group(2) == null ? "b" : m.group(2)) {
            case "b" -> 1;
            case "kb" -> 1_000L;
            case "k", "kib" -> 1L << 10;
            case "mb" -> 1_000_000L;
            case "m", "mib" -> 1L << 20;
            case "gb" -> 1_000_000_000L;
            case "g", "gib" -> 1L << 30;
            case "tb" -> 1_000_000_000_000L;
            default -> 1L << 40;
        };
        try {
            return Math.multiplyExact(Long.parseLong(m.group(1)), multiplier);
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("size '" + text + "' is too large");
        }
    }

    /** A whole number in [min, max]. */
    static long wholeNumber(String text, long min, long max) {
        long value;
        try {
            value = Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a whole number");
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException(value + " is outside [" + min + ", " + max + "]");
        }
        return value;
    }

    /** A positive decimal number (requests per second). */
    static double positiveNumber(String text) {
        double value;
        try {
            value = Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a number");
        }
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(text + " must be a positive number");
        }
        return value;
    }

    static boolean bool(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new IllegalArgumentException("'" + text + "' is not true or false");
        };
    }
}
