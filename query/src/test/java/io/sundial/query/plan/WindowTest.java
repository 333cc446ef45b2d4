package io.sundial.query.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneId;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** GROUP BY time bucket starts, as InfluxDB 1.x aligns them. */
class WindowTest {
    private static final long S = 1_000_000_000L;
    private static final long M = 60 * S;
    private static final long H = 60 * M;

    static long at(String instant) {
        Instant parsed = Instant.parse(instant);
        return parsed.getEpochSecond() * S + parsed.getNano();
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("epoch aligned minute", 1 * M, 0L, null, at("2020-01-01T00:00:42Z"), at("2020-01-01T00:00:00Z")),
                Arguments.of("exact boundary", 5 * M, 0L, null, at("2020-01-01T00:10:00Z"), at("2020-01-01T00:10:00Z")),
                Arguments.of("just before boundary", 5 * M, 0L, null, at("2020-01-01T00:09:59.999999999Z"),
                        at("2020-01-01T00:05:00Z")),
                Arguments.of("7m is aligned to the epoch, not the hour", 7 * M, 0L, null, at("2020-01-01T00:00:00Z"),
                        at("2019-12-31T23:58:00Z")),
                Arguments.of("offset", 1 * H, 15 * M, null, at("2020-01-01T10:05:00Z"), at("2020-01-01T09:15:00Z")),
                Arguments.of("offset after boundary", 1 * H, 15 * M, null, at("2020-01-01T10:20:00Z"), at("2020-01-01T10:15:00Z")),
                Arguments.of("day in UTC", 24 * H, 0L, null, at("2020-03-08T12:00:00Z"), at("2020-03-08T00:00:00Z")),
                Arguments.of("week is aligned to Thursday 1970-01-01", 7 * 24 * H, 0L, null, at("2020-01-06T00:00:00Z"),
                        at("2020-01-02T00:00:00Z")),
                Arguments.of("before the epoch", 1 * H, 0L, null, -1L, -H),
                Arguments.of("day in New York (EST)", 24 * H, 0L, ZoneId.of("America/New_York"), at("2020-01-01T03:00:00Z"),
                        at("2019-12-31T05:00:00Z")),
                Arguments.of("day in New York (EDT)", 24 * H, 0L, ZoneId.of("America/New_York"), at("2020-07-01T12:00:00Z"),
                        at("2020-07-01T04:00:00Z")),
                Arguments.of("day after the spring change starts at local midnight", 24 * H, 0L, ZoneId.of("America/New_York"),
                        at("2020-03-09T12:00:00Z"), at("2020-03-09T04:00:00Z")),
                Arguments.of("hour in a half-hour zone", 1 * H, 0L, ZoneId.of("Asia/Kolkata"), at("2020-01-01T10:10:00Z"),
                        at("2020-01-01T09:30:00Z")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void bucketStart(String name, long interval, long offset, ZoneId zone, long time, long expected) {
        assertEquals(expected, new Window(interval, offset, zone).start(time));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void nextBucketHoldsTheTimeJustPastThisOne(String name, long interval, long offset, ZoneId zone, long time, long expected) {
        Window window = new Window(interval, offset, zone);
        long start = window.start(time);
        long next = window.next(start);
        assertEquals(next, window.start(next), "the next start is itself a bucket start");
        assertEquals(start, window.start(next - 1), "the time just before the next start is in this bucket");
    }
}
