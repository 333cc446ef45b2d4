package io.sundial.core;

/** Timestamp precision of an ingestion request (InfluxDB's {@code precision=} parameter). */
public enum Precision {
    NANOSECONDS("ns", 1L),
    MICROSECONDS("us", 1_000L),
    MILLISECONDS("ms", 1_000_000L),
    SECONDS("s", 1_000_000_000L);

    private final String symbol;
    private final long nanosPerUnit;

    Precision(String symbol, long nanosPerUnit) {
        this.symbol = symbol;
        this.nanosPerUnit = nanosPerUnit;
    }

    public String symbol() {
        return symbol;
    }

    public long nanosPerUnit() {
        return nanosPerUnit;
    }

    /**
     * Converts a timestamp in this precision to nanoseconds.
     *
     * @throws InvalidPointException when the result is outside {@link Timestamps}' range
     */
    public long toNanos(long value) {
        long high = Math.multiplyHigh(value, nanosPerUnit);
        long nanos = value * nanosPerUnit;
        if ((high != 0 || nanos < 0) && (high != -1 || nanos >= 0) || !Timestamps.isRepresentable(nanos)) {
            throw new InvalidPointException("timestamp " + value + symbol + " is outside the representable range");
        }
        return nanos;
    }

    /** Parses "ns", "n", "us", "u", "µs", "ms", "s" (InfluxDB 1.x and 2.x spellings). */
    public static Precision parse(String text) {
        return switch (text) {
            case "ns", "n", "" -> NANOSECONDS;
            case "us", "u", "µs", "µ" -> MICROSECONDS;
            case "ms" -> MILLISECONDS;
            case "s" -> SECONDS;
            default -> throw new IllegalArgumentException(
                    "unknown precision '" + text + "': expected one of ns, us, ms, s");
        };
    }
}
