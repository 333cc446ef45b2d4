package io.sundial.server.logging;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.sundial.query.QueryScope;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * One JSON object per line: {@code time} (RFC 3339 UTC), {@code level}, {@code logger},
 * {@code message}, {@code thread}, {@code requestId} when the record was logged while serving a
 * request, {@code fields} of a {@link FieldsRecord}, and {@code error} ({@code class},
 * {@code message}, {@code stack}) when it carries a throwable. Every string passes through
 * {@link Redaction}, so no password, token or Authorization value reaches the log.
 */
public final class JsonLogFormatter extends Formatter {
    private static final JsonFactory JSON = new JsonFactory();

    @Override
    public String format(LogRecord record) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("time", Instant.ofEpochMilli(record.getMillis()).toString());
            json.writeStringField("level", LogLevels.name(record.getLevel()));
            json.writeStringField("logger", record.getLoggerName() == null ? "" : record.getLoggerName());
            json.writeStringField("message", Redaction.apply(formatMessage(record)));
            json.writeStringField("thread", Thread.currentThread().getName());
            String requestId = QueryScope.current().map(QueryScope::requestId).orElse("");
            if (!requestId.isEmpty()) {
                json.writeStringField("requestId", requestId);
            }
            if (record instanceof FieldsRecord fields) {
                writeFields(json, fields.fields());
            }
            if (record.getThrown() != null) {
                writeError(json, record.getThrown());
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing a log line to memory cannot fail", e);
        }
        return out.append(System.lineSeparator()).toString();
    }

    private static void writeFields(JsonGenerator json, Map<String, Object> fields) throws IOException {
        json.writeObjectFieldStart("fields");
        for (Map.Entry<String, Object> field : fields.entrySet()) {
            switch (field.getValue()) {
                case Long value -> json.writeNumberField(field.getKey(), value);
                case Integer value -> json.writeNumberField(field.getKey(), value);
                case Double value -> json.writeNumberField(field.getKey(), value);
                case Boolean value -> json.writeBooleanField(field.getKey(), value);
                case null -> json.writeNullField(field.getKey());
                default -> json.writeStringField(field.getKey(), Redaction.apply(field.getValue().toString()));
            }
        }
        json.writeEndObject();
    }

    private static void writeError(JsonGenerator json, Throwable thrown) throws IOException {
        StringWriter stack = new StringWriter();
        try (PrintWriter printer = new PrintWriter(stack)) {
            thrown.printStackTrace(printer);
        }
        json.writeObjectFieldStart("error");
        json.writeStringField("class", thrown.getClass().getName());
        json.writeStringField("message", thrown.getMessage() == null ? "" : Redaction.apply(thrown.getMessage()));
        json.writeStringField("stack", Redaction.apply(stack.toString()));
        json.writeEndObject();
    }
}
