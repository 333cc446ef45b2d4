package io.sundial.storage.index;

import io.sundial.core.FieldType;
import io.sundial.core.SundialException;

/** A write gives a field a type other than the one it was created with (InfluxDB's wording). */
public final class FieldTypeConflictException extends SundialException {
    private static final long serialVersionUID = 1L;

    public FieldTypeConflictException(String measurement, String field, FieldType input, FieldType existing) {
        super("field type conflict: input field \"" + field + "\" on measurement \"" + measurement
                + "\" is type " + input.displayName() + ", already exists as type " + existing.displayName());
    }
}
