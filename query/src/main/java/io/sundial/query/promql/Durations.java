package io.sundial.query.promql;

/**
 * PromQL durations as Prometheus' {@code model.ParseDuration} reads and writes them: units
 * y w d h m s ms, each at most once and in that order ({@code 1h30m}); a year is 365 days.
 */
public final class Durations {
    private static final String[] UNITS = {"y", "w", "d", "h", "m", "s", "ms"};
    private static final long[] UNIT_MILLIS = {365L * 86_400_000, 7L * 86_400_000, 86_400_000, 3_600_000, 60_000, 1_000, 1};

    private Durations() {
    }

    /** Milliseconds of {@code text}, or -1 when it is not a valid duration or overflows. */
    public static long parseMillis(String text) {
        int pos = 0;
        int nextUnit = 0;
        long total = 0;
        if (text.isEmpty()) {
            return -1;
        }
        while (pos < text.length()) {
            int start = pos;
            while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
                pos++;
            }
            if (pos == start) {
                return -1;
            }
            int unit = -1;
            for (int u = nextUnit; u < UNITS.length; u++) {
                if (text.startsWith(UNITS[u], pos) && !(UNITS[u].equals("m") && text.startsWith("ms", pos))) {
                    unit = u;
                    break;
                }
            }
            if (unit < 0) {
                return -1;
            }
            try {
                long n = Long.parseLong(text.substring(start, pos));
                total = Math.addExact(total, Math.multiplyExact(n, UNIT_MILLIS[unit]));
            } catch (ArithmeticException | NumberFormatException e) {
                return -1;
            }
            pos += UNITS[unit].length();
            nextUnit = unit + 1;
        }
        return total;
    }

    /** The canonical text of a non-negative duration, e.g. {@code 1h30m}, {@code 0s} for zero. */
    public static String format(long millis) {
        if (millis == 0) {
            return "0s";
        }
        StringBuilder out = new StringBuilder();
        long rest = millis;
        if (rest < 0) {
            out.append('-');
            rest = -rest;
        }
        for (int u = 0; u < UNITS.length; u++) {
            // Years and weeks only when exact, as Prometheus prints them: 90d reads better than 12w6d.
            if (u < 2 && rest % UNIT_MILLIS[u] != 0) {
                continue;
            }
            long n = rest / UNIT_MILLIS[u];
            if (n > 0) {
                out.append(n).append(UNITS[u]);
                rest -= n * UNIT_MILLIS[u];
            }
        }
        return out.toString();
    }
}
