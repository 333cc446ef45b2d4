package io.sundial.query.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sundial.query.QueryException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The digit-by-digit reading of {@code ...Z} times agrees with java.time's RFC 3339 parser. */
class TimeLiteralsTest {
    /** What the general parser (java.time) makes of a Z time, or null when it refuses it. */
    private static Long reference(String text) {
        try {
            Instant instant = OffsetDateTime.parse(text.replace(' ', 'T'), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
            return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
        } catch (DateTimeException | ArithmeticException e) {
            return null;
        }
    }

    private static void agrees(String text) {
        Long expected = reference(text);
        if (expected == null) {
            assertThrows(QueryException.class, () -> TimeLiterals.parse(text, ZoneOffset.UTC), text);
        } else {
            assertEquals(expected, TimeLiterals.parse(text, ZoneOffset.UTC), text);
        }
    }

    @Property(tries = 2_000)
    void anyInt64InstantReadsBack(@ForAll long nanos, @ForAll @IntRange(min = 0, max = 9) int fractionDigits,
            @ForAll boolean spaceSeparator) {
        Instant instant = Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
        String pattern = "uuuu-MM-dd" + (spaceSeparator ? "' '" : "'T'") + "HH:mm:ss"
                + (fractionDigits == 0 ? "" : "." + "S".repeat(fractionDigits)) + "'Z'";
        agrees(DateTimeFormatter.ofPattern(pattern).withZone(ZoneOffset.UTC).format(instant));
    }

    /** Fields drawn past their ranges: the fast reading must refuse exactly what java.time refuses. */
    @Property(tries = 2_000)
    void outOfRangeFieldsAreRefusedAlike(@ForAll @IntRange(min = 1600, max = 2300) int year,
            @ForAll @IntRange(min = 0, max = 13) int month, @ForAll @IntRange(min = 0, max = 32) int day,
            @ForAll @IntRange(min = 0, max = 24) int hour, @ForAll @IntRange(min = 0, max = 60) int minute,
            @ForAll @IntRange(min = 0, max = 60) int second) {
        agrees(String.format("%04d-%02d-%02dT%02d:%02d:%02dZ", year, month, day, hour, minute, second));
    }

    static Stream<Arguments> spellings() {
        return Stream.of(
                Arguments.of("tsbs_window", "2016-01-01T05:00:00Z"),
                Arguments.of("leap_day", "2016-02-29T00:00:00Z"),
                Arguments.of("no_leap_day_in_1900", "1900-02-29T00:00:00Z"),
                Arguments.of("leap_day_2000", "2000-02-29T23:59:59.999999999Z"),
                Arguments.of("one_fraction_digit", "2016-01-01T05:00:00.5Z"),
                Arguments.of("dot_without_digits", "2016-01-01T05:00:00.Z"),
                Arguments.of("ten_fraction_digits", "2016-01-01T05:00:00.1234567891Z"),
                Arguments.of("before_int64", "1677-09-21T00:12:43.145224191Z"),
                Arguments.of("first_int64", "1677-09-21T00:12:43.145224192Z"),
                Arguments.of("last_int64", "2262-04-11T23:47:16.854775807Z"),
                Arguments.of("after_int64", "2262-04-11T23:47:16.854775808Z"),
                Arguments.of("letter_in_digits", "2016-0a-01T05:00:00Z"),
                Arguments.of("without_seconds", "2016-01-01T05:00Z"),
                Arguments.of("sign_in_digits", "2016-01-01T05:00:0+Z"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("spellings")
    void spellingsAgree(String name, String text) {
        agrees(text);
    }
}
