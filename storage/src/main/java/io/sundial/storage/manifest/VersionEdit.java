package io.sundial.storage.manifest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * One change to the set of live files and engine metadata, the unit the manifest log records
 * and {@link VersionSet#apply} installs atomically. Immutable; built with {@link #builder()}.
 *
 * <p>Counters (next file number, last sequence, WAL segment floor) only ever rise: a lower value
 * than the version already holds is ignored when applied, so replaying edits in any prefix order
 * can never hand out a number twice.
 */
public final class VersionEdit {
    private final List<FileMeta> addedFiles;
    private final List<Long> removedFiles;
    private final List<Tombstone> addedTombstones;
    private final List<Long> removedTombstones;
    private final OptionalLong walSegmentFloor;
    private final OptionalLong nextFileNumber;
    private final OptionalLong lastSequence;
    private final OptionalLong retentionNanos;
    private final Map<String, String> setProperties;
    private final List<String> removedProperties;

    private VersionEdit(Builder b) {
        addedFiles = List.copyOf(b.addedFiles);
        removedFiles = List.copyOf(b.removedFiles);
        addedTombstones = List.copyOf(b.addedTombstones);
        removedTombstones = List.copyOf(b.removedTombstones);
        walSegmentFloor = b.walSegmentFloor;
        nextFileNumber = b.nextFileNumber;
        lastSequence = b.lastSequence;
        retentionNanos = b.retentionNanos;
        setProperties = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.setProperties));
        removedProperties = List.copyOf(b.removedProperties);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding everything this edit holds, to derive a changed copy. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.addedFiles.addAll(addedFiles);
        b.removedFiles.addAll(removedFiles);
        b.addedTombstones.addAll(addedTombstones);
        b.removedTombstones.addAll(removedTombstones);
        b.walSegmentFloor = walSegmentFloor;
        b.nextFileNumber = nextFileNumber;
        b.lastSequence = lastSequence;
        b.retentionNanos = retentionNanos;
        b.setProperties.putAll(setProperties);
        b.removedProperties.addAll(removedProperties);
        return b;
    }

    public List<FileMeta> addedFiles() {
        return addedFiles;
    }

    public List<Long> removedFiles() {
        return removedFiles;
    }

    public List<Tombstone> addedTombstones() {
        return addedTombstones;
    }

    /** Sequences of the tombstones this edit removes. */
    public List<Long> removedTombstones() {
        return removedTombstones;
    }

    public OptionalLong walSegmentFloor() {
        return walSegmentFloor;
    }

    public OptionalLong nextFileNumber() {
        return nextFileNumber;
    }

    public OptionalLong lastSequence() {
        return lastSequence;
    }

    /** Retention in nanoseconds, 0 = keep forever. */
    public OptionalLong retentionNanos() {
        return retentionNanos;
    }

    /** Properties set by this edit, in the order they were set. */
    public Map<String, String> setProperties() {
        return setProperties;
    }

    public List<String> removedProperties() {
        return removedProperties;
    }

    public boolean isEmpty() {
        return equals(new Builder().build());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VersionEdit e
                && addedFiles.equals(e.addedFiles) && removedFiles.equals(e.removedFiles)
                && addedTombstones.equals(e.addedTombstones) && removedTombstones.equals(e.removedTombstones)
                && walSegmentFloor.equals(e.walSegmentFloor) && nextFileNumber.equals(e.nextFileNumber)
                && lastSequence.equals(e.lastSequence) && retentionNanos.equals(e.retentionNanos)
                && List.copyOf(setProperties.entrySet()).equals(List.copyOf(e.setProperties.entrySet()))
                && removedProperties.equals(e.removedProperties);
    }

    @Override
    public int hashCode() {
        return Objects.hash(addedFiles, removedFiles, addedTombstones, removedTombstones, walSegmentFloor,
                nextFileNumber, lastSequence, retentionNanos, setProperties, removedProperties);
    }

    @Override
    public String toString() {
        return "VersionEdit[added=" + addedFiles + ", removed=" + removedFiles + ", addedTombstones=" + addedTombstones
                + ", removedTombstones=" + removedTombstones + ", walSegmentFloor=" + walSegmentFloor
                + ", nextFileNumber=" + nextFileNumber + ", lastSequence=" + lastSequence
                + ", retentionNanos=" + retentionNanos + ", setProperties=" + setProperties
                + ", removedProperties=" + removedProperties + "]";
    }

    /** Collects one edit. Not thread-safe. */
    public static final class Builder {
        private final List<FileMeta> addedFiles = new ArrayList<>();
        private final List<Long> removedFiles = new ArrayList<>();
        private final List<Tombstone> addedTombstones = new ArrayList<>();
        private final List<Long> removedTombstones = new ArrayList<>();
        private OptionalLong walSegmentFloor = OptionalLong.empty();
        private OptionalLong nextFileNumber = OptionalLong.empty();
        private OptionalLong lastSequence = OptionalLong.empty();
        private OptionalLong retentionNanos = OptionalLong.empty();
        private final Map<String, String> setProperties = new LinkedHashMap<>();
        private final List<String> removedProperties = new ArrayList<>();

        private Builder() {}

        public Builder addFile(FileMeta file) {
            addedFiles.add(Objects.requireNonNull(file, "file"));
            return this;
        }

        public Builder removeFile(long fileNumber) {
            removedFiles.add(fileNumber);
            return this;
        }

        public Builder addTombstone(Tombstone tombstone) {
            addedTombstones.add(Objects.requireNonNull(tombstone, "tombstone"));
            return this;
        }

        public Builder removeTombstone(long sequence) {
            removedTombstones.add(sequence);
            return this;
        }

        /** WAL segments with an id below {@code walSegmentId} are durable in segment files and may be deleted. */
        public Builder setWalSegmentFloor(long walSegmentId) {
            walSegmentFloor = OptionalLong.of(requireNotNegative("WAL segment floor", walSegmentId));
            return this;
        }

        public Builder setNextFileNumber(long fileNumber) {
            nextFileNumber = OptionalLong.of(requireNotNegative("next file number", fileNumber));
            return this;
        }

        public Builder setLastSequence(long sequence) {
            lastSequence = OptionalLong.of(requireNotNegative("last sequence", sequence));
            return this;
        }

        /** How long data is kept; {@link Duration#ZERO} = forever. */
        public Builder setRetention(Duration retention) {
            if (retention.isNegative()) {
                throw new IllegalArgumentException("retention " + retention + " is negative");
            }
            return setRetentionNanos(retention.toNanos());
        }

        /** How long data is kept in nanoseconds; 0 = forever. */
        public Builder setRetentionNanos(long nanos) {
            retentionNanos = OptionalLong.of(requireNotNegative("retention", nanos));
            return this;
        }

        /** Small engine metadata (a format flag, a catalog checkpoint); setting a key twice keeps the last value. */
        public Builder setProperty(String key, String value) {
            ManifestLimits.checkString("property key", key);
            ManifestLimits.checkString("value of property " + key, value);
            removedProperties.remove(key);
            setProperties.put(key, value);
            return this;
        }

        public Builder removeProperty(String key) {
            ManifestLimits.checkString("property key", key);
            setProperties.remove(key);
            if (!removedProperties.contains(key)) {
                removedProperties.add(key);
            }
            return this;
        }

        public VersionEdit build() {
            return new VersionEdit(this);
        }

        private static long requireNotNegative(String what, long value) {
            if (value < 0) {
                throw new IllegalArgumentException(what + " " + value + " is negative");
            }
            return value;
        }
    }
}
