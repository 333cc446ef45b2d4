package io.sundial.ingest.json;

import com.fasterxml.jackson.core.JsonLocation;
import java.util.ArrayList;
import java.util.List;

/**
 * One JSON point object as read, before it becomes points: either a single point (scalar
 * fields, scalar or absent time) or a columnar batch (time and every field are arrays of the
 * same length). The first problem found is kept with its location; reading goes on to the end
 * of the object so the stream stays in step.
 */
final class JsonPointObject {
    final JsonLocation start;
    String measurement;
    final List<String> tagKeys = new ArrayList<>();
    final List<String> tagValues = new ArrayList<>();
    final List<String> fieldNames = new ArrayList<>();
    /** Per field: a JsonScalar (or null for JSON null) in the single form, a List of them in the columnar form. */
    final List<Object> fieldValues = new ArrayList<>();
    boolean hasTime;
    /** Single form: the time in nanoseconds. */
    long timeNanos;
    /** Columnar form: the times in nanoseconds; null when "time" was not an array. */
    long[] timeColumn;
    String problem;
    JsonLocation problemLocation;

    JsonPointObject(JsonLocation start) {
        this.start = start;
    }

    void problem(JsonLocation location, String message) {
        if (problem == null) {
            problem = message;
            problemLocation = location;
        }
    }

    boolean isColumnar() {
        if (timeColumn != null) {
            return true;
        }
        for (Object value : fieldValues) {
            if (value instanceof List<?>) {
                return true;
            }
        }
        return false;
    }
}
