package io.sundial.ingest.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The fast path gives the JDK's exact double (bit for bit) or the exact integer for every token
 * it accepts, declines everything else, and finds where the token ends: checked against
 * {@link Double#parseDouble} and {@link Long#parseLong} over random decimal strings placed at
 * random offsets of a buffer whose other bytes are digits (which must never be read as part of
 * the token).
 */
class DecimalScannerTest {
    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** Plain decimals of 1 to 22 digits with the point anywhere (also first or last), leading zeros and signs. */
    @Provide
    Arbitrary<String> plainDecimals() {
        Arbitrary<String> digits = Arbitraries.strings().withCharRange('0', '9').ofMinLength(1).ofMaxLength(22);
        return Combinators.combine(Arbitraries.of("", "-"), digits, Arbitraries.integers().between(0, 23), Arbitraries.of(true, false))
                .as((sign, d, point, hasPoint) -> sign + (hasPoint ? d.substring(0, Math.min(point, d.length())) + "."
                        + d.substring(Math.min(point, d.length())) : d));
    }

    /**
     * Bytes after the token are a comma or, as past the end of a line in the reader's buffer,
     * more digits (or a point and digits) that must not be taken in; or the token ends the buffer.
     */
    @Property(tries = 5_000)
    void floatsAreBitIdenticalToTheJdk(@ForAll("plainDecimals") String text, @ForAll @IntRange(min = 0, max = 12) int offset,
                                       @ForAll @IntRange(min = 0, max = 3) int after) {
        byte[] token = bytes(text);
        byte[] buf = new byte[offset + token.length + (after == 0 ? 0 : 9)];
        Arrays.fill(buf, (byte) '7');
        System.arraycopy(token, 0, buf, offset, token.length);
        int end = offset + token.length;
        if (after == 1) {
            buf[end] = ',';
        } else if (after == 3) {
            buf[end] = '.';
        }
        DecimalScanner scanner = new DecimalScanner();
        int stop = scanner.scanFloatOrInteger(buf, offset, end);
        String digits = text.replace("-", "").replace(".", "");
        if (stop == DecimalScanner.NOT_PLAIN) {
            // Declining is allowed only where the fast path promises nothing: no digit, over 19
            // digits, or a mantissa past 2^53 that Eisel-Lemire leaves undecided.
            boolean isUndecided = digits.isEmpty() || digits.length() > 19
                    || (new java.math.BigInteger(digits).bitLength() > 53 && Double.isNaN(EiselLemire.toDouble(
                            new java.math.BigInteger(digits).longValue(), text.indexOf('.') < 0 ? 0 : -(text.length() - text.indexOf('.') - 1), false)));
            assertEquals(true, isUndecided, text);
            return;
        }
        assertEquals(end, stop, text);
        assertEquals(Double.doubleToRawLongBits(Double.parseDouble(text)), scanner.value(), text);
    }

    @Property(tries = 3_000)
    void seventeenDigitFloatsAreBitIdenticalToTheJdk(@ForAll double value) {
        if (!Double.isFinite(value)) {
            return;
        }
        String text = new java.math.BigDecimal(value).round(new java.math.MathContext(17)).toPlainString();
        if (text.replace("-", "").replace(".", "").length() > 19) {
            return; // large or tiny magnitudes are not plain 19-digit decimals
        }
        byte[] buf = bytes(text + " ");
        DecimalScanner scanner = new DecimalScanner();
        int stop = scanner.scanFloatOrInteger(buf, 0, buf.length);
        if (stop != DecimalScanner.NOT_PLAIN) {
            assertEquals(text.length(), stop, text);
            assertEquals(Double.doubleToRawLongBits(Double.parseDouble(text)), scanner.value(), text);
        }
    }

    /**
     * The inlined conversion of the common shape agrees with the JDK wherever it decides, over
     * every mantissa (as unsigned, so up to 2^64 - 1) and fraction length the scanner hands it.
     */
    @Property(tries = 5_000)
    void fractionConversionIsBitIdenticalToTheJdkWhereItDecides(@ForAll long mantissa,
                                                                @ForAll @IntRange(min = 0, max = 19) int fractionDigits) {
        if (mantissa == 0) {
            return;
        }
        double result = EiselLemire.fractionToDouble(mantissa, fractionDigits);
        String text = Long.toUnsignedString(mantissa) + "e-" + fractionDigits;
        if (!Double.isNaN(result)) {
            assertEquals(Double.doubleToRawLongBits(Double.parseDouble(text)), Double.doubleToRawLongBits(result), text);
        }
    }

    /** Short mantissas (where round decimals live and the conversion most often defers) through the whole scanner. */
    @Property(tries = 3_000)
    void shortMantissasAreBitIdenticalToTheJdk(@ForAll @LongRange(min = 0, max = 9_999_999) long mantissa,
                                               @ForAll @IntRange(min = 0, max = 7) int fractionDigits) {
        String digits = String.format("%0" + (fractionDigits + 1) + "d", mantissa);
        String text = digits.substring(0, digits.length() - fractionDigits) + "." + digits.substring(digits.length() - fractionDigits);
        byte[] buf = bytes(text + ",");
        DecimalScanner scanner = new DecimalScanner();
        assertEquals(text.length(), scanner.scanFloatOrInteger(buf, 0, buf.length), text);
        assertEquals(Double.doubleToRawLongBits(Double.parseDouble(text)), scanner.value(), text);
    }

    @Property(tries = 3_000)
    void integersAndTimestampsAreExact(@ForAll long value, @ForAll @IntRange(min = 0, max = 9) int offset) {
        String text = Long.toString(value);
        byte[] buf = new byte[offset + text.length() + 2];
        Arrays.fill(buf, (byte) '5');
        System.arraycopy(bytes(text), 0, buf, offset, text.length());
        int end = offset + text.length();
        buf[end] = 'i';
        buf[end + 1] = ' ';
        DecimalScanner scanner = new DecimalScanner();
        int stop = scanner.scanFloatOrInteger(buf, offset, buf.length);
        // 19-digit magnitudes of 2^63 and over go to the exact parser; the rest are decided here.
        if (stop != DecimalScanner.NOT_PLAIN) {
            assertEquals(end + 1, stop, text);
            assertEquals(value, scanner.value(), text);
        } else {
            assertEquals(true, value == Long.MIN_VALUE, text);
        }
        buf[end] = ' ';
        stop = scanner.scanLong(buf, offset, end + 1);
        if (stop != DecimalScanner.NOT_PLAIN) {
            assertEquals(end, stop, text);
            assertEquals(value, scanner.value(), text);
        } else {
            assertEquals(true, value == Long.MIN_VALUE, text);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            integer part only           | 82                  | 2  | 82.0
            point last                  | 5.                  | 2  | 5.0
            point first                 | .5                  | 2  | 0.5
            negative zero               | -0                  | 2  | -0.0
            negative zero with fraction | -0.000              | 6  | -0.0
            seventeen digits            | 23.327843828481566  | 18 | 23.327843828481566
            leading zeros               | 0.4927159802907133  | 18 | 0.4927159802907133
            nineteen digits             | 1.234567890123456789 | 20 | 1.234567890123456789
            one half                    | 0.5                 | 3  | 0.5
            round hundred               | 100.0               | 5  | 100.0
            nineteen digits over 2^63   | 9.999999999999999999 | 20 | 9.999999999999999999
            sixteen digits under 2^53   | 23.32784382848157   | 17 | 23.32784382848157
            """)
    void acceptsPlainDecimals(String name, String text, int stop, double expected) {
        byte[] buf = bytes(text + ",x=1");
        DecimalScanner scanner = new DecimalScanner();
        assertEquals(stop, scanner.scanFloatOrInteger(buf, 0, buf.length), name);
        assertEquals(Double.doubleToRawLongBits(expected), scanner.value(), name);
    }

    /** Tokens the fast path must leave to the exact parser (which accepts some and rejects the others with a message). */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            exponent                 | 1e3
            exponent after fraction  | 1.5E-3
            unsigned                 | 42u
            integer with fraction    | 1.5i
            bare i                   | i
            bare minus               | -
            bare point               | .
            two points               | 1.2.3
            twenty digits            | 12345678901234567890
            halfway 2^53 + 1         | 9007199254740993
            twenty-digit integer     | 12345678901234567890i
            integer over 2^63        | 9223372036854775808i
            letters after digits     | 12a
            boolean                  | true
            NaN                      | NaN
            leading plus             | +1
            quote                    | "1"
            """)
    void declinesEverythingElse(String name, String text) {
        byte[] buf = bytes(text + " 1");
        assertEquals(DecimalScanner.NOT_PLAIN, new DecimalScanner().scanFloatOrInteger(buf, 0, buf.length), name);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            float                | 1.5
            trailing letter      | 12x
            2^63                 | 9223372036854775808
            empty                | ''
            minus only           | -
            """)
    void timestampDeclinesWhatIsNotAPlainLong(String name, String text) {
        byte[] buf = bytes(text + " ");
        assertEquals(DecimalScanner.NOT_PLAIN, new DecimalScanner().scanLong(buf, 0, buf.length), name);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            none         | x1234567 | 0
            one          | 1x234567 | 1
            seven        | 1234567x | 7
            all eight    | 12345678 | 8
            colon after  | 12:45678 | 2
            slash after  | 12/45678 | 2
            high byte    | 1\u00ff345678 | 1
            """)
    void leadingDigitsOfAWord(String name, String text, int expected) {
        byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
        long word = 0;
        for (int i = 7; i >= 0; i--) {
            word = word << 8 | (b[i] & 0xFF);
        }
        assertEquals(expected, DecimalScanner.leadingDigits(word), name);
        if (expected > 0) {
            assertEquals(Long.parseLong(text.substring(0, expected)), DecimalScanner.leadingDigitsValue(word, expected), name);
        }
    }
}
