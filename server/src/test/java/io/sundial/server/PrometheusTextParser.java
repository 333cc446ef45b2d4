package io.sundial.server;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text format 0.0.4 for tests: every line must be a HELP, a
 * TYPE or a sample of a family whose TYPE came first, with valid names, labels and values.
 */
final class PrometheusTextParser {
    private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
    private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") .*");
    private static final Pattern TYPE = Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped)");
    private static final Pattern SAMPLE = Pattern.compile(
            "(" + NAME + ")(\\{(?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\"(?:,|(?=\\})))*\\})? "
                    + "([-+]?(?:[0-9.eE+-]+|Inf|NaN))");

    private PrometheusTextParser() {}

    /** Sample key ({@code name{labels}}) to value; fails on the first malformed line. */
    static Map<String, Double> parse(String text) {
        Map<String, Double> samples = new LinkedHashMap<>();
        Map<String, String> types = new LinkedHashMap<>();
        Set<String> helped = new HashSet<>();
        int lineNumber = 0;
        for (String line : text.split("\n", -1)) {
            lineNumber++;
            if (line.isEmpty()) {
                continue;
            }
            Matcher help = HELP.matcher(line);
            Matcher type = TYPE.matcher(line);
            Matcher sample = SAMPLE.matcher(line);
            if (help.matches()) {
                check(helped.add(help.group(1)), lineNumber, "second HELP for " + help.group(1));
            } else if (type.matches()) {
                check(types.put(type.group(1), type.group(2)) == null, lineNumber, "second TYPE for " + type.group(1));
            } else if (sample.matches()) {
                String name = sample.group(1);
                String family = familyOf(name, types);
                check(family != null, lineNumber, "sample " + name + " has no TYPE before it");
                double value = switch (sample.group(3)) {
                    case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
                    case "-Inf" -> Double.NEGATIVE_INFINITY;
                    case "NaN" -> Double.NaN;
                    default -> Double.parseDouble(sample.group(3));
                };
                String key = name + (sample.group(2) == null ? "" : sample.group(2));
                check(samples.put(key, value) == null, lineNumber, "duplicate sample " + key);
            } else {
                throw new AssertionError("line " + lineNumber + " is not Prometheus text: " + line);
            }
        }
        check(text.endsWith("\n"), lineNumber, "the exposition must end with a newline");
        return samples;
    }

    private static String familyOf(String name, Map<String, String> types) {
        if (types.containsKey(name)) {
            return name;
        }
        for (String suffix : new String[] {"_bucket", "_sum", "_count"}) {
            if (name.endsWith(suffix)) {
                String base = name.substring(0, name.length() - suffix.length());
                String type = types.get(base);
                if ("histogram".equals(type) || "summary".equals(type)) {
                    return base;
                }
            }
        }
        return null;
    }

    private static void check(boolean condition, int lineNumber, String message) {
        if (!condition) {
            throw new AssertionError("line " + lineNumber + ": " + message);
        }
    }
}
