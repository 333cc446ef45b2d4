package io.sundial.storage.codec;

/**
 * {@link FloatDeltaCodec}'s differences cut into blocks of one UTC hour, each block led by a table
 * entry with its point count, first value, min, max, sum and stream length. The table is a
 * mini-index inside a long chunk: a query whose buckets hold whole hours folds a block from its
 * entry without decoding it, and a read of a time range decodes only the blocks that overlap it
 * (each block restarts the difference chain at its first value, so it decodes alone). Chunks keep
 * thousands of points for compression, yet behave like hour-sized chunks for reads.
 *
 * <pre>
 *   u8      centre c (0..64), shared by every block
 *   varint  B, the number of blocks (1..count)
 *   B x     varint n (points, >= 1; the n add up to count) | u64 first | u64 min | u64 max
 *           | u64 sum (double bits) | varint streamBytes
 *   B x     stream: the n - 1 differences of the block as in BIT_DELTA, padded to a byte
 * </pre>
 * The encoder uses this layout only for chunks without NaN (so min, max and sum cover every
 * point) that span at least two hours; {@link FloatCodec} decides when the table is worth its bytes.
 */
final class FloatHourBlockCodec {
    /** Blocks are the points of one hour: floorDiv(timestamp, HOUR_NANOS) is the block key. */
    static final long HOUR_NANOS = 3_600_000_000_000L;

    private FloatHourBlockCodec() {}

    /** Number of hour blocks the points [from, to) span; timestamps strictly increase. */
    static int blockCount(long[] timestamps, int from, int to) {
        int blocks = 1;
        long hourLast = hourLast(timestamps[from]);
        for (int i = from + 1; i < to; i++) {
            if (timestamps[i] > hourLast) {
                blocks++;
                hourLast = hourLast(timestamps[i]);
            }
        }
        return blocks;
    }

    /**
     * The last nanosecond of the hour of {@code time} (Long.MAX_VALUE for the hour Long.MAX_VALUE
     * cuts short). For increasing timestamps a point starts a new block exactly when it lies past
     * the previous point's hourLast: one comparison per point instead of two floorDivs.
     */
    static long hourLast(long time) {
        long rest = HOUR_NANOS - 1 - Math.floorMod(time, HOUR_NANOS);
        return time > Long.MAX_VALUE - rest ? Long.MAX_VALUE : time + rest;
    }

    /** Where the hour blocks of points [from, to) start: B + 1 entries, the last is {@code to}. */
    static int[] blockStarts(long[] timestamps, int from, int to) {
        int[] starts = new int[blockCount(timestamps, from, to) + 1];
        int block = 0;
        starts[0] = from;
        long hourLast = hourLast(timestamps[from]);
        for (int i = from + 1; i < to; i++) {
            if (timestamps[i] > hourLast) {
                starts[++block] = i;
                hourLast = hourLast(timestamps[i]);
            }
        }
        starts[block + 1] = to;
        return starts;
    }

    /** True when no value of [from, to) is a NaN (the block stats then cover every point). */
    static boolean hasNoNaN(long[] values, int from, int to) {
        for (int i = from; i < to; i++) {
            if (Double.isNaN(Double.longBitsToDouble(values[i]))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Where the blocks of points [from, to) start (B + 1 entries, the last is {@code to}), the shared
     * centre and each block's stream length: everything the table needs before the streams are
     * written, so the section's size is known without writing it.
     */
    record Layout(int[] starts, int centre, long[] streamBytes) {
        int blockCount() {
            return streamBytes.length;
        }

        /** Bytes of the section after its selector byte. */
        long bytes() {
            long total = 1 + varLongBytes(blockCount());
            for (int b = 0; b < blockCount(); b++) {
                total += varLongBytes(starts[b + 1] - starts[b]) + 4 * 8 + varLongBytes(streamBytes[b]) + streamBytes[b];
            }
            return total;
        }
    }

    /** The layout of points [from, to); timestamps strictly increase. */
    static Layout layout(long[] timestamps, long[] values, int from, int to) {
        byte[] widths = new byte[to - from];
        int[] widthCounts = new int[65];
        FloatDeltaCodec.countWidths(values, from, to, widthCounts, widths);
        return layout(blockStarts(timestamps, from, to), widths, widthCounts, from);
    }

    /**
     * The layout of the blocks at {@code starts} from the widths of the chunk's differences
     * ({@link FloatDeltaCodec#countWidths(long[], int, int, int[], byte[])} over the whole chunk,
     * which starts at point {@code from}): the blocks' differences are the chunk's but for the one
     * into each block's first point, which a block does not code.
     */
    static Layout layout(int[] starts, byte[] widths, int[] chunkWidthCounts, int from) {
        int blocks = starts.length - 1;
        int[] widthCounts = chunkWidthCounts.clone();
        for (int b = 1; b < blocks; b++) {
            widthCounts[widths[starts[b] - from]]--;
        }
        int centre = FloatDeltaCodec.bestCentre(widthCounts);
        int[] bitsPerWidth = FloatDeltaCodec.bitsPerWidth(centre);
        long[] streamBytes = new long[blocks];
        for (int b = 0; b < blocks; b++) {
            long bits = 0;
            for (int i = starts[b] + 1; i < starts[b + 1]; i++) {
                bits += bitsPerWidth[widths[i - from]];
            }
            streamBytes[b] = (bits + 7) >>> 3;
        }
        return new Layout(starts, centre, streamBytes);
    }

    /** Writes the section after its selector byte; the writer must be byte-aligned. */
    static void encode(long[] timestamps, long[] values, int from, int to, BitWriter bits) {
        encode(layout(timestamps, values, from, to), values, bits);
    }

    /**
     * Writes the section of {@code layout}'s points after its selector byte; the writer must be
     * byte-aligned. Each stream goes straight into {@code bits} and is padded to a byte, which is
     * the same bytes as writing it alone and copying it.
     */
    static void encode(Layout layout, long[] values, BitWriter bits) {
        int[] starts = layout.starts();
        int blocks = layout.blockCount();
        bits.writeByte(layout.centre());
        bits.writeVarLong(blocks);
        for (int b = 0; b < blocks; b++) {
            ChunkSummary summary = summarize(values, starts[b], starts[b + 1]);
            bits.writeVarLong(starts[b + 1] - starts[b]);
            bits.write(values[starts[b]], 64);
            bits.write(summary.min, 64);
            bits.write(summary.max, 64);
            bits.write(Double.doubleToRawLongBits(summary.sum), 64);
            bits.writeVarLong(layout.streamBytes()[b]);
        }
        for (int b = 0; b < blocks; b++) {
            long before = bits.bitsWritten();
            FloatDeltaCodec.encodeDifferences(values, starts[b], starts[b + 1], layout.centre(), bits);
            bits.alignToByte();
            if (bits.bitsWritten() - before != 8 * layout.streamBytes()[b]) {
                throw new IllegalStateException("hour block " + b + " took " + (bits.bitsWritten() - before)
                        + " bits, its table entry says " + layout.streamBytes()[b] + " bytes");
            }
        }
    }

    /** Bytes of {@code value} as an unsigned LEB128 varint. */
    private static int varLongBytes(long value) {
        return Math.max(1, (64 - Long.numberOfLeadingZeros(value) + 6) / 7);
    }

    private record ChunkSummary(long min, long max, double sum) {}

    /** Min, max (Math.min/max order) and sum in time order of values without NaN, as ChunkStats computes them. */
    private static ChunkSummary summarize(long[] values, int from, int to) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0.0;
        for (int i = from; i < to; i++) {
            double v = Double.longBitsToDouble(values[i]);
            min = Math.min(min, v);
            max = Math.max(max, v);
            sum += v;
        }
        return new ChunkSummary(Double.doubleToRawLongBits(min), Double.doubleToRawLongBits(max), sum);
    }

    /**
     * Reads the centre and the block table (after the selector byte) and leaves {@code in} at the
     * first stream. {@code timestamps} are the chunk's decoded timestamps (for block times).
     */
    static FloatBlocks readTable(BitReader in, int count, long[] timestamps, int timestampOffset) {
        return readTable(in, count, timestamps, timestampOffset, in.limitBits());
    }

    /** {@link #readTable(BitReader, int, long[], int)} when {@code in} may hold only a prefix of a chunk of {@code chunkBits}. */
    static FloatBlocks readTable(BitReader in, int count, long[] timestamps, int timestampOffset, long chunkBits) {
        FloatBlocks table = readEntries(in, count, chunkBits);
        int[] starts = table.starts();
        for (int b = 0; b < table.blockCount(); b++) {
            table.minTimes()[b] = timestamps[timestampOffset + starts[b]];
            table.maxTimes()[b] = timestamps[timestampOffset + starts[b + 1] - 1];
        }
        return table;
    }

    /**
     * Reads the centre and the block table (after the selector byte) when {@code in} may hold only
     * a prefix of the chunk, then sets each block's first and last time by walking the timestamp
     * section from {@code timestampsBit} again ({@link TimestampCodec#timesAt}): no timestamp is
     * materialized. {@code chunkBits} is the whole chunk's length, which every stream must lie in.
     */
    static FloatBlocks readTable(BitReader in, int count, long chunkBits, long timestampsBit) {
        FloatBlocks table = readEntries(in, count, chunkBits);
        int blocks = table.blockCount();
        int[] starts = table.starts();
        int[] indexes = new int[2 * blocks];
        for (int b = 0; b < blocks; b++) {
            indexes[2 * b] = starts[b];
            indexes[2 * b + 1] = starts[b + 1] - 1;
        }
        long[] times = new long[2 * blocks];
        in.seek(timestampsBit);
        TimestampCodec.timesAt(in, count, indexes, indexes.length, times);
        for (int b = 0; b < blocks; b++) {
            table.minTimes()[b] = times[2 * b];
            table.maxTimes()[b] = times[2 * b + 1];
        }
        return table;
    }

    /** The table with its time arrays left for the caller to fill; {@code in} ends at the first stream. */
    private static FloatBlocks readEntries(BitReader in, int count, long chunkBits) {
        int centre = in.readByte();
        if (centre > 64) {
            throw new ChunkFormatException("float block centre width " + centre + " outside [0, 64]");
        }
        int blocks = in.readVarInt(count, "float block count");
        if (blocks < 1) {
            throw new ChunkFormatException("float block count 0 in a chunk of " + count + " points");
        }
        int[] starts = new int[blocks + 1];
        long[] firsts = new long[blocks];
        long[] mins = new long[blocks];
        long[] maxes = new long[blocks];
        double[] sums = new double[blocks];
        long[] streamBytes = new long[blocks];
        for (int b = 0; b < blocks; b++) {
            // Messages are built only on failure: this loop runs for every hour of every chunk a query folds.
            long points = in.readVarLong();
            if (points < 1 || points > count - starts[b]) {
                throw new ChunkFormatException("points of float block " + b + " " + Long.toUnsignedString(points)
                        + " outside [1, " + (count - starts[b]) + "]");
            }
            starts[b + 1] = starts[b] + (int) points;
            firsts[b] = in.readAlignedLong();
            mins[b] = in.readAlignedLong();
            maxes[b] = in.readAlignedLong();
            sums[b] = Double.longBitsToDouble(in.readAlignedLong());
            long bytes = in.readVarLong();
            if (bytes < 0 || bytes > Integer.MAX_VALUE) {
                throw new ChunkFormatException("stream bytes of float block " + b + " " + Long.toUnsignedString(bytes)
                        + " outside [0, " + Integer.MAX_VALUE + "]");
            }
            streamBytes[b] = bytes;
        }
        if (starts[blocks] != count) {
            throw new ChunkFormatException("float blocks hold " + starts[blocks] + " points, the chunk " + count);
        }
        long[] streamStarts = new long[blocks + 1];
        streamStarts[0] = in.positionBits();
        for (int b = 0; b < blocks; b++) {
            streamStarts[b + 1] = streamStarts[b] + 8 * streamBytes[b];
            if (streamStarts[b + 1] > chunkBits) {
                throw new ChunkFormatException("float block " + b + " stream ends past the chunk");
            }
        }
        return new FloatBlocks(centre, starts, new long[blocks], new long[blocks], firsts, mins, maxes, sums,
                streamStarts);
    }

    /**
     * Decodes the values of blocks [fromBlock, toBlock) into {@code values} at
     * {@code offset + starts[b]}; {@code in} is positioned after the last block decoded.
     */
    static void decodeBlocks(BitReader in, FloatBlocks table, int fromBlock, int toBlock, long[] values, int offset) {
        decodeBlocks(in, table, fromBlock, toBlock, values, offset, 0);
    }

    /**
     * {@link #decodeBlocks(BitReader, FloatBlocks, int, int, long[], int)} from a reader whose bit 0
     * is bit {@code biasBits} of the chunk (a copy of only the streams it decodes).
     */
    static void decodeBlocks(BitReader in, FloatBlocks table, int fromBlock, int toBlock, long[] values, int offset,
                             long biasBits) {
        decodeBlocks(in, table, fromBlock, toBlock, values, offset, biasBits, table.starts()[toBlock]);
    }

    /**
     * Like {@link #decodeBlocks(BitReader, FloatBlocks, int, int, long[], int, long)}, but only the
     * chunk's points before {@code pointsEnd}: a block that ends after it is decoded up to it (its
     * stream is not read to the end, so its end is not checked against the table), the blocks after
     * it not at all.
     */
    static void decodeBlocks(BitReader in, FloatBlocks table, int fromBlock, int toBlock, long[] values, int offset,
                             long biasBits, int pointsEnd) {
        for (int b = fromBlock; b < toBlock && table.starts()[b] < pointsEnd; b++) {
            in.seek(table.streamStarts()[b] - biasBits);
            int start = table.starts()[b];
            if (table.starts()[b + 1] > pointsEnd) {
                FloatDeltaCodec.decodeDifferences(in, table.firsts()[b], table.centre(), pointsEnd - start, values,
                        offset + start);
                return;
            }
            FloatDeltaCodec.decodeDifferences(in, table.firsts()[b], table.centre(), table.starts()[b + 1] - start,
                    values, offset + start);
            in.alignToByte();
            if (in.positionBits() + biasBits != table.streamStarts()[b + 1]) {
                throw new ChunkFormatException("float block " + b + " stream ends at bit " + (in.positionBits() + biasBits)
                        + ", its table entry says " + table.streamStarts()[b + 1]);
            }
        }
    }
}
