package io.sundial.query.exec;

import io.sundial.core.SeriesKey;
import io.sundial.query.plan.TimeCondition;
import io.sundial.query.result.ResultColumn;
import io.sundial.query.sundialql.Expr;
import io.sundial.storage.Column;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The raw rows one series contributes to an answer, column by column: the selected rows' times
 * and, per output field, either a column of primitives aligned with them (a field read from
 * storage, gathered at the selected positions only) or one value for all rows (a tag of the
 * series, or a field the series lacks: null). Expressions other than plain references are
 * evaluated per selected row into boxed cells. {@link RawMerge} merges the series of a group.
 */
final class SeriesRows {
    final SeriesKey key;
    final int size;
    final long[] times;
    /** Per output field: the column aligned with {@link #times}, or null when {@link #constants} holds it. */
    final ResultColumn[] columns;
    /** Per output field whose column is null: its value in every row (a tag value or null). */
    final String[] constants;

    SeriesRows(SeriesKey key, int size, long[] times, ResultColumn[] columns, String[] constants) {
        this.key = key;
        this.size = size;
        this.times = times;
        this.columns = columns;
        this.constants = constants;
    }

    /**
     * The rows of one series: rows where at least one of the first {@code selectedCount} slots has a
     * point and {@code rowFilter} (null when already applied, or absent) holds.
     */
    static SeriesRows build(List<OutputField> fields, Target target, SeriesKey key, Column[] columns,
            Map<String, Integer> slots, int selectedCount, Expr rowFilter, Evaluator evaluator) {
        Timeline timeline = Timeline.of(columns);
        SelectExecutor.RowBindings bindings = new SelectExecutor.RowBindings(target, key, columns, timeline, slots);
        int[] selected = new int[timeline.size];
        int count = 0;
        for (int row = 0; row < timeline.size; row++) {
            if (!hasSelected(timeline, row, selectedCount)) {
                continue;
            }
            if (rowFilter != null) {
                bindings.row = row;
                if (!evaluator.isTrue(rowFilter, bindings)) {
                    continue;
                }
            }
            selected[count++] = row;
        }
        long[] times = new long[count];
        for (int i = 0; i < count; i++) {
            times[i] = timeline.times[selected[i]];
        }
        ResultColumn[] out = new ResultColumn[fields.size()];
        String[] constants = new String[fields.size()];
        for (int f = 0; f < out.length; f++) {
            Expr expression = fields.get(f).expression();
            if (!(expression instanceof Expr.VarRef reference)) {
                out[f] = evaluated(expression, bindings, evaluator, selected, count);
            } else if (TimeCondition.mentionsTime(reference)) {
                out[f] = ResultColumn.ofLongs(times.clone(), null, count);
            } else if (target.isField(reference)) {
                Integer slot = slots.get(reference.name());
                if (slot != null && columns[slot] != null) {
                    out[f] = gather(columns[slot], timeline.indexes[slot], selected, count);
                }
            } else {
                constants[f] = key.tag(reference.name());
            }
        }
        return new SeriesRows(key, count, times, out, constants);
    }

    private static boolean hasSelected(Timeline timeline, int row, int selectedCount) {
        for (int slot = 0; slot < selectedCount; slot++) {
            if (timeline.indexes[slot][row] >= 0) {
                return true;
            }
        }
        return false;
    }

    /** The column's points at the selected rows, as primitives; null cells where it has no point. */
    private static ResultColumn gather(Column column, int[] index, int[] selected, int count) {
        long[] nulls = null;
        switch (column.type()) {
            case FLOAT -> {
                double[] values = new double[count];
                for (int i = 0; i < count; i++) {
                    int at = index[selected[i]];
                    if (at >= 0) {
                        values[i] = column.doubleValue(at);
                    } else {
                        nulls = markNull(nulls, count, i);
                    }
                }
                return ResultColumn.ofDoubles(values, nulls, count);
            }
            case STRING -> {
                String[] values = new String[count];
                for (int i = 0; i < count; i++) {
                    int at = index[selected[i]];
                    values[i] = at >= 0 ? column.stringValue(at) : null;
                }
                return ResultColumn.ofStrings(values, count);
            }
            default -> {
                long[] values = new long[count];
                for (int i = 0; i < count; i++) {
                    int at = index[selected[i]];
                    if (at >= 0) {
                        values[i] = column.longValue(at);
                    } else {
                        nulls = markNull(nulls, count, i);
                    }
                }
                return switch (column.type()) {
                    case BOOLEAN -> ResultColumn.ofBooleans(values, nulls, count);
                    default -> ResultColumn.ofLongs(values, nulls, count);
                };
            }
        }
    }

    private static long[] markNull(long[] nulls, int count, int row) {
        long[] bits = nulls == null ? ResultColumn.nullBits(count) : nulls;
        ResultColumn.setNull(bits, row);
        return bits;
    }

    private static ResultColumn evaluated(Expr expression, SelectExecutor.RowBindings bindings, Evaluator evaluator,
            int[] selected, int count) {
        Object[] values = new Object[count];
        for (int i = 0; i < count; i++) {
            bindings.row = selected[i];
            values[i] = evaluator.evaluate(expression, bindings);
        }
        return ResultColumn.ofObjects(values, count);
    }

    /** The value of field {@code field} at row {@code row}, boxed as the row API gives it. */
    Object value(int field, int row) {
        ResultColumn column = columns[field];
        return column == null ? constants[field] : column.value(row);
    }

    /** The rows boxed (time first), for the paths that order or filter whole rows. */
    List<List<Object>> toRows() {
        List<List<Object>> rows = new ArrayList<>(size);
        for (int row = 0; row < size; row++) {
            List<Object> values = new ArrayList<>(columns.length + 1);
            values.add(times[row]);
            for (int field = 0; field < columns.length; field++) {
                values.add(value(field, row));
            }
            rows.add(values);
        }
        return rows;
    }
}
