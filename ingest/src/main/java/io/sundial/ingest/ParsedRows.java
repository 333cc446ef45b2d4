package io.sundial.ingest;

import java.util.List;

/**
 * What one {@link PointParser#nextRows} call produced besides the rows it added to the caller's
 * {@link io.sundial.core.PointColumns}: how many rows, the records it rejected, and whether the
 * input is exhausted (no further call yields anything).
 */
public record ParsedRows(int rowsAdded, List<ParseError> errors, boolean isEndOfInput) {
    public ParsedRows {
        if (rowsAdded < 0) {
            throw new IllegalArgumentException("rowsAdded must not be negative, got " + rowsAdded);
        }
        errors = List.copyOf(errors);
    }

    public boolean hasErrors() {
        return !errors.isEmpty();
    }
}
