package io.sundial.server.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.sundial.query.QueryScope;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JsonLogFormatterTest {
    private final JsonLogFormatter formatter = new JsonLogFormatter();

    /** The line's top-level members; nested objects as maps of their scalar members. */
    static Map<String, Object> parse(String line) throws IOException {
        assertTrue(line.endsWith(System.lineSeparator()), "one record, one line");
        assertEquals(1, line.split("\n", -1).length - 1, "exactly one line: " + line);
        Map<String, Object> out = new LinkedHashMap<>();
        try (JsonParser parser = new JsonFactory().createParser(line)) {
            assertEquals(JsonToken.START_OBJECT, parser.nextToken());
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                if (parser.nextToken() == JsonToken.START_OBJECT) {
                    Map<String, Object> nested = new LinkedHashMap<>();
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        String member = parser.currentName();
                        parser.nextToken();
                        nested.put(member, parser.currentToken().isNumeric() ? parser.getNumberValue() : parser.getText());
                    }
                    out.put(name, nested);
                } else {
                    out.put(name, parser.getText());
                }
            }
            assertEquals(null, parser.nextToken(), "nothing after the object");
        }
        return out;
    }

    @Test
    void plainRecordHasTimeLevelLoggerMessageThread() throws IOException {
        LogRecord record = new LogRecord(Level.INFO, "opened \"db\"\nwith 3 files");
        record.setLoggerName("io.sundial.storage.Engine");
        record.setInstant(Instant.parse("2026-11-22T10:00:00.123Z"));
        Map<String, Object> json = parse(formatter.format(record));
        assertEquals("2026-11-22T10:00:00.123Z", json.get("time"));
        assertEquals("INFO", json.get("level"));
        assertEquals("io.sundial.storage.Engine", json.get("logger"));
        assertEquals("opened \"db\"\nwith 3 files", json.get("message"));
        assertEquals(Thread.currentThread().getName(), json.get("thread"));
        assertFalse(json.containsKey("requestId"));
        assertFalse(json.containsKey("error"));
    }

    @Test
    void requestIdWhileServingARequestAndFieldsOfAFieldsRecord() throws IOException {
        FieldsRecord record = new FieldsRecord(Level.WARNING, "io.sundial.slowquery", "slow query",
                Map.of("durationMs", 1500L, "query", "SELECT 1"));
        String line = new QueryScope("req-42", "alice", QueryScope.SUNDIALQL, null).call(() -> formatter.format(record));
        Map<String, Object> json = parse(line);
        assertEquals("req-42", json.get("requestId"));
        assertEquals("WARN", json.get("level"));
        @SuppressWarnings("unchecked")
        Map<String, Object> fields = (Map<String, Object>) json.get("fields");
        assertEquals(1500, ((Number) fields.get("durationMs")).intValue());
        assertEquals("SELECT 1", fields.get("query"));
    }

    @Test
    void errorCarriesClassMessageAndStack() throws IOException {
        LogRecord record = new LogRecord(Level.SEVERE, "request failed");
        record.setThrown(new IllegalStateException("broken invariant"));
        Map<String, Object> json = parse(formatter.format(record));
        assertEquals("ERROR", json.get("level"));
        @SuppressWarnings("unchecked")
        Map<String, Object> error = (Map<String, Object>) json.get("error");
        assertEquals("java.lang.IllegalStateException", error.get("class"));
        assertEquals("broken invariant", error.get("message"));
        assertTrue(((String) error.get("stack")).contains("at io.sundial.server.logging.JsonLogFormatterTest"), error.toString());
    }

    @Test
    void parameterizedMessagesAreFormatted() throws IOException {
        LogRecord record = new LogRecord(Level.INFO, "flushed {0} files");
        record.setParameters(new Object[] {"3"});
        assertEquals("flushed 3 files", parse(formatter.format(record)).get("message"));
    }

    static Stream<Arguments> secrets() {
        return Stream.of(
                Arguments.of("basic header", "Authorization: Basic YWxpY2U6c2VjcmV0", "YWxpY2U6c2VjcmV0"),
                Arguments.of("bearer header", "header authorization=Bearer sdl_abcDEF123", "abcDEF123"),
                Arguments.of("api token anywhere", "token sdl_Zx9_k-q used", "Zx9_k-q"),
                Arguments.of("password setting", "password=hunter2 rejected", "hunter2"),
                Arguments.of("json password", "{\"user\":\"a\",\"password\": \"hunter2\"}", "hunter2"),
                Arguments.of("url p parameter", "GET /query?u=alice&p=hunter2&q=SELECT", "hunter2"),
                Arguments.of("sql password", "CREATE USER bob WITH PASSWORD 'hunter2'", "hunter2"),
                Arguments.of("pg-user flag", "--pg-user bob=x token: t0ps3cret", "t0ps3cret"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("secrets")
    void secretsNeverReachTheLine(String name, String message, String secret) throws IOException {
        LogRecord record = new LogRecord(Level.WARNING, message);
        record.setThrown(new RuntimeException("failed: " + message));
        String line = formatter.format(record);
        parse(line);
        assertFalse(line.contains(secret), line);
        assertTrue(line.contains(Redaction.REDACTED), line);
        String text = new TextLogFormatter().format(record);
        assertFalse(text.contains(secret), text);
    }

    @Test
    void logSetupWritesOneJsonObjectPerLineAtTheChosenLevel() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Logger root = Logger.getLogger("");
        var savedHandlers = root.getHandlers();
        Level savedLevel = root.getLevel();
        try {
            LogSetup.apply(LogSetup.Format.JSON, LogLevels.parse("warn"), out);
            Logger logger = Logger.getLogger("io.sundial.test.LogSetup");
            logger.info("dropped: below the level");
            logger.warning("kept");
            logger.severe("kept too");
        } finally {
            for (var handler : root.getHandlers()) {
                root.removeHandler(handler);
            }
            for (var handler : savedHandlers) {
                root.addHandler(handler);
            }
            root.setLevel(savedLevel);
        }
        String[] lines = out.toString(StandardCharsets.UTF_8).split(System.lineSeparator());
        assertEquals(2, lines.length, out.toString(StandardCharsets.UTF_8));
        assertEquals("kept", parse(lines[0] + System.lineSeparator()).get("message"));
        assertEquals("ERROR", parse(lines[1] + System.lineSeparator()).get("level"));
    }
}
