package io.sundial.storage.wal;

import io.sundial.storage.format.CorruptFileException;
import io.sundial.storage.format.FileHeaders;
import io.sundial.storage.format.FileKind;
import io.sundial.storage.io.DurableFiles;
import io.sundial.storage.io.StorageIo;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * Replays WAL segments in order and decides what every damaged byte range means.
 *
 * <p>The rule that tells a crash from corruption: a damaged range with no intact record after it
 * in the last segment is a torn tail (the process or machine died mid-write, and those records
 * were never acknowledged), so it is cut. Anything else, a damaged range followed by an intact
 * record, or damage in an older segment (which was fsynced before the next one was created), means
 * acknowledged data was lost or the file was altered: open fails unless repair mode is on.
 */
final class WalSegmentScanner {
    static final String REPAIR_HINT = "open the WAL with repair mode enabled (WalOptions.repair) to skip damaged"
            + " records and report how many records and points were lost, or restore the file from a backup";

    private final boolean repair;
    private final WalReplayer replayer;
    private final CRC32C crc = new CRC32C();
    private byte[] payload = new byte[4096];
    private final List<Long> segmentIds = new ArrayList<>();
    private final List<WalReplayReport.Damage> damages = new ArrayList<>();
    private WalReplayReport.TornTail tornTail;
    private long records;
    private long entries;

    WalSegmentScanner(boolean repair, WalReplayer replayer) {
        this.repair = repair;
        this.replayer = replayer;
    }

    WalReplayReport report() {
        return new WalReplayReport(segmentIds, records, entries, Optional.ofNullable(tornTail), damages);
    }

    /**
     * Replays one segment.
     *
     * @return the segment's size after any torn tail was cut, or -1 when the segment was an
     *     incomplete creation and was deleted
     */
    long scan(Path dir, long segmentId, boolean isLast) throws IOException {
        Path file = WalSegmentFiles.path(dir, segmentId);
        long size = Files.size(file);
        if (size < FileHeaders.HEADER_BYTES && isLast && isIncompleteHeader(file)) {
            // A crash between creating the file and fsyncing its header: it never held a record.
            Files.delete(file);
            DurableFiles.fsyncDirectory(dir);
            tornTail = new WalReplayReport.TornTail(file, 0, size,
                    "segment header incomplete (crash while the segment was being created); file removed");
            return -1;
        }
        segmentIds.add(segmentId);
        long cutAt;
        try (FileChannel channel = StorageIo.at(file).open(file, StandardOpenOption.READ); Arena arena = Arena.ofConfined()) {
            MemorySegment bytes = channel.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            long start = checkHeader(file, bytes, size);
            cutAt = scanRecords(file, segmentId, bytes, start, size, isLast);
        }
        if (cutAt < 0) {
            return size;
        }
        try (FileChannel channel = StorageIo.at(file).open(file, StandardOpenOption.WRITE)) {
            channel.truncate(cutAt);
            channel.force(true);
        }
        return cutAt;
    }

    /** @return where records start */
    private long checkHeader(Path file, MemorySegment bytes, long size) {
        byte[] header = new byte[(int) Math.min(size, FileHeaders.HEADER_BYTES)];
        MemorySegment.copy(bytes, ValueLayout.JAVA_BYTE, 0, header, 0, header.length);
        try {
            FileHeaders.check(Arrays.copyOf(header, FileHeaders.HEADER_BYTES), header.length, file,
                    FileKind.WAL_SEGMENT, WalRecordFormat.VERSION_1, WalRecordFormat.VERSION_CURRENT);
            return FileHeaders.HEADER_BYTES;
        } catch (CorruptFileException e) {
            // Offset 8 is the version field: a file from a newer Sundial is intact, and "repairing"
            // it would throw its records away.
            if (e.offset() == 8 || !repair) {
                throw e.offset() == 8 ? e : new CorruptFileException(file, e.offset(),
                        "damaged WAL segment header: " + e.getMessage() + "; " + REPAIR_HINT, e);
            }
            long damaged = Math.min(size, FileHeaders.HEADER_BYTES);
            damages.add(new WalReplayReport.Damage(file, 0, damaged, "damaged segment header: " + e.getMessage(), 0, 0,
                    true));
            return damaged;
        }
    }

    /** @return the offset to cut the file at, or -1 to keep it whole */
    private long scanRecords(Path file, long segmentId, MemorySegment bytes, long start, long size, boolean isLast)
            throws IOException {
        long at = start;
        while (at < size) {
            WalRecordFormat.Status status = WalRecordFormat.check(bytes, at, size, crc, true);
            if (status == WalRecordFormat.Status.VALID) {
                at = deliver(segmentId, bytes, at);
                continue;
            }
            long next = resynchronise(bytes, at + 1, size);
            if (next < 0 && isLast) {
                tornTail = new WalReplayReport.TornTail(file, at, size - at, status.description);
                return at;
            }
            if (!repair) {
                String why = next >= 0
                        ? "an intact record follows at offset " + next + ", so this is not an interrupted write"
                        : "this segment is not the last one and was fsynced before the next was created,"
                                + " so this is not an interrupted write";
                throw new CorruptFileException(file, at, "WAL " + status.description + "; " + why + "; " + REPAIR_HINT);
            }
            long end = next < 0 ? size : next;
            damages.add(describeDamage(file, bytes, at, end, status));
            at = end;
        }
        return -1;
    }

    private long deliver(long segmentId, MemorySegment bytes, long at) throws IOException {
        int length = WalRecordFormat.payloadLength(bytes, at);
        if (payload.length < length) {
            payload = new byte[Math.max(length, (int) Math.min(WalRecordFormat.PAYLOAD_BYTES_MAX, payload.length * 2L))];
        }
        MemorySegment.copy(bytes, ValueLayout.JAVA_BYTE, at + WalRecordFormat.HEADER_BYTES, payload, 0, length);
        replayer.accept(new WalPosition(segmentId, at), WalRecordFormat.type(bytes, at), payload, 0, length);
        records++;
        entries += Integer.toUnsignedLong(WalRecordFormat.entryCount(bytes, at));
        return at + WalRecordFormat.HEADER_BYTES + length;
    }

    /** The first offset at or after {@code from} where an intact record starts, or -1. */
    private long resynchronise(MemorySegment bytes, long from, long size) {
        for (long at = from; at + WalRecordFormat.HEADER_BYTES <= size; at++) {
            if (WalRecordFormat.startsRecord(bytes, at, size, crc)) {
                return at;
            }
        }
        return -1;
    }

    /** Counts what a skipped range held by hopping over the records whose headers are intact. */
    private WalReplayReport.Damage describeDamage(Path file, MemorySegment bytes, long from, long end,
            WalRecordFormat.Status status) {
        long lostRecords = 0;
        long lostEntries = 0;
        boolean exact = true;
        long at = from;
        while (at < end) {
            WalRecordFormat.Status header = WalRecordFormat.check(bytes, at, end, crc, false);
            if (header != WalRecordFormat.Status.VALID && header != WalRecordFormat.Status.PAST_END) {
                lostRecords++;
                exact = false;
                break;
            }
            lostRecords++;
            lostEntries += Integer.toUnsignedLong(WalRecordFormat.entryCount(bytes, at));
            at += WalRecordFormat.HEADER_BYTES + WalRecordFormat.payloadLength(bytes, at);
        }
        return new WalReplayReport.Damage(file, from, end - from, status.description, lostRecords, lostEntries, exact);
    }

    /** A short last segment holding a prefix of the header we write, or zeros (never-written pages). */
    private static boolean isIncompleteHeader(Path file) throws IOException {
        byte[] actual = Files.readAllBytes(file);
        byte[] expected = FileHeaders.encode(FileKind.WAL_SEGMENT, WalRecordFormat.VERSION_CURRENT);
        boolean prefix = actual.length <= expected.length
                && Arrays.equals(actual, Arrays.copyOf(expected, actual.length));
        boolean zeros = true;
        for (byte b : actual) {
            zeros &= b == 0;
        }
        return prefix || zeros;
    }
}
