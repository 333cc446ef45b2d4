package io.sundial.bench;

import io.sundial.bench.tsbs.DevopsGenerator;
import io.sundial.core.FieldType;
import io.sundial.storage.codec.ChunkCodec;
import io.sundial.storage.io.ByteOutput;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Locale;
import java.util.TreeMap;

/**
 * Encodes every host-field column of TSBS devops sets A and A-int in chunks of 8640 points (one
 * day of 10 s samples) and prints bytes per value: total, timestamps' share, values' share, and
 * how many chunks chose each float encoding (the selector byte after the timestamp section).
 * Every chunk is decoded again and compared bit for bit.
 */
public final class CompressionReport {
    static final int CHUNK_POINTS = 8640;

    private CompressionReport() {}

    public static void main(String[] args) {
        System.out.println("set     values      bytes/value  timestamps  values   float encodings (selector: chunks)");
        report("A", DevopsGenerator.setA());
        report("A-int", DevopsGenerator.setAInt());
    }

    /** A size is only worth printing for a chunk that decodes to exactly what was encoded. */
    private static void verifyRoundTrip(ByteOutput chunk, long[] timestamps, long[] bits, int from, int to) {
        int count = to - from;
        long[] decodedTimestamps = new long[count];
        long[] decodedValues = new long[count];
        ChunkCodec.decode(FieldType.FLOAT, MemorySegment.ofArray(chunk.toByteArray()), 0, chunk.size(), count,
                decodedTimestamps, decodedValues, null, 0);
        if (!Arrays.equals(decodedTimestamps, 0, count, timestamps, from, to)
                || !Arrays.equals(decodedValues, 0, count, bits, from, to)) {
            throw new IllegalStateException("chunk [" + from + ", " + to + ") does not round-trip");
        }
    }

    private static void report(String name, DevopsGenerator generator) {
        ByteOutput chunk = new ByteOutput(1 << 16);
        ByteOutput timestampsOnly = new ByteOutput(1 << 10);
        long totalBytes = 0;
        long timestampBytes = 0;
        long valueCount = 0;
        TreeMap<Integer, Integer> selectors = new TreeMap<>();
        for (int host = 0; host < generator.hostCount(); host++) {
            for (int field = 0; field < DevopsGenerator.FIELDS.size(); field++) {
                DevopsGenerator.Column column = generator.column(host, field);
                long[] timestamps = column.timestampsNanos();
                long[] bits = new long[timestamps.length];
                for (int i = 0; i < bits.length; i++) {
                    bits[i] = Double.doubleToRawLongBits(column.values()[i]);
                }
                for (int from = 0; from < bits.length; from += CHUNK_POINTS) {
                    int to = Math.min(bits.length, from + CHUNK_POINTS);
                    chunk.reset();
                    timestampsOnly.reset();
                    ChunkCodec.encode(FieldType.FLOAT, timestamps, bits, null, from, to, chunk);
                    ChunkCodec.encodeTimestamps(timestamps, from, to, timestampsOnly);
                    totalBytes += chunk.size();
                    timestampBytes += timestampsOnly.size();
                    valueCount += to - from;
                    selectors.merge(chunk.array()[timestampsOnly.size()] & 0xFF, 1, Integer::sum);
                    verifyRoundTrip(chunk, timestamps, bits, from, to);
                }
            }
        }
        System.out.printf(Locale.ROOT, "%-7s %-11d %-12.4f %-11.4f %-8.4f %s%n", name, valueCount,
                (double) totalBytes / valueCount, (double) timestampBytes / valueCount,
                (double) (totalBytes - timestampBytes) / valueCount, selectors);
    }
}
