package io.sundial.ingest.remotewrite;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Frames of a remote read STREAMED_XOR_CHUNKS answer, as Prometheus' ChunkedWriter writes them
 * (storage/remote/chunked.go): each frame is
 *
 * <pre>
 * uvarint  length of the message
 * uint32   CRC32C (Castagnoli) of the message, big-endian
 * bytes    ChunkedReadResponse { repeated ChunkedSeries chunked_series = 1; int64 query_index = 2; }
 * </pre>
 *
 * with {@code ChunkedSeries { repeated Label labels = 1; repeated Chunk chunks = 2; }} and
 * {@code Chunk { int64 min_time_ms = 1; int64 max_time_ms = 2; Encoding type = 3 (XOR = 1); bytes data = 4; }}.
 * Not snappy-compressed. A series whose chunks pass {@link #FRAME_BYTES_MAX} continues in the next
 * frame under the same labels, which readers join, as Prometheus does.
 */
public final class ChunkedReadFrames {
    public static final String CONTENT_TYPE = "application/x-streamed-protobuf; proto=prometheus.ChunkedReadResponse";
    /** Frame size at which a series is continued in a new frame (Prometheus' default is 1 MiB). */
    public static final int FRAME_BYTES_MAX = 1 << 20;
    private static final int ENCODING_XOR = 1;

    private ChunkedReadFrames() {}

    /** The frames of one series of query {@code queryIndex}: samples cut into XOR chunks of at most 120. */
    public static List<byte[]> series(int queryIndex, String[] labelNames, String[] labelValues,
                                      long[] timestampsMillis, long[] valueBits, int count) {
        List<byte[]> frames = new ArrayList<>();
        ProtobufWriter series = labels(labelNames, labelValues);
        int labelBytes = series.size();
        ProtobufWriter chunk = new ProtobufWriter(1024);
        for (int from = 0; from < count; from += XorChunkEncoder.SAMPLES_PER_CHUNK_MAX) {
            int to = Math.min(count, from + XorChunkEncoder.SAMPLES_PER_CHUNK_MAX);
            chunk.reset();
            chunk.varintField(1, timestampsMillis[from]);
            chunk.varintField(2, timestampsMillis[to - 1]);
            chunk.varintField(3, ENCODING_XOR);
            chunk.bytesField(4, XorChunkEncoder.encode(timestampsMillis, valueBits, from, to));
            series.messageField(2, chunk);
            if (series.size() >= FRAME_BYTES_MAX && to < count) {
                frames.add(frame(queryIndex, series));
                series = labels(labelNames, labelValues);
            }
        }
        if (series.size() > labelBytes || frames.isEmpty()) {
            frames.add(frame(queryIndex, series));
        }
        return frames;
    }

    private static ProtobufWriter labels(String[] labelNames, String[] labelValues) {
        ProtobufWriter series = new ProtobufWriter(4096);
        ProtobufWriter label = new ProtobufWriter(64);
        for (int i = 0; i < labelNames.length; i++) {
            label.reset();
            label.stringField(1, labelNames[i]);
            label.stringField(2, labelValues[i]);
            series.messageField(1, label);
        }
        return series;
    }

    private static byte[] frame(int queryIndex, ProtobufWriter series) {
        ProtobufWriter response = new ProtobufWriter(series.size() + 16);
        response.messageField(1, series);
        response.varintField(2, queryIndex);
        byte[] message = response.toByteArray();
        CRC32C crc = new CRC32C();
        crc.update(message);
        long checksum = crc.getValue();
        ByteArrayOutputStream out = new ByteArrayOutputStream(message.length + 9);
        long length = message.length;
        while ((length & ~0x7fL) != 0) {
            out.write((int) ((length & 0x7f) | 0x80));
            length >>>= 7;
        }
        out.write((int) length);
        out.write((int) (checksum >>> 24));
        out.write((int) (checksum >>> 16));
        out.write((int) (checksum >>> 8));
        out.write((int) checksum);
        out.write(message, 0, message.length);
        return out.toByteArray();
    }
}
