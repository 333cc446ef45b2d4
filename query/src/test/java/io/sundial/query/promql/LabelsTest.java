package io.sundial.query.promql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The map-free builder of a stored series' labels must give exactly what the general one gives. */
class LabelsTest {
    static Stream<Arguments> storedSeries() {
        return Stream.of(
                Arguments.of("name sorts first", "up", new String[] {"job", "zone"}, new String[] {"api", "a"}),
                Arguments.of("name sorts between", "up", new String[] {"Zone", "job"}, new String[] {"a", "api"}),
                Arguments.of("name sorts last", "up", new String[] {"A", "B"}, new String[] {"1", "2"}),
                Arguments.of("underscore tags around the name", "m", new String[] {"_", "__a", "__z", "a_"},
                        new String[] {"1", "2", "3", "4"}),
                Arguments.of("empty value dropped", "up", new String[] {"a", "b"}, new String[] {"", "x"}),
                Arguments.of("no tags", "up", new String[0], new String[0]),
                Arguments.of("no metric name", "", new String[] {"a"}, new String[] {"1"}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("storedSeries")
    void sortedBuilderMatchesTheGeneralOne(String name, String metric, String[] tagNames, String[] tagValues) {
        List<String> pairs = new ArrayList<>();
        for (int i = 0; i < tagNames.length; i++) {
            pairs.add(tagNames[i]);
            pairs.add(tagValues[i]);
        }
        pairs.add(Labels.METRIC_NAME);
        pairs.add(metric);
        Labels expected = Labels.of(pairs.toArray(String[]::new));
        Labels actual = Labels.ofSortedWithName(tagNames, tagValues, tagNames.length, metric);
        assertEquals(expected, actual);
        assertEquals(expected.toString(), actual.toString());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.name(i), actual.name(i), "label " + i);
        }
    }
}
