package io.sundial.query.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class HoltWintersTest {
    private static final long MINUTE = 60_000_000_000L;

    static PointList series(double... values) {
        PointList out = new PointList();
        for (int i = 0; i < values.length; i++) {
            out.add(i * MINUTE, values[i]);
        }
        return out;
    }

    @Test
    void tooFewPointsGiveNothing() {
        assertTrue(HoltWinters.forecast(series(), 3, 0, false, MINUTE).isEmpty());
        assertTrue(HoltWinters.forecast(series(5), 3, 0, false, MINUTE).isEmpty());
        assertTrue(HoltWinters.forecast(series(1, 2, 3), 3, 4, false, MINUTE).isEmpty(), "fewer points than a season");
    }

    @Test
    void forecastFollowsTheLastPointOneIntervalApart() {
        PointList forecast = HoltWinters.forecast(series(10, 12, 11, 13, 12, 14), 4, 0, false, MINUTE);
        assertEquals(4, forecast.size());
        for (int i = 0; i < 4; i++) {
            assertEquals((6 + i) * MINUTE, forecast.time(i));
            // Values are checked against InfluxDB 1.6's answers in InfluxDifferentialTest.
            assertTrue(Double.isFinite((Double) forecast.value(i)));
        }
    }

    @Test
    void withFitStartsAtTheFirstPointAndSkipsNothingButGaps() {
        PointList input = series(10, 12, 11, 13, 12, 14);
        PointList fit = HoltWinters.forecast(input, 2, 0, true, MINUTE);
        assertEquals(8, fit.size(), "6 fitted buckets and 2 forecast");
        assertEquals(0, fit.time(0));
        assertEquals(10.0, fit.value(0), "the first fitted value is the first point");
        assertEquals(7 * MINUTE, fit.time(7));
        PointList plain = HoltWinters.forecast(input, 2, 0, false, MINUTE);
        assertEquals(plain.value(1), fit.value(7), "the same forecast with or without the fit");
    }

    @Test
    void nullBucketsAreSkippedAndSeasonsAreFitted() {
        PointList input = new PointList();
        double[] season = {10, 20, 30, 20};
        for (int i = 0; i < 12; i++) {
            input.add(i * MINUTE, i == 5 ? null : (Object) season[i % 4]);
        }
        PointList forecast = HoltWinters.forecast(input, 4, 4, false, MINUTE);
        assertEquals(4, forecast.size());
        for (int i = 0; i < 4; i++) {
            assertTrue(Double.isFinite((Double) forecast.value(i)));
        }
    }

    @Test
    void goPowMatchesExactPowersAndJavaToRounding() {
        assertEquals(1.0 / 1024, GoMath.pow(0.5, 10), 0.0);
        assertEquals(0.3, GoMath.pow(0.3, 1), 0.0);
        assertEquals(1.0, GoMath.pow(0.7, 0), 0.0);
        assertEquals(0.0, GoMath.pow(0.0, 3), 0.0);
        assertEquals(9.0, GoMath.pow(-3.0, 2), 0.0);
        assertEquals(-27.0, GoMath.pow(-3.0, 3), 0.0);
        Random random = new Random(5);
        for (int i = 0; i < 1000; i++) {
            double x = random.nextDouble();
            int exponent = random.nextInt(200);
            double expected = Math.pow(x, exponent);
            // Repeated squaring compounds rounding: a few dozen ulps at exponents near 200.
            assertEquals(expected, GoMath.pow(x, exponent), 1e-13 * expected + Double.MIN_VALUE, x + "^" + exponent);
        }
    }
}
