package io.sundial.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.sundial.core.FieldType;
import io.sundial.core.PointColumns;
import io.sundial.core.SeriesTags;
import io.sundial.storage.index.CatalogOptions;
import io.sundial.storage.index.SeriesCatalog;
import io.sundial.storage.index.TagMatcher;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@link SeriesTags} instance remembers the series id a catalog gave it, so a parser's cached
 * instance skips the catalog lookup on later batches. The memo must never send points to the
 * wrong series: not after the series was dropped (its key gets a new id), not in another
 * database's engine, not after a reopen.
 */
class RememberedSeriesIdTest {
    @TempDir
    Path dir;

    private static final SeriesTags HOST_A = SeriesTags.of("cpu", new String[] {"host"}, new String[] {"a"}, 1);

    private static EngineOptions options() {
        return EngineOptions.defaults().withBackgroundCompaction(false).withPartitionDuration(Duration.ofHours(1));
    }

    @Test
    void aDroppedSeriesWrittenAgainGetsOnlyTheNewPoints() throws Exception {
        SeriesTags hostA = SeriesTags.of("cpu", new String[] {"host"}, new String[] {"a"}, 1);
        SeriesTags hostB = SeriesTags.of("cpu", new String[] {"host"}, new String[] {"b"}, 1);
        try (Engine engine = Engine.open(dir, options())) {
            write(engine, hostA, 1, 1.0);
            write(engine, hostB, 2, 2.0);
            write(engine, hostA, 3, 3.0); // remembered from the first write
            engine.dropSeries("cpu", List.of(TagMatcher.eq("host", "a")));
            write(engine, hostA, 4, 4.0);
            assertEquals(List.of("cpu,host=a [4=4.0]", "cpu,host=b [2=2.0]"), values(engine));
            assertEquals(2, engine.seriesCount());
        }
    }

    @Test
    void oneInstanceWrittenToTwoEnginesLandsInEachEnginesOwnSeries() throws Exception {
        SeriesTags other = SeriesTags.of("cpu", new String[] {"host"}, new String[] {"other"}, 1);
        try (Engine first = Engine.open(dir.resolve("first"), options());
             Engine second = Engine.open(dir.resolve("second"), options())) {
            write(first, other, 1, 9.0); // so host=a has id 1 in the first engine and id 0 in the second
            for (int t = 10; t < 16; t++) {
                write(t % 2 == 0 ? first : second, HOST_A, t, t);
            }
            assertEquals(List.of("cpu,host=a [10=10.0, 12=12.0, 14=14.0]", "cpu,host=other [1=9.0]"), values(first));
            assertEquals(List.of("cpu,host=a [11=11.0, 13=13.0, 15=15.0]"), values(second));
        }
    }

    @Test
    void aReopenedEngineLooksTheSeriesUpAgain() throws Exception {
        SeriesTags hostA = SeriesTags.of("cpu", new String[] {"host"}, new String[] {"a"}, 1);
        try (Engine engine = Engine.open(dir, options())) {
            write(engine, hostA, 1, 1.0);
        }
        try (Engine engine = Engine.open(dir, options())) {
            write(engine, hostA, 2, 2.0);
            assertEquals(List.of("cpu,host=a [1=1.0, 2=2.0]"), values(engine));
        }
    }

    @Test
    void theIdEpochDiffersBetweenCatalogsAndChangesOnADrop() throws Exception {
        try (SeriesCatalog first = SeriesCatalog.open(dir.resolve("first"), CatalogOptions.defaults());
             SeriesCatalog second = SeriesCatalog.open(dir.resolve("second"), CatalogOptions.defaults())) {
            assertNotEquals(first.idEpoch(), second.idEpoch());
            long before = first.idEpoch();
            int id = first.seriesId(HOST_A.seriesKey());
            assertEquals(before, first.idEpoch(), "creating a series keeps every id handed out valid");
            first.dropSeries(org.roaringbitmap.RoaringBitmap.bitmapOf(id));
            assertNotEquals(before, first.idEpoch());
        }
    }

    private static void write(Engine engine, SeriesTags tags, long time, double value) throws Exception {
        PointColumns columns = new PointColumns();
        columns.startRow(tags);
        columns.addField("value", FieldType.FLOAT, Double.doubleToRawLongBits(value), null);
        columns.endRow(time);
        assertEquals(new WriteResult(1, 0, List.of()), engine.write(columns));
    }

    /** "key [time=value, ...]" per series of measurement cpu, sorted by key. */
    private static List<String> values(Engine engine) {
        List<String> out = new ArrayList<>();
        for (SeriesData series : engine.readAll(new ReadRequest("cpu", List.of(), List.of("value"), Long.MIN_VALUE,
                Long.MAX_VALUE))) {
            Column column = series.column("value");
            List<String> points = new ArrayList<>();
            for (int i = 0; i < column.size(); i++) {
                points.add(column.timestamp(i) + "=" + Double.longBitsToDouble(column.values()[i]));
            }
            out.add(series.key() + " " + points);
        }
        out.sort(null);
        return out;
    }
}
