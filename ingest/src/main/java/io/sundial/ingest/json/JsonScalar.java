package io.sundial.ingest.json;

import io.sundial.core.FieldType;

/** One field value read from JSON: its type and raw word as {@link io.sundial.core.Point} holds them. */
record JsonScalar(FieldType type, long bits, String string) {
}
