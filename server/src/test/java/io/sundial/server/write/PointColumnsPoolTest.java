package io.sundial.server.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.core.FieldType;
import io.sundial.core.PointColumns;
import io.sundial.core.SeriesTags;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Row buffers come back empty, and the pool stays bounded in count and in the size of what it keeps. */
class PointColumnsPoolTest {
    private static final SeriesTags CPU = SeriesTags.of("cpu", new String[] {"host"}, new String[] {"a"}, 1);

    @Test
    void aBufferGivenBackIsLentAgainEmpty() {
        PointColumnsPool pool = new PointColumnsPool();
        PointColumns first = pool.take();
        first.startRow(CPU);
        first.addField("usage", FieldType.FLOAT, Double.doubleToLongBits(1.5), null);
        first.endRow(1_000);
        pool.giveBack(first, first.valueCount());
        PointColumns second = pool.take();
        assertSame(first, second);
        assertTrue(second.isEmpty());
        assertEquals(0, second.valueCount());
    }

    @Test
    void dropsABufferThatHeldAString() {
        PointColumnsPool pool = new PointColumnsPool();
        PointColumns withString = pool.take();
        withString.startRow(CPU);
        withString.addField("state", FieldType.STRING, 0, "busy");
        withString.endRow(1_000);
        pool.giveBack(withString, withString.valueCount());
        assertEquals(0, pool.keptCount());
        assertFalse(pool.take().hasStrings());
    }

    @Test
    void keepsAtMostKeptMaxBuffers() {
        PointColumnsPool pool = new PointColumnsPool();
        List<PointColumns> lent = new ArrayList<>();
        for (int i = 0; i < PointColumnsPool.KEPT_MAX + 3; i++) {
            lent.add(pool.take());
        }
        lent.forEach(columns -> pool.giveBack(columns, 0));
        assertEquals(PointColumnsPool.KEPT_MAX, pool.keptCount());
    }

    @Test
    void dropsABufferThatHeldMoreThanTheKeptValues() {
        PointColumnsPool pool = new PointColumnsPool();
        PointColumns large = pool.take();
        pool.giveBack(large, PointColumnsPool.KEPT_VALUES_MAX + 1);
        assertEquals(0, pool.keptCount());
        assertNotSame(large, pool.take());
    }
}
