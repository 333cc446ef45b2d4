package io.sundial.server;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test-only protobuf for remote read: builds ReadRequest bytes field by field and reads a
 * ReadResponse back into plain records, independently of the server's own encoder.
 */
final class ProtobufMessages {
    private ProtobufMessages() {}

    /** A protobuf message under construction. */
    static final class Message {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Message varint(int field, long value) {
            writeVarint((long) field << 3);
            writeVarint(value);
            return this;
        }

        Message string(int field, String value) {
            return bytes(field, value.getBytes(StandardCharsets.UTF_8));
        }

        Message message(int field, Message nested) {
            return bytes(field, nested.toByteArray());
        }

        Message bytes(int field, byte[] value) {
            writeVarint((long) field << 3 | 2);
            writeVarint(value.length);
            out.writeBytes(value);
            return this;
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }

        private void writeVarint(long value) {
            long v = value;
            while ((v & ~0x7fL) != 0) {
                out.write((int) ((v & 0x7f) | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
        }
    }

    /** {@code Query} with matchers given as (type, name, value) triples; type 0=EQ 1=NEQ 2=RE 3=NRE. */
    static Message query(long startMillis, long endMillis, Object... matchers) {
        Message query = new Message().varint(1, startMillis).varint(2, endMillis);
        for (int i = 0; i < matchers.length; i += 3) {
            query.message(3, new Message().varint(1, (Integer) matchers[i]).string(2, (String) matchers[i + 1])
                    .string(3, (String) matchers[i + 2]));
        }
        return query;
    }

    record Sample(long timestampMillis, long valueBits) {}

    record Series(Map<String, String> labels, List<String> labelOrder, List<Sample> samples) {}

    /** One ChunkedReadResponse frame with one series: its labels and per chunk {min, max, encoding, samples}. */
    record Frame(int queryIndex, Map<String, String> labels, List<long[]> chunks) {}

    /** Splits a streamed answer into frames, checking each frame's length and CRC32C. */
    static List<Frame> readFrames(byte[] body) {
        List<Frame> frames = new ArrayList<>();
        Reader stream = new Reader(body, 0, body.length);
        while (stream.hasMore()) {
            int length = (int) stream.varint();
            long crc = 0;
            for (int i = 0; i < 4; i++) {
                crc = crc << 8 | (stream.bytes[stream.position++] & 0xff);
            }
            java.util.zip.CRC32C expected = new java.util.zip.CRC32C();
            expected.update(body, stream.position, length);
            if (expected.getValue() != crc) {
                throw new AssertionError("frame CRC mismatch at offset " + stream.position);
            }
            Reader message = new Reader(body, stream.position, stream.position + length);
            stream.position += length;
            Map<String, String> labels = new LinkedHashMap<>();
            List<long[]> chunks = new ArrayList<>();
            int queryIndex = -1;
            while (message.hasMore()) {
                long key = message.varint();
                if ((key >>> 3) == 2) {
                    queryIndex = (int) message.varint();
                    continue;
                }
                Reader series = message.nested();
                while (series.hasMore()) {
                    long seriesKey = series.varint();
                    Reader element = series.nested();
                    if ((seriesKey >>> 3) == 1) {
                        String name = "";
                        String value = "";
                        while (element.hasMore()) {
                            long k = element.varint();
                            String text = element.nested().string();
                            if ((k >>> 3) == 1) {
                                name = text;
                            } else {
                                value = text;
                            }
                        }
                        labels.put(name, value);
                    } else {
                        long[] chunk = new long[4];
                        while (element.hasMore()) {
                            long field = element.varint() >>> 3;
                            if (field == 4) {
                                Reader data = element.nested();
                                chunk[3] = (data.bytes[data.position] & 0xff) << 8 | (data.bytes[data.position + 1] & 0xff);
                            } else {
                                chunk[(int) field - 1] = element.varint();
                            }
                        }
                        chunks.add(chunk);
                    }
                }
            }
            frames.add(new Frame(queryIndex, labels, chunks));
        }
        return frames;
    }

    /** ReadResponse → one list of series per query result. */
    static List<List<Series>> readResponse(byte[] bytes) {
        List<List<Series>> results = new ArrayList<>();
        Reader response = new Reader(bytes, 0, bytes.length);
        while (response.hasMore()) {
            long key = response.varint();
            Reader result = response.nested();
            if ((key >>> 3) != 1) {
                continue;
            }
            List<Series> series = new ArrayList<>();
            while (result.hasMore()) {
                result.varint();
                series.add(series(result.nested()));
            }
            results.add(series);
        }
        return results;
    }

    private static Series series(Reader r) {
        Map<String, String> labels = new LinkedHashMap<>();
        List<String> order = new ArrayList<>();
        List<Sample> samples = new ArrayList<>();
        while (r.hasMore()) {
            long key = r.varint();
            Reader element = r.nested();
            if ((key >>> 3) == 1) {
                String name = "";
                String value = "";
                while (element.hasMore()) {
                    long k = element.varint();
                    String s = element.nested().string();
                    if ((k >>> 3) == 1) {
                        name = s;
                    } else {
                        value = s;
                    }
                }
                labels.put(name, value);
                order.add(name);
            } else {
                long bits = 0;
                long timestamp = 0;
                while (element.hasMore()) {
                    long k = element.varint();
                    if ((k >>> 3) == 1) {
                        bits = element.fixed64();
                    } else {
                        timestamp = element.varint();
                    }
                }
                samples.add(new Sample(timestamp, bits));
            }
        }
        return new Series(labels, order, samples);
    }

    private static final class Reader {
        private final byte[] bytes;
        private int position;
        private final int limit;

        Reader(byte[] bytes, int position, int limit) {
            this.bytes = bytes;
            this.position = position;
            this.limit = limit;
        }

        boolean hasMore() {
            return position < limit;
        }

        long varint() {
            long value = 0;
            for (int shift = 0; ; shift += 7) {
                int b = bytes[position++] & 0xff;
                value |= (long) (b & 0x7f) << shift;
                if (b < 0x80) {
                    return value;
                }
            }
        }

        long fixed64() {
            long value = 0;
            for (int i = 0; i < 8; i++) {
                value |= (bytes[position++] & 0xffL) << (8 * i);
            }
            return value;
        }

        Reader nested() {
            int length = (int) varint();
            Reader nested = new Reader(bytes, position, position + length);
            position += length;
            return nested;
        }

        String string() {
            return new String(bytes, position, limit - position, StandardCharsets.UTF_8);
        }
    }
}
