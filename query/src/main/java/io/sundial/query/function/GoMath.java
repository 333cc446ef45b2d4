package io.sundial.query.function;

/**
 * Go's {@code math.Pow} for a non-negative integer exponent: repeated squaring of the
 * mantissa with the exponent kept apart. Its rounding differs from {@link Math#pow} in the
 * last bit, and holt_winters' optimiser amplifies such bits, so forecasts that must agree with
 * InfluxDB's compute powers the way Go does.
 */
final class GoMath {
    private GoMath() {}

    static double pow(double x, int exponent) {
        if (exponent < 0) {
            throw new IllegalArgumentException("negative exponent: " + exponent);
        }
        if (exponent == 0 || x == 1) {
            return 1;
        }
        if (exponent == 1) {
            return x;
        }
        if (Double.isNaN(x)) {
            return Double.NaN;
        }
        if (x == 0) {
            return (exponent & 1) == 1 ? x : 0.0;
        }
        if (Double.isInfinite(x)) {
            return x < 0 && (exponent & 1) == 1 ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        // x = mantissa * 2^binaryExponent with |mantissa| in [0.5, 1), as Go's Frexp.
        int binaryExponent = Math.getExponent(x) + 1;
        double mantissa;
        if (Math.getExponent(x) < Double.MIN_EXPONENT) {
            double normal = x * 0x1p54;
            binaryExponent = Math.getExponent(normal) + 1 - 54;
            mantissa = normal / Math.scalb(1.0, Math.getExponent(normal) + 1);
        } else {
            mantissa = x / Math.scalb(1.0, binaryExponent);
        }
        double result = 1.0;
        int resultExponent = 0;
        long x1Exponent = binaryExponent;
        double x1 = mantissa;
        for (long i = exponent; i != 0; i >>= 1) {
            if (x1Exponent < -(1 << 12) || (1 << 12) < x1Exponent) {
                // Overflow or underflow for sure; Ldexp of the sum gives 0 or infinity.
                resultExponent += (int) x1Exponent;
                break;
            }
            if ((i & 1) == 1) {
                result *= x1;
                resultExponent += (int) x1Exponent;
            }
            x1 *= x1;
            x1Exponent <<= 1;
            if (x1 < .5) {
                x1 += x1;
                x1Exponent--;
            }
        }
        return ldexp(result, resultExponent);
    }

    /** Go's Ldexp: fraction * 2^exponent, rounding once. */
    private static double ldexp(double fraction, int exponent) {
        return Math.scalb(fraction, exponent);
    }
}
