package io.sundial.query.exec;

import io.sundial.core.SeriesKey;
import io.sundial.query.QueryException;
import io.sundial.query.plan.TagCondition;
import io.sundial.query.plan.TimeRange;
import io.sundial.storage.Column;
import io.sundial.storage.ReadCursor;
import io.sundial.storage.ReadRequest;
import io.sundial.storage.index.TagMatcher;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;

/**
 * Reads the series of one measurement that a tag condition selects, each once. A condition on
 * tags that is an OR of matcher sets becomes one index lookup per alternative, and a series found
 * by several of them is read once (the union of the series sets); a tag condition the index
 * cannot express (NOT, comparisons with numbers) is evaluated per series instead.
 */
final class SeriesScan {
    /** What to do with one series: its key and its columns, in the order of the requested fields (null when absent). */
    interface SeriesConsumer {
        void accept(SeriesKey key, Column[] columns);
    }

    private SeriesScan() {}

    static void run(Target target, TagCondition condition, List<String> fields, TimeRange range, Budget budget,
            Evaluator evaluator, SeriesConsumer consumer) {
        if (target.subquery() != null) {
            target.subquery().scan(condition, fields, range, budget, evaluator, consumer);
            return;
        }
        List<List<TagMatcher>> alternatives = List.of(List.of());
        boolean filterEachSeries = false;
        if (condition.seriesFilter() != null) {
            try {
                alternatives = TagCondition.disjunction(condition.seriesFilter(), "SELECT");
            } catch (QueryException notExpressible) {
                filterEachSeries = true;
            }
        }
        Map<String, Integer> slots = new java.util.HashMap<>();
        for (int i = 0; i < fields.size(); i++) {
            slots.put(fields.get(i), i);
        }
        BitSet seen = new BitSet();
        for (List<TagMatcher> alternative : alternatives) {
            List<TagMatcher> matchers = new ArrayList<>(condition.matchers());
            matchers.addAll(alternative);
            ReadRequest request = new ReadRequest(target.measurement(), matchers, fields, range.min(), range.max());
            try (ReadCursor cursor = target.engine().read(request)) {
                while (cursor.next()) {
                    budget.check();
                    if (seen.get(cursor.seriesId())) {
                        continue;
                    }
                    seen.set(cursor.seriesId());
                    SeriesKey key = cursor.seriesKey();
                    if (filterEachSeries
                            && !evaluator.isTrue(condition.seriesFilter(), SelectExecutor.tagBindings(key))) {
                        continue;
                    }
                    Column[] columns = new Column[fields.size()];
                    for (int i = 0; i < cursor.fields().size(); i++) {
                        columns[slots.get(cursor.fields().get(i).name())] = cursor.column(i);
                    }
                    consumer.accept(key, columns);
                }
            }
        }
    }
}
