package io.sundial.storage.memtable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.core.FieldType;
import io.sundial.storage.Column;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A series' columns are found by field id whatever position the field has in a point: the
 * position is only where the lookup starts.
 */
class StripeColumnsTest {
    static Stream<Arguments> fieldOrders() {
        return Stream.of(
                Arguments.of("same order every point", new int[][] {{1, 2, 3}, {1, 2, 3}, {1, 2, 3}}),
                Arguments.of("order changes", new int[][] {{1, 2, 3}, {3, 1, 2}, {2, 3, 1}}),
                Arguments.of("subsets of the fields", new int[][] {{2}, {1, 3}, {3, 2, 1}}),
                Arguments.of("a field arrives late", new int[][] {{1}, {1}, {1, 7, 3}}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fieldOrders")
    void everyFieldKeepsItsOwnPoints(String name, int[][] pointFields) {
        Memtable m = new Memtable(1, 0);
        for (int p = 0; p < pointFields.length; p++) {
            int[] fields = pointFields[p];
            long[] values = new long[fields.length];
            FieldType[] types = new FieldType[fields.length];
            for (int f = 0; f < fields.length; f++) {
                values[f] = fields[f] * 100L + p; // field id and point number, so a mix-up shows
                types[f] = FieldType.INTEGER;
            }
            m.append(42, p * 10L, fields.length, fields, types, values, null);
        }
        int columns = 0;
        for (int fieldId = 0; fieldId <= 8; fieldId++) {
            Column c = m.read(42, fieldId, Long.MIN_VALUE, Long.MAX_VALUE);
            int expected = 0;
            for (int p = 0; p < pointFields.length; p++) {
                for (int f : pointFields[p]) {
                    if (f == fieldId) {
                        assertEquals(p * 10L, c.timestamp(expected), name);
                        assertEquals(fieldId * 100L + p, c.longValue(expected), name);
                        expected++;
                    }
                }
            }
            if (expected == 0) {
                assertNull(c, name + ": field " + fieldId);
                assertFalse(m.contains(42, fieldId), name);
            } else {
                assertEquals(expected, c.size(), name + ": field " + fieldId);
                assertTrue(m.contains(42, fieldId), name);
                columns++;
            }
        }
        List<Memtable.FrozenColumn> all = m.sortedColumns();
        assertEquals(columns, all.size(), name);
        for (int i = 1; i < all.size(); i++) {
            assertTrue(all.get(i - 1).fieldId() < all.get(i).fieldId(), name + ": sorted by field");
        }
        assertNull(m.read(43, 1, Long.MIN_VALUE, Long.MAX_VALUE), "another series has nothing");
    }
}
