package io.sundial.server.query;

/**
 * Floats spelled as InfluxDB 1.x (Go) spells them, so clients that compare answers byte for byte
 * see the same text: the shortest digits that read back to the same double, no ".0" on whole
 * numbers, and exponent form only where Go's encoding/json uses it.
 */
public final class GoFloat {
    private GoFloat() {}

    /**
     * Go's {@code encoding/json} float64 text: plain digits for 1e-6 ≤ |v| < 1e21, else
     * {@code 1.5e-7} / {@code 1e+21}. Not defined for NaN and infinities (JSON has no spelling).
     */
    public static String json(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("JSON has no spelling for " + value);
        }
        if (value == 0) {
            return zero(value);
        }
        double magnitude = Math.abs(value);
        if (magnitude < 1e-6 || magnitude >= 1e21) {
            return exponent(value);
        }
        return plain(value);
    }

    /**
     * Go's {@code strconv.FormatFloat(v, 'f', -1, 64)} (InfluxDB's CSV): never an exponent;
     * NaN, +Inf and -Inf as Go names them.
     */
    public static String csv(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        return value == 0 ? zero(value) : plain(value);
    }

    /**
     * Appends {@link #json} of a finite value without the intermediate strings where Java's own
     * shortest text is already Go's: {@link Double#toString} writes plain digits for
     * 1e-3 <= |v| < 1e7, the same digits Go picks (both are shortest; the one-or-two-digit choice of
     * {@link #shortest} differs only for subnormals), so only a trailing ".0" is dropped.
     */
    public static void appendJson(StringBuilder out, double value) {
        appendPlainOr(out, value, false);
    }

    /** Appends {@link #csv} of a value, as {@link #appendJson} does. */
    public static void appendCsv(StringBuilder out, double value) {
        appendPlainOr(out, value, true);
    }

    private static void appendPlainOr(StringBuilder out, double value, boolean isCsv) {
        if (value != 0 && Double.isFinite(value)) {
            String text = Double.toString(value);
            if (text.indexOf('E') < 0) {
                int length = text.length();
                out.append(text, 0, text.endsWith(".0") ? length - 2 : length);
                return;
            }
        }
        out.append(isCsv ? csv(value) : json(value));
    }

    private static String zero(double value) {
        return Double.doubleToRawLongBits(value) < 0 ? "-0" : "0";
    }

    /**
     * The shortest round-tripping decimal of a non-zero finite value, as Go's strconv picks it:
     * {@code 0.D × 10^point} with D its digits (no leading or trailing zeros). Read off
     * {@link Double#toString} (JDK 19+, shortest too) by moving its point, without BigDecimal, since
     * every number of every answer goes through here. Double.toString prefers a closer two-digit
     * decimal over a one-digit one (4.9E-324 where Go writes 5e-324), so for two digits the
     * one-digit candidate is tried first.
     */
    private record Decimal(String digits, int point) {}

    private static Decimal shortest(double value) {
        String text = Double.toString(Math.abs(value));
        int e = text.indexOf('E');
        int exponent = e < 0 ? 0 : Integer.parseInt(text, e + 1, text.length(), 10);
        String mantissa = e < 0 ? text : text.substring(0, e);
        int dot = mantissa.indexOf('.');
        StringBuilder digits = new StringBuilder(mantissa.length()).append(mantissa, 0, dot).append(mantissa, dot + 1,
                mantissa.length());
        int point = dot + exponent;
        int leading = 0;
        while (digits.charAt(leading) == '0') {
            leading++;
        }
        int end = digits.length();
        while (digits.charAt(end - 1) == '0') {
            end--;
        }
        Decimal decimal = new Decimal(digits.substring(leading, end), point - leading);
        return decimal.digits().length() == 2 ? oneDigitIfSame(decimal, Math.abs(value)) : decimal;
    }

    /** The two-digit decimal rounded half-even to one digit, when that reads back to the same double. */
    private static Decimal oneDigitIfSame(Decimal decimal, double magnitude) {
        int first = decimal.digits().charAt(0) - '0';
        int second = decimal.digits().charAt(1) - '0';
        int rounded = second > 5 || (second == 5 && first % 2 == 1) ? first + 1 : first;
        int point = decimal.point();
        if (rounded == 10) {
            rounded = 1;
            point++;
        }
        if (Double.parseDouble(rounded + "E" + (point - 1)) == magnitude) {
            return new Decimal(Integer.toString(rounded), point);
        }
        return decimal;
    }

    private static String plain(double value) {
        Decimal decimal = shortest(value);
        String digits = decimal.digits();
        int point = decimal.point();
        StringBuilder out = new StringBuilder(digits.length() + Math.abs(point) + 3);
        if (value < 0) {
            out.append('-');
        }
        if (point <= 0) {
            out.append("0.").repeat('0', -point).append(digits);
        } else if (point < digits.length()) {
            out.append(digits, 0, point).append('.').append(digits, point, digits.length());
        } else {
            out.append(digits).repeat('0', point - digits.length());
        }
        return out.toString();
    }

    private static String exponent(double value) {
        Decimal decimal = shortest(value);
        String digits = decimal.digits();
        int exponent = decimal.point() - 1;
        StringBuilder out = new StringBuilder(digits.length() + 8);
        if (value < 0) {
            out.append('-');
        }
        out.append(digits.charAt(0));
        if (digits.length() > 1) {
            out.append('.').append(digits, 1, digits.length());
        }
        // Go writes at least two exponent digits, then encoding/json trims "e-07" to "e-7".
        if (exponent < 0) {
            out.append("e-").append(-exponent);
        } else {
            out.append("e+").append(exponent < 10 ? "0" : "").append(exponent);
        }
        return out.toString();
    }
}
