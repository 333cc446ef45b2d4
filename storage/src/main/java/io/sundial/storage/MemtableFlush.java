package io.sundial.storage;

import io.sundial.storage.io.DurableFiles;
import io.sundial.storage.manifest.FileMeta;
import io.sundial.storage.manifest.VersionSet;
import io.sundial.storage.memtable.Memtable;
import io.sundial.storage.segment.SegmentSummary;
import io.sundial.storage.segment.SegmentWriter;
import io.sundial.storage.segment.SegmentWriterOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes one frozen memtable as one segment file per time partition it touches. Files are
 * complete and installed (fsynced, renamed, directory fsynced) before this returns; making them
 * live is the caller's manifest edit, so a crash in between leaves only orphans that open removes.
 */
final class MemtableFlush {
    private final SegmentFiles files;
    private final VersionSet versions;
    private final EngineOptions options;
    private final Memtable memtable;

    MemtableFlush(SegmentFiles files, VersionSet versions, EngineOptions options, Memtable memtable) {
        this.files = files;
        this.versions = versions;
        this.options = options;
        this.memtable = memtable;
    }

    List<FileMeta> write() throws IOException {
        long durationNanos = options.partitionDuration().toNanos();
        Map<Long, PartitionFile> byPartition = new TreeMap<>();
        boolean done = false;
        try {
            for (Memtable.FrozenColumn fc : memtable.sortedColumns()) {
                Column c = fc.column();
                int from = 0;
                while (from < c.size()) {
                    long partition = Partitions.index(c.timestamps()[from], durationNanos);
                    long end = Partitions.end(partition, durationNanos);
                    int to = end == Long.MAX_VALUE ? c.size() : Column.lowerBound(c.timestamps(), c.size(), end);
                    PartitionFile pf = byPartition.get(partition);
                    if (pf == null) {
                        pf = new PartitionFile(partition, versions.newFileNumber());
                        byPartition.put(partition, pf);
                    }
                    pf.add(fc.seriesId(), fc.fieldId(), c, from, to);
                    from = to;
                }
            }
            List<FileMeta> metas = new ArrayList<>(byPartition.size());
            for (PartitionFile pf : byPartition.values()) {
                metas.add(pf.finish(durationNanos));
            }
            done = true;
            return metas;
        } finally {
            if (!done) {
                for (PartitionFile pf : byPartition.values()) {
                    pf.abandon();
                }
            }
        }
    }

    private final class PartitionFile {
        final long partition;
        final long fileNumber;
        final Path temp;
        final SegmentWriter writer;

        PartitionFile(long partition, long fileNumber) throws IOException {
            this.partition = partition;
            this.fileNumber = fileNumber;
            Path target = files.path(fileNumber);
            this.temp = target.resolveSibling(target.getFileName() + DurableFiles.TEMP_SUFFIX);
            this.writer = SegmentWriter.create(temp, SegmentWriterOptions.defaults().withChunkPointsMax(options.chunkPointsMax()));
        }

        void add(int seriesId, int fieldId, Column c, int from, int to) throws IOException {
            if (from == 0 && to == c.size()) {
                writer.add(seriesId, fieldId, c.type(), c.timestamps(), c.values(), c.strings(), c.size());
                return;
            }
            long[] ts = Arrays.copyOfRange(c.timestamps(), from, to);
            long[] values = c.values() == null ? null : Arrays.copyOfRange(c.values(), from, to);
            String[] strings = c.strings() == null ? null : Arrays.copyOfRange(c.strings(), from, to);
            writer.add(seriesId, fieldId, c.type(), ts, values, strings, to - from);
        }

        FileMeta finish(long durationNanos) throws IOException {
            SegmentSummary summary = writer.finish();
            writer.close();
            DurableFiles.install(temp, files.path(fileNumber));
            return new FileMeta(fileNumber, Partitions.start(partition, durationNanos), Partitions.end(partition, durationNanos),
                    summary.minTime(), summary.maxTime(), summary.fileBytes(), summary.pointCount(), memtable.sequence(), 0);
        }

        void abandon() {
            try {
                writer.close();
                Files.deleteIfExists(temp);
            } catch (IOException | RuntimeException e) {
                // The orphan is removed on the next open; the flush error is what matters.
            }
        }
    }
}
