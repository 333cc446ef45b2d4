package io.sundial.query.exec;

import io.sundial.core.SeriesKey;
import io.sundial.storage.Column;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Raw rows of one measurement, handed to an {@link AnswerShaper} group by group as soon as each
 * group is complete and every group before it in answer order has gone. The scan visits series
 * in series id order while the answer is in group (tag) order, so a group that completes early
 * waits; the group at the head of the answer that is made of a single series is not held at
 * all: its columnar rows go out in pieces at once, and its retained bytes are returned to the
 * budget. The series of a group of several series are held column by column ({@link SeriesRows})
 * and merged when the group completes ({@link RawMerge}), so the answer is the same as when every
 * group is held until the scan ends.
 */
final class RawGroupStream implements SeriesScan.SeriesConsumer {
    /** Makes the rows of one series, column by column, in time order. */
    interface RowSource {
        SeriesRows rows(SeriesKey key, Column[] columns);
    }

    private static final class Pending {
        final GroupKey group;
        final int seriesTotal;
        int seriesLeft;
        /** The group's series that have rows, in the order read. */
        final List<SeriesRows> series = new ArrayList<>();

        Pending(GroupKey group, int seriesTotal) {
            this.group = group;
            this.seriesTotal = seriesTotal;
            this.seriesLeft = seriesTotal;
        }
    }

    private final String measurement;
    private final List<String> groupKeys;
    private final AnswerShaper shaper;
    private final Budget budget;
    private final RowSource source;
    private final TreeMap<GroupKey, Pending> pending = new TreeMap<>();
    /**
     * The group of each planned series, by the identity of the key the scan plans and then hands
     * back: a series' group is found without building and ordering its key again (with one series
     * per group, that was a sixth of a lastpoint query's executor time).
     */
    private final IdentityHashMap<SeriesKey, Pending> planned = new IdentityHashMap<>();

    RawGroupStream(String measurement, List<String> groupKeys, AnswerShaper shaper, Budget budget, RowSource source) {
        this.measurement = measurement;
        this.groupKeys = groupKeys;
        this.shaper = shaper;
        this.budget = budget;
        this.source = source;
    }

    @Override
    public void plan(SeriesKey[] keys) {
        GroupKey[] groups = new GroupKey[keys.length];
        Map<GroupKey, Integer> counts = new HashMap<>();
        for (int i = 0; i < keys.length; i++) {
            groups[i] = GroupKey.of(measurement, groupKeys, keys[i]);
            counts.merge(groups[i], 1, Integer::sum);
        }
        for (int i = 0; i < keys.length; i++) {
            GroupKey group = groups[i];
            Pending state = pending.computeIfAbsent(group, g -> new Pending(g, counts.get(g)));
            planned.put(keys[i], state);
        }
    }

    /** The state of the series' group; a series that was not planned keeps its group open until finish(). */
    private Pending state(SeriesKey key) {
        Pending state = planned.get(key);
        if (state != null) {
            return state;
        }
        return pending.computeIfAbsent(GroupKey.of(measurement, groupKeys, key),
                group -> new Pending(group, Integer.MAX_VALUE));
    }

    @Override
    public void accept(SeriesKey key, Column[] columns) {
        Pending state = state(key);
        SeriesRows rows = source.rows(key, columns);
        boolean isHead = !pending.isEmpty() && pending.firstEntry().getValue() == state;
        if (state.seriesTotal == 1 && shaper.streamsRows() && isHead) {
            pending.pollFirstEntry();
            shaper.seriesInPieces(state.group, rows);
            budget.releaseBytes(SeriesScan.retainedBytes(columns));
        } else {
            if (rows.size > 0) {
                state.series.add(rows);
            }
            state.seriesLeft--;
        }
        drain();
    }

    @Override
    public void skipped(SeriesKey key) {
        Pending state = planned.get(key);
        if (state == null) {
            state = pending.get(GroupKey.of(measurement, groupKeys, key));
        }
        if (state != null) {
            state.seriesLeft--;
        }
        drain();
    }

    /** The scan is over: every group still held goes, in order. */
    void finish() {
        while (!pending.isEmpty()) {
            Map.Entry<GroupKey, Pending> head = pending.pollFirstEntry();
            shaper.columnarGroup(head.getKey(), head.getValue().series);
        }
    }

    private void drain() {
        while (!pending.isEmpty() && pending.firstEntry().getValue().seriesLeft == 0) {
            Map.Entry<GroupKey, Pending> head = pending.pollFirstEntry();
            shaper.columnarGroup(head.getKey(), head.getValue().series);
        }
    }
}
