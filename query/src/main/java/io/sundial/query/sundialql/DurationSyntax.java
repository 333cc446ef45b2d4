package io.sundial.query.sundialql;

/**
 * InfluxQL duration literals: one or more {@code <digits><unit>} segments ({@code 90m},
 * {@code 1h30m}) with units ns, u or µ (microseconds; SundialQL also takes us and µs), ms, s, m,
 * h, d, w. Canonical text uses
 * the largest unit that divides the value exactly, so equal durations print alike.
 */
final class DurationSyntax {
    private static final String[] UNITS = {"w", "d", "h", "m", "s", "ms", "u", "ns"};
    private static final long[] UNIT_NANOS = {
        604_800_000_000_000L, 86_400_000_000_000L, 3_600_000_000_000L, 60_000_000_000L,
        1_000_000_000L, 1_000_000L, 1_000L, 1L
    };

    private DurationSyntax() {}

    /**
     * The nanoseconds a duration literal spells.
     *
     * @throws IllegalArgumentException with the reason when the text is not a duration or the
     *     value does not fit in a signed 64-bit count of nanoseconds
     */
    static long parseNanos(String text) {
        if (text.isEmpty()) {
            throw invalid(text);
        }
        long total = 0;
        int index = 0;
        while (index < text.length()) {
            int digitsStart = index;
            while (index < text.length() && isDigit(text.charAt(index))) {
                index++;
            }
            if (index == digitsStart || index == text.length()) {
                throw invalid(text);
            }
            long unitNanos;
            char unit = text.charAt(index);
            char next = index + 1 < text.length() ? text.charAt(index + 1) : 0;
            switch (unit) {
                case 'n' -> {
                    if (next != 's') {
                        throw invalid(text);
                    }
                    unitNanos = 1L;
                    index += 2;
                }
                case 'u', 'µ' -> {
                    unitNanos = 1_000L;
                    index += next == 's' ? 2 : 1;
                }
                case 'm' -> {
                    unitNanos = next == 's' ? 1_000_000L : 60_000_000_000L;
                    index += next == 's' ? 2 : 1;
                }
                case 's' -> {
                    unitNanos = 1_000_000_000L;
                    index++;
                }
                case 'h' -> {
                    unitNanos = 3_600_000_000_000L;
                    index++;
                }
                case 'd' -> {
                    unitNanos = 86_400_000_000_000L;
                    index++;
                }
                case 'w' -> {
                    unitNanos = 604_800_000_000_000L;
                    index++;
                }
                default -> throw invalid(text);
            }
            try {
                long count = Long.parseLong(text, digitsStart, digitsStart + countDigits(text, digitsStart), 10);
                total = Math.addExact(total, Math.multiplyExact(count, unitNanos));
            } catch (NumberFormatException | ArithmeticException overflow) {
                throw new IllegalArgumentException(
                        "duration '" + text + "' is out of range (at most " + Long.MAX_VALUE + "ns)");
            }
        }
        return total;
    }

    /** Canonical text of a duration; negative values get a leading '-'. */
    static String format(long nanos) {
        if (nanos == 0) {
            return "0s";
        }
        if (nanos == Long.MIN_VALUE) {
            return nanos + "ns";
        }
        String sign = nanos < 0 ? "-" : "";
        long magnitude = Math.abs(nanos);
        for (int unit = 0; unit < UNITS.length; unit++) {
            if (magnitude % UNIT_NANOS[unit] == 0) {
                return sign + (magnitude / UNIT_NANOS[unit]) + UNITS[unit];
            }
        }
        throw new IllegalStateException("unreachable: every duration is a whole number of nanoseconds");
    }

    private static int countDigits(String text, int start) {
        int end = start;
        while (end < text.length() && isDigit(text.charAt(end))) {
            end++;
        }
        return end - start;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("invalid duration '" + text
                + "': expected digits followed by a unit (ns, u, µ, us, ms, s, m, h, d, w), e.g. 90s or 1h30m");
    }
}
