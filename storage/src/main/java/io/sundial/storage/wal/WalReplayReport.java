package io.sundial.storage.wal;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link Wal#open} found while replaying.
 *
 * @param segmentIds the segments replayed, in order
 * @param records records handed to the replayer
 * @param entries sum of those records' entry counts (points)
 * @param tornTail the incomplete end of the last segment that was cut off, if any
 * @param damages regions skipped in repair mode (always empty without repair)
 */
public record WalReplayReport(List<Long> segmentIds, long records, long entries, Optional<TornTail> tornTail,
        List<Damage> damages) {
    public WalReplayReport {
        segmentIds = List.copyOf(segmentIds);
        Objects.requireNonNull(tornTail, "tornTail");
        damages = List.copyOf(damages);
    }

    /**
     * The last segment ended in a record that was never completely written (a crash mid-write):
     * the file was truncated to {@code offset} and fsynced, dropping {@code bytes} bytes.
     */
    public record TornTail(Path file, long offset, long bytes, String reason) {}

    /**
     * A damaged region of {@code bytes} bytes at {@code offset} of {@code file} that repair mode
     * skipped. {@code records} counts the records known to be lost: records whose header was
     * intact, plus one for a region whose first header is unreadable. {@code entries} sums the
     * entry counts of the intact headers; {@code entriesExact} is false when an unreadable header
     * hid how many entries were lost.
     */
    public record Damage(Path file, long offset, long bytes, String reason, long records, long entries,
            boolean entriesExact) {}

    /** Records dropped by repair, summed over {@link #damages()}. */
    public long recordsDropped() {
        return damages.stream().mapToLong(Damage::records).sum();
    }

    /** Entries (points) dropped by repair, summed over {@link #damages()}; a lower bound unless all are exact. */
    public long entriesDropped() {
        return damages.stream().mapToLong(Damage::entries).sum();
    }
}
