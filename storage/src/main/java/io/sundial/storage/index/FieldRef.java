package io.sundial.storage.index;

import io.sundial.core.FieldType;
import java.util.Objects;

/**
 * A field of a measurement with its dense global id. The type is fixed when the field is first
 * written; ids are never reused, even after the measurement is dropped.
 */
public record FieldRef(int id, String measurement, String name, FieldType type) {
    public FieldRef {
        if (id < 0) {
            throw new IllegalArgumentException("field id " + id + " is negative");
        }
        Objects.requireNonNull(measurement, "measurement");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
    }
}
