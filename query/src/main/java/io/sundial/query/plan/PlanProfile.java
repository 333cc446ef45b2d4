package io.sundial.query.plan;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the planner chose and what the executor did for one SELECT: filled while planning (EXPLAIN)
 * or while running (EXPLAIN ANALYZE), then printed one line per row. Counters are updated by the
 * fetch threads, so they are adders; the lists are written by the query's own thread only.
 */
public final class PlanProfile {
    /** One measurement's scan. */
    public static final class Scan {
        final String measurement;
        final List<String> lookups = new ArrayList<>();
        final Set<String> pushdowns = new LinkedHashSet<>();
        String range = "";
        long seriesSelected;
        long files;
        long partitions;
        long memtables;
        long tombstones;
        int threads;
        public final LongAdder seriesRead = new LongAdder();
        public final LongAdder chunksExact = new LongAdder();
        public final LongAdder chunksOverlapped = new LongAdder();
        public final LongAdder chunksFromStats = new LongAdder();
        public final LongAdder chunksDecoded = new LongAdder();
        public final LongAdder chunksPruned = new LongAdder();
        public final LongAdder chunksSkipped = new LongAdder();
        public final LongAdder memtableColumns = new LongAdder();
        public final LongAdder pointsDecoded = new LongAdder();
        /** Hour blocks of float chunks folded from the chunk's hour table, none of their points decoded. */
        public final LongAdder hoursFromTable = new LongAdder();
        long fetchNanos;
        long foldNanos;
        long groups;

        Scan(String measurement) {
            this.measurement = measurement;
        }

        public void lookup(String description) {
            lookups.add(description);
        }

        public void pushdown(String description) {
            pushdowns.add(description);
        }

        public void snapshot(String timeRange, long series, long fileCount, long partitionCount, long memtableCount,
                long tombstoneCount, int threadCount) {
            this.range = timeRange;
            this.seriesSelected = series;
            this.files = fileCount;
            this.partitions = partitionCount;
            this.memtables = memtableCount;
            this.tombstones = tombstoneCount;
            this.threads = threadCount;
        }

        /** The fetch threads, when the scan's work chose fewer than {@link #snapshot} was told. */
        public void fetchThreads(int count) {
            threads = count;
        }

        public void addFetchNanos(long nanos) {
            fetchNanos += nanos;
        }

        public void addFoldNanos(long nanos) {
            foldNanos += nanos;
        }

        public void groups(long count) {
            groups = count;
        }
    }

    private final String statement;
    private final boolean isAnalyze;
    private final List<Scan> scans = new ArrayList<>();
    private long rows;
    private long totalNanos;
    private long peakBytes;

    public PlanProfile(String statement, boolean isAnalyze) {
        this.statement = statement;
        this.isAnalyze = isAnalyze;
    }

    public boolean isAnalyze() {
        return isAnalyze;
    }

    public Scan scan(String measurement) {
        Scan scan = new Scan(measurement);
        scans.add(scan);
        return scan;
    }

    public void finish(long rowCount, long nanos, long bytesPeak) {
        this.rows = rowCount;
        this.totalNanos = nanos;
        this.peakBytes = bytesPeak;
    }

    /** The plan as text lines (the rows of EXPLAIN's single column). */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        out.add((isAnalyze ? "EXPLAIN ANALYZE " : "EXPLAIN ") + statement);
        if (scans.isEmpty()) {
            out.add("no measurement matches FROM (or the time range is empty): nothing is read");
        }
        for (Scan scan : scans) {
            out.add("SCAN " + scan.measurement);
            out.add("  index: " + (scan.lookups.isEmpty() ? "measurement only" : String.join(" OR ", scan.lookups))
                    + " -> " + scan.seriesSelected + " series");
            out.add("  time range: " + scan.range);
            out.add("  sources: " + scan.partitions + " partitions, " + scan.files + " files, " + scan.memtables
                    + " memtables, " + scan.tombstones + " tombstones");
            out.add("  chunks: " + scan.chunksExact.sum() + " with exact stats, " + scan.chunksOverlapped.sum()
                    + " overlapped (merged on read), " + scan.memtableColumns.sum() + " memtable columns");
            out.add("  " + (isAnalyze ? "read" : "to read") + ": " + scan.chunksDecoded.sum() + " chunks decoded, "
                    + scan.chunksFromStats.sum() + " answered from stats, " + scan.chunksPruned.sum()
                    + " pruned by predicate, " + scan.chunksSkipped.sum() + " skipped (early termination)");
            out.add("  pushdown: " + (scan.pushdowns.isEmpty() ? "none" : String.join("; ", scan.pushdowns)));
            out.add("  parallel fetch: " + scan.threads + (scan.threads == 1 ? " thread" : " threads"));
            if (isAnalyze) {
                out.add(String.format(Locale.ROOT, "  operator fetch: series %d, points decoded %d, hours from tables %d,"
                        + " time %.3f ms", scan.seriesRead.sum(), scan.pointsDecoded.sum(), scan.hoursFromTable.sum(),
                        scan.fetchNanos / 1e6));
                out.add(String.format(Locale.ROOT, "  operator aggregate/rows: groups %d, time %.3f ms", scan.groups,
                        scan.foldNanos / 1e6));
            }
        }
        if (isAnalyze) {
            out.add(String.format(Locale.ROOT, "RESULT rows %d, peak memory %d bytes, total time %.3f ms", rows,
                    peakBytes, totalNanos / 1e6));
        }
        return out;
    }
}
