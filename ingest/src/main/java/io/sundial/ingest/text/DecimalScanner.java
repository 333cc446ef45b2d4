package io.sundial.ingest.text;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The fast path for the numbers that fill nearly every line of real input: a plain decimal
 * {@code -?digits[.digits]} (a float), {@code -?digits i} (an integer) or {@code -?digits} (a
 * timestamp), read in place in one pass that also finds where the token ends, eight digits a
 * step. Anything else (an exponent, a {@code u} suffix, more than 19 digits, a value the fast
 * conversions cannot decide, a token not followed by a delimiter) returns {@link #NOT_PLAIN}
 * and the caller parses the token with {@link Numbers}, which gives the error messages. So this
 * class never rejects input, and its results are bit-identical to {@link Numbers} (and so to
 * {@link Double#parseDouble}) on everything it accepts. One instance per parser: not thread-safe.
 */
public final class DecimalScanner {
    /** Returned when the token is not a plain decimal that this class decides. */
    public static final int NOT_PLAIN = -1;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** 19 decimal digits always fit an unsigned 64-bit mantissa (10^19 - 1 < 2^64). */
    private static final int DIGITS_MAX = 19;
    private static final long[] POWERS_OF_TEN = {
        1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L, 100_000_000L,
    };
    /** Powers of ten that a double holds exactly, for Clinger's fast path. */
    private static final double[] EXACT_POWERS_OF_TEN = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    };

    /** The digits read so far by {@link #digits}, as an unsigned integer. */
    private long mantissa;
    private int digitCount;
    private long value;

    /**
     * The value of the last token accepted: the raw bits of a double after
     * {@link #scanFloatOrInteger} returned a float, else the integer.
     */
    public long value() {
        return value;
    }

    /**
     * Reads {@code -?digits[.digits]} (a float; at least one digit) or {@code -?digits i} (an
     * integer) at {@code start}, which must be followed by {@code end}, a comma or a space.
     *
     * @return the index after the token, with {@link #value()} set (an integer when the byte
     *     before that index is {@code 'i'}, else the bits of a double); or {@link #NOT_PLAIN}
     */
    public int scanFloatOrInteger(byte[] buf, int start, int end) {
        int p = start;
        boolean isNegative = p < end && buf[p] == '-';
        if (isNegative) {
            p++;
        }
        if (p + 3 * Long.BYTES <= buf.length) {
            int stop = scanShortFloat(buf, p, end, isNegative);
            if (stop != NOT_PLAIN) {
                return stop;
            }
        }
        return scanDigitLoop(buf, p, end, isNegative);
    }

    /**
     * {@link #scanFloatOrInteger} after its sign for every shape but the short float: kept out of
     * line so that the compiled short path stays small enough for the JIT to inline into the
     * parser's field loop.
     */
    private int scanDigitLoop(byte[] buf, int start, int end, boolean isNegative) {
        int p = start;
        mantissa = 0;
        digitCount = 0;
        p = digits(buf, p, end);
        int integerDigits = digitCount;
        if (p == end || buf[p] == ',' || buf[p] == ' ') {
            return integerDigits == 0 ? NOT_PLAIN : acceptFloat(p, 0, isNegative);
        }
        if (buf[p] == '.') {
            p = digits(buf, p + 1, end);
            if (digitCount == 0 || (p != end && buf[p] != ',' && buf[p] != ' ')) {
                return NOT_PLAIN;
            }
            return acceptFloat(p, digitCount - integerDigits, isNegative);
        }
        if (buf[p] == 'i' && integerDigits > 0 && (p + 1 == end || buf[p + 1] == ',' || buf[p + 1] == ' ')) {
            return acceptLong(isNegative) ? p + 1 : NOT_PLAIN;
        }
        return NOT_PLAIN;
    }

    /**
     * The shape of nearly every float written by a program, {@code d{1,7}.d{1,16}} followed by a
     * delimiter, in straight-line code: at most three word reads whose positions depend only on
     * the integer part's length, and no loop. Needs three words of buffer from {@code p}.
     * {@link #NOT_PLAIN} sends every other shape to the general loop.
     */
    private int scanShortFloat(byte[] buf, int p, int end, boolean isNegative) {
        long word = (long) LONGS.get(buf, p);
        int integerDigits = Math.min(leadingDigits(word), end - p);
        if (integerDigits == 0 || integerDigits == Long.BYTES) {
            return NOT_PLAIN;
        }
        p += integerDigits;
        if (p == end || buf[p] != '.') {
            return NOT_PLAIN;
        }
        p++;
        long m = leadingDigitsValue(word, integerDigits);
        word = (long) LONGS.get(buf, p);
        int fractionDigits = Math.min(leadingDigits(word), end - p);
        if (fractionDigits == Long.BYTES) {
            m = m * POWERS_OF_TEN[Long.BYTES] + Numbers.eightDigitsValue(word);
            p += Long.BYTES;
            word = (long) LONGS.get(buf, p);
            int more = Math.min(leadingDigits(word), end - p);
            if (more == Long.BYTES || integerDigits + Long.BYTES + more > DIGITS_MAX) {
                return NOT_PLAIN;
            }
            if (more > 0) {
                m = m * POWERS_OF_TEN[more] + leadingDigitsValue(word, more);
                p += more;
            }
            fractionDigits = Long.BYTES + more;
        } else if (fractionDigits > 0) {
            m = m * POWERS_OF_TEN[fractionDigits] + leadingDigitsValue(word, fractionDigits);
            p += fractionDigits;
        }
        if (p != end && buf[p] != ',' && buf[p] != ' ') {
            return NOT_PLAIN;
        }
        mantissa = m;
        return acceptFloat(p, fractionDigits, isNegative);
    }

    /**
     * Reads {@code -?digits} at {@code start}, which must be followed by {@code end} or a space.
     *
     * @return the index after the token with {@link #value()} set, or {@link #NOT_PLAIN}
     */
    public int scanLong(byte[] buf, int start, int end) {
        int p = scanLongDigits(buf, start, end);
        if (p == NOT_PLAIN || (p != end && buf[p] != ' ')) {
            return NOT_PLAIN;
        }
        return p;
    }

    /**
     * Reads {@code -?digits} at {@code start} whatever follows them: the caller checks the byte
     * at the returned index (a digit there means more than 19 digits, which no delimiter test
     * accepts).
     *
     * @return the index after the digits with {@link #value()} set, or {@link #NOT_PLAIN}
     */
    public int scanLongDigits(byte[] buf, int start, int end) {
        int p = start;
        boolean isNegative = p < end && buf[p] == '-';
        if (isNegative) {
            p++;
        }
        mantissa = 0;
        digitCount = 0;
        p = digits(buf, p, end);
        if (digitCount == 0 || !acceptLong(isNegative)) {
            return NOT_PLAIN;
        }
        return p;
    }

    private int acceptFloat(int p, int fractionDigits, boolean isNegative) {
        double result;
        if (mantissa == 0) {
            result = 0.0;
        } else {
            // Eisel-Lemire's one multiplication first for every mantissa: no branch on the
            // mantissa's size, which 16- and 17-digit values (both common) would mispredict.
            result = EiselLemire.fractionToDouble(mantissa, fractionDigits);
            if (Double.isNaN(result)) {
                result = undecidedFraction(fractionDigits);
                if (Double.isNaN(result)) {
                    return NOT_PLAIN; // undecided: the exact parser settles it
                }
            }
        }
        value = Double.doubleToRawLongBits(isNegative ? -result : result);
        return p;
    }

    /** What {@link EiselLemire#fractionToDouble} left open (at most about one value in 500, and round ones like 0.5): exact or NaN. */
    private double undecidedFraction(int fractionDigits) {
        if ((mantissa >>> 53) == 0) {
            // Clinger: the mantissa and 10^k (k <= 19 <= 22) are exact, so one division rounds correctly.
            return mantissa / EXACT_POWERS_OF_TEN[fractionDigits];
        }
        return EiselLemire.toDouble(mantissa, -fractionDigits, false);
    }

    /** Sets {@link #value} from the digits when they fit a signed 64-bit integer; false when they may not. */
    private boolean acceptLong(boolean isNegative) {
        // 19 digits can exceed Long.MAX_VALUE (and 2^63 is only valid negated): the exact parser decides those.
        if (mantissa < 0) {
            return false;
        }
        value = isNegative ? -mantissa : mantissa;
        return true;
    }

    /**
     * Accumulates the decimal digits at {@code p} (up to {@code end}) into {@link #mantissa} and
     * {@link #digitCount}; returns the index of the first byte that is not a digit. Past
     * {@link #DIGITS_MAX} digits it stops early: the digit count then says so to the caller,
     * whose delimiter check fails on the digit left unread.
     */
    private int digits(byte[] buf, int p, int end) {
        long m = mantissa;
        int count = digitCount;
        // Eight bytes a step while a whole word of the buffer is left; bytes past `end` (the next
        // line, or stale bytes) may be read but never used.
        while (p + Long.BYTES <= buf.length) {
            long word = (long) LONGS.get(buf, p);
            int n = Math.min(leadingDigits(word), end - p);
            if (n <= 0 || count + n > DIGITS_MAX) {
                break;
            }
            m = m * POWERS_OF_TEN[n] + leadingDigitsValue(word, n);
            count += n;
            p += n;
            if (n < Long.BYTES) {
                mantissa = m;
                digitCount = count;
                return p;
            }
        }
        for (; p < end && count < DIGITS_MAX; p++) {
            int digit = buf[p] - '0';
            if (digit < 0 || digit > 9) {
                break;
            }
            m = m * 10 + digit;
            count++;
        }
        mantissa = m;
        digitCount = count;
        return p;
    }

    /**
     * How many of the word's bytes, from the lowest (the first in memory), are ASCII digits. A
     * byte is a digit when its high nibble is 3 and adding 6 keeps it 3; the carry of that
     * addition out of a byte of 0xFA or more can only spoil the bytes after the first non-digit.
     */
    static int leadingDigits(long word) {
        long nonDigits = ((word & 0xF0F0F0F0F0F0F0F0L) ^ 0x3030303030303030L)
                | (((word + 0x0606060606060606L) & 0xF0F0F0F0F0F0F0F0L) ^ 0x3030303030303030L);
        return Long.numberOfTrailingZeros(nonDigits) >>> 3;
    }

    /** The value of the first {@code n} (1 to 8) bytes of the word, all ASCII digits: the rest become leading zeros. */
    static long leadingDigitsValue(long word, int n) {
        int unused = Long.SIZE - n * Byte.SIZE;
        return Numbers.eightDigitsValue((word << unused) | (0x3030303030303030L >>> (n * Byte.SIZE)));
    }
}
