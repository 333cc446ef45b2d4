package io.sundial.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Parses a JSON text into Map (keeping member order), List, String, BigDecimal, Boolean or null; fails on trailing text. */
final class JsonValues {
    private static final JsonFactory JSON = new JsonFactory();

    private JsonValues() {}

    static Object parse(String text) throws IOException {
        try (JsonParser parser = JSON.createParser(text)) {
            Object value = read(parser, parser.nextToken());
            if (parser.nextToken() != null) {
                throw new IOException("trailing text after the JSON value: " + text);
            }
            return value;
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(String text) throws IOException {
        return (Map<String, Object>) parse(text);
    }

    /** The member at a dotted path ("ingest.pointsTotal"), through nested objects. */
    static Object at(Map<String, Object> root, String path) {
        Object current = root;
        for (String name : path.split("\\.")) {
            if (!(current instanceof Map<?, ?> map) || !map.containsKey(name)) {
                throw new AssertionError("no member " + path + " in " + root);
            }
            current = map.get(name);
        }
        return current;
    }

    static long number(Map<String, Object> root, String path) {
        Object value = at(root, path);
        if (!(value instanceof BigDecimal number)) {
            throw new AssertionError(path + " is not a number: " + value);
        }
        return number.longValue();
    }

    private static Object read(JsonParser parser, JsonToken token) throws IOException {
        if (token == null) {
            throw new IOException("unexpected end of JSON");
        }
        return switch (token) {
            case START_OBJECT -> {
                Map<String, Object> map = new LinkedHashMap<>();
                for (JsonToken t = parser.nextToken(); t != JsonToken.END_OBJECT; t = parser.nextToken()) {
                    String name = parser.currentName();
                    map.put(name, read(parser, parser.nextToken()));
                }
                yield map;
            }
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
                    list.add(read(parser, t));
                }
                yield list;
            }
            case VALUE_STRING -> parser.getText();
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> parser.getDecimalValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> throw new IOException("unexpected JSON token " + token);
        };
    }
}
