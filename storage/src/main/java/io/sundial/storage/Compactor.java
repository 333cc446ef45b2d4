package io.sundial.storage;

import io.sundial.core.FieldType;
import io.sundial.storage.compaction.CompactionTask;
import io.sundial.storage.index.SeriesCatalog;
import io.sundial.storage.io.DurableFiles;
import io.sundial.storage.manifest.FileMeta;
import io.sundial.storage.manifest.Tombstone;
import io.sundial.storage.manifest.Version;
import io.sundial.storage.manifest.VersionEdit;
import io.sundial.storage.manifest.VersionSet;
import io.sundial.storage.segment.ChunkMeta;
import io.sundial.storage.segment.SegmentReader;
import io.sundial.storage.segment.SegmentSummary;
import io.sundial.storage.segment.SegmentWriter;
import io.sundial.storage.segment.SegmentWriterOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.roaringbitmap.RoaringBitmap;

/**
 * Runs one {@link CompactionTask}: a k-way merge of the inputs' columns in (series, field) order,
 * applying tombstones and last-write-wins, into one new file. The output takes the highest
 * input sequence, which is correct because the task holds every file overlapping its window.
 * Readers keep using the inputs through pinned versions until they finish.
 */
final class Compactor {
    private final SegmentFiles files;
    private final VersionSet versions;
    private final SeriesCatalog catalog;
    private final EngineOptions options;
    private final EngineMetrics metrics;
    private final long bytesPerSecondMax;
    private long throttleStartNanos;
    private long throttleBytes;

    /** @param bytesPerSecondMax throttle in bytes of merged points (16 per point) per second; 0 = none */
    Compactor(SegmentFiles files, VersionSet versions, SeriesCatalog catalog, EngineOptions options, EngineMetrics metrics,
              long bytesPerSecondMax) {
        this.bytesPerSecondMax = bytesPerSecondMax;
        this.files = files;
        this.versions = versions;
        this.catalog = catalog;
        this.options = options;
        this.metrics = metrics;
    }

    void run(Version version, CompactionTask task) throws IOException {
        List<FileMeta> inputs = new ArrayList<>(task.inputs());
        inputs.sort(Comparator.comparingLong(FileMeta::sequence));
        List<Tombstone> tombstones = version.tombstones();
        RoaringBitmap[] tombstoneSeries = new RoaringBitmap[tombstones.size()];
        for (int i = 0; i < tombstones.size(); i++) {
            Tombstone t = tombstones.get(i);
            tombstoneSeries[i] = t.measurement() == null ? null : catalog.select(t.measurement(), Tombstones.toIndex(t.matchers()));
        }
        long fileNumber = versions.newFileNumber();
        Path target = files.path(fileNumber);
        Path temp = target.resolveSibling(target.getFileName() + DurableFiles.TEMP_SUFFIX);
        SegmentSummary summary;
        boolean wrote = false;
        throttleStartNanos = System.nanoTime();
        try (SegmentWriter writer = SegmentWriter.create(temp, SegmentWriterOptions.defaults().withChunkPointsMax(options.chunkPointsMax()))) {
            Merge merge = new Merge(inputs);
            while (merge.advance()) {
                Column merged = null;
                for (int i = 0; i < inputs.size(); i++) {
                    Column c = merge.column(i);
                    if (c == null) {
                        continue;
                    }
                    c = dropDeleted(c, merge.seriesId, inputs.get(i).sequence(), tombstones, tombstoneSeries);
                    merged = ColumnMerger.merge(merged, c);
                }
                if (merged == null || merged.size() == 0 || catalog.seriesKey(merge.seriesId) == null) {
                    continue; // deleted, or its series was dropped
                }
                writer.add(merge.seriesId, merge.fieldId, merged.type(), merged.timestamps(), merged.values(), merged.strings(), merged.size());
                wrote = true;
                throttle(16L * merged.size());
            }
            summary = wrote ? writer.finish() : null;
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        VersionEdit.Builder edit = VersionEdit.builder();
        for (FileMeta f : inputs) {
            edit.removeFile(f.fileNumber());
        }
        List<FileMeta> added = new ArrayList<>();
        if (summary != null) {
            DurableFiles.install(temp, target);
            // Every tombstone of the version is applied to the output, so it takes a sequence at or
            // above theirs: they no longer apply to it, and it no longer keeps them alive. No other
            // source can sit between: memtables alive after a tombstone was added are newer than it
            // (a delete flushes older ones first), and every file overlapping the window is an input.
            long sequence = inputs.getLast().sequence();
            for (Tombstone t : tombstones) {
                sequence = Math.max(sequence, t.sequence());
            }
            int level = inputs.stream().mapToInt(FileMeta::level).max().orElse(0) + 1;
            FileMeta out = new FileMeta(fileNumber, task.partitionStart(), task.partitionEnd(), summary.minTime(),
                    summary.maxTime(), summary.fileBytes(), summary.pointCount(), sequence, level);
            edit.addFile(out);
            added.add(out);
            metrics.addCompactionBytes(summary.fileBytes());
        } else {
            Files.deleteIfExists(temp);
        }
        retireTombstones(version, inputs, added, edit);
        files.openAll(added);
        versions.apply(edit.build());
    }

    /** A tombstone is done when no remaining file older than it overlaps its time range. */
    private static void retireTombstones(Version version, List<FileMeta> removed, List<FileMeta> added, VersionEdit.Builder edit) {
        Set<Long> removedNumbers = new HashSet<>();
        for (FileMeta f : removed) {
            removedNumbers.add(f.fileNumber());
        }
        List<FileMeta> remaining = new ArrayList<>(added);
        for (FileMeta f : version.files()) {
            if (!removedNumbers.contains(f.fileNumber())) {
                remaining.add(f);
            }
        }
        for (Tombstone t : version.tombstones()) {
            boolean stillNeeded = false;
            for (FileMeta f : remaining) {
                if (f.sequence() < t.sequence() && f.maxTime() >= t.minTime() && f.minTime() <= t.maxTime()) {
                    stillNeeded = true;
                    break;
                }
            }
            if (!stillNeeded) {
                edit.removeTombstone(t.sequence());
            }
        }
    }

    private static Column dropDeleted(Column c, int seriesId, long sequence, List<Tombstone> tombstones, RoaringBitmap[] series) {
        long[] ranges = null;
        int count = 0;
        for (int i = 0; i < tombstones.size(); i++) {
            Tombstone t = tombstones.get(i);
            if (t.sequence() > sequence && (series[i] == null || series[i].contains(seriesId))) {
                if (ranges == null) {
                    ranges = new long[2 * tombstones.size()];
                }
                ranges[2 * count] = t.minTime();
                ranges[2 * count + 1] = t.maxTime();
                count++;
            }
        }
        return count == 0 ? c : ColumnMerger.removeRanges(c, ranges, count);
    }

    /** Keeps compaction writes under the configured rate so ingestion keeps the disk. */
    private void throttle(long bytes) {
        long rate = bytesPerSecondMax;
        if (rate <= 0) {
            return;
        }
        throttleBytes += bytes;
        long dueNanos = throttleStartNanos + TimeUnit.SECONDS.toNanos(1) * throttleBytes / rate;
        long waitNanos = dueNanos - System.nanoTime();
        if (waitNanos > 0) {
            LockSupport.parkNanos(waitNanos);
        }
    }

    /**
     * Bytes of chunks read from all inputs together before their pages are dropped from the
     * resident set: the inputs are read once, front to back, and would otherwise all stay resident
     * until deleted. Shared by the inputs rather than per input: the merge reads every input at once,
     * so a per-input bound let a compaction of n files hold n times it (set A's final merge of four
     * files over HTTP: 13.5 MiB of its inputs resident at once, 5.5 MiB shared; docs/BENCHMARKS.md section 11).
     */
    static final long RESIDENT_INPUTS_BYTES_MAX = 4L << 20;
    /** Each input's share is at least this, so a merge of many files makes few madvise calls. */
    static final long RESIDENT_INPUT_BYTES_MIN = 256L << 10;

    /** Bytes read from each of {@code inputs} input files before its pages are dropped. */
    static long residentBytesPerInput(int inputs) {
        return Math.max(RESIDENT_INPUT_BYTES_MIN, RESIDENT_INPUTS_BYTES_MAX / Math.max(1, inputs));
    }

    /** Walks the chunk indexes of all inputs in (series, field) order. */
    private final class Merge {
        private final List<FileMeta> inputs;
        private final SegmentReader[] readers;
        private final int[] positions;
        /** Per input, the first chunk whose pages are still resident, and the bytes read since. */
        private final int[] residentFrom;
        private final long[] residentBytes;
        /** Bytes read from one input before its pages are dropped: its share of {@link #RESIDENT_INPUTS_BYTES_MAX}. */
        private final long residentBytesMax;
        private final Column[] columns;
        int seriesId;
        int fieldId;

        Merge(List<FileMeta> inputs) {
            this.inputs = inputs;
            this.readers = new SegmentReader[inputs.size()];
            this.positions = new int[inputs.size()];
            this.residentFrom = new int[inputs.size()];
            this.residentBytes = new long[inputs.size()];
            this.residentBytesMax = residentBytesPerInput(inputs.size());
            this.columns = new Column[inputs.size()];
            for (int i = 0; i < readers.length; i++) {
                readers[i] = files.reader(inputs.get(i).fileNumber());
            }
        }

        Column column(int input) {
            return columns[input];
        }

        boolean advance() {
            long best = Long.MAX_VALUE;
            for (int i = 0; i < readers.length; i++) {
                if (positions[i] < readers[i].chunkCount()) {
                    ChunkMeta m = readers[i].chunk(positions[i]);
                    best = Math.min(best, key(m));
                }
            }
            if (best == Long.MAX_VALUE) {
                return false;
            }
            seriesId = (int) (best >>> 32);
            fieldId = (int) best;
            for (int i = 0; i < readers.length; i++) {
                columns[i] = readRun(i, best);
            }
            return true;
        }

        /** Decodes the consecutive chunks of input i with the given key, or null. */
        private Column readRun(int i, long key) {
            SegmentReader r = readers[i];
            int start = positions[i];
            int end = start;
            int total = 0;
            FieldType type = null;
            while (end < r.chunkCount() && key(r.chunk(end)) == key) {
                ChunkMeta m = r.chunk(end);
                type = m.type();
                total += m.count();
                end++;
            }
            if (end == start) {
                return null;
            }
            long[] ts = new long[total];
            long[] values = type == FieldType.STRING ? null : new long[total];
            String[] strings = type == FieldType.STRING ? new String[total] : null;
            int pos = 0;
            for (int c = start; c < end; c++) {
                pos += r.decode(c, ts, values, strings, pos);
                residentBytes[i] += r.chunkBlockBytes(c);
            }
            positions[i] = end;
            if (residentBytes[i] >= residentBytesMax) {
                r.releaseChunkPages(residentFrom[i], end);
                residentFrom[i] = end;
                residentBytes[i] = 0;
            }
            return new Column(type, ts, values, strings, total);
        }

        private long key(ChunkMeta m) {
            return (m.seriesId() << 32) | (m.fieldId() & 0xFFFFFFFFL);
        }

        @Override
        public String toString() {
            return "merge of " + inputs.size() + " files";
        }
    }
}
