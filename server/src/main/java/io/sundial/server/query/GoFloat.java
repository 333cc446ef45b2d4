package io.sundial.server.query;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

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

    private static String zero(double value) {
        return Double.doubleToRawLongBits(value) < 0 ? "-0" : "0";
    }

    /**
     * The shortest round-tripping digits, as Go's strconv picks them. Double.toString (JDK 19+)
     * is shortest too, except that it prefers a closer two-digit decimal over a one-digit one
     * (4.9E-324 where Go writes 5e-324), so a one-digit candidate is tried first.
     */
    private static BigDecimal shortest(double value) {
        BigDecimal decimal = new BigDecimal(Double.toString(value)).stripTrailingZeros();
        if (decimal.precision() == 2) {
            BigDecimal oneDigit = decimal.round(new MathContext(1, RoundingMode.HALF_EVEN));
            if (oneDigit.doubleValue() == value) {
                return oneDigit.stripTrailingZeros();
            }
        }
        return decimal;
    }

    private static String plain(double value) {
        return shortest(value).toPlainString();
    }

    private static String exponent(double value) {
        BigDecimal decimal = shortest(value);
        String digits = decimal.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - decimal.scale();
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
