package io.sundial.storage.segment;

import static io.sundial.storage.segment.SegmentFormat.FLAG_FIRST_IS_MAX;
import static io.sundial.storage.segment.SegmentFormat.FLAG_FIRST_IS_MIN;
import static io.sundial.storage.segment.SegmentFormat.FLAG_FIRST_TRUE;
import static io.sundial.storage.segment.SegmentFormat.FLAG_LAST_IS_MAX;
import static io.sundial.storage.segment.SegmentFormat.FLAG_LAST_IS_MIN;
import static io.sundial.storage.segment.SegmentFormat.FLAG_LAST_TRUE;
import static io.sundial.storage.segment.SegmentFormat.FLAG_SUM_OVERFLOWED;

import io.sundial.core.FieldType;
import io.sundial.storage.io.ByteOutput;

/**
 * The per-chunk stats part of an index entry (docs/format/segment.md, "Stats"). Integers are
 * stored as varint distances from the chunk minimum, which costs one byte for a first or last
 * that is the minimum; floats are raw words (their mantissas do not shrink as varints), with
 * flags instead of a repeated first/last that equals min or max, as in a monotonic counter.
 */
final class StatsEncoding {
    private static final long CANONICAL_NAN_BITS = Double.doubleToRawLongBits(Double.NaN);

    private StatsEncoding() {}

    /** The flag bits (high five bits of the entry's type byte) for {@code stats}. */
    static int flags(FieldType type, int count, ChunkStats stats) {
        return switch (type) {
            case FLOAT -> stats.nanCount() == count ? 0 : floatFlags(stats);
            case INTEGER, UNSIGNED -> stats.isSumOverflowed() ? FLAG_SUM_OVERFLOWED : 0;
            case BOOLEAN -> (stats.first() != 0 ? FLAG_FIRST_TRUE : 0) | (stats.last() != 0 ? FLAG_LAST_TRUE : 0);
            case STRING -> 0;
        };
    }

    private static int floatFlags(ChunkStats s) {
        int flags = 0;
        if (s.first() == s.min()) {
            flags |= FLAG_FIRST_IS_MIN;
        } else if (s.first() == s.max()) {
            flags |= FLAG_FIRST_IS_MAX;
        }
        if (s.last() == s.min()) {
            flags |= FLAG_LAST_IS_MIN;
        } else if (s.last() == s.max()) {
            flags |= FLAG_LAST_IS_MAX;
        }
        return flags;
    }

    static void write(FieldType type, int count, int flags, ChunkStats s, ByteOutput out) {
        switch (type) {
            case FLOAT -> {
                out.writeVarLong(s.nanCount());
                if (s.nanCount() < count) {
                    out.writeLong(s.min());
                    out.writeLong(s.max());
                    out.writeLong(Double.doubleToRawLongBits(s.sum()));
                }
                if ((flags & (FLAG_FIRST_IS_MIN | FLAG_FIRST_IS_MAX)) == 0) {
                    out.writeLong(s.first());
                }
                if ((flags & (FLAG_LAST_IS_MIN | FLAG_LAST_IS_MAX)) == 0) {
                    out.writeLong(s.last());
                }
            }
            case INTEGER, UNSIGNED -> {
                if (type == FieldType.INTEGER) {
                    out.writeSignedVarLong(s.min());
                } else {
                    out.writeVarLong(s.min());
                }
                // max, first and last are >= min in the type's order, so the wrapped difference is
                // the unsigned distance and always fits.
                out.writeVarLong(s.max() - s.min());
                out.writeVarLong(s.first() - s.min());
                out.writeVarLong(s.last() - s.min());
                if (type == FieldType.INTEGER) {
                    out.writeSignedVarLong(s.sumExact());
                } else {
                    out.writeVarLong(s.sumExact());
                }
                if ((flags & FLAG_SUM_OVERFLOWED) != 0) {
                    out.writeLong(Double.doubleToRawLongBits(s.sum()));
                }
            }
            case BOOLEAN -> out.writeVarLong(s.trueCount());
            case STRING -> { }
        }
    }

    static ChunkStats read(FieldType type, int count, int flags, SegmentInput in) {
        return switch (type) {
            case FLOAT -> readFloat(count, flags, in);
            case INTEGER, UNSIGNED -> readInteger(type, flags, in);
            case BOOLEAN -> readBoolean(count, flags, in);
            case STRING -> ChunkStats.NONE;
        };
    }

    /**
     * The stats' last value alone, as {@link #read} would give it in {@link ChunkStats#last}: the
     * newest point of a chunk whose maximum time is its newest (lastpoint) needs nothing else, and
     * decoding every stat into a {@link ChunkStats} and a {@code ChunkMeta} per field was 10% of
     * lastpoint's CPU.
     */
    static long readLast(FieldType type, int count, int flags, SegmentInput in) {
        return switch (type) {
            case FLOAT -> {
                // The layout readFloat reads, step for step, skipping what last does not need.
                int nanCount = (int) in.readVarLong("NaN count", 0, count);
                long min = CANONICAL_NAN_BITS;
                long max = CANONICAL_NAN_BITS;
                if (nanCount < count) {
                    min = in.readLong();
                    max = in.readLong();
                    in.readLong(); // sum
                }
                if ((flags & FLAG_LAST_IS_MIN) != 0) {
                    yield min;
                }
                if ((flags & FLAG_LAST_IS_MAX) != 0) {
                    yield max;
                }
                if ((flags & (FLAG_FIRST_IS_MIN | FLAG_FIRST_IS_MAX)) == 0) {
                    in.readLong(); // first
                }
                yield in.readLong();
            }
            case INTEGER, UNSIGNED -> readInteger(type, flags, in).last();
            case BOOLEAN -> (flags & FLAG_LAST_TRUE) != 0 ? 1 : 0;
            case STRING -> ChunkStats.NONE.last();
        };
    }

    private static ChunkStats readFloat(int count, int flags, SegmentInput in) {
        int nanCount = (int) in.readVarLong("NaN count", 0, count);
        long min = CANONICAL_NAN_BITS;
        long max = CANONICAL_NAN_BITS;
        double sum = 0.0;
        if (nanCount < count) {
            min = in.readLong();
            max = in.readLong();
            sum = Double.longBitsToDouble(in.readLong());
        }
        long first = (flags & FLAG_FIRST_IS_MIN) != 0 ? min : (flags & FLAG_FIRST_IS_MAX) != 0 ? max : in.readLong();
        long last = (flags & FLAG_LAST_IS_MIN) != 0 ? min : (flags & FLAG_LAST_IS_MAX) != 0 ? max : in.readLong();
        return new ChunkStats(min, max, sum, 0, false, first, last, nanCount, 0);
    }

    private static ChunkStats readInteger(FieldType type, int flags, SegmentInput in) {
        boolean isSigned = type == FieldType.INTEGER;
        long min = isSigned ? in.readSignedVarLong() : in.readVarLong();
        long max = min + in.readVarLong();
        long first = min + in.readVarLong();
        long last = min + in.readVarLong();
        long sumExact = isSigned ? in.readSignedVarLong() : in.readVarLong();
        boolean isOverflowed = (flags & FLAG_SUM_OVERFLOWED) != 0;
        double sum;
        if (isOverflowed) {
            sum = Double.longBitsToDouble(in.readLong());
        } else {
            sum = isSigned ? (double) sumExact : ChunkStats.unsignedToDouble(sumExact);
        }
        return new ChunkStats(min, max, sum, sumExact, isOverflowed, first, last, 0, 0);
    }

    private static ChunkStats readBoolean(int count, int flags, SegmentInput in) {
        int trueCount = (int) in.readVarLong("true count", 0, count);
        long first = (flags & FLAG_FIRST_TRUE) != 0 ? 1 : 0;
        long last = (flags & FLAG_LAST_TRUE) != 0 ? 1 : 0;
        long min = trueCount == count ? 1 : 0;
        long max = trueCount > 0 ? 1 : 0;
        return new ChunkStats(min, max, trueCount, trueCount, false, first, last, 0, trueCount);
    }
}
