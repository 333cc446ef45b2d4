package io.sundial.storage.manifest;

import io.sundial.storage.format.CorruptFileException;
import io.sundial.storage.io.ByteOutput;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The payload of one manifest record: a sequence of tagged entries, each a one-byte tag and a
 * fixed layout (docs/format/manifest.md, "Edit tags"). Fixed-width big-endian fields rather than
 * varints: the manifest is small and rarely written, and a layout a person can read in a hex
 * dump is worth more here than bytes.
 */
final class VersionEditCodec {
    static final int TAG_ADD_FILE = 1;
    static final int TAG_REMOVE_FILE = 2;
    static final int TAG_ADD_TOMBSTONE = 3;
    static final int TAG_REMOVE_TOMBSTONE = 4;
    static final int TAG_WAL_SEGMENT_FLOOR = 5;
    static final int TAG_NEXT_FILE_NUMBER = 6;
    static final int TAG_LAST_SEQUENCE = 7;
    static final int TAG_RETENTION_NANOS = 8;
    static final int TAG_SET_PROPERTY = 9;
    static final int TAG_REMOVE_PROPERTY = 10;

    private VersionEditCodec() {}

    static byte[] encode(VersionEdit edit) {
        ByteOutput out = new ByteOutput(64 + 72 * edit.addedFiles().size());
        for (FileMeta f : edit.addedFiles()) {
            out.writeByte(TAG_ADD_FILE);
            out.writeLong(f.fileNumber());
            out.writeLong(f.partitionStart());
            out.writeLong(f.partitionEnd());
            out.writeLong(f.minTime());
            out.writeLong(f.maxTime());
            out.writeLong(f.sizeBytes());
            out.writeLong(f.pointCount());
            out.writeLong(f.sequence());
            out.writeByte(f.level());
        }
        for (long number : edit.removedFiles()) {
            writeTaggedLong(out, TAG_REMOVE_FILE, number);
        }
        for (Tombstone t : edit.addedTombstones()) {
            writeTombstone(out, t);
        }
        for (long sequence : edit.removedTombstones()) {
            writeTaggedLong(out, TAG_REMOVE_TOMBSTONE, sequence);
        }
        edit.walSegmentFloor().ifPresent(v -> writeTaggedLong(out, TAG_WAL_SEGMENT_FLOOR, v));
        edit.nextFileNumber().ifPresent(v -> writeTaggedLong(out, TAG_NEXT_FILE_NUMBER, v));
        edit.lastSequence().ifPresent(v -> writeTaggedLong(out, TAG_LAST_SEQUENCE, v));
        edit.retentionNanos().ifPresent(v -> writeTaggedLong(out, TAG_RETENTION_NANOS, v));
        for (String key : edit.removedProperties()) {
            out.writeByte(TAG_REMOVE_PROPERTY);
            writeString(out, key);
        }
        for (Map.Entry<String, String> e : edit.setProperties().entrySet()) {
            out.writeByte(TAG_SET_PROPERTY);
            writeString(out, e.getKey());
            writeString(out, e.getValue());
        }
        if (out.size() > ManifestLimits.RECORD_BYTES_MAX) {
            throw new IllegalArgumentException("edit encodes to " + out.size() + " bytes, more than the record limit of "
                    + ManifestLimits.RECORD_BYTES_MAX);
        }
        return out.toByteArray();
    }

    private static void writeTaggedLong(ByteOutput out, int tag, long value) {
        out.writeByte(tag);
        out.writeLong(value);
    }

    private static void writeTombstone(ByteOutput out, Tombstone t) {
        out.writeByte(TAG_ADD_TOMBSTONE);
        out.writeLong(t.sequence());
        out.writeLong(t.minTime());
        out.writeLong(t.maxTime());
        out.writeByte(t.measurement() == null ? 0 : 1);
        if (t.measurement() != null) {
            writeString(out, t.measurement());
        }
        out.writeShort(t.matchers().size());
        for (TagMatcher m : t.matchers()) {
            out.writeByte(m.op().code());
            writeString(out, m.key());
            writeString(out, m.value());
        }
    }

    private static void writeString(ByteOutput out, String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        out.writeShort(utf8.length);
        out.writeBytes(utf8);
    }

    /**
     * Decodes the payload at {@code bytes[from, from + length)}, which sits at {@code fileOffset}
     * of {@code file}. The record's checksum has already matched, so a failure here means a
     * writer that does not follow the spec, reported with the offset of the bad entry.
     */
    static VersionEdit decode(byte[] bytes, int from, int length, Path file, long fileOffset) {
        Reader in = new Reader(bytes, from, from + length, file, fileOffset - from);
        VersionEdit.Builder b = VersionEdit.builder();
        while (in.hasMore()) {
            int entryStart = in.position;
            int tag = in.readByte("entry tag");
            try {
                decodeEntry(tag, in, b);
            } catch (IllegalArgumentException e) {
                throw new CorruptFileException(file, in.fileOffset(entryStart),
                        "edit entry with tag " + tag + " is invalid: " + e.getMessage(), e);
            }
        }
        return b.build();
    }

    private static void decodeEntry(int tag, Reader in, VersionEdit.Builder b) {
        switch (tag) {
            case TAG_ADD_FILE -> b.addFile(new FileMeta(in.readLong("file number"), in.readLong("partition start"),
                    in.readLong("partition end"), in.readLong("min time"), in.readLong("max time"),
                    in.readLong("size"), in.readLong("point count"), in.readLong("sequence"), in.readByte("level")));
            case TAG_REMOVE_FILE -> b.removeFile(in.readLong("removed file number"));
            case TAG_ADD_TOMBSTONE -> b.addTombstone(readTombstone(in));
            case TAG_REMOVE_TOMBSTONE -> b.removeTombstone(in.readLong("removed tombstone sequence"));
            case TAG_WAL_SEGMENT_FLOOR -> b.setWalSegmentFloor(in.readLong("WAL segment floor"));
            case TAG_NEXT_FILE_NUMBER -> b.setNextFileNumber(in.readLong("next file number"));
            case TAG_LAST_SEQUENCE -> b.setLastSequence(in.readLong("last sequence"));
            case TAG_RETENTION_NANOS -> b.setRetentionNanos(in.readLong("retention"));
            case TAG_SET_PROPERTY -> b.setProperty(in.readString("property key"), in.readString("property value"));
            case TAG_REMOVE_PROPERTY -> b.removeProperty(in.readString("removed property key"));
            default -> throw new IllegalArgumentException("unknown tag; the file may have been written by a newer"
                    + " Sundial, or damaged before its checksum was computed");
        }
    }

    private static Tombstone readTombstone(Reader in) {
        long sequence = in.readLong("tombstone sequence");
        long minTime = in.readLong("tombstone min time");
        long maxTime = in.readLong("tombstone max time");
        int hasMeasurement = in.readByte("tombstone measurement flag");
        if (hasMeasurement > 1) {
            throw new IllegalArgumentException("tombstone measurement flag is " + hasMeasurement + ", expected 0 or 1");
        }
        String measurement = hasMeasurement == 1 ? in.readString("tombstone measurement") : null;
        int count = in.readShort("tag matcher count");
        List<TagMatcher> matchers = new ArrayList<>(Math.min(count, ManifestLimits.MATCHERS_MAX));
        for (int i = 0; i < count; i++) {
            int code = in.readByte("tag matcher operator");
            TagMatcher.Op op = TagMatcher.Op.ofCode(code);
            if (op == null) {
                throw new IllegalArgumentException("tag matcher operator code " + code + " is unknown");
            }
            matchers.add(new TagMatcher(in.readString("tag matcher key"), op, in.readString("tag matcher value")));
        }
        return new Tombstone(sequence, measurement, matchers, minTime, maxTime);
    }

    /** Bounds-checked big-endian reads; running off the payload is reported, never an index error. */
    private static final class Reader {
        private final byte[] bytes;
        private final int end;
        private final Path file;
        private final long fileOffsetBias;
        private int position;

        Reader(byte[] bytes, int from, int end, Path file, long fileOffsetBias) {
            this.bytes = bytes;
            this.position = from;
            this.end = end;
            this.file = file;
            this.fileOffsetBias = fileOffsetBias;
        }

        boolean hasMore() {
            return position < end;
        }

        long fileOffset(int arrayPosition) {
            return fileOffsetBias + arrayPosition;
        }

        private void need(int n, String what) {
            if (end - position < n) {
                throw new CorruptFileException(file, fileOffset(position), "edit record ends inside " + what
                        + " (needs " + n + " bytes, " + (end - position) + " left)");
            }
        }

        int readByte(String what) {
            need(1, what);
            return bytes[position++] & 0xFF;
        }

        int readShort(String what) {
            need(2, what);
            int v = ((bytes[position] & 0xFF) << 8) | (bytes[position + 1] & 0xFF);
            position += 2;
            return v;
        }

        long readLong(String what) {
            need(8, what);
            long v = io.sundial.storage.io.BigEndian.getLong(bytes, position);
            position += 8;
            return v;
        }

        String readString(String what) {
            int length = readShort(what + " length");
            need(length, what);
            String s = new String(bytes, position, length, StandardCharsets.UTF_8);
            position += length;
            return s;
        }
    }
}
