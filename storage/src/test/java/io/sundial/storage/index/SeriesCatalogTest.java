package io.sundial.storage.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.core.FieldType;
import io.sundial.core.Point;
import io.sundial.core.SeriesKey;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roaringbitmap.RoaringBitmap;

class SeriesCatalogTest {
    @TempDir
    Path dir;
    SeriesCatalog catalog;

    @BeforeEach
    void open() throws IOException {
        catalog = SeriesCatalog.open(dir, CatalogOptions.defaults());
    }

    @AfterEach
    void close() throws IOException {
        catalog.close();
    }

    static Point point(String measurement, String... tags) {
        Point.Builder b = Point.builder(measurement);
        for (int i = 0; i < tags.length; i += 2) {
            b.tag(tags[i], tags[i + 1]);
        }
        return b.floatField("value", 1).timestamp(0).build();
    }

    @Test
    void getOrCreateIsIdempotentAndIdsAreDense() {
        int a = catalog.seriesId(point("cpu", "host", "a"));
        int b = catalog.seriesId(point("cpu", "host", "b"));
        int c = catalog.seriesId(point("mem", "host", "a"));
        int d = catalog.seriesId(point("cpu"));
        assertEquals(List.of(0, 1, 2, 3), List.of(a, b, c, d));
        assertEquals(a, catalog.seriesId(point("cpu", "host", "a")));
        assertEquals(a, catalog.seriesId(SeriesKey.of("cpu", "host", "a")));
        assertEquals(d, catalog.seriesId(SeriesKey.of("cpu")));
        assertEquals(4, catalog.seriesCount());
    }

    @Test
    void tagOrderDoesNotMatterAndPointAndKeyAgree() {
        int id = catalog.seriesId(point("cpu", "z", "1", "a", "2"));
        assertEquals(id, catalog.seriesId(point("cpu", "a", "2", "z", "1")));
        assertEquals(id, catalog.lookup(SeriesKey.of("cpu", "a", "2", "z", "1")));
        assertEquals(SeriesKey.of("cpu", "a", "2", "z", "1"), catalog.seriesKey(id));
        assertEquals("cpu", catalog.measurementOf(id));
    }

    @Test
    void keysThatDifferOnlyInWhereBoundariesFallAreDistinct() {
        int a = catalog.seriesId(SeriesKey.of("cpu", "ab", "c"));
        int b = catalog.seriesId(SeriesKey.of("cpu", "a", "bc"));
        int c = catalog.seriesId(SeriesKey.of("cpua", "b", "c"));
        int d = catalog.seriesId(SeriesKey.of("cpu", "a,b", "c"));
        assertEquals(4, List.of(a, b, c, d).stream().distinct().count());
        assertEquals(SeriesKey.of("cpu", "a,b", "c"), catalog.seriesKey(d));
    }

    @Test
    void lookupNeverCreates() {
        assertEquals(-1, catalog.lookup(SeriesKey.of("cpu", "host", "a")));
        assertEquals(0, catalog.seriesCount());
        assertNull(catalog.seriesKey(0));
        assertNull(catalog.seriesKey(-1));
        assertNull(catalog.measurementOf(7));
    }

    @Test
    void emptyTagValueInAKeyIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> catalog.seriesId(SeriesKey.of("cpu", "host", "")));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
    }

    @Test
    void fieldTypeIsFixedOnFirstWriteWithInfluxWording() {
        FieldRef usage = catalog.field("cpu", "usage", FieldType.FLOAT);
        assertEquals(usage, catalog.field("cpu", "usage", FieldType.FLOAT));
        FieldTypeConflictException e = assertThrows(FieldTypeConflictException.class,
                () -> catalog.field("cpu", "usage", FieldType.INTEGER));
        assertEquals("field type conflict: input field \"usage\" on measurement \"cpu\" is type integer,"
                + " already exists as type float", e.getMessage());
        // Another measurement may use the same name with another type.
        FieldRef memUsage = catalog.field("mem", "usage", FieldType.INTEGER);
        assertNotEquals(usage.id(), memUsage.id());
    }

    @Test
    void fieldIdsAreDenseAndListedByName() {
        FieldRef z = catalog.field("cpu", "z", FieldType.FLOAT);
        FieldRef a = catalog.field("cpu", "a", FieldType.STRING);
        FieldRef m = catalog.field("mem", "m", FieldType.BOOLEAN);
        assertEquals(List.of(0, 1, 2), List.of(z.id(), a.id(), m.id()));
        assertEquals(List.of(a, z), catalog.fields("cpu"));
        assertEquals(List.of(), catalog.fields("disk"));
        assertEquals(a, catalog.field(1));
        assertEquals(a, catalog.lookupField("cpu", "a"));
        assertNull(catalog.lookupField("cpu", "b"));
        assertNull(catalog.field(3));
    }

    @Test
    void cardinalityLimitRejectsOnlyNewSeries() throws IOException {
        try (SeriesCatalog limited = SeriesCatalog.open(dir.resolve("limited"), CatalogOptions.defaults().withSeriesMax(2))) {
            limited.seriesId(point("cpu", "host", "a"));
            limited.seriesId(point("cpu", "host", "b"));
            CardinalityLimitException e = assertThrows(CardinalityLimitException.class,
                    () -> limited.seriesId(point("cpu", "host", "c")));
            assertEquals("series limit of 2 reached: cannot create series cpu,host=c;"
                    + " raise the limit with series-max or drop unused series", e.getMessage());
            assertEquals(1, limited.seriesId(point("cpu", "host", "b")));
            limited.dropSeries(RoaringBitmap.bitmapOf(0));
            assertEquals(2, limited.seriesId(point("cpu", "host", "c")));
        }
    }

    @Test
    void droppedIdsAreNeverReused() {
        int a = catalog.seriesId(point("cpu", "host", "a"));
        catalog.dropSeries(RoaringBitmap.bitmapOf(a));
        assertNull(catalog.seriesKey(a));
        assertEquals(-1, catalog.lookup(SeriesKey.of("cpu", "host", "a")));
        int again = catalog.seriesId(point("cpu", "host", "a"));
        assertEquals(1, again);
        assertEquals(RoaringBitmap.bitmapOf(again), catalog.select("cpu", List.of(TagMatcher.eq("host", "a"))));
    }

    @Test
    void dropMeasurementRemovesSeriesFieldsAndIndexEntries() {
        catalog.seriesId(point("cpu", "host", "a"));
        catalog.seriesId(point("cpu", "host", "b"));
        int mem = catalog.seriesId(point("mem", "host", "a"));
        FieldRef usage = catalog.field("cpu", "usage", FieldType.FLOAT);
        catalog.dropMeasurement("cpu");
        assertEquals(List.of("mem"), catalog.measurements());
        assertEquals(1, catalog.seriesCount());
        assertTrue(catalog.select("cpu", List.of()).isEmpty());
        assertEquals(List.of(), catalog.tagKeys("cpu"));
        assertEquals(List.of(), catalog.fields("cpu"));
        assertNull(catalog.field(usage.id()));
        assertEquals(List.of("a"), catalog.tagValues("mem", "host", null));
        assertEquals(SeriesKey.of("mem", "host", "a"), catalog.seriesKey(mem));
        // Recreated with fresh ids, and the type may now differ.
        assertEquals(3, catalog.seriesId(point("cpu", "host", "a")));
        assertEquals(1, catalog.field("cpu", "usage", FieldType.INTEGER).id());
    }

    @Test
    void dropSeriesKeepsOtherValuesOfTheSameTag() {
        int a = catalog.seriesId(point("cpu", "host", "a", "dc", "x"));
        int b = catalog.seriesId(point("cpu", "host", "b", "dc", "x"));
        catalog.dropSeries(RoaringBitmap.bitmapOf(a, 999));
        assertEquals(List.of("b"), catalog.tagValues("cpu", "host", null));
        assertEquals(RoaringBitmap.bitmapOf(b), catalog.select("cpu", List.of(TagMatcher.eq("dc", "x"))));
    }

    @Test
    void marksReportWhatWasCreatedBetweenThem() {
        catalog.seriesId(point("cpu", "host", "a"));
        catalog.field("cpu", "usage", FieldType.FLOAT);
        CatalogMark first = catalog.mark();
        assertEquals(new CatalogMark(1, 1), first);
        int b = catalog.seriesId(point("cpu", "host", "b"));
        catalog.seriesId(point("cpu", "host", "a"));
        FieldRef idle = catalog.field("cpu", "idle", FieldType.FLOAT);
        CatalogMark second = catalog.mark();
        List<String> seen = new ArrayList<>();
        catalog.forEachSeriesBetween(first, second, (id, key) -> seen.add(id + "=" + key));
        List<FieldRef> newFields = new ArrayList<>();
        catalog.forEachFieldBetween(first, second, newFields::add);
        assertEquals(List.of(b + "=cpu,host=b"), seen);
        assertEquals(List.of(idle), newFields);
        seen.clear();
        catalog.forEachSeriesSince(second, (id, key) -> seen.add(key.toString()));
        assertEquals(List.of(), seen);
    }

    @Test
    void indexQueriesListSortedNamesKeysAndValues() {
        catalog.seriesId(point("mem", "host", "b"));
        catalog.seriesId(point("cpu", "host", "b", "region", "eu"));
        int a = catalog.seriesId(point("cpu", "host", "a", "region", "us"));
        assertEquals(List.of("cpu", "mem"), catalog.measurements());
        assertEquals(List.of("mem"), catalog.measurements(java.util.regex.Pattern.compile("^m")));
        assertEquals(List.of("host", "region"), catalog.tagKeys("cpu"));
        assertEquals(List.of("a", "b"), catalog.tagValues("cpu", "host", null));
        assertEquals(List.of("us"), catalog.tagValues("cpu", "region", RoaringBitmap.bitmapOf(a)));
        assertEquals(List.of(), catalog.tagValues("cpu", "nope", null));
        assertTrue(catalog.estimatedMemoryBytes() > 0);
    }
}
