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
     * Appends {@link #json} of a finite value, in most cases without an intermediate string:
     * {@link StringBuilder#append(double)} writes Java's shortest digits in place, in plain form for
     * 1e-3 <= |v| < 1e7, and those are the digits Go picks (both shortest; the one-or-two-digit
     * choice of {@link #shortest} differs only for subnormals), so only a trailing ".0" is dropped.
     * Text with an exponent is taken back and spelled by {@link #json}.
     */
    public static void appendJson(StringBuilder out, double value) {
        if (!appendPlain(out, value)) {
            out.append(json(value));
        }
    }

    /** Appends {@link #csv} of a value, as {@link #appendJson} does. */
    public static void appendCsv(StringBuilder out, double value) {
        if (!appendPlain(out, value)) {
            out.append(csv(value));
        }
    }

    /** Appends Java's text of {@code value} when it is Go's too (plain digits); false, appending nothing, otherwise. */
    private static boolean appendPlain(StringBuilder out, double value) {
        if (value == 0 || !Double.isFinite(value)) {
            return false;
        }
        double magnitude = Math.abs(value);
        if (magnitude >= 1e-3 && magnitude < 1e7) {
            // Java's own plain range (Double.toString): no exponent to look for, only a ".0" to drop.
            int end = out.append(value).length();
            if (out.charAt(end - 1) == '0' && out.charAt(end - 2) == '.') {
                out.setLength(end - 2);
            }
            return true;
        }
        int start = out.length();
        out.append(value);
        int end = out.length();
        for (int i = start; i < end; i++) {
            if (out.charAt(i) == 'E') {
                out.setLength(start);
                return false;
            }
        }
        if (out.charAt(end - 2) == '.' && out.charAt(end - 1) == '0') {
            out.setLength(end - 2);
        }
        return true;
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
