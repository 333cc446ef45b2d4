package io.sundial.server.logging;

import io.sundial.query.QueryScope;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * One line per record: {@code 2026-11-22T10:00:00.123Z WARN logger [request id]: message}, the
 * stack trace on the following lines. UTC, whatever the machine's time zone, so lines from
 * several machines sort together. Secrets are removed as in the JSON format.
 */
public final class TextLogFormatter extends Formatter {
    @Override
    public String format(LogRecord record) {
        StringBuilder line = new StringBuilder(160)
                .append(Instant.ofEpochMilli(record.getMillis()))
                .append(' ').append(LogLevels.name(record.getLevel()))
                .append(' ').append(record.getLoggerName() == null ? "" : record.getLoggerName());
        String requestId = QueryScope.current().map(QueryScope::requestId).orElse("");
        if (!requestId.isEmpty()) {
            line.append(" [").append(requestId).append(']');
        }
        line.append(": ").append(Redaction.apply(formatMessage(record))).append(System.lineSeparator());
        if (record.getThrown() != null) {
            StringWriter stack = new StringWriter();
            try (PrintWriter printer = new PrintWriter(stack)) {
                record.getThrown().printStackTrace(printer);
            }
            line.append(Redaction.apply(stack.toString()));
        }
        return line.toString();
    }
}
