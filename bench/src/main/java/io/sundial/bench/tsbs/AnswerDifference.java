package io.sundial.bench.tsbs;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Compares two InfluxDB 1.x JSON answers of the same query (Sundial's against InfluxDB's):
 * same members, same series in the same order, same columns, same rows. Numbers match when
 * they agree to a relative 1e-9 (a mean summed in another order differs in the last bits);
 * everything else must be equal. The first difference is named by its JSON path.
 */
final class AnswerDifference {
    static final double RELATIVE_TOLERANCE = 1e-9;

    private AnswerDifference() {}

    /** The first difference of {@code actual} from {@code expected}, or empty when they agree. */
    static Optional<String> first(JsonNode expected, JsonNode actual) {
        return first("$", expected, actual);
    }

    private static Optional<String> first(String path, JsonNode expected, JsonNode actual) {
        if (expected.isNumber() && actual.isNumber()) {
            return numbersAgree(expected.asDouble(), actual.asDouble()) ? Optional.empty()
                    : Optional.of(path + ": expected " + expected + ", found " + actual);
        }
        if (expected.getNodeType() != actual.getNodeType()) {
            return Optional.of(path + ": expected " + brief(expected) + ", found " + brief(actual));
        }
        if (expected.isArray()) {
            for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
                Optional<String> difference = first(path + "[" + i + "]", expected.get(i), actual.get(i));
                if (difference.isPresent()) {
                    return difference;
                }
            }
            return expected.size() == actual.size() ? Optional.empty()
                    : Optional.of(path + ": expected " + expected.size() + " elements, found " + actual.size());
        }
        if (expected.isObject()) {
            TreeSet<String> names = new TreeSet<>();
            expected.fieldNames().forEachRemaining(names::add);
            TreeSet<String> actualNames = new TreeSet<>();
            actual.fieldNames().forEachRemaining(actualNames::add);
            if (!names.equals(actualNames)) {
                return Optional.of(path + ": expected members " + names + ", found " + actualNames);
            }
            for (Iterator<String> it = names.iterator(); it.hasNext(); ) {
                String name = it.next();
                Optional<String> difference = first(path + "." + name, expected.get(name), actual.get(name));
                if (difference.isPresent()) {
                    return difference;
                }
            }
            return Optional.empty();
        }
        return expected.equals(actual) ? Optional.empty()
                : Optional.of(path + ": expected " + brief(expected) + ", found " + brief(actual));
    }

    static boolean numbersAgree(double expected, double actual) {
        if (expected == actual) {
            return true;
        }
        double scale = Math.max(Math.abs(expected), Math.abs(actual));
        return Math.abs(expected - actual) <= RELATIVE_TOLERANCE * scale;
    }

    private static String brief(JsonNode node) {
        String text = node.toString();
        return text.length() <= 120 ? text : text.substring(0, 120) + "...";
    }
}
