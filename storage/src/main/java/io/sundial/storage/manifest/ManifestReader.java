package io.sundial.storage.manifest;

import io.sundial.storage.format.CorruptFileException;
import io.sundial.storage.format.FileHeaders;
import io.sundial.storage.format.FileKind;
import io.sundial.storage.io.BigEndian;
import io.sundial.storage.io.StorageIo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a manifest file into its edits, telling a torn tail from corruption.
 *
 * <p>Every append is one record followed by an fsync, so a crash can damage only the last
 * record, and only by leaving part of it: whatever is damaged has nothing intact after it. The
 * rule is therefore: a damaged record (too short, length over the limit or past the end,
 * checksum mismatch) is a torn tail, cut and ignored, when no intact record starts anywhere after
 * it; if one does, the damage is corruption and is reported with the file and offset. Looking
 * for an intact record after the damage, rather than trusting the length field, is what keeps a
 * bit flip in an earlier record's length from passing as a torn tail and silently dropping the
 * acknowledged edits behind it.
 */
final class ManifestReader {
    /** One decoded record and where it starts. */
    record Entry(long offset, VersionEdit edit) {}

    /**
     * @param entries the intact records in file order
     * @param validBytes where the intact records end; appends continue here
     * @param fileBytes the file's size as read
     */
    record Contents(Path file, List<Entry> entries, long validBytes, long fileBytes) {
        boolean hasTornTail() {
            return validBytes < fileBytes;
        }
    }

    private ManifestReader() {}

    static Contents read(Path file) throws IOException {
        long size = Files.size(file);
        if (size > ManifestLimits.MANIFEST_BYTES_MAX) {
            throw new CorruptFileException(file, 0, "manifest is " + size + " bytes, more than the limit of "
                    + ManifestLimits.MANIFEST_BYTES_MAX + "; it should have rolled over long before");
        }
        byte[] bytes = StorageIo.at(file).readAllBytes(file);
        FileHeaders.check(bytes, bytes.length, file, FileKind.MANIFEST, ManifestRecords.FORMAT_VERSION_MIN,
                ManifestRecords.FORMAT_VERSION);
        List<Entry> entries = new ArrayList<>();
        int position = ManifestRecords.FIRST_RECORD_OFFSET;
        while (position < bytes.length) {
            int recordEnd = ManifestRecords.intactRecordEnd(bytes, position, bytes.length);
            if (recordEnd < 0) {
                checkNothingIntactAfter(bytes, position, file);
                break;
            }
            int payloadLength = recordEnd - position - ManifestRecords.RECORD_HEADER_BYTES;
            VersionEdit edit = VersionEditCodec.decode(bytes, position + ManifestRecords.RECORD_HEADER_BYTES,
                    payloadLength, file, position + ManifestRecords.RECORD_HEADER_BYTES);
            entries.add(new Entry(position, edit));
            position = recordEnd;
        }
        return new Contents(file, List.copyOf(entries), position, bytes.length);
    }

    private static void checkNothingIntactAfter(byte[] bytes, int damaged, Path file) {
        for (int candidate = damaged + 1; candidate + ManifestRecords.RECORD_HEADER_BYTES <= bytes.length; candidate++) {
            if (ManifestRecords.intactRecordEnd(bytes, candidate, bytes.length) >= 0) {
                throw new CorruptFileException(file, damaged, describeDamage(bytes, damaged)
                        + ", yet an intact record follows at offset " + candidate
                        + ", so this is not a torn tail; restore the manifest from a backup");
            }
        }
    }

    private static String describeDamage(byte[] bytes, int start) {
        if (bytes.length - start < ManifestRecords.RECORD_HEADER_BYTES) {
            return "record header is cut short";
        }
        int length = BigEndian.getInt(bytes, start);
        if (length < 0 || length > ManifestLimits.RECORD_BYTES_MAX) {
            return "record length " + Integer.toUnsignedString(length) + " exceeds the limit of "
                    + ManifestLimits.RECORD_BYTES_MAX;
        }
        if (length > bytes.length - start - ManifestRecords.RECORD_HEADER_BYTES) {
            return "record length " + length + " runs past the end of the file";
        }
        return "record checksum mismatch";
    }
}
