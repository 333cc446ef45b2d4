package io.sundial.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Prints the tables of a chunked {@code /query} answer (one JSON document per chunk) series by
 * series: the rows of a series are joined over its chunks ({@code "partial":true} on all but the
 * last) and its table printed when its last chunk arrives, so the first tables appear while the
 * server still computes the rest. The text is that of {@link QueryCommand#printTables} for the
 * whole answer; a table needs all its rows for its column widths, so one series is held at a time.
 */
final class ChunkedTables {
    private final PrintStream out;
    private boolean isFirst = true;
    private String name;
    private Map<String, Object> tags;
    private List<String> columns;
    private final List<List<Object>> rows = new ArrayList<>();
    private boolean isOpen;

    ChunkedTables(PrintStream out) {
        this.out = out;
    }

    /** One chunk: {@code {"results":[{"statement_id":..,"series":[..]}]}}. */
    @SuppressWarnings("unchecked")
    void add(Object chunk) {
        if (!(chunk instanceof Map<?, ?> document) || !(document.get("results") instanceof List<?> results)) {
            return;
        }
        for (Object result : results) {
            if (!(result instanceof Map<?, ?> statement) || !(statement.get("series") instanceof List<?> series)) {
                continue;
            }
            for (Object element : series) {
                if (!(element instanceof Map<?, ?> one)) {
                    continue;
                }
                if (!isOpen) {
                    name = one.get("name") instanceof String text ? text : "";
                    tags = one.get("tags") instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
                    columns = one.get("columns") instanceof List<?> list ? (List<String>) list : List.of();
                    isOpen = true;
                }
                if (one.get("values") instanceof List<?> values) {
                    rows.addAll((List<List<Object>>) values);
                }
                if (!Boolean.TRUE.equals(one.get("partial"))) {
                    print();
                }
            }
        }
    }

    /** The answer ended: a series cut short by a statement's error is printed with the rows that came. */
    void finish() {
        if (isOpen) {
            print();
        }
    }

    private void print() {
        if (!isFirst) {
            out.println();
        }
        isFirst = false;
        out.print(TableText.render(name, tags, columns, rows));
        out.flush();
        rows.clear();
        isOpen = false;
    }
}
