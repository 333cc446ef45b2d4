package io.sundial.ingest.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The byte-level number parsers agree with the JDK on every value they accept. */
class NumbersTest {
    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    @Property
    void doublesRoundTripExactly(@ForAll double value) {
        if (!Double.isFinite(value)) {
            return;
        }
        byte[] text = bytes(Double.toString(value).replace("E", "e"));
        assertEquals(Double.doubleToRawLongBits(value), Double.doubleToRawLongBits(Numbers.parseDouble(text, 0, text.length)));
    }

    @Property
    void shortDecimalsMatchTheJdk(@ForAll long mantissa, @ForAll byte exponent) {
        String text = mantissa + "e" + (exponent % 40);
        byte[] b = bytes(text);
        assertEquals(Double.parseDouble(text), Numbers.parseDouble(b, 0, b.length));
        String fraction = (mantissa % 1_000_000) + "." + Math.abs(mantissa % 1000);
        byte[] f = bytes(fraction);
        assertEquals(Double.parseDouble(fraction), Numbers.parseDouble(f, 0, f.length));
    }

    /** Mantissas of 16-19 digits over the whole exponent range go through Eisel-Lemire (or its fallback). */
    @Property(tries = 3_000)
    void longMantissasMatchTheJdk(@ForAll @LongRange(min = 1_000_000_000_000_000L, max = Long.MAX_VALUE) long mantissa,
                                  @ForAll @IntRange(min = -360, max = 330) int exponent, @ForAll boolean isNegative) {
        String text = (isNegative ? "-" : "") + mantissa + "e" + exponent;
        byte[] b = bytes(text);
        if (Double.isInfinite(Double.parseDouble(text))) {
            assertThrows(NumberFormatException.class, () -> Numbers.parseDouble(b, 0, b.length));
            return;
        }
        assertEquals(Double.doubleToRawLongBits(Double.parseDouble(text)),
                Double.doubleToRawLongBits(Numbers.parseDouble(b, 0, b.length)), text);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "9007199254740993", // 2^53 + 1: exactly halfway, rounds to even
        "9007199254740995", "1.7976931348623157e308", "2.2250738585072014e-308", "4.9e-324",
        "2.2250738585072011e-308", "0.1000000000000000055511151231257827", "7.0064923216240854e-46",
        "123456789012345678", "9999999999999999999", "1.00000000000000011102230246251565404236316680908203125",
    })
    void hardCasesMatchTheJdk(String text) {
        byte[] b = bytes(text);
        assertEquals(Double.doubleToRawLongBits(Double.parseDouble(text)),
                Double.doubleToRawLongBits(Numbers.parseDouble(b, 0, b.length)), text);
    }

    @Property
    void longsRoundTrip(@ForAll long value) {
        byte[] text = bytes(Long.toString(value));
        assertEquals(value, Numbers.parseLong(text, 0, text.length));
        byte[] unsigned = bytes(Long.toUnsignedString(value));
        assertEquals(value, Numbers.parseUnsigned(unsigned, 0, unsigned.length));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-", ".", "1e", "1e+", "0x10", "Infinity", "NaN", "1_000", "+1", "1.2.3", "1f", "1d", " 1"})
    void rejectsWhatGoDoesNotAccept(String text) {
        byte[] b = bytes(text);
        assertThrows(NumberFormatException.class, () -> Numbers.parseDouble(b, 0, b.length));
    }

    /** Around the eight-digits-at-a-time fraction loop: block boundaries, leading zeros, 19-digit cap, exponents. */
    @ParameterizedTest
    @ValueSource(strings = {
        "58.12345678", "58.123456789", "0.1234567", "0.12345678", "0.000000001234567890123", "1.00000000",
        "12345678901.12345678", "1234567890123.12345678901", "99.99999999999999999999", "-7.12345678e-5",
        "3.14159265358979323846", "0.00000000", "1.2345678E+10", "8.1234567890123456", "10000000.00000001",
    })
    void eightDigitBlocksMatchTheJdk(String text) {
        byte[] b = bytes(text);
        assertEquals(Double.doubleToRawLongBits(Double.parseDouble(text)),
                Double.doubleToRawLongBits(Numbers.parseDouble(b, 0, b.length)), text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.1234567:", "1.12345678.", "1.1234567a8", "1.12345678 "})
    void aBadByteInsideAnEightDigitBlockIsRejected(String text) {
        byte[] b = bytes(text);
        assertThrows(NumberFormatException.class, () -> Numbers.parseDouble(b, 0, b.length));
    }

    @Property
    void eightDigitWordsParseAsTheirValue(@ForAll @IntRange(min = 0, max = 99_999_999) int value) {
        byte[] b = bytes(String.format("%08d", value));
        long word = java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(true, Numbers.isEightDigits(word));
        assertEquals(value, Numbers.eightDigitsValue(word));
    }
}
