package io.sundial.bench.tsbs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
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

    /**
     * The first difference, said in the words that help whoever fixes it: whether the answers
     * differ only in the {@code partial} flags, only in the order of rows (InfluxDB orders rows of
     * equal time by series key), or in their content.
     */
    static Optional<String> explained(JsonNode expected, JsonNode actual) {
        Optional<String> exact = first(expected, actual);
        if (exact.isEmpty()) {
            return exact;
        }
        JsonNode expectedWithoutFlags = withoutPartial(expected);
        JsonNode actualWithoutFlags = withoutPartial(actual);
        if (first(expectedWithoutFlags, actualWithoutFlags).isEmpty()) {
            return Optional.of("only the \"partial\" flags differ: " + exact.get());
        }
        if (first(rowsSorted(expectedWithoutFlags), rowsSorted(actualWithoutFlags)).isEmpty()) {
            return Optional.of("same rows in another order" + (exact.get().contains("partial") ? " (and partial flags)" : "")
                    + "; first at " + first(expectedWithoutFlags, actualWithoutFlags).orElseThrow());
        }
        return Optional.of(first(expectedWithoutFlags, actualWithoutFlags).orElseThrow()
                + (exact.get().contains("partial") ? " (partial flags differ too)" : ""));
    }

    /** A copy without any "partial" member, at any depth. */
    static JsonNode withoutPartial(JsonNode node) {
        JsonNode copy = node.deepCopy();
        removePartial(copy);
        return copy;
    }

    private static void removePartial(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.remove("partial");
        }
        node.forEach(AnswerDifference::removePartial);
    }

    /** A copy whose "values" arrays have their rows sorted by their JSON text. */
    static JsonNode rowsSorted(JsonNode node) {
        JsonNode copy = node.deepCopy();
        sortRows(copy);
        return copy;
    }

    private static void sortRows(JsonNode node) {
        if (node instanceof ObjectNode object && object.get("values") instanceof ArrayNode rows) {
            List<JsonNode> sorted = new ArrayList<>();
            rows.forEach(sorted::add);
            sorted.sort(Comparator.comparing(JsonNode::toString));
            rows.removeAll();
            rows.addAll(sorted);
            return;
        }
        node.forEach(AnswerDifference::sortRows);
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
