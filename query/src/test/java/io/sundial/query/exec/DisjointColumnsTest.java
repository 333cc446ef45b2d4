package io.sundial.query.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.sundial.core.FieldType;
import io.sundial.storage.Column;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Two parts of one field's column join in time order, whether they follow one another or interleave. */
class DisjointColumnsTest {
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("a_then_b", new long[] {1, 2, 3}, new long[] {10, 11}, new long[] {1, 2, 3, 10, 11}),
                Arguments.of("b_then_a", new long[] {10, 11}, new long[] {1, 2, 3}, new long[] {1, 2, 3, 10, 11}),
                Arguments.of("interleaved", new long[] {1, 5, 9}, new long[] {2, 3, 10}, new long[] {1, 2, 3, 5, 9, 10}),
                Arguments.of("b_inside_a", new long[] {1, 9}, new long[] {4, 5}, new long[] {1, 4, 5, 9}),
                Arguments.of("adjacent", new long[] {1, 2}, new long[] {3}, new long[] {1, 2, 3}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void joinsInTimeOrderWithEachValueAtItsTime(String name, long[] aTimes, long[] bTimes, long[] expectedTimes) {
        // Each point's value is its time times 100, so a value that left its time shows.
        Column union = DisjointColumns.union(integers(aTimes), integers(bTimes));
        assertEquals(expectedTimes.length, union.size());
        assertArrayEquals(expectedTimes, Arrays.copyOf(union.timestamps(), union.size()));
        for (int i = 0; i < union.size(); i++) {
            assertEquals(union.timestamp(i) * 100, union.longValue(i), name + " at " + i);
        }
        Column strings = DisjointColumns.union(strings(aTimes), strings(bTimes));
        for (int i = 0; i < strings.size(); i++) {
            assertEquals("s" + expectedTimes[i], strings.stringValue(i), name + " string at " + i);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void anEmptySideGivesTheOtherBack(String name, long[] aTimes, long[] bTimes, long[] expectedTimes) {
        Column a = integers(aTimes);
        assertSame(a, DisjointColumns.union(a, null));
        assertSame(a, DisjointColumns.union(Column.empty(FieldType.FLOAT), a));
    }

    private static Column integers(long[] times) {
        long[] values = new long[times.length];
        for (int i = 0; i < times.length; i++) {
            values[i] = times[i] * 100;
        }
        return new Column(FieldType.INTEGER, times.clone(), values, null, times.length);
    }

    private static Column strings(long[] times) {
        String[] values = new String[times.length];
        for (int i = 0; i < times.length; i++) {
            values[i] = "s" + times[i];
        }
        return new Column(FieldType.STRING, times.clone(), null, values, times.length);
    }
}
