package io.sundial.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.core.FieldType;
import io.sundial.core.Point;
import io.sundial.core.PointColumns;
import io.sundial.core.SeriesTags;
import io.sundial.storage.index.FieldRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Engine#write(PointColumns)} must store exactly what {@link Engine#write(List)} stores for
 * the same points, report the same rejections, and write a WAL record that replays to the same
 * data (byte for byte, and replayed): the two paths are compared on random batches of every field type, with type conflicts
 * and a series limit.
 */
class ColumnarWriteTest {
    @TempDir
    Path dir;

    private static EngineOptions options() {
        return EngineOptions.defaults().withBackgroundCompaction(false).withPartitionDuration(Duration.ofHours(1))
                .withSeriesMax(40);
    }

    @Test
    void columnarWriteStoresAndRejectsWhatThePointWriteDoes() throws Exception {
        long seed = System.nanoTime();
        System.out.println("ColumnarWriteTest seed " + seed);
        Random random = new Random(seed);
        List<List<Point>> batches = new ArrayList<>();
        for (int b = 0; b < 12; b++) {
            batches.add(randomBatch(random, b));
        }
        String byPoints;
        String byColumns;
        try (Engine points = Engine.open(dir.resolve("points"), options());
             Engine columns = Engine.open(dir.resolve("columns"), options())) {
            for (int b = 0; b < batches.size(); b++) {
                List<Point> batch = batches.get(b);
                WriteResult expected = points.write(batch);
                WriteResult actual = columns.write(b % 2 == 0 ? sharedSeriesColumns(batch) : addedColumns(batch));
                assertEquals(expected, actual, "batch " + b + " (seed " + seed + ")");
            }
            assertEquals(walBytes(dir.resolve("points")), walBytes(dir.resolve("columns")),
                    "the WAL records of the two paths differ (seed " + seed + ")");
            byPoints = dump(points);
            byColumns = dump(columns);
            assertEquals(byPoints, byColumns, "seed " + seed);
            assertEquals(points.stats().seriesCount(), columns.stats().seriesCount());
        }
        try (Engine columns = Engine.open(dir.resolve("columns"), options())) {
            assertEquals(byPoints, dump(columns), "after replaying the columnar WAL records (seed " + seed + ")");
        }
        assertTrue(byPoints.contains("s="), "the batches hold string fields");
    }

    @Test
    void anEmptyBatchWritesNothing() throws Exception {
        try (Engine engine = Engine.open(dir, options())) {
            WriteResult result = engine.write(new PointColumns());
            assertEquals(new WriteResult(0, 0, List.of()), result);
            assertEquals(0, engine.stats().seriesCount());
        }
    }

    /** Up to 60 hosts against a limit of 40 series; field "v" flips between float and integer across measurements. */
    private static List<Point> randomBatch(Random random, int batchNumber) {
        List<Point> batch = new ArrayList<>();
        int n = 1 + random.nextInt(300);
        for (int i = 0; i < n; i++) {
            String measurement = "m" + random.nextInt(3);
            Point.Builder p = Point.builder(measurement).tag("host", "h" + random.nextInt(60));
            if (random.nextBoolean()) {
                p.tag("dc", "d" + random.nextInt(2));
            }
            long time = batchNumber * 1_000_000_000L + random.nextInt(1_000_000) * 1_000L;
            // "v" is usually a float but sometimes an integer: the second type to arrive conflicts.
            if (random.nextInt(20) == 0) {
                p.intField("v", random.nextLong());
            } else {
                p.field("v", FieldType.FLOAT, random.nextLong(), null); // any bits, NaN payloads included
            }
            if (random.nextBoolean()) {
                p.unsignedField("u", random.nextLong());
            }
            if (random.nextInt(4) == 0) {
                p.boolField("b", random.nextBoolean());
            }
            if (random.nextInt(5) == 0) {
                p.stringField("s", "text " + random.nextInt(1_000) + (random.nextBoolean() ? " é" : ""));
            }
            batch.add(p.timestamp(time).build());
        }
        return batch;
    }

    /** Through {@link PointColumns#add}. */
    private static PointColumns addedColumns(List<Point> batch) {
        PointColumns columns = new PointColumns(4, 1);
        for (Point p : batch) {
            columns.add(p);
        }
        return columns;
    }

    /** Row by row, with one {@link SeriesTags} per distinct series as a parser makes them. */
    private static PointColumns sharedSeriesColumns(List<Point> batch) {
        PointColumns columns = new PointColumns();
        java.util.Map<String, SeriesTags> seriesByKey = new java.util.HashMap<>();
        for (Point p : batch) {
            SeriesTags tags = seriesByKey.computeIfAbsent(p.seriesKey().toString(), k -> {
                String[] keys = new String[p.tagCount()];
                String[] values = new String[p.tagCount()];
                for (int t = 0; t < keys.length; t++) {
                    keys[t] = p.tagKey(t);
                    values[t] = p.tagValue(t);
                }
                return SeriesTags.of(p.measurement(), keys, values, keys.length);
            });
            columns.startRow(tags);
            for (int f = 0; f < p.fieldCount(); f++) {
                FieldType type = p.fieldType(f);
                columns.addField(p.fieldName(f), type, p.fieldBits(f), type == FieldType.STRING ? p.stringValue(f) : null);
            }
            columns.endRow(p.timestampNanos());
        }
        return columns;
    }

    /** Each WAL file under {@code engineDir} by its relative path, as hex: the bytes the two write paths must share. */
    private static TreeMap<String, String> walBytes(Path engineDir) throws IOException {
        TreeMap<String, String> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(engineDir)) {
            for (Path file : paths.filter(Files::isRegularFile).toList()) {
                String relative = engineDir.relativize(file).toString();
                if (relative.contains("wal")) {
                    files.put(relative, HexFormat.of().formatHex(Files.readAllBytes(file)));
                }
            }
        }
        assertTrue(!files.isEmpty(), "no WAL file under " + engineDir);
        return files;
    }

    /** Every stored value of every measurement, as text (series key, field, type, time, raw value). */
    private static String dump(Engine engine) {
        StringBuilder out = new StringBuilder();
        for (String measurement : engine.measurements()) {
            List<String> fields = engine.fieldKeys(measurement).stream().map(FieldRef::name).toList();
            TreeMap<String, String> series = new TreeMap<>();
            for (SeriesData s : engine.readAll(new ReadRequest(measurement, List.of(), fields, Long.MIN_VALUE, Long.MAX_VALUE))) {
                StringBuilder text = new StringBuilder();
                for (String field : fields) {
                    Column c = s.column(field);
                    if (c == null) {
                        continue;
                    }
                    text.append(field).append(':').append(c.type()).append(' ');
                    for (int i = 0; i < c.size(); i++) {
                        text.append(c.timestamp(i)).append('=')
                                .append(c.type() == FieldType.STRING ? "s=" + c.stringValue(i) : Long.toString(c.values()[i]))
                                .append(' ');
                    }
                }
                series.put(s.key().toString(), text.toString());
            }
            out.append(measurement).append(' ').append(series).append('\n');
        }
        return out.toString();
    }
}
