package io.sundial.storage.segment;

/**
 * The constants of the segment file layout; docs/format/segment.md is the specification and
 * {@code SegmentFormatSpecTest} checks that the two agree.
 *
 * <pre>
 * +--------------------+----------------------------+-------+--------+----------------+
 * | header (16 bytes)  | chunk blocks (body + CRC)… | index | filter | footer (80 B)  |
 * +--------------------+----------------------------+-------+--------+----------------+
 * </pre>
 */
final class SegmentFormat {
    /** Version 1: varint index with per-chunk stats, RoaringBitmap series filter, 80-byte footer. */
    static final int VERSION_1 = 1;
    static final int VERSION_MIN = VERSION_1;
    static final int VERSION_MAX = VERSION_1;
    static final int VERSION_CURRENT = VERSION_1;

    /** "SGFT", the last four bytes of every finished segment file. */
    static final int FOOTER_MAGIC = 0x53474654;
    static final int FOOTER_BYTES = 80;
    /** The footer checksum covers footer bytes [0, FOOTER_CRC_POSITION). */
    static final int FOOTER_CRC_POSITION = 72;
    static final int FOOTER_MAGIC_POSITION = 76;

    /** Every chunk body is followed by the CRC32C of the body. */
    static final int CHUNK_CRC_BYTES = 4;

    /**
     * The most points one chunk may hold. Bounds the decode buffers a reader must provide and
     * rejects a corrupted count before it allocates anything.
     */
    static final int CHUNK_POINTS_LIMIT = 1 << 20;

    /** The series filter is a 32-bit RoaringBitmap, so series ids are in [0, 2^32 - 1]. */
    static final long SERIES_ID_MAX = 0xFFFF_FFFFL;

    /** The smallest possible index entry (seven one-byte fields, no stats), to bound the chunk count. */
    static final int INDEX_ENTRY_BYTES_MIN = 7;

    // Index entry: the low three bits of the type byte are the FieldType code, the high five are flags.
    static final int TYPE_CODE_MASK = 0x07;
    /** FLOAT: first value equals min (so it is not stored again). */
    static final int FLAG_FIRST_IS_MIN = 0x08;
    /** FLOAT: first value equals max. */
    static final int FLAG_FIRST_IS_MAX = 0x10;
    /** FLOAT: last value equals min. */
    static final int FLAG_LAST_IS_MIN = 0x20;
    /** FLOAT: last value equals max. */
    static final int FLAG_LAST_IS_MAX = 0x40;
    /** INTEGER, UNSIGNED: the exact sum overflowed 64 bits; a double sum follows. */
    static final int FLAG_SUM_OVERFLOWED = 0x08;
    /** BOOLEAN: the first value is true. */
    static final int FLAG_FIRST_TRUE = 0x08;
    /** BOOLEAN: the last value is true. */
    static final int FLAG_LAST_TRUE = 0x10;

    private SegmentFormat() {}
}
