package io.sundial.ingest.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
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
}
