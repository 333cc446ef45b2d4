package io.sundial.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PrecisionTest {
    @ParameterizedTest
    @CsvSource({"ns,1,1", "n,5,5", "us,7,7000", "u,7,7000", "ms,-3,-3000000", "s,1700000000,1700000000000000000"})
    void converts(String symbol, long value, long nanos) {
        assertEquals(nanos, Precision.parse(symbol).toNanos(value));
    }

    @ParameterizedTest
    @CsvSource({"s,9300000000", "s,-9300000000", "ms,9223372036854775807", "us,-9223372036854775808"})
    void refusesOverflow(String symbol, long value) {
        InvalidPointException e = assertThrows(InvalidPointException.class, () -> Precision.parse(symbol).toNanos(value));
        assertTrue(e.getMessage().contains("outside the representable range"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"h", "sec", "NS"})
    void unknownPrecisionListsTheValidOnes(String symbol) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Precision.parse(symbol));
        assertTrue(e.getMessage().contains("expected one of ns, us, ms, s"), e.getMessage());
    }
}
