package io.sundial.ingest.text;

import java.nio.charset.StandardCharsets;

/**
 * Numbers parsed straight from ASCII bytes, with the syntax of line protocol (Go's strconv
 * without underscores, hex or a leading '+'). Each method throws {@link NumberFormatException}
 * whose message is ready to show to a user.
 */
public final class Numbers {
    /** Powers of ten that a double holds exactly (10^22 is the largest). */
    private static final double[] EXACT_POWERS_OF_TEN = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    };
    /** Mantissas up to this many significant digits are below 2^53 and so exact in a double. */
    private static final int EXACT_MANTISSA_DIGITS = 15;

    private Numbers() {}

    /** A signed 64-bit decimal integer: {@code -?[0-9]+}. */
    public static long parseLong(byte[] buf, int start, int end) {
        boolean isNegative = start < end && buf[start] == '-';
        int i = isNegative ? start + 1 : start;
        if (i == end) {
            throw new NumberFormatException("invalid integer '" + text(buf, start, end) + "'");
        }
        // Accumulate negatively: the negative range is one larger, so Long.MIN_VALUE parses.
        long value = 0;
        for (; i < end; i++) {
            int digit = buf[i] - '0';
            if (digit < 0 || digit > 9) {
                throw new NumberFormatException("invalid integer '" + text(buf, start, end) + "'");
            }
            if (value < -922_337_203_685_477_580L || (value == -922_337_203_685_477_580L && digit > 8)) {
                throw new NumberFormatException("integer " + text(buf, start, end)
                        + " is out of the signed 64-bit range [-9223372036854775808, 9223372036854775807]");
            }
            value = value * 10 - digit;
        }
        if (!isNegative) {
            if (value == Long.MIN_VALUE) {
                throw new NumberFormatException("integer " + text(buf, start, end)
                        + " is out of the signed 64-bit range [-9223372036854775808, 9223372036854775807]");
            }
            return -value;
        }
        return value;
    }

    /** An unsigned 64-bit decimal integer {@code [0-9]+}, returned as its two's-complement word. */
    public static long parseUnsigned(byte[] buf, int start, int end) {
        if (start == end) {
            throw new NumberFormatException("invalid unsigned integer ''");
        }
        long value = 0;
        for (int i = start; i < end; i++) {
            int digit = buf[i] - '0';
            if (digit < 0 || digit > 9) {
                throw new NumberFormatException("invalid unsigned integer '" + text(buf, start, end) + "'");
            }
            // value * 10 + digit must stay below 2^64.
            if (Long.compareUnsigned(value, 1_844_674_407_370_955_161L) > 0
                    || (value == 1_844_674_407_370_955_161L && digit > 5)) {
                throw new NumberFormatException("unsigned integer " + text(buf, start, end)
                        + " is out of the unsigned 64-bit range [0, 18446744073709551615]");
            }
            value = value * 10 + digit;
        }
        return value;
    }

    /**
     * A finite float: {@code -?digits[.digits][(e|E)[+-]digits]} with at least one mantissa
     * digit ({@code 1.} and {@code .5} allowed, as Go's ParseFloat allows them). NaN and
     * infinities are rejected, as is a value that overflows float64.
     */
    public static double parseDouble(byte[] buf, int start, int end) {
        int i = start;
        boolean isNegative = i < end && buf[i] == '-';
        if (isNegative) {
            i++;
        }
        long mantissa = 0;
        int significantDigits = 0;
        int mantissaDigits = 0;
        int decimalExponent = 0;
        for (; i < end && isDigit(buf[i]); i++) {
            mantissaDigits++;
            if (significantDigits > 0 || buf[i] != '0') {
                if (significantDigits < 19) {
                    mantissa = mantissa * 10 + (buf[i] - '0');
                } else {
                    decimalExponent++;
                }
                significantDigits++;
            }
        }
        if (i < end && buf[i] == '.') {
            i++;
            for (; i < end && isDigit(buf[i]); i++) {
                mantissaDigits++;
                if (significantDigits > 0 || buf[i] != '0') {
                    if (significantDigits < 19) {
                        mantissa = mantissa * 10 + (buf[i] - '0');
                        decimalExponent--;
                    }
                    significantDigits++;
                } else {
                    decimalExponent--;
                }
            }
        }
        if (mantissaDigits == 0) {
            throw invalidNumber(buf, start, end);
        }
        int exponent = 0;
        if (i < end && (buf[i] == 'e' || buf[i] == 'E')) {
            i++;
            boolean isExponentNegative = false;
            if (i < end && (buf[i] == '+' || buf[i] == '-')) {
                isExponentNegative = buf[i] == '-';
                i++;
            }
            int exponentStart = i;
            for (; i < end && isDigit(buf[i]); i++) {
                if (exponent < 100_000) {
                    exponent = exponent * 10 + (buf[i] - '0');
                }
            }
            if (i == exponentStart) {
                throw invalidNumber(buf, start, end);
            }
            if (isExponentNegative) {
                exponent = -exponent;
            }
        }
        if (i != end) {
            throw invalidNumber(buf, start, end);
        }
        double value;
        int totalExponent = decimalExponent + exponent;
        if (significantDigits == 0) {
            value = 0.0;
        } else if (significantDigits <= EXACT_MANTISSA_DIGITS && Math.abs(totalExponent) <= 22) {
            // Clinger's fast path: both operands exact, so one IEEE operation rounds correctly.
            value = totalExponent >= 0
                    ? mantissa * EXACT_POWERS_OF_TEN[totalExponent]
                    : mantissa / EXACT_POWERS_OF_TEN[-totalExponent];
        } else {
            // Up to 19 significant digits the mantissa is exact and Eisel-Lemire decides almost
            // every input; the rest go to the JDK's correctly rounded parser. The syntax was
            // checked above, so that parser sees nothing (hex, "Infinity", suffixes) that line
            // protocol does not accept.
            value = significantDigits <= 19 ? EiselLemire.toDouble(mantissa, totalExponent, false) : Double.NaN;
            if (Double.isNaN(value)) {
                value = Math.abs(Double.parseDouble(text(buf, start, end)));
            }
        }
        if (Double.isInfinite(value)) {
            throw new NumberFormatException("float " + text(buf, start, end) + " is out of the float64 range");
        }
        return isNegative ? -value : value;
    }

    /** Whether {@code buf[start, end)} is a signed integer that {@link #parseLong} accepts. */
    public static boolean isLong(byte[] buf, int start, int end) {
        try {
            parseLong(buf, start, end);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Whether {@code buf[start, end)} is a float that {@link #parseDouble} accepts. */
    public static boolean isDouble(byte[] buf, int start, int end) {
        try {
            parseDouble(buf, start, end);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static NumberFormatException invalidNumber(byte[] buf, int start, int end) {
        String text = text(buf, start, end);
        if (text.contains("NaN") || text.contains("nan") || text.contains("Inf") || text.contains("inf")) {
            return new NumberFormatException("invalid number '" + text + "': NaN and infinities are not storable");
        }
        return new NumberFormatException("invalid number '" + text + "'");
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static String text(byte[] buf, int start, int end) {
        return new String(buf, start, Math.min(end - start, 64), StandardCharsets.UTF_8);
    }
}
