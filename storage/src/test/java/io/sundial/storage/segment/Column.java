package io.sundial.storage.segment;

import io.sundial.core.FieldType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** One column of test data and the helpers that write columns to a segment file. */
record Column(long seriesId, int fieldId, FieldType type, long[] timestamps, long[] values, String[] strings) {

    int count() {
        return timestamps.length;
    }

    static Column of(long seriesId, int fieldId, FieldType type, long[] timestamps, long[] values) {
        return new Column(seriesId, fieldId, type, timestamps, values, null);
    }

    /** Timestamps start, start + step, ... */
    static long[] regularTimes(long start, long step, int count) {
        long[] t = new long[count];
        for (int i = 0; i < count; i++) {
            t[i] = start + step * i;
        }
        return t;
    }

    /** A column of {@code count} random points of {@code type}, with irregular increasing timestamps. */
    static Column random(SplittableRandom random, long seriesId, int fieldId, FieldType type, int count) {
        long[] t = new long[count];
        long time = random.nextLong(-1_000_000_000_000L, 1_000_000_000_000L);
        for (int i = 0; i < count; i++) {
            time += 1 + random.nextInt(random.nextBoolean() ? 10 : 10_000_000);
            t[i] = time;
        }
        long[] v = new long[count];
        String[] s = type == FieldType.STRING ? new String[count] : null;
        for (int i = 0; i < count; i++) {
            switch (type) {
                case FLOAT -> v[i] = Double.doubleToRawLongBits(random.nextInt(8) == 0 ? Double.NaN
                        : random.nextDouble(-1e6, 1e6));
                case INTEGER, UNSIGNED -> v[i] = random.nextInt(4) == 0 ? random.nextLong()
                        : random.nextLong(-1000, 1000);
                case BOOLEAN -> v[i] = random.nextInt(2);
                case STRING -> s[i] = "value-" + random.nextInt(100);
            }
        }
        return new Column(seriesId, fieldId, type, t, type == FieldType.STRING ? null : v, s);
    }

    static SegmentSummary write(Path file, SegmentWriterOptions options, List<Column> columns) throws IOException {
        try (SegmentWriter writer = SegmentWriter.create(file, options)) {
            for (Column c : columns) {
                writer.add(c.seriesId, c.fieldId, c.type, c.timestamps, c.values, c.strings, c.count());
            }
            return writer.finish();
        }
    }

    /** Reads every chunk of this column back and concatenates them. */
    Column readBack(SegmentReader reader) {
        int[] positions = reader.findChunks(seriesId, fieldId, Long.MIN_VALUE, Long.MAX_VALUE);
        int total = 0;
        for (int p : positions) {
            total += reader.chunkPointCount(p);
        }
        long[] t = new long[total];
        long[] v = type == FieldType.STRING ? null : new long[total];
        String[] s = type == FieldType.STRING ? new String[total] : null;
        int at = 0;
        for (int p : positions) {
            at += reader.decode(p, t, v, s, at);
        }
        return new Column(seriesId, fieldId, type, t, v, s);
    }

    /** Series 0..seriesCount-1 (times stride), each with one field per type, random counts. */
    static List<Column> manyColumns(SplittableRandom random, int seriesCount, long seriesStride, int countMax) {
        List<Column> columns = new ArrayList<>();
        for (int s = 0; s < seriesCount; s++) {
            int fieldId = random.nextInt(3);
            for (FieldType type : FieldType.values()) {
                columns.add(random(random, s * seriesStride, fieldId, type, 1 + random.nextInt(countMax)));
                fieldId += 1 + random.nextInt(3);
            }
        }
        return columns;
    }
}
