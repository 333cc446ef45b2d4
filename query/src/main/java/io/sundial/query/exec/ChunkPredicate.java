package io.sundial.query.exec;

import io.sundial.core.FieldType;
import io.sundial.query.sundialql.Expr;
import io.sundial.storage.ChunkRef;
import io.sundial.storage.Column;
import io.sundial.storage.ColumnChunks;
import io.sundial.storage.codec.FloatBlocks;
import io.sundial.storage.segment.ChunkStats;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Predicate pushdown: the comparisons of a field with a number that the per-row field condition
 * ANDs at its top level ({@code usage_user > 90 AND ...}). A chunk with exact stats whose min/max
 * prove such a comparison false for all its points makes every row in its time span fail the
 * whole condition: a row there either has the field (then from this chunk, the only source of
 * the field in that span) and fails, or lacks it and fails (a missing field compares false). So
 * every field's chunks lying wholly in such a span need not be decoded; the row condition still
 * runs on everything that is read, so pruning only removes rows that would be dropped. After
 * decoding, the comparisons run over the primitive arrays and every column keeps only the times
 * where all of them hold, before rows are built.
 */
final class ChunkPredicate {
    private record Comparison(int slot, String field, Expr.BinaryOperator operator, Number constant) {
        /** True when no point with stats {@code stats} can satisfy the comparison. */
        boolean provesFalse(FieldType type, ChunkStats stats) {
            if (type == FieldType.FLOAT || type == FieldType.INTEGER && constant instanceof Double) {
                double min = type == FieldType.FLOAT ? stats.minAsDouble() : (double) stats.min();
                double max = type == FieldType.FLOAT ? stats.maxAsDouble() : (double) stats.max();
                return provesFalse(min, max);
            }
            if (type == FieldType.INTEGER) {
                long c = constant.longValue();
                return switch (operator) {
                    case GREATER -> stats.max() <= c;
                    case GREATER_OR_EQUAL -> stats.max() < c;
                    case LESS -> stats.min() >= c;
                    case LESS_OR_EQUAL -> stats.min() > c;
                    case EQUALS -> c < stats.min() || c > stats.max();
                    default -> false;
                };
            }
            return false;
        }

        /** True when no number in [min, max] satisfies the comparison (a NaN bound proves nothing). */
        boolean provesFalse(double min, double max) {
            double c = constant.doubleValue();
            if (Double.isNaN(min) || Double.isNaN(max) || Double.isNaN(c)) {
                return false;
            }
            // Double.compare, as the row evaluator compares (it orders -0.0 below 0.0, as the stats do).
            return switch (operator) {
                case GREATER -> Double.compare(max, c) <= 0;
                case GREATER_OR_EQUAL -> Double.compare(max, c) < 0;
                case LESS -> Double.compare(min, c) >= 0;
                case LESS_OR_EQUAL -> Double.compare(min, c) > 0;
                case EQUALS -> Double.compare(c, min) < 0 || Double.compare(c, max) > 0;
                default -> false;
            };
        }

        /** The row evaluator's verdict for one point: a NaN on either side compares false. */
        boolean holds(FieldType type, long raw) {
            int order;
            if (type == FieldType.INTEGER && constant instanceof Long c) {
                order = Long.compare(raw, c);
            } else {
                double v = type == FieldType.FLOAT ? Double.longBitsToDouble(raw) : (double) raw;
                double c = constant.doubleValue();
                if (Double.isNaN(v) || Double.isNaN(c)) {
                    return false;
                }
                order = Double.compare(v, c);
            }
            return switch (operator) {
                case GREATER -> order > 0;
                case GREATER_OR_EQUAL -> order >= 0;
                case LESS -> order < 0;
                case LESS_OR_EQUAL -> order <= 0;
                case EQUALS -> order == 0;
                default -> true;
            };
        }

        @Override
        public String toString() {
            return field + " " + operator.symbol() + " " + constant;
        }
    }

    private final List<Comparison> comparisons;
    /** True when the row condition is nothing but the AND of {@link #comparisons}. */
    private final boolean coversFilter;

    private ChunkPredicate(List<Comparison> comparisons, boolean coversFilter) {
        this.comparisons = comparisons;
        this.coversFilter = coversFilter;
    }

    static ChunkPredicate of(Expr rowFilter, List<String> fields, Target target) {
        List<Comparison> out = new ArrayList<>();
        boolean covers = rowFilter != null && collect(rowFilter, fields, target, out);
        return new ChunkPredicate(out, covers);
    }

    /** Adds the comparisons {@code expr} ANDs; true when {@code expr} is wholly made of them. */
    private static boolean collect(Expr expr, List<String> fields, Target target, List<Comparison> out) {
        if (!(expr instanceof Expr.Binary binary)) {
            return false;
        }
        if (binary.operator() == Expr.BinaryOperator.AND) {
            boolean left = collect(binary.left(), fields, target, out);
            boolean right = collect(binary.right(), fields, target, out);
            return left && right;
        }
        Expr.BinaryOperator operator = binary.operator();
        Expr left = binary.left();
        Expr right = binary.right();
        if (!(left instanceof Expr.VarRef) && right instanceof Expr.VarRef) {
            left = binary.right();
            right = binary.left();
            operator = switch (operator) {
                case GREATER -> Expr.BinaryOperator.LESS;
                case GREATER_OR_EQUAL -> Expr.BinaryOperator.LESS_OR_EQUAL;
                case LESS -> Expr.BinaryOperator.GREATER;
                case LESS_OR_EQUAL -> Expr.BinaryOperator.GREATER_OR_EQUAL;
                default -> operator;
            };
        }
        Number constant = switch (right) {
            case Expr.IntegerLiteral integer -> integer.value();
            case Expr.FloatLiteral number -> number.value();
            default -> null;
        };
        if (constant == null || !(left instanceof Expr.VarRef reference) || !target.isField(reference)
                || !fields.contains(reference.name())) {
            return false;
        }
        FieldType type = target.fields().get(reference.name());
        if (type != FieldType.FLOAT && type != FieldType.INTEGER) {
            return false;
        }
        return switch (operator) {
            case GREATER, GREATER_OR_EQUAL, LESS, LESS_OR_EQUAL, EQUALS -> {
                out.add(new Comparison(fields.indexOf(reference.name()), reference.name(), operator, constant));
                yield true;
            }
            default -> false;
        };
    }

    boolean isEmpty() {
        return comparisons.isEmpty();
    }

    /**
     * True when the row condition is exactly the AND of the comparisons, so the columns
     * {@link #fetch} returns hold only rows where it is true and it need not run again per row.
     */
    boolean coversFilter() {
        return coversFilter && !comparisons.isEmpty();
    }

    /**
     * Every column of the series in [rangeMin, rangeMax] at the times where every comparison holds.
     * Spans where the condition is proven false are never decoded: whole chunks by their stats, and
     * hours of float chunks by their hour-block tables (a block, like an exact chunk, is the only
     * source of its column in its span). The compared columns are decoded first, over the spans left
     * alive; the other columns then only over the runs of times where the comparisons hold (late
     * materialization): an hour block's values are decoded up to its last such time, and only the
     * points inside the runs are gathered (high-cpu-all keeps ~4 in 10 points of its alive hours).
     */
    Column[] fetch(SeriesScan.Fetch fetch, long rangeMin, long rangeMax) {
        List<long[]> dead = deadSpans(fetch);
        List<long[]> aliveSpans = alive(dead, rangeMin, rangeMax);
        Column[] columns = new Column[fetch.slotCount()];
        boolean[] isCompared = new boolean[columns.length];
        for (Comparison comparison : comparisons) {
            isCompared[comparison.slot()] = true;
        }
        for (int slot = 0; slot < columns.length; slot++) {
            if (isCompared[slot] || fetch.isDryRun()) {
                columns[slot] = decodeSlot(fetch, slot, dead, aliveSpans);
            }
        }
        if (fetch.isDryRun()) {
            return columns;
        }
        long[] alive = aliveTimes(columns);
        List<long[]> runs = alive.length == 0 ? List.of() : runs(alive, columns[comparisons.getFirst().slot()]);
        for (int slot = 0; slot < columns.length; slot++) {
            if (!isCompared[slot]) {
                columns[slot] = runs.isEmpty() ? null : decodeSlot(fetch, slot, dead, runs);
            }
        }
        return keepTimes(columns, alive);
    }

    /**
     * The column of {@code slot} over the sorted disjoint intervals {@code spans}: exact chunks (and
     * clipped ones that are the whole rest) decoded over the spans only; a column with other sources
     * (memtable, overlapping chunks) decoded whole but for the dead chunks.
     */
    private static Column decodeSlot(SeriesScan.Fetch fetch, int slot, List<long[]> dead, List<long[]> spans) {
        ColumnChunks chunks = fetch.chunks(slot);
        if (chunks == null) {
            return null;
        }
        int pruned = 0;
        for (ChunkRef chunk : chunks.exactChunks()) {
            pruned += isDead(dead, chunk) ? 1 : 0;
        }
        fetch.pruned(pruned);
        if (fetch.isDryRun() || chunks.hasRest() && !chunks.isRestClippedOnly()) {
            return fetch.decodeExcept(slot, chunk -> isDead(dead, chunk));
        }
        return decodeAlive(fetch, chunks, spans);
    }

    /**
     * The alive times (sorted, non-empty) as runs of consecutive points of {@code compared}: each
     * interval spans times that are neighbours in that column, so a point of another column at a
     * time where a comparison fails lies outside every interval when the columns share their
     * timestamps (TSBS rows); where they do not, {@link #keepTimes} still drops it.
     */
    private static List<long[]> runs(long[] alive, Column compared) {
        List<long[]> runs = new ArrayList<>();
        long[] stamps = compared.timestamps();
        int size = compared.size();
        int at = Column.lowerBound(stamps, 0, size, alive[0]);
        long runStart = alive[0];
        for (int i = 1; i < alive.length; i++) {
            int next = Column.lowerBound(stamps, at + 1, size, alive[i]);
            if (next != at + 1) {
                runs.add(new long[] {runStart, alive[i - 1]});
                runStart = alive[i];
            }
            at = next;
        }
        runs.add(new long[] {runStart, alive[alive.length - 1]});
        return runs;
    }

    /**
     * The time spans where the condition is proven false from the series' chunk stats and
     * hour-block tables (exact chunks, and clipped ones when they are the whole rest): no row
     * there can pass, whatever field it is read from.
     */
    List<long[]> deadSpans(SeriesScan.Fetch fetch) {
        List<long[]> dead = new ArrayList<>();
        for (Comparison comparison : comparisons) {
            ColumnChunks chunks = fetch.chunks(comparison.slot());
            if (chunks == null) {
                continue;
            }
            for (ChunkRef chunk : chunks.exactChunks()) {
                if (comparison.provesFalse(chunk.type(), chunk.stats())) {
                    dead.add(new long[] {chunk.minTime(), chunk.maxTime()});
                } else {
                    addDeadBlocks(fetch, comparison, chunk, dead);
                }
            }
            if (chunks.isRestClippedOnly()) {
                for (ChunkRef chunk : chunks.clippedChunks()) {
                    addDeadBlocks(fetch, comparison, chunk, dead);
                }
            }
        }
        return dead;
    }

    /** The columns' points at the times where every comparison holds (late materialization). */
    Column[] keepAlive(Column[] columns) {
        return keepTimes(columns, aliveTimes(columns));
    }

    private static Column[] keepTimes(Column[] columns, long[] times) {
        for (int slot = 0; slot < columns.length; slot++) {
            columns[slot] = keepTimes(columns[slot], times);
        }
        return columns;
    }

    /**
     * The times at which every comparison holds (late materialization): a row elsewhere fails the
     * AND, whether its field is missing or compares false, so only these rows need building and
     * evaluating. Sorted.
     */
    private long[] aliveTimes(Column[] columns) {
        long[] alive = null;
        int aliveCount = 0;
        for (Comparison comparison : comparisons) {
            Column column = columns[comparison.slot()];
            if (column == null) {
                return new long[0];
            }
            long[] times = new long[column.size()];
            int count = 0;
            for (int i = 0; i < column.size(); i++) {
                if (comparison.holds(column.type(), column.values()[i])) {
                    times[count++] = column.timestamp(i);
                }
            }
            if (alive == null) {
                alive = times;
                aliveCount = count;
            } else {
                int kept = 0;
                int j = 0;
                for (int i = 0; i < aliveCount; i++) {
                    while (j < count && times[j] < alive[i]) {
                        j++;
                    }
                    if (j < count && times[j] == alive[i]) {
                        alive[kept++] = alive[i];
                    }
                }
                aliveCount = kept;
            }
        }
        return Arrays.copyOf(alive, aliveCount);
    }

    /** The points of {@code column} at the given sorted times. */
    private static Column keepTimes(Column column, long[] times) {
        if (column == null) {
            return null;
        }
        int size = column.size();
        long[] stamps = column.timestamps();
        if (size == times.length && Arrays.equals(stamps, 0, size, times, 0, size)) {
            // A field decoded over the runs of alive times holds exactly those times when it shares them.
            return size == 0 ? null : column;
        }
        long[] outTimes = new long[Math.min(size, times.length)];
        long[] values = column.values() == null ? null : new long[outTimes.length];
        String[] strings = column.strings() == null ? null : new String[outTimes.length];
        int count = 0;
        int i = 0;
        // The alive times are a few of the column's (usage_user > 90 keeps ~1 in 10): each is found by
        // galloping from the previous one, not by stepping over every time in between.
        for (int j = 0; j < times.length && i < size; j++) {
            long time = times[j];
            i = Column.lowerBound(stamps, i, size, time);
            if (i < size && stamps[i] == time) {
                outTimes[count] = time;
                if (values != null) {
                    values[count] = column.values()[i];
                } else {
                    strings[count] = column.strings()[i];
                }
                count++;
                i++;
            }
        }
        return count == 0 ? null : new Column(column.type(), outTimes, values, strings, count);
    }

    /** The hour blocks of a float chunk that the comparison proves false, as dead spans. */
    private static void addDeadBlocks(SeriesScan.Fetch fetch, Comparison comparison, ChunkRef chunk, List<long[]> dead) {
        if (fetch.isDryRun() || chunk.type() != FieldType.FLOAT) {
            return;
        }
        FloatBlocks blocks = chunk.floatBlocks();
        if (blocks == null) {
            return;
        }
        for (int b = 0; b < blocks.blockCount(); b++) {
            if (comparison.provesFalse(Double.longBitsToDouble(blocks.mins()[b]),
                    Double.longBitsToDouble(blocks.maxes()[b]))) {
                dead.add(new long[] {blocks.minTimes()[b], blocks.maxTimes()[b]});
            }
        }
    }

    /** [rangeMin, rangeMax] without the dead spans, as sorted disjoint inclusive intervals. */
    static List<long[]> alive(List<long[]> dead, long rangeMin, long rangeMax) {
        List<long[]> spans = new ArrayList<>(dead);
        spans.sort(java.util.Comparator.comparingLong(span -> span[0]));
        List<long[]> out = new ArrayList<>();
        long next = rangeMin;
        boolean isDone = false;
        for (long[] span : spans) {
            if (span[1] < next) {
                continue;
            }
            if (span[0] > rangeMax) {
                break;
            }
            if (span[0] > next) {
                out.add(new long[] {next, span[0] - 1});
            }
            if (span[1] >= rangeMax) {
                isDone = true;
                break;
            }
            next = span[1] + 1;
        }
        if (!isDone) {
            out.add(new long[] {next, rangeMax});
        }
        return out;
    }

    /**
     * The chunk's points within the alive intervals (sorted, disjoint), one decode for all of them:
     * every decode of a chunk decodes all its timestamps, so one per interval would repeat that per gap.
     * Null when none.
     */
    static Column decodeAlive(SeriesScan.Fetch fetch, ChunkRef chunk, List<long[]> alive) {
        List<long[]> inside = new ArrayList<>(2);
        for (long[] interval : alive) {
            long from = Math.max(interval[0], chunk.minTime());
            long to = Math.min(interval[1], chunk.maxTime());
            if (from <= to) {
                inside.add(new long[] {from, to});
            }
        }
        if (inside.isEmpty()) {
            return null;
        }
        Column part;
        if (inside.size() == 1) {
            long[] only = inside.getFirst();
            part = only[0] == chunk.minTime() && only[1] == chunk.maxTime() ? fetch.decode(chunk)
                    : fetch.decode(chunk, only[0], only[1]);
        } else {
            long[] minTimes = new long[inside.size()];
            long[] maxTimes = new long[inside.size()];
            for (int i = 0; i < minTimes.length; i++) {
                minTimes[i] = inside.get(i)[0];
                maxTimes[i] = inside.get(i)[1];
            }
            part = fetch.decode(chunk, minTimes, maxTimes);
        }
        return part == null || part.size() == 0 ? null : part;
    }

    /** The column's chunks (exact, and clipped ones that are the whole rest) decoded over the alive intervals only. */
    private static Column decodeAlive(SeriesScan.Fetch fetch, ColumnChunks chunks, List<long[]> alive) {
        List<ChunkRef> all = new ArrayList<>(chunks.exactChunks());
        if (chunks.hasRest()) {
            all.addAll(chunks.clippedChunks());
        }
        all.sort(java.util.Comparator.comparingLong(ChunkRef::minTime));
        // Chunks in time order, intervals in time order within each: the parts follow one another.
        List<Column> parts = new ArrayList<>();
        int total = 0;
        for (ChunkRef chunk : all) {
            Column part = decodeAlive(fetch, chunk, alive);
            if (part != null) {
                parts.add(part);
                total += part.size();
            }
        }
        if (parts.size() <= 1) {
            return parts.isEmpty() ? null : parts.getFirst();
        }
        Column first = parts.getFirst();
        long[] times = new long[total];
        long[] values = first.values() == null ? null : new long[total];
        String[] strings = first.strings() == null ? null : new String[total];
        int at = 0;
        for (Column part : parts) {
            System.arraycopy(part.timestamps(), 0, times, at, part.size());
            if (values != null) {
                System.arraycopy(part.values(), 0, values, at, part.size());
            } else {
                System.arraycopy(part.strings(), 0, strings, at, part.size());
            }
            at += part.size();
        }
        return new Column(first.type(), times, values, strings, total);
    }

    static boolean isDead(List<long[]> dead, ChunkRef chunk) {
        for (long[] span : dead) {
            if (span[0] <= chunk.minTime() && chunk.maxTime() <= span[1]) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        for (Comparison comparison : comparisons) {
            parts.add(comparison.toString());
        }
        return String.join(" AND ", parts);
    }
}
