package io.sundial.ingest;

import io.sundial.core.Point;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** Test support: runs a parser over a whole input in small batches and keeps everything it produced. */
public record ParseRun(List<Point> points, List<ParseError> errors, int batches) {
    /** The clock tests use for points without a timestamp: 2024-01-01T00:00:00Z. */
    public static final Clock FIXED_CLOCK = Clock.fixed(Instant.parse("2024-01-01T00:00:00Z"), ZoneOffset.UTC);
    public static final long FIXED_NOW_NANOS = 1_704_067_200_000_000_000L;

    public static ParseOptions.Builder options() {
        return ParseOptions.builder().clock(FIXED_CLOCK);
    }

    public static ParseRun of(PointFormat format, String input) {
        return of(format, input, options().build());
    }

    public static ParseRun of(PointFormat format, String input, ParseOptions options) {
        return of(format, new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), options, 3);
    }

    public static ParseRun of(PointFormat format, InputStream in, ParseOptions options, int recordsMax) {
        List<Point> points = new ArrayList<>();
        List<ParseError> errors = new ArrayList<>();
        int batches = 0;
        try (PointParser parser = format.open(in, options)) {
            ParsedBatch batch;
            do {
                batch = parser.nextBatch(recordsMax);
                if (batch.points().size() + batch.errors().size() > recordsMax) {
                    throw new AssertionError("batch over its bound: " + batch);
                }
                points.addAll(batch.points());
                errors.addAll(batch.errors());
                batches++;
            } while (!batch.isEndOfInput());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ParseRun(points, errors, batches);
    }

    public Point onlyPoint() {
        if (points.size() != 1 || !errors.isEmpty()) {
            throw new AssertionError("expected one point and no error, got " + points + " and " + errors);
        }
        return points.getFirst();
    }

    public ParseError onlyError() {
        if (errors.size() != 1) {
            throw new AssertionError("expected one error, got " + errors + " (points " + points + ")");
        }
        return errors.getFirst();
    }
}
