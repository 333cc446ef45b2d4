package io.sundial.ingest.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Rfc3339Test {
    @Property
    void agreesWithJavaTime(@ForAll @LongRange(min = -9_000_000_000_000_000_000L, max = 9_000_000_000_000_000_000L) long nanos,
                            @ForAll @IntRange(min = -18 * 60, max = 18 * 60) int offsetMinutes) {
        Instant instant = Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
        ZoneOffset offset = ZoneOffset.ofTotalSeconds(offsetMinutes / 15 * 15 * 60);
        String text = OffsetDateTime.ofInstant(instant, offset).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        assertEquals(nanos, Rfc3339.parseNanos(text), text);
    }

    @ParameterizedTest
    @CsvSource({
        "2024-01-01T00:00:00Z, 1704067200000000000",
        "2024-01-01t00:00:00z, 1704067200000000000",
        "2024-01-01 00:00:00Z, 1704067200000000000",
        "2024-01-01T02:00:00.5+02:00, 1704067200500000000",
        "1969-12-31T23:59:59.999999999Z, -1",
        "2000-02-29T00:00:00Z, 951782400000000000",
    })
    void parses(String text, long nanos) {
        assertEquals(nanos, Rfc3339.parseNanos(text));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "2023-02-29T00:00:00Z | no such date",
        "2024-01-01T24:00:00Z | no such time of day",
        "2024-01-01T00:00:60Z | no such time of day",
        "2024-01-01T00:00:00 | missing time zone offset",
        "2024-01-01T00:00:00.Z | no digits after",
        "2024-01-01T00:00:00.1234567891Z | more than 9 fraction digits",
        "2024-01-01T00:00:00+0200 | bad time zone offset",
        "2300-01-01T00:00:00Z | outside the int64 nanosecond range",
        "24-01-01T00:00:00Z | too short",
        "2024-01-01X00:00:00Z | expected 'T'",
    })
    void rejects(String text, String reason) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Rfc3339.parseNanos(text));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }
}
