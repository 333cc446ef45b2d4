package io.sundial.ingest.remotewrite;

import io.sundial.ingest.protobuf.ProtobufReader;
import io.sundial.ingest.remotewrite.RemoteReadRequest.MatchType;
import io.sundial.ingest.remotewrite.RemoteReadRequest.Matcher;
import io.sundial.ingest.remotewrite.RemoteReadRequest.Query;
import io.sundial.ingest.remotewrite.RemoteReadRequest.ResponseType;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes a Prometheus remote read {@code prometheus.ReadRequest} (already decompressed).
 *
 * <pre>
 * ReadRequest  { repeated Query queries = 1; repeated ResponseType accepted_response_types = 2; (packed or not) }
 * Query        { int64 start_timestamp_ms = 1; int64 end_timestamp_ms = 2;
 *                repeated LabelMatcher matchers = 3; ReadHints hints = 4; (skipped) }
 * LabelMatcher { Type type = 1; string name = 2; string value = 3; }   Type: EQ=0 NEQ=1 RE=2 NRE=3
 * </pre>
 *
 * Errors name the byte offset in the decompressed message. Counts are bounded so a small body
 * cannot ask for unbounded work.
 */
public final class RemoteReadDecoder {
    /** Most queries one request may hold (Prometheus sends one per request). */
    public static final int QUERIES_MAX = 1_000;
    /** Most matchers one query may hold. */
    public static final int MATCHERS_MAX = 1_000;

    private RemoteReadDecoder() {}

    public static RemoteReadRequest decode(byte[] message) throws RemoteWriteFormatException {
        ProtobufReader<RemoteWriteFormatException> reader = new ProtobufReader<>(message, RemoteWriteFormatException::new);
        List<Query> queries = new ArrayList<>();
        List<ResponseType> accepted = new ArrayList<>();
        while (!reader.isAtLimit()) {
            int keyOffset = reader.position();
            long key = reader.readKey();
            int field = (int) (key >>> 3);
            if (field == 1) {
                reader.expect(key, ProtobufReader.WIRE_LENGTH_DELIMITED, "ReadRequest.queries", keyOffset);
                if (queries.size() == QUERIES_MAX) {
                    throw new RemoteWriteFormatException("remote read: more than " + QUERIES_MAX
                            + " queries in one request (query at offset " + keyOffset + "); split the request");
                }
                int outer = reader.pushLimit(reader.readLength());
                queries.add(readQuery(reader, keyOffset));
                reader.popLimit(outer);
            } else if (field == 2) {
                readResponseTypes(reader, key, keyOffset, accepted);
            } else {
                reader.skip((int) (key & 7), keyOffset);
            }
        }
        return new RemoteReadRequest(queries, accepted);
    }

    private static Query readQuery(ProtobufReader<RemoteWriteFormatException> reader, int queryOffset) throws RemoteWriteFormatException {
        long start = 0;
        long end = 0;
        List<Matcher> matchers = new ArrayList<>();
        while (!reader.isAtLimit()) {
            int keyOffset = reader.position();
            long key = reader.readKey();
            switch ((int) (key >>> 3)) {
                case 1 -> {
                    reader.expect(key, ProtobufReader.WIRE_VARINT, "Query.start_timestamp_ms", keyOffset);
                    start = reader.readVarint();
                }
                case 2 -> {
                    reader.expect(key, ProtobufReader.WIRE_VARINT, "Query.end_timestamp_ms", keyOffset);
                    end = reader.readVarint();
                }
                case 3 -> {
                    reader.expect(key, ProtobufReader.WIRE_LENGTH_DELIMITED, "Query.matchers", keyOffset);
                    if (matchers.size() == MATCHERS_MAX) {
                        throw new RemoteWriteFormatException("remote read: query at offset " + queryOffset
                                + " has more than " + MATCHERS_MAX + " matchers");
                    }
                    int outer = reader.pushLimit(reader.readLength());
                    matchers.add(readMatcher(reader, keyOffset));
                    reader.popLimit(outer);
                }
                default -> reader.skip((int) (key & 7), keyOffset);
            }
        }
        return new Query(start, end, matchers);
    }

    private static Matcher readMatcher(ProtobufReader<RemoteWriteFormatException> reader, int matcherOffset) throws RemoteWriteFormatException {
        long type = 0;
        String name = "";
        String value = "";
        while (!reader.isAtLimit()) {
            int keyOffset = reader.position();
            long key = reader.readKey();
            switch ((int) (key >>> 3)) {
                case 1 -> {
                    reader.expect(key, ProtobufReader.WIRE_VARINT, "LabelMatcher.type", keyOffset);
                    type = reader.readVarint();
                }
                case 2 -> {
                    reader.expect(key, ProtobufReader.WIRE_LENGTH_DELIMITED, "LabelMatcher.name", keyOffset);
                    name = utf8(reader.readBytes(reader.readLength()), "LabelMatcher.name", keyOffset);
                }
                case 3 -> {
                    reader.expect(key, ProtobufReader.WIRE_LENGTH_DELIMITED, "LabelMatcher.value", keyOffset);
                    value = utf8(reader.readBytes(reader.readLength()), "LabelMatcher.value", keyOffset);
                }
                default -> reader.skip((int) (key & 7), keyOffset);
            }
        }
        if (type < 0 || type >= MatchType.values().length) {
            throw new RemoteWriteFormatException("remote read: label matcher at offset " + matcherOffset
                    + " has unknown type " + type + " (known: 0=EQ, 1=NEQ, 2=RE, 3=NRE)");
        }
        return new Matcher(MatchType.values()[(int) type], name, value);
    }

    /** Accepts both encodings of a repeated enum: one varint per key, or packed in one length-delimited field. */
    private static void readResponseTypes(ProtobufReader<RemoteWriteFormatException> reader, long key, int keyOffset, List<ResponseType> out)
            throws RemoteWriteFormatException {
        if ((key & 7) == ProtobufReader.WIRE_VARINT) {
            addResponseType(reader.readVarint(), keyOffset, out);
            return;
        }
        reader.expect(key, ProtobufReader.WIRE_LENGTH_DELIMITED, "ReadRequest.accepted_response_types", keyOffset);
        int outer = reader.pushLimit(reader.readLength());
        while (!reader.isAtLimit()) {
            addResponseType(reader.readVarint(), keyOffset, out);
        }
        reader.popLimit(outer);
    }

    /** Unknown types are ignored, as a newer client may offer ones this server does not know. */
    private static void addResponseType(long type, int keyOffset, List<ResponseType> out) throws RemoteWriteFormatException {
        if (out.size() >= QUERIES_MAX) {
            throw new RemoteWriteFormatException("remote read: more than " + QUERIES_MAX
                    + " accepted response types (field at offset " + keyOffset + ")");
        }
        if (type >= 0 && type < ResponseType.values().length) {
            out.add(ResponseType.values()[(int) type]);
        }
    }

    private static String utf8(byte[] bytes, String field, int offset) throws RemoteWriteFormatException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new RemoteWriteFormatException("remote read: " + field + " at offset " + offset + " is not valid UTF-8");
        }
    }
}
