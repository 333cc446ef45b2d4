package io.sundial.ingest.text;

import java.math.BigInteger;

/**
 * Correctly rounded decimal-to-double conversion for mantissas of up to 19 digits, after Daniel
 * Lemire, "Number Parsing at a Gigabyte per Second" (2021), in the form of Go's
 * {@code strconv.eiselLemire64}: one or two 64x64-bit multiplications by a 128-bit truncated
 * power of ten. It gives up (returns NaN) on the rare inputs it cannot decide (values within
 * the truncation error of a halfway point, subnormals, overflow), and the caller falls back to
 * the JDK's exact parser, so every result is the correctly rounded double.
 */
final class EiselLemire {
    static final int EXPONENT_MIN = -342;
    static final int EXPONENT_MAX = 308;
    /** High and low 64 bits of 10^e normalized to 128 bits (top bit set), rounded down. */
    private static final long[] POWER_HIGH = new long[EXPONENT_MAX - EXPONENT_MIN + 1];
    private static final long[] POWER_LOW = new long[EXPONENT_MAX - EXPONENT_MIN + 1];

    static {
        BigInteger mask64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
        for (int e = EXPONENT_MIN; e <= EXPONENT_MAX; e++) {
            // 10^e = 5^e * 2^e, so its normalized mantissa is the one of 5^e.
            BigInteger mantissa;
            if (e >= 0) {
                BigInteger power = BigInteger.valueOf(5).pow(e);
                int shift = 128 - power.bitLength();
                mantissa = shift >= 0 ? power.shiftLeft(shift) : power.shiftRight(-shift);
            } else {
                BigInteger power = BigInteger.valueOf(5).pow(-e);
                mantissa = BigInteger.ONE.shiftLeft(power.bitLength() + 127).divide(power);
            }
            POWER_HIGH[e - EXPONENT_MIN] = mantissa.shiftRight(64).longValue();
            POWER_LOW[e - EXPONENT_MIN] = mantissa.and(mask64).longValue();
        }
    }

    private EiselLemire() {}

    /**
     * {@link #toDouble} for the shape of nearly every float written by a program: a nonzero
     * mantissa read as unsigned times {@code 10^-fractionDigits}, {@code 0 <= fractionDigits <= 19}.
     * Small enough to inline into the scanner's loop: the exponent is in the table's range by
     * construction, and where {@link #toDouble} would widen the multiplication (the truncated
     * power's carry may reach the rounding bits: at most about one input in 500, and most short "round"
     * decimals such as 0.5) this returns NaN and leaves the rest to the caller, as it does where
     * {@link #toDouble} gives up. Every non-NaN result is the correctly rounded double.
     */
    static double fractionToDouble(long mantissa, int fractionDigits) {
        int leadingZeros = Long.numberOfLeadingZeros(mantissa);
        long man = mantissa << leadingZeros;
        long power = POWER_HIGH[-fractionDigits - EXPONENT_MIN];
        long high = Math.unsignedMultiplyHigh(man, power);
        long low = man * power;
        if ((high & 0x1FF) == 0x1FF && Long.compareUnsigned(low + man, man) < 0) {
            return Double.NaN;
        }
        long topBit = high >>> 63;
        long result = high >>> (topBit + 9);
        if (low == 0 && (high & 0x1FF) == 0 && (result & 3) == 1) {
            return Double.NaN;
        }
        // As in toDouble, with 217706 / 2^16 ~ log2(10) and the float64 exponent bias 1023.
        long binaryExponent = ((217706L * -fractionDigits) >> 16) + 64 + 1023 - leadingZeros - (1 ^ topBit);
        result = (result + (result & 1)) >>> 1;
        if ((result >>> 53) > 0) {
            result >>>= 1;
            binaryExponent++;
        }
        if (binaryExponent <= 0 || binaryExponent >= 0x7FF) {
            return Double.NaN; // subnormal or out of range: cannot happen for 10^-19..2^64, kept so no input is misread
        }
        return Double.longBitsToDouble(binaryExponent << 52 | (result & 0x000F_FFFF_FFFF_FFFFL));
    }

    /**
     * {@code mantissa * 10^exponent} (mantissa read as unsigned, exact) correctly rounded, or NaN
     * when this method cannot decide the rounding and the caller must use an exact parser.
     */
    static double toDouble(long mantissa, int exponent, boolean isNegative) {
        if (mantissa == 0) {
            return isNegative ? -0.0 : 0.0;
        }
        if (exponent < EXPONENT_MIN || exponent > EXPONENT_MAX) {
            return Double.NaN;
        }
        int leadingZeros = Long.numberOfLeadingZeros(mantissa);
        long man = mantissa << leadingZeros;
        // floor(log2(10) * exponent) via 217706 / 2^16 ~ log2(10); 1023 is the float64 exponent bias.
        long binaryExponent = ((217706L * exponent) >> 16) + 64 + 1023 - leadingZeros;
        int index = exponent - EXPONENT_MIN;
        long high = Math.unsignedMultiplyHigh(man, POWER_HIGH[index]);
        long low = man * POWER_HIGH[index];
        if ((high & 0x1FF) == 0x1FF && Long.compareUnsigned(low + man, man) < 0) {
            // The truncated power may have cost a carry into the bits that decide rounding:
            // widen the product with the power's low 64 bits.
            long lowHigh = Math.unsignedMultiplyHigh(man, POWER_LOW[index]);
            long lowLow = man * POWER_LOW[index];
            long mergedHigh = high;
            long mergedLow = low + lowHigh;
            if (Long.compareUnsigned(mergedLow, low) < 0) {
                mergedHigh++;
            }
            if ((mergedHigh & 0x1FF) == 0x1FF && mergedLow + 1 == 0 && Long.compareUnsigned(lowLow + man, man) < 0) {
                return Double.NaN;
            }
            high = mergedHigh;
            low = mergedLow;
        }
        long topBit = high >>> 63;
        long result = high >>> (topBit + 9);
        binaryExponent -= 1 ^ topBit;
        if (low == 0 && (high & 0x1FF) == 0 && (result & 3) == 1) {
            return Double.NaN; // exactly halfway between two doubles as far as these bits tell
        }
        result += result & 1;
        result >>>= 1;
        if ((result >>> 53) > 0) {
            result >>>= 1;
            binaryExponent++;
        }
        if (binaryExponent <= 0 || binaryExponent >= 0x7FF) {
            return Double.NaN; // subnormal or out of range: the exact parser decides
        }
        long bits = binaryExponent << 52 | (result & 0x000F_FFFF_FFFF_FFFFL);
        return Double.longBitsToDouble(isNegative ? bits | Long.MIN_VALUE : bits);
    }
}
