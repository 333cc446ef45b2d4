package io.sundial.server.logging;

import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * A log record that carries named fields besides its message: the JSON log format writes them
 * as members of {@code "fields"}, the text format shows only the message. Not a message
 * parameter, because a parameterized message is run through MessageFormat, and a query text
 * holding "{0}" would then be rewritten.
 */
public final class FieldsRecord extends LogRecord {
    private static final long serialVersionUID = 1L;

    private final transient Map<String, Object> fields;

    public FieldsRecord(Level level, String loggerName, String message, Map<String, Object> fields) {
        super(level, message);
        setLoggerName(loggerName);
        this.fields = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(fields));
    }

    /** Field values are strings, numbers or booleans. */
    public Map<String, Object> fields() {
        return fields;
    }
}
