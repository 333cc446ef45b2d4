package io.sundial.server.query;


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

    /**
     * Go's RFC3339Nano in UTC: fraction without trailing zeros (none at all on a whole second), then "Z".
     * Written digit by digit (every row of an answer goes through here, and a DateTimeFormatter costs
     * far more than the arithmetic); int64 nanoseconds span the years 1677..2262, always four digits.
     */
    public static String rfc3339(long nanos) {
        StringBuilder out = new StringBuilder(30);
        appendRfc3339(out, nanos);
        return out.toString();
    }

    /** {@link #rfc3339} appended to {@code out} without an intermediate String (a time cell of every row). */
    public static void appendRfc3339(StringBuilder out, long nanos) {
        long seconds = Math.floorDiv(nanos, 1_000_000_000L);
        int fraction = (int) Math.floorMod(nanos, 1_000_000_000L);
        long days = Math.floorDiv(seconds, 86_400L);
        int secondOfDay = (int) Math.floorMod(seconds, 86_400L);
        // Civil date from days since 1970-01-01 (H. Hinnant's days_from_civil inverse), eras of 400 years.
        long shifted = days + 719_468;
        long era = Math.floorDiv(shifted, 146_097);
        int dayOfEra = (int) (shifted - era * 146_097);
        int yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        int dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        int monthIndex = (5 * dayOfYear + 2) / 153;
        int day = dayOfYear - (153 * monthIndex + 2) / 5 + 1;
        int month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
        long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
        char[] text = new char[30];
        twoDigits(text, 0, (int) (year / 100));
        twoDigits(text, 2, (int) (year % 100));
        text[4] = '-';
        twoDigits(text, 5, month);
        text[7] = '-';
        twoDigits(text, 8, day);
        text[10] = 'T';
        twoDigits(text, 11, secondOfDay / 3_600);
        text[13] = ':';
        twoDigits(text, 14, secondOfDay / 60 % 60);
        text[16] = ':';
        twoDigits(text, 17, secondOfDay % 60);
        int length = 19;
        if (fraction != 0) {
            text[length++] = '.';
            int end = length + 9;
            for (int i = end - 1; i >= length; i--) {
                text[i] = (char) ('0' + fraction % 10);
                fraction /= 10;
            }
            while (text[end - 1] == '0') {
                end--;
            }
            length = end;
        }
        text[length++] = 'Z';
        out.append(text, 0, length);
    }

    private static void twoDigits(char[] out, int at, int value) {
        out[at] = (char) ('0' + value / 10);
        out[at + 1] = (char) ('0' + value % 10);
    }
}
