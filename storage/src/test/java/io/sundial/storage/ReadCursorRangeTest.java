package io.sundial.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sundial.core.Point;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A cursor's time range cuts chunks that reach past it (a float chunk in hour blocks decodes only
 * the hours the range overlaps); the points it returns must be exactly the written points in
 * range, for every field type and for ranges that start and end inside an hour, on a point, on an
 * hour boundary, or outside the data.
 */
class ReadCursorRangeTest {
    private static final long SECOND = 1_000_000_000L;
    private static final long HOUR = 3600 * SECOND;
    /** 6 h plus 20 min every 10 s from 30 min before a whole hour: chunks span partial hours at both ends. */
    private static final long START = 10 * HOUR - 1800 * SECOND;
    private static final int POINTS = 6 * 360 + 120;

    @TempDir
    static Path dir;
    private static Engine engine;
    /** field name -> the written values as the column's bits (strings apart). */
    private static final Map<String, long[]> WRITTEN = new LinkedHashMap<>();
    private static final String[] WRITTEN_STRINGS = new String[POINTS];

    @BeforeAll
    static void writeAndFlush() throws Exception {
        engine = Engine.open(dir, EngineOptions.defaults().withBackgroundCompaction(false)
                .withPartitionDuration(Duration.ofDays(1)));
        long[] smooth = new long[POINTS];
        long[] withNaN = new long[POINTS];
        long[] integers = new long[POINTS];
        long[] booleans = new long[POINTS];
        List<Point> points = new ArrayList<>();
        for (int i = 0; i < POINTS; i++) {
            double value = 50 + 10 * Math.sin(i / 30.0);
            double gappy = i % 97 == 0 ? Double.NaN : value * 3;
            smooth[i] = Double.doubleToRawLongBits(value);
            withNaN[i] = Double.doubleToRawLongBits(gappy);
            integers[i] = i * 7L - 300;
            booleans[i] = i % 3 == 0 ? 1 : 0;
            WRITTEN_STRINGS[i] = "s" + (i % 11);
            points.add(Point.builder("m").tag("host", "a").floatField("smooth", value).floatField("gappy", gappy)
                    .intField("count", integers[i]).boolField("up", booleans[i] == 1)
                    .stringField("note", WRITTEN_STRINGS[i]).timestamp(START + i * 10 * SECOND).build());
        }
        WRITTEN.put("smooth", smooth);
        WRITTEN.put("gappy", withNaN);
        WRITTEN.put("count", integers);
        WRITTEN.put("up", booleans);
        engine.write(points);
        engine.flush();
    }

    @AfterAll
    static void close() throws Exception {
        engine.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            // name, range start and end as seconds after START (inclusive)
            "whole data,                     -100, 30000",
            "inside one hour,                 2000, 2500",
            "crossing one hour boundary,      1000, 2500",
            "one hour and five minutes,       4500, 8400",
            "starts and ends on points,       1800, 9000",
            "starts and ends between points,  1805, 9005",
            "a single point,                  3600, 3600",
            "no point in range,               3601, 3609",
            "last point only,                22700, 22790",
            "after the data,                 30000, 40000",
            "before the data,                -500,  -1",
    })
    void everyFieldReturnsExactlyTheWrittenPointsInRange(String name, long fromSeconds, long toSeconds) {
        long min = START + fromSeconds * SECOND;
        long max = START + toSeconds * SECOND;
        int lo = 0;
        while (lo < POINTS && START + lo * 10 * SECOND < min) {
            lo++;
        }
        int hi = lo;
        while (hi < POINTS && START + hi * 10 * SECOND <= max) {
            hi++;
        }
        List<String> fields = List.of("smooth", "gappy", "count", "up", "note");
        try (ReadCursor cursor = engine.read(new ReadRequest("m", List.of(), fields, min, max))) {
            if (hi == lo) {
                assertEquals(false, cursor.next(), name + ": no points in range, so no series");
                return;
            }
            assertEquals(true, cursor.next());
            assertEquals(fields.size(), cursor.fields().size());
            for (int f = 0; f < fields.size(); f++) {
                String field = cursor.fields().get(f).name();
                Column column = cursor.column(f);
                long[] expectedTimes = new long[hi - lo];
                for (int i = lo; i < hi; i++) {
                    expectedTimes[i - lo] = START + i * 10 * SECOND;
                }
                assertArrayEquals(expectedTimes, Arrays.copyOf(column.timestamps(), column.size()), field + " times");
                if (field.equals("note")) {
                    assertArrayEquals(Arrays.copyOfRange(WRITTEN_STRINGS, lo, hi),
                            Arrays.copyOf(column.strings(), column.size()), field);
                } else {
                    assertArrayEquals(Arrays.copyOfRange(WRITTEN.get(field), lo, hi),
                            Arrays.copyOf(column.values(), column.size()), field);
                }
            }
            assertEquals(false, cursor.next());
        }
    }
}
