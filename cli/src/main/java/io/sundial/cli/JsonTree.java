package io.sundial.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a JSON answer into plain values: Map (members in order), List, String, Boolean, null,
 * and numbers kept as {@link Number} whose text is exactly the server's, so a table shows
 * {@code 2.5} and {@code 1700000000000000000} as sent, never re-spelled.
 */
final class JsonTree {
    private static final JsonFactory FACTORY = new JsonFactory();
    /** Nesting deeper than this is not an answer of Sundial's: refuse it rather than recurse without bound. */
    private static final int DEPTH_MAX = 64;

    /** A JSON number as the server wrote it. */
    record Number(String text) {
        @Override
        public String toString() {
            return text;
        }
    }

    private JsonTree() {}

    static Object parse(String text) throws IOException {
        try (JsonParser parser = FACTORY.createParser(text)) {
            parser.nextToken();
            return value(parser, 0);
        }
    }

    private static Object value(JsonParser parser, int depth) throws IOException {
        if (depth > DEPTH_MAX) {
            throw new IOException("the answer nests deeper than " + DEPTH_MAX + " levels");
        }
        JsonToken token = parser.currentToken();
        if (token == null) {
            throw new IOException("the answer ends before a JSON value");
        }
        return switch (token) {
            case START_OBJECT -> {
                Map<String, Object> members = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    parser.nextToken();
                    members.put(name, value(parser, depth + 1));
                }
                yield members;
            }
            case START_ARRAY -> {
                List<Object> elements = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    elements.add(value(parser, depth + 1));
                }
                yield elements;
            }
            case VALUE_STRING -> parser.getText();
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> new Number(parser.getText());
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> throw new IOException("unexpected JSON token " + token);
        };
    }
}
