package io.sundial.server.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code params} parameter of /query: a JSON object of bound parameter values, as InfluxDB
 * 1.x takes it ({@code params={"host":"a","limit":5}}). Values are strings, numbers, booleans,
 * null, or a one-level object naming the type ({@code {"duration":"5m"}});
 * {@link io.sundial.query.exec.BoundParameters} decides what each means.
 */
final class QueryParameters {
    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(4).build()).build();

    private QueryParameters() {}

    /** Parses the object; an IllegalArgumentException says what is wrong, for a 400 answer. */
    static Map<String, Object> parse(String text) {
        try (JsonParser parser = JSON.createParser(text)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("params must be a JSON object such as {\"host\":\"a\"}");
            }
            Map<String, Object> values = object(parser, true);
            if (parser.nextToken() != null) {
                throw new IllegalArgumentException("params: unexpected text after the JSON object");
            }
            return values;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("params is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalArgumentException("params cannot be read: " + e.getMessage());
        }
    }

    private static Map<String, Object> object(JsonParser parser, boolean allowsObjects) throws IOException {
        Map<String, Object> values = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken token = parser.nextToken();
            Object value = switch (token) {
                case VALUE_STRING -> parser.getText();
                case VALUE_NUMBER_INT -> integer(parser, name);
                case VALUE_NUMBER_FLOAT -> parser.getDoubleValue();
                case VALUE_TRUE -> Boolean.TRUE;
                case VALUE_FALSE -> Boolean.FALSE;
                case VALUE_NULL -> null;
                case START_OBJECT -> {
                    if (!allowsObjects) {
                        throw new IllegalArgumentException("params: the value of " + name
                                + " must be a string, number or boolean");
                    }
                    yield object(parser, false);
                }
                default -> throw new IllegalArgumentException("params: the value of " + name
                        + " must be a string, number, boolean or a typed value such as {\"duration\":\"5m\"}");
            };
            values.put(name, value);
        }
        return values;
    }

    private static Long integer(JsonParser parser, String name) throws IOException {
        if (parser.getNumberType() != JsonParser.NumberType.INT && parser.getNumberType() != JsonParser.NumberType.LONG) {
            throw new IllegalArgumentException("params: the integer " + parser.getText() + " of " + name
                    + " does not fit in 64 bits");
        }
        return parser.getLongValue();
    }
}
