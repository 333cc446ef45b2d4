package io.sundial.server.query;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigInteger;
import java.nio.ByteOrder;

/**
 * The shortest decimal that reads back to a double, by Schubfach (R. Giulietti, "The Schubfach way
 * to render doubles", 2021), the algorithm of the JDK's {@code Double.toString} since JDK 19 and
 * step for step the same choice of digits, written as plain ASCII digits into a byte array. The
 * JDK finds the digits in a few multiplications but spells them one at a time into its builder
 * (a quarter of high-cpu-all's server CPU was that digit loop); here eight digits are split in
 * parallel lanes of one long and stored at once, and trailing zeros are counted, not searched.
 *
 * <p>Only for normal doubles of magnitude in [1e-6, 1e21), where Go's {@code encoding/json} writes
 * plain digits and its shortest digits are the JDK's ({@link GoFloat#appendJson} keeps the other
 * cases). One instance per thread (it holds the decimal between its steps).
 */
final class ShortestDecimal {
    /** Lower and upper bound of the plain range of Go's encoding/json. */
    static final double PLAIN_MIN = 1e-6;
    static final double PLAIN_LIMIT = 1e21;
    /** Room for a sign, "0.", five zeros and 17 digits, or 21 digits, or a point and 17 digits. */
    static final int TEXT_BYTES_MAX = 32;

    private static final int Q_MIN = -1074;
    private static final long C_MIN = 1L << 52;
    private static final int P = 53;
    private static final int K_MIN = -324;
    private static final int K_MAX = 292;
    private static final long MASK_63 = (1L << 63) - 1;
    /** Digits written per decimal before trailing zeros are dropped (the most a double needs). */
    private static final int DIGITS = 17;
    /**
     * Per k in [K_MIN, K_MAX], g = floor(10^-k 2^-r) + 1 for the r that puts 10^-k 2^-r in
     * [2^125, 2^126), split into its high and low 63 bits: 1,234 longs made once with BigInteger
     * rather than listed.
     */
    private static final long[] G = powersOfTen();
    private static final long[] POW10 = new long[19];
    private static final long ASCII_ZEROS = 0x3030_3030_3030_3030L;
    private static final VarHandle LITTLE_ENDIAN_LONGS = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);

    static {
        POW10[0] = 1;
        for (int i = 1; i < POW10.length; i++) {
            POW10[i] = POW10[i - 1] * 10;
        }
    }

    private long significand;
    private int exponent;

    /** Whether {@link #write} spells {@code value} (normal, finite, magnitude in the plain range). */
    static boolean isPlain(double value) {
        double magnitude = Math.abs(value);
        return magnitude >= PLAIN_MIN && magnitude < PLAIN_LIMIT;
    }

    /**
     * Writes {@code value} (for which {@link #isPlain} holds) as {@link GoFloat#json} spells it,
     * as ASCII bytes from {@code at} ({@link #TEXT_BYTES_MAX} bytes must be free there); answers
     * where the text ends.
     */
    int write(double value, byte[] out, int at) {
        long bits = Double.doubleToRawLongBits(value);
        int biasedExponent = (int) (bits >>> 52) & 0x7ff;
        long c = C_MIN | (bits & (C_MIN - 1));
        int mq = -Q_MIN + 1 - biasedExponent;
        // A whole number below 2^53: its digits are exact (section 8.3 of the paper).
        long whole = mq > 0 && mq < P ? c >> mq : -1;
        if (whole >= 0 && whole << mq == c) {
            significand = whole;
            exponent = 0;
        } else {
            toDecimal(-mq, c);
        }
        return layOut(bits < 0, out, at);
    }

    /** Sets significand and exponent to the shortest decimal of c 2^q (a normal double), as the JDK picks it. */
    private void toDecimal(int q, long c) {
        int out = (int) c & 1;
        long cb = c << 2;
        long cbr = cb + 2;
        long cbl;
        int k;
        if (c != C_MIN) {
            cbl = cb - 2;
            k = floorLog10Pow2(q);
        } else {
            cbl = cb - 1;
            k = floorLog10ThreeQuartersPow2(q);
        }
        int h = q + floorLog2Pow10(-k) + 2;
        long g1 = G[(k - K_MIN) << 1];
        long g0 = G[((k - K_MIN) << 1) + 1];
        long vb = roundToOdd(g1, g0, cb << h);
        long vbl = roundToOdd(g1, g0, cbl << h);
        long vbr = roundToOdd(g1, g0, cbr << h);
        long s = vb >> 2;
        if (s >= 100) {
            long sp10 = 10 * Math.multiplyHigh(s, 115_292_150_460_684_698L << 4);
            long tp10 = sp10 + 10;
            boolean upin = vbl + out <= sp10 << 2;
            boolean wpin = (tp10 << 2) + out <= vbr;
            if (upin != wpin) {
                significand = upin ? sp10 : tp10;
                exponent = k;
                return;
            }
        }
        long t = s + 1;
        boolean uin = vbl + out <= s << 2;
        boolean win = (t << 2) + out <= vbr;
        exponent = k;
        if (uin != win) {
            significand = uin ? s : t;
            return;
        }
        long cmp = vb - (s + t << 1);
        significand = cmp < 0 || cmp == 0 && (s & 1) == 0 ? s : t;
    }

    private static long roundToOdd(long g1, long g0, long cp) {
        long x1 = Math.multiplyHigh(g0, cp);
        long y0 = g1 * cp;
        long y1 = Math.multiplyHigh(g1, cp);
        long z = (y0 >>> 1) + x1;
        long vbp = y1 + (z >>> 63);
        return vbp | (z & MASK_63) + MASK_63 >>> 63;
    }

    /** Lays out significand × 10^exponent as plain digits, trailing zeros dropped, from {@code at}; answers the end. */
    private int layOut(boolean isNegative, byte[] out, int at) {
        long f = significand;
        int length = floorLog10Pow2(Long.SIZE - Long.numberOfLeadingZeros(f));
        if (f >= POW10[length]) {
            length++;
        }
        // The value is 0.D × 10^point, D the digits, written as 17 digits (zeros after the last).
        f *= POW10[DIGITS - length];
        int point = exponent + length;
        long highMiddle = Math.multiplyHigh(f, 193_428_131_138_340_668L) >>> 20; // f / 10^8
        int high = (int) (highMiddle * 1_441_151_881L >>> 57); // highMiddle / 10^8
        long middle = eightDigits((int) (highMiddle - 100_000_000L * high));
        long low = eightDigits((int) (f - 100_000_000L * highMiddle));
        if (isNegative) {
            out[at++] = '-';
        }
        if (point >= DIGITS) {
            writeDigits(out, at, high, middle, low);
            at += DIGITS;
            for (int i = DIGITS; i < point; i++) {
                out[at++] = '0';
            }
            return at;
        }
        // A zero digit is a zero byte: the last digits' zeros are the leading zero bytes of the lanes.
        int trailingZeros = low != 0 ? Long.numberOfLeadingZeros(low) >>> 3
                : middle != 0 ? 8 + (Long.numberOfLeadingZeros(middle) >>> 3) : 16;
        if (point <= 0) {
            out[at++] = '0';
            out[at++] = '.';
            for (int i = point; i < 0; i++) {
                out[at++] = '0';
            }
            writeDigits(out, at, high, middle, low);
            return at + DIGITS - trailingZeros;
        }
        // The digits one place to the right, then the integer part moved back to make room for the point.
        writeDigits(out, at + 1, high, middle, low);
        for (int i = 0; i < point; i++) {
            out[at + i] = out[at + i + 1];
        }
        out[at + point] = '.';
        return trailingZeros >= DIGITS - point ? at + point : at + DIGITS + 1 - trailingZeros;
    }

    /** The 17 digits: {@code high} (one), then the lanes of {@link #eightDigits} {@code middle} and {@code low}, from {@code at}. */
    private static void writeDigits(byte[] out, int at, int high, long middle, long low) {
        out[at] = (byte) ('0' + high);
        LITTLE_ENDIAN_LONGS.set(out, at + 1, middle + ASCII_ZEROS);
        LITTLE_ENDIAN_LONGS.set(out, at + 9, low + ASCII_ZEROS);
    }

    /**
     * The eight decimal digits of {@code value} (below 10^8) as bytes 0-9 in one long, the first
     * digit in the lowest byte: halves, quarters and digits split in parallel lanes by multiplying
     * with reciprocals, exact over these ranges (9,999 × 10,486 < 2^27; 99 × 103 < 2^14).
     */
    private static long eightDigits(int value) {
        int upper = value / 10_000;
        long x = upper | (long) (value - upper * 10_000) << 32;
        long hundreds = (x * 10_486 >>> 20) & 0x0000_007F_0000_007FL;
        x = hundreds | (x - hundreds * 100) << 16;
        long tens = (x * 103 >>> 10) & 0x000F_000F_000F_000FL;
        return tens | (x - tens * 10) << 8;
    }

    /** floor(e log10 2), exact for |e| <= 5,456,721 (the JDK's MathUtils.flog10pow2). */
    static int floorLog10Pow2(int e) {
        return (int) (e * 661_971_961_083L >> 41);
    }

    /** floor(log10(3/4 2^e)), exact for |e| <= 5,456,721. */
    static int floorLog10ThreeQuartersPow2(int e) {
        return (int) (e * 661_971_961_083L + -274_743_187_321L >> 41);
    }

    /** floor(e log2 10), exact for |e| <= 6,432. */
    static int floorLog2Pow10(int e) {
        return (int) (e * 913_124_641_741L >> 38);
    }

    private static long[] powersOfTen() {
        long[] table = new long[(K_MAX - K_MIN + 1) * 2];
        BigInteger lowMask = BigInteger.ONE.shiftLeft(63).subtract(BigInteger.ONE);
        for (int k = K_MIN; k <= K_MAX; k++) {
            int r = floorLog2Pow10(-k) - 125;
            BigInteger beta;
            if (k <= 0) {
                BigInteger power = BigInteger.TEN.pow(-k);
                beta = r >= 0 ? power.shiftRight(r) : power.shiftLeft(-r);
            } else {
                beta = BigInteger.ONE.shiftLeft(-r).divide(BigInteger.TEN.pow(k));
            }
            BigInteger g = beta.add(BigInteger.ONE);
            if (g.bitLength() != 126) {
                throw new IllegalStateException("10^" + -k + " not scaled to 126 bits: " + g.bitLength());
            }
            table[(k - K_MIN) << 1] = g.shiftRight(63).longValueExact();
            table[((k - K_MIN) << 1) + 1] = g.and(lowMask).longValueExact();
        }
        return table;
    }
}
