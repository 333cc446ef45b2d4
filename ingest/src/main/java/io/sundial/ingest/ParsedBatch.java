package io.sundial.ingest;

import io.sundial.core.Point;
import java.util.List;

/**
 * What one {@link PointParser#nextBatch} call produced: the valid points in input order, the
 * records it rejected, and whether the input is exhausted (no further call yields anything).
 */
public record ParsedBatch(List<Point> points, List<ParseError> errors, boolean isEndOfInput) {
    public ParsedBatch {
        points = List.copyOf(points);
        errors = List.copyOf(errors);
    }

    public boolean hasErrors() {
        return !errors.isEmpty();
    }
}
