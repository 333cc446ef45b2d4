package io.sundial.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Points built from SeriesTags are the points the plain builder makes, and bad tags fail the same way. */
class SeriesTagsTest {
    @Test
    void pointFromSeriesTagsEqualsPlainPoint() {
        SeriesTags series = SeriesTags.of("cpu", new String[] {"z", "a", "m", "unused"}, new String[] {"1", "2", "3", "x"}, 3);
        Point shared = Point.builder(series, 1).floatField("v", 1.5).intField("n", 7).timestamp(10).build();
        Point plain = Point.builder("cpu").tag("z", "1").tag("a", "2").tag("m", "3").floatField("v", 1.5).intField("n", 7)
                .timestamp(10).build();
        assertEquals(plain, shared);
        assertEquals("cpu,a=2,m=3,z=1", shared.seriesKey().toString());
        assertEquals(3, series.tagCount());
    }

    @Test
    void aRememberedSeriesIdHoldsOnlyForItsEpoch() {
        SeriesTags series = SeriesTags.of("cpu", new String[] {"a"}, new String[] {"1"}, 1);
        assertEquals(-1, series.rememberedSeriesId(7));
        series.rememberSeriesId(7, 42);
        assertEquals(42, series.rememberedSeriesId(7));
        assertEquals(-1, series.rememberedSeriesId(8), "another catalog, or the same one after a drop");
        series.rememberSeriesId(8, 3);
        assertEquals(3, series.rememberedSeriesId(8));
        assertEquals(-1, series.rememberedSeriesId(7), "one id is remembered, the latest");
    }

    @Test
    void tagsOfASeriesBuilderAreFixed() {
        Point.Builder builder = Point.builder(SeriesTags.of("cpu", new String[0], new String[0], 0), 4);
        assertThrows(IllegalStateException.class, () -> builder.tag("a", "b"));
    }

    @Test
    void fieldsAreStillChecked() {
        SeriesTags series = SeriesTags.of("cpu", new String[] {"a"}, new String[] {"1"}, 1);
        InvalidPointException e = assertThrows(InvalidPointException.class,
                () -> Point.builder(series, 1).floatField("time", 1).timestamp(1).build());
        assertEquals("measurement 'cpu': 'time' is not a valid field name", e.getMessage());
    }

    static Stream<Arguments> badSeries() {
        return Stream.of(
                Arguments.of("empty measurement", "", new String[] {"a"}, new String[] {"1"}),
                Arguments.of("control character in measurement", "c\u0001pu", new String[] {"a"}, new String[] {"1"}),
                Arguments.of("duplicate tag key", "cpu", new String[] {"a", "a"}, new String[] {"1", "2"}),
                Arguments.of("time tag", "cpu", new String[] {"time"}, new String[] {"1"}),
                Arguments.of("empty tag value", "cpu", new String[] {"a"}, new String[] {""}),
                Arguments.of("non-ASCII tag key", "cpu", new String[] {"\u00e9"}, new String[] {"1"}),
                Arguments.of("control character in tag value", "cpu", new String[] {"a"}, new String[] {"x\ny"}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badSeries")
    void badTagsFailWithThePlainBuildersMessage(String name, String measurement, String[] keys, String[] values) {
        Point.Builder plain = Point.builder(measurement);
        for (int i = 0; i < keys.length; i++) {
            plain.tag(keys[i], values[i]);
        }
        String expected = assertThrows(InvalidPointException.class, () -> plain.floatField("v", 1).timestamp(1).build())
                .getMessage();
        InvalidPointException e = assertThrows(InvalidPointException.class,
                () -> SeriesTags.of(measurement, keys, values, keys.length));
        assertEquals(expected, e.getMessage());
    }
}
