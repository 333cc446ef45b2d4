package io.sundial.query.exec;

import io.sundial.core.SeriesKey;
import io.sundial.storage.Column;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Raw rows of one measurement, handed to an {@link AnswerShaper} group by group as soon as each
 * group is complete and every group before it in answer order has gone. The scan visits series
 * in series id order while the answer is in group (tag) order, so a group that completes early
 * waits; the group at the head of the answer that is made of a single series is not held at
 * all: its rows go out in pieces as they are made, and its retained bytes are returned to the
 * budget at once. Rows of a group of several series are joined and sorted as before, so the
 * answer is the same as when every group is held until the scan ends.
 */
final class RawGroupStream implements SeriesScan.SeriesConsumer {
    /** Makes the rows of one series and gives them, in time order, to {@code out}. */
    interface RowSource {
        void rows(SeriesKey key, Column[] columns, Consumer<List<Object>> out);
    }

    private static final class Pending {
        final int seriesTotal;
        int seriesLeft;
        final List<List<Object>> rows = new ArrayList<>();

        Pending(int seriesTotal) {
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

    RawGroupStream(String measurement, List<String> groupKeys, AnswerShaper shaper, Budget budget, RowSource source) {
        this.measurement = measurement;
        this.groupKeys = groupKeys;
        this.shaper = shaper;
        this.budget = budget;
        this.source = source;
    }

    @Override
    public void plan(SeriesKey[] keys) {
        Map<GroupKey, Integer> counts = new TreeMap<>();
        for (SeriesKey key : keys) {
            counts.merge(GroupKey.of(measurement, groupKeys, key), 1, Integer::sum);
        }
        counts.forEach((group, count) -> pending.put(group, new Pending(count)));
    }

    @Override
    public void accept(SeriesKey key, Column[] columns) {
        GroupKey group = GroupKey.of(measurement, groupKeys, key);
        // A series that was not planned keeps its group open until finish(): held, as before streaming.
        Pending state = pending.computeIfAbsent(group, g -> new Pending(Integer.MAX_VALUE));
        if (state.seriesTotal == 1 && shaper.streamsRows() && group.equals(pending.firstKey())) {
            pending.pollFirstEntry();
            AnswerShaper.Rows rows = shaper.open(group);
            source.rows(key, columns, rows::add);
            rows.close();
            budget.releaseBytes(SeriesScan.retainedBytes(columns));
        } else {
            source.rows(key, columns, state.rows::add);
            state.seriesLeft--;
        }
        drain();
    }

    @Override
    public void skipped(SeriesKey key) {
        Pending state = pending.get(GroupKey.of(measurement, groupKeys, key));
        if (state != null) {
            state.seriesLeft--;
        }
        drain();
    }

    /** The scan is over: every group still held goes, in order. */
    void finish() {
        while (!pending.isEmpty()) {
            Map.Entry<GroupKey, Pending> head = pending.pollFirstEntry();
            shaper.group(head.getKey(), head.getValue().rows);
        }
    }

    private void drain() {
        while (!pending.isEmpty() && pending.firstEntry().getValue().seriesLeft == 0) {
            Map.Entry<GroupKey, Pending> head = pending.pollFirstEntry();
            shaper.group(head.getKey(), head.getValue().rows);
        }
    }
}
