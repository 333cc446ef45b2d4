package io.sundial.ingest.json;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.sundial.core.FieldType;
import io.sundial.core.InvalidPointException;
import io.sundial.core.Precision;
import io.sundial.ingest.text.Rfc3339;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Reads one point object token by token into a {@link JsonPointObject}; the type rules of docs/INGEST.md live here. */
final class JsonObjectReader {
    private static final String VALUE_KINDS = "a field value is a number, a string, a boolean or null";

    private final JsonParser parser;
    private final Precision precision;
    private final boolean isIntegersAsFloat;
    private final int columnarPointsMax;

    JsonObjectReader(JsonParser parser, Precision precision, boolean isIntegersAsFloat, int columnarPointsMax) {
        this.parser = parser;
        this.precision = precision;
        this.isIntegersAsFloat = isIntegersAsFloat;
        this.columnarPointsMax = columnarPointsMax;
    }

    /** Reads the object whose START_OBJECT is the current token, up to and including its END_OBJECT. */
    JsonPointObject read() throws IOException {
        JsonPointObject object = new JsonPointObject(parser.currentTokenLocation());
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            JsonToken value = parser.nextToken();
            JsonLocation location = parser.currentTokenLocation();
            switch (key) {
                case "measurement" -> {
                    if (value == JsonToken.VALUE_STRING) {
                        object.measurement = parser.getText();
                    } else {
                        object.problem(location, "\"measurement\" must be a string");
                        parser.skipChildren();
                    }
                }
                case "tags" -> readTags(object, value);
                case "fields" -> readFields(object, value);
                case "time" -> readTime(object, value);
                default -> {
                    object.problem(location, "unknown key '" + key + "'; a point object has \"measurement\", \"tags\", \"fields\" and \"time\"");
                    parser.skipChildren();
                }
            }
        }
        return object;
    }

    private void readTags(JsonPointObject object, JsonToken token) throws IOException {
        if (token != JsonToken.START_OBJECT) {
            object.problem(parser.currentTokenLocation(), "\"tags\" must be an object of tag key to string value");
            parser.skipChildren();
            return;
        }
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (value) {
                case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE -> {
                    object.tagKeys.add(key);
                    object.tagValues.add(parser.getText());
                }
                case VALUE_NULL -> { }
                default -> {
                    object.problem(parser.currentTokenLocation(), "tag '" + key + "' must be a string, number or boolean");
                    parser.skipChildren();
                }
            }
        }
    }

    private void readFields(JsonPointObject object, JsonToken token) throws IOException {
        if (token != JsonToken.START_OBJECT) {
            object.problem(parser.currentTokenLocation(), "\"fields\" must be an object of field name to value");
            parser.skipChildren();
            return;
        }
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            object.fieldNames.add(name);
            if (value == JsonToken.START_ARRAY) {
                List<JsonScalar> column = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    if (column.size() == columnarPointsMax) {
                        object.problem(parser.currentTokenLocation(), "field '" + name + "' has more than "
                                + columnarPointsMax + " values (ParseOptions.columnarPointsMax); split the batch");
                        parser.skipChildren();
                        continue;
                    }
                    column.add(scalar(object, name));
                }
                object.fieldValues.add(column);
            } else {
                object.fieldValues.add(scalar(object, name));
            }
        }
    }

    /** The current token as a field value; null for JSON null or a rejected value. */
    private JsonScalar scalar(JsonPointObject object, String name) throws IOException {
        JsonLocation location = parser.currentTokenLocation();
        switch (parser.currentToken()) {
            case VALUE_NUMBER_INT -> {
                if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    object.problem(location, "field '" + name + "': integer " + parser.getText()
                            + " does not fit in 64 bits; write it as a decimal (e.g. " + parser.getText() + ".0) to store a float");
                    return null;
                }
                long value = parser.getLongValue();
                return isIntegersAsFloat
                        ? new JsonScalar(FieldType.FLOAT, Double.doubleToRawLongBits(value), null)
                        : new JsonScalar(FieldType.INTEGER, value, null);
            }
            case VALUE_NUMBER_FLOAT -> {
                double value = parser.getDoubleValue();
                if (!Double.isFinite(value)) {
                    object.problem(location, "field '" + name + "': " + parser.getText() + " is out of the float64 range");
                    return null;
                }
                return new JsonScalar(FieldType.FLOAT, Double.doubleToRawLongBits(value), null);
            }
            case VALUE_TRUE -> {
                return new JsonScalar(FieldType.BOOLEAN, 1, null);
            }
            case VALUE_FALSE -> {
                return new JsonScalar(FieldType.BOOLEAN, 0, null);
            }
            case VALUE_STRING -> {
                return new JsonScalar(FieldType.STRING, 0, parser.getText());
            }
            case VALUE_NULL -> {
                return null;
            }
            default -> {
                object.problem(location, "field '" + name + "' has a nested " + (parser.currentToken() == JsonToken.START_ARRAY ? "array" : "object")
                        + "; " + VALUE_KINDS);
                parser.skipChildren();
                return null;
            }
        }
    }

    private void readTime(JsonPointObject object, JsonToken token) throws IOException {
        if (token == JsonToken.START_ARRAY) {
            long[] times = new long[16];
            int count = 0;
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                if (count == columnarPointsMax) {
                    object.problem(parser.currentTokenLocation(), "\"time\" has more than " + columnarPointsMax
                            + " values (ParseOptions.columnarPointsMax); split the batch");
                    parser.skipChildren();
                    continue;
                }
                if (count == times.length) {
                    times = Arrays.copyOf(times, count * 2);
                }
                times[count++] = time(object);
            }
            object.timeColumn = Arrays.copyOf(times, count);
        } else if (token != JsonToken.VALUE_NULL) {
            object.timeNanos = time(object);
        }
        object.hasTime = token != JsonToken.VALUE_NULL;
    }

    /** The current token as a time in nanoseconds: an integer epoch in the precision, or RFC 3339 text. */
    private long time(JsonPointObject object) throws IOException {
        JsonLocation location = parser.currentTokenLocation();
        try {
            if (parser.currentToken() == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
                return precision.toNanos(parser.getLongValue());
            }
            if (parser.currentToken() == JsonToken.VALUE_STRING) {
                return Rfc3339.parseNanos(parser.getText());
            }
        } catch (InvalidPointException | IllegalArgumentException e) {
            object.problem(location, "\"time\": " + e.getMessage());
            return 0;
        }
        object.problem(location, "\"time\" must be an integer epoch in " + precision.symbol()
                + " or an RFC 3339 string, not " + parser.getText());
        parser.skipChildren();
        return 0;
    }
}
