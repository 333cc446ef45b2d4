package io.sundial.ingest.text;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Numbers parsed straight from ASCII bytes, with the syntax of line protocol (Go's strconv
 * without underscores, hex or a leading '+'). Each method throws {@link NumberFormatException}
 * whose message is ready to show to a user.
 */
public final class Numbers {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
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

    /** Whether all eight bytes of a little-endian word are ASCII digits (high nibble 3, low nibble at most 9). */
    static boolean isEightDigits(long word) {
        return ((word & 0xF0F0F0F0F0F0F0F0L) | (((word + 0x0606060606060606L) & 0xF0F0F0F0F0F0F0F0L) >>> 4))
                == 0x3333333333333333L;
    }

    /**
     * The value of eight ASCII digits read as a little-endian word (first digit in the lowest
     * byte): pairs, then quadruples, then the whole, combined by multiply-shift (Lemire's SWAR parse).
     */
    static long eightDigitsValue(long word) {
        long digits = word - 0x3030303030303030L;
        digits = (digits * 10) + (digits >>> 8);
        return (((digits & 0x000000FF000000FFL) * (100 + (1_000_000L << 32)))
                + (((digits >>> 16) & 0x000000FF000000FFL) * (1 + (10_000L << 32)))) >>> 32;
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
            // Eight fraction digits at a time once the mantissa has started and has room for them
            // (full-precision floats carry 15-17 digits, most of them here).
            while (significantDigits > 0 && significantDigits <= 19 - 8 && end - i >= Long.BYTES) {
                long word = (long) LONGS.get(buf, i);
                if (!isEightDigits(word)) {
                    break;
                }
                mantissa = mantissa * 100_000_000L + eightDigitsValue(word);
                significantDigits += 8;
                mantissaDigits += 8;
                decimalExponent -= 8;
                i += 8;
            }
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
