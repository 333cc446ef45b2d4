package io.sundial.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One series of a /query answer as the influx shell prints it: {@code name:} and {@code tags:}
 * heading lines, then the columns left-aligned with a dashed rule under the header, null as an
 * empty cell.
 */
final class TableText {
    private TableText() {}

    static String render(String name, Map<String, Object> tags, List<String> columns, List<List<Object>> rows) {
        StringBuilder out = new StringBuilder();
        if (!name.isEmpty()) {
            out.append("name: ").append(name).append('\n');
        }
        if (!tags.isEmpty()) {
            List<String> pairs = new ArrayList<>(tags.size());
            tags.forEach((key, value) -> pairs.add(key + "=" + cell(value)));
            out.append("tags: ").append(String.join(", ", pairs)).append('\n');
        }
        int[] widths = new int[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            widths[i] = columns.get(i).length();
        }
        for (List<Object> row : rows) {
            for (int i = 0; i < widths.length && i < row.size(); i++) {
                widths[i] = Math.max(widths[i], cell(row.get(i)).length());
            }
        }
        line(out, columns, widths);
        line(out, columns.stream().map(column -> "-".repeat(column.length())).toList(), widths);
        for (List<Object> row : rows) {
            line(out, row.stream().map(TableText::cell).toList(), widths);
        }
        return out.toString();
    }

    private static String cell(Object value) {
        return value == null ? "" : value.toString();
    }

    private static void line(StringBuilder out, List<String> cells, int[] widths) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            text.append(cells.get(i));
            if (i < cells.size() - 1) {
                text.append(" ".repeat(Math.max(0, widths[i] - cells.get(i).length()) + 1));
            }
        }
        out.append(text.toString().stripTrailing()).append('\n');
    }
}
