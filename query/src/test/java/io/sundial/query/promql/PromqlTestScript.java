package io.sundial.query.promql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads Prometheus' PromQL test scripts ({@code promql/testdata/*.test}, the language of
 * Prometheus' promql/test.go): {@code load <interval>} with series descriptions, {@code clear},
 * and {@code eval[_fail|_ordered] instant at <time> <expr>} with expected samples.
 */
final class PromqlTestScript {
    static final long STALE_NAN_BITS = 0x7ff0000000000002L;
    private static final Pattern EVAL = Pattern.compile("^eval(?:_(fail|ordered))?\\s+instant\\s+(?:at\\s+(.+?))?\\s+(.+)$");
    private static final Pattern LOAD = Pattern.compile("^load\\s+(.+?)$");
    /** An unsigned number of a series value; hex last, so {@code 0x10} reads as "0 ten more times". */
    private static final String NUMBER = "(?:[0-9]*\\.?[0-9]+(?:[eE][+-]?[0-9]+)?|[0-9]+\\.|[iI]nf|[nN]a[nN]|0x[0-9a-fA-F]+)";
    private static final Pattern ITEM = Pattern.compile("^([+-]?" + NUMBER + "|stale|_)(?:([+-]" + NUMBER + ")?x([0-9]+))?$");

    sealed interface Command {
    }

    /** One series of a load: labels, then values at 0, interval, 2 * interval, ...; null = omitted. */
    record SeriesDescription(Map<String, String> labels, List<Double> values) {
    }

    record Load(int line, long intervalMillis, List<SeriesDescription> series) implements Command {
    }

    record Clear(int line) implements Command {
    }

    /** @param expected label set → value; for a scalar result the single key is null */
    record Eval(int line, String expr, long timeMillis, boolean fail, boolean ordered,
                List<Map.Entry<Map<String, String>, Double>> expected, boolean isScalar) implements Command {
    }

    private PromqlTestScript() {
    }

    static List<Command> parse(String text) {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            lines[i] = lines[i].strip();
            if (lines[i].startsWith("#")) {
                lines[i] = "";
            }
        }
        List<Command> out = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty()) {
                continue;
            }
            String keyword = line.split("\\s+")[0].toLowerCase(Locale.ROOT);
            if (keyword.equals("clear")) {
                out.add(new Clear(i + 1));
            } else if (keyword.equals("load")) {
                Matcher m = LOAD.matcher(line);
                if (!m.matches()) {
                    throw new IllegalArgumentException("line " + (i + 1) + ": bad load: " + line);
                }
                long interval = Durations.parseMillis(m.group(1));
                List<SeriesDescription> series = new ArrayList<>();
                while (i + 1 < lines.length && !lines[i + 1].isEmpty()) {
                    series.add(parseSeries(lines[++i], i + 1));
                }
                out.add(new Load(i + 1, interval, series));
            } else if (keyword.startsWith("eval")) {
                int start = i;
                Matcher m = EVAL.matcher(line);
                if (!m.matches()) {
                    throw new IllegalArgumentException("line " + (i + 1) + ": bad eval: " + line);
                }
                long at = Durations.parseMillis(m.group(2));
                List<Map.Entry<Map<String, String>, Double>> expected = new ArrayList<>();
                boolean isScalar = false;
                while (i + 1 < lines.length && !lines[i + 1].isEmpty()) {
                    String def = lines[++i];
                    Double number = parseNumber(def);
                    if (number != null) {
                        expected.add(new java.util.AbstractMap.SimpleEntry<>(null, number));
                        isScalar = true;
                        break;
                    }
                    SeriesDescription d = parseSeries(def, i + 1);
                    expected.add(new java.util.AbstractMap.SimpleEntry<>(d.labels(), d.values().getFirst()));
                }
                out.add(new Eval(start + 1, m.group(3), at, "fail".equals(m.group(1)), "ordered".equals(m.group(1)),
                        expected, isScalar));
            } else {
                throw new IllegalArgumentException("line " + (i + 1) + ": unknown command: " + line);
            }
        }
        return out;
    }

    /** Go's strconv.ParseInt(s, 0, 64), then ParseFloat; null when neither reads it. */
    static Double parseNumber(String s) {
        String lower = s.toLowerCase(Locale.ROOT);
        switch (lower) {
            case "inf", "+inf" -> {
                return Double.POSITIVE_INFINITY;
            }
            case "-inf" -> {
                return Double.NEGATIVE_INFINITY;
            }
            case "nan", "+nan", "-nan" -> {
                return Double.NaN;
            }
            default -> {
            }
        }
        try {
            if (lower.matches("[+-]?0x[0-9a-f]+")) {
                boolean negative = lower.startsWith("-");
                long v = Long.parseLong(lower.replaceFirst("^[+-]?0x", ""), 16);
                return (double) (negative ? -v : v);
            }
            if (lower.matches("[+-]?0[0-7]+")) {
                return (double) Long.parseLong(lower, 8);
            }
            if (!lower.matches("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)(e[+-]?[0-9]+)?")) {
                return null;
            }
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** {@code name{a="b"} v1 v2 ...} with Prometheus' value sequences (1+2x3, _x2, stale). */
    static SeriesDescription parseSeries(String line, int lineNumber) {
        int pos = 0;
        while (pos < line.length() && (Character.isLetterOrDigit(line.charAt(pos)) || line.charAt(pos) == '_'
                || line.charAt(pos) == ':')) {
            pos++;
        }
        Map<String, String> labels = new TreeMap<>();
        if (pos > 0) {
            labels.put(Labels.METRIC_NAME, line.substring(0, pos));
        }
        if (pos < line.length() && line.charAt(pos) == '{') {
            pos = parseLabels(line, pos + 1, labels, lineNumber);
        }
        List<Double> values = new ArrayList<>();
        String rest = line.substring(pos).strip();
        if (!rest.isEmpty()) {
            for (String item : rest.split("\\s+")) {
                expandItem(item, values, lineNumber);
            }
        }
        return new SeriesDescription(labels, values);
    }

    private static int parseLabels(String line, int start, Map<String, String> labels, int lineNumber) {
        int pos = start;
        while (true) {
            while (pos < line.length() && (line.charAt(pos) == ' ' || line.charAt(pos) == ',')) {
                pos++;
            }
            if (pos >= line.length()) {
                throw new IllegalArgumentException("line " + lineNumber + ": unterminated labels: " + line);
            }
            if (line.charAt(pos) == '}') {
                return pos + 1;
            }
            int nameStart = pos;
            while (pos < line.length() && line.charAt(pos) != '=' && line.charAt(pos) != ' ') {
                pos++;
            }
            String name = line.substring(nameStart, pos);
            while (line.charAt(pos) == ' ' || line.charAt(pos) == '=') {
                pos++;
            }
            char quote = line.charAt(pos);
            int valueStart = pos;
            pos++;
            while (line.charAt(pos) != quote) {
                pos += line.charAt(pos) == '\\' ? 2 : 1;
            }
            pos++;
            labels.put(name, Lexer.unquote(line, valueStart, line.substring(valueStart, pos)));
        }
    }

    private static void expandItem(String item, List<Double> values, int lineNumber) {
        Matcher m = ITEM.matcher(item);
        if (!m.matches()) {
            throw new IllegalArgumentException("line " + lineNumber + ": bad series value: " + item);
        }
        String base = m.group(1);
        String times = m.group(3);
        if (base.equals("_")) {
            int n = times == null ? 1 : Integer.parseInt(times);
            for (int i = 0; i < n; i++) {
                values.add(null);
            }
            return;
        }
        double value = base.equals("stale") ? Double.longBitsToDouble(STALE_NAN_BITS) : parseNumber(base);
        if (times == null) {
            values.add(value);
            return;
        }
        double delta = m.group(2) == null ? 0 : parseNumber(m.group(2));
        int n = Integer.parseInt(times);
        for (int i = 0; i <= n; i++) {
            values.add(value);
            value += delta;
        }
    }
}
