package io.sundial.storage.manifest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An immutable state of the database's files: the live segment files, the tombstones and the
 * engine's counters. Every {@link VersionSet#apply} produces a new one; readers pin one
 * ({@link VersionSet#pin()}) and see exactly its files however long they run.
 */
public final class Version {
    /** Files before tombstones before counters: a new database. */
    public static final Version EMPTY = new Version(List.of(), Map.of(), List.of(), 0, 0, 0, 0, Map.of());

    /** (partitionStart, sequence, fileNumber): within a partition, older data first, as last-write-wins merges it. */
    static final Comparator<FileMeta> FILE_ORDER = Comparator.comparingLong(FileMeta::partitionStart)
            .thenComparingLong(FileMeta::sequence).thenComparingLong(FileMeta::fileNumber);

    private final List<FileMeta> files;
    private final Map<Long, FileMeta> filesByNumber;
    private final List<Tombstone> tombstones;
    private final long walSegmentFloor;
    private final long nextFileNumber;
    private final long lastSequence;
    private final long retentionNanos;
    private final Map<String, String> properties;

    private Version(List<FileMeta> files, Map<Long, FileMeta> filesByNumber, List<Tombstone> tombstones,
                    long walSegmentFloor, long nextFileNumber, long lastSequence, long retentionNanos,
                    Map<String, String> properties) {
        this.files = files;
        this.filesByNumber = filesByNumber;
        this.tombstones = tombstones;
        this.walSegmentFloor = walSegmentFloor;
        this.nextFileNumber = nextFileNumber;
        this.lastSequence = lastSequence;
        this.retentionNanos = retentionNanos;
        this.properties = properties;
    }

    /**
     * The version this one becomes with {@code edit}: removals happen before additions; counters
     * only rise; the last sequence rises to cover every added file and tombstone.
     *
     * @throws IllegalArgumentException when the edit does not fit this version (removes a file
     *     or tombstone it does not hold, adds one it already holds, re-adds a file it removes,
     *     or exceeds {@link ManifestLimits#PROPERTIES_MAX}); this version is unchanged
     */
    public Version apply(VersionEdit edit) {
        Map<Long, FileMeta> byNumber = new HashMap<>(filesByNumber);
        for (long number : edit.removedFiles()) {
            if (byNumber.remove(number) == null) {
                throw new IllegalArgumentException("edit removes file " + number + ", which is not live");
            }
        }
        long sequence = Math.max(lastSequence, edit.lastSequence().orElse(0));
        long next = Math.max(nextFileNumber, edit.nextFileNumber().orElse(0));
        for (FileMeta file : edit.addedFiles()) {
            if (filesByNumber.containsKey(file.fileNumber()) || byNumber.putIfAbsent(file.fileNumber(), file) != null) {
                throw new IllegalArgumentException("edit adds file " + file.fileNumber()
                        + ", which is already live or added twice; file numbers are never reused");
            }
            sequence = Math.max(sequence, file.sequence());
            next = Math.max(next, file.fileNumber() + 1);
        }
        return new Version(sortedFiles(byNumber), Collections.unmodifiableMap(byNumber), applyTombstones(edit),
                Math.max(walSegmentFloor, edit.walSegmentFloor().orElse(0)), next,
                Math.max(sequence, maxSequence(edit.addedTombstones())),
                edit.retentionNanos().orElse(retentionNanos), applyProperties(edit));
    }

    private static List<FileMeta> sortedFiles(Map<Long, FileMeta> byNumber) {
        List<FileMeta> sorted = new ArrayList<>(byNumber.values());
        sorted.sort(FILE_ORDER);
        return List.copyOf(sorted);
    }

    private List<Tombstone> applyTombstones(VersionEdit edit) {
        if (edit.removedTombstones().isEmpty() && edit.addedTombstones().isEmpty()) {
            return tombstones;
        }
        TreeMap<Long, Tombstone> bySequence = new TreeMap<>();
        for (Tombstone t : tombstones) {
            bySequence.put(t.sequence(), t);
        }
        for (long sequence : edit.removedTombstones()) {
            if (bySequence.remove(sequence) == null) {
                throw new IllegalArgumentException("edit removes tombstone " + sequence + ", which is not live");
            }
        }
        for (Tombstone t : edit.addedTombstones()) {
            if (bySequence.putIfAbsent(t.sequence(), t) != null) {
                throw new IllegalArgumentException("edit adds tombstone " + t.sequence()
                        + ", but a tombstone with that sequence is already live");
            }
        }
        return List.copyOf(bySequence.values());
    }

    private Map<String, String> applyProperties(VersionEdit edit) {
        if (edit.removedProperties().isEmpty() && edit.setProperties().isEmpty()) {
            return properties;
        }
        TreeMap<String, String> next = new TreeMap<>(properties);
        edit.removedProperties().forEach(next::remove);
        next.putAll(edit.setProperties());
        if (next.size() > ManifestLimits.PROPERTIES_MAX) {
            throw new IllegalArgumentException("edit leaves " + next.size() + " properties, more than the limit of "
                    + ManifestLimits.PROPERTIES_MAX);
        }
        return Collections.unmodifiableMap(next);
    }

    private static long maxSequence(List<Tombstone> tombstones) {
        long max = 0;
        for (Tombstone t : tombstones) {
            max = Math.max(max, t.sequence());
        }
        return max;
    }

    /** The edit that rebuilds this version from {@link #EMPTY}: the first record of every manifest file. */
    public VersionEdit snapshotEdit() {
        VersionEdit.Builder b = VersionEdit.builder();
        files.forEach(b::addFile);
        tombstones.forEach(b::addTombstone);
        b.setWalSegmentFloor(walSegmentFloor).setNextFileNumber(nextFileNumber).setLastSequence(lastSequence)
                .setRetentionNanos(retentionNanos);
        properties.forEach(b::setProperty);
        return b.build();
    }

    /** Live files sorted by (partitionStart, sequence, fileNumber). */
    public List<FileMeta> files() {
        return files;
    }

    /** Live files of the partition starting at {@code partitionStart}, by (sequence, fileNumber). */
    public List<FileMeta> files(long partitionStart) {
        int from = firstAtOrAfter(partitionStart);
        int to = from;
        while (to < files.size() && files.get(to).partitionStart() == partitionStart) {
            to++;
        }
        return files.subList(from, to);
    }

    private int firstAtOrAfter(long partitionStart) {
        int low = 0;
        int high = files.size();
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (files.get(mid).partitionStart() < partitionStart) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    /** Live files holding any time in [minTime, maxTime] (inclusive), in {@link #files()} order. */
    public List<FileMeta> overlapping(long minTime, long maxTime) {
        List<FileMeta> result = new ArrayList<>();
        for (FileMeta f : files) {
            if (f.overlaps(minTime, maxTime)) {
                result.add(f);
            }
        }
        return Collections.unmodifiableList(result);
    }

    /** @return the live file numbered {@code fileNumber}, if any */
    public Optional<FileMeta> file(long fileNumber) {
        return Optional.ofNullable(filesByNumber.get(fileNumber));
    }

    public boolean contains(long fileNumber) {
        return filesByNumber.containsKey(fileNumber);
    }

    /** Live tombstones sorted by sequence. */
    public List<Tombstone> tombstones() {
        return tombstones;
    }

    /** WAL segments with an id below this are durable in segment files. */
    public long walSegmentFloor() {
        return walSegmentFloor;
    }

    /** Every file number below this may exist or have existed. */
    public long nextFileNumber() {
        return nextFileNumber;
    }

    /** The highest sequence recorded (files, tombstones and the engine's own). */
    public long lastSequence() {
        return lastSequence;
    }

    /** Retention in nanoseconds; 0 = forever. */
    public long retentionNanos() {
        return retentionNanos;
    }

    /** Retention; {@link Duration#ZERO} = forever. */
    public Duration retention() {
        return Duration.ofNanos(retentionNanos);
    }

    public Optional<String> property(String key) {
        return Optional.ofNullable(properties.get(key));
    }

    /** All properties, sorted by key. */
    public Map<String, String> properties() {
        return properties;
    }

    @Override
    public String toString() {
        return "Version[files=" + files.size() + ", tombstones=" + tombstones.size() + ", walSegmentFloor="
                + walSegmentFloor + ", nextFileNumber=" + nextFileNumber + ", lastSequence=" + lastSequence + "]";
    }
}
