package io.sundial.server.query;

import java.util.List;

/**
 * A small streaming JSON writer that spells things as Go's encoding/json does (InfluxDB's
 * encoder): {@code <}, {@code >} and {@code &} escaped as {@code \u003c} and friends, compact,
 * or indented by four spaces like {@code json.MarshalIndent(v, "", "    ")} when pretty.
 * The caller keeps objects and arrays balanced; the writer places commas and line breaks.
 */
public final class JsonOut {
    private static final String INDENT = "    ";
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final StringBuilder out;
    private final boolean isPretty;
    private int depth;
    /** True right after an opening bracket: the next element needs no comma. */
    private boolean isFirst = true;
    /** True right after a name: the value follows on the same line. */
    private boolean isAfterName;
    /** The last list written by {@link #stringArray} in compact layout, and its text (null: none yet). */
    private List<String> lastStrings;
    private String lastStringsText;

    public JsonOut(StringBuilder out, boolean isPretty) {
        this.out = out;
        this.isPretty = isPretty;
    }

    public JsonOut beginObject() {
        element();
        out.append('{');
        return open();
    }

    public JsonOut endObject() {
        return close('}');
    }

    public JsonOut beginArray() {
        element();
        out.append('[');
        return open();
    }

    public JsonOut endArray() {
        return close(']');
    }

    public JsonOut name(String name) {
        element();
        quote(name);
        out.append(isPretty ? ": " : ":");
        isAfterName = true;
        return this;
    }

    public JsonOut value(String text) {
        element();
        quote(text);
        return this;
    }

    public JsonOut value(long number) {
        element();
        out.append(number);
        return this;
    }

    public JsonOut value(boolean flag) {
        element();
        out.append(flag);
        return this;
    }

    /** A number already spelled as JSON (see {@link GoFloat#json}). */
    public JsonOut rawNumber(String number) {
        element();
        out.append(number);
        return this;
    }

    /** A finite double spelled as {@link GoFloat#json} spells it, appended without an intermediate string where possible. */
    public JsonOut number(double number) {
        element();
        GoFloat.appendJson(out, number);
        return this;
    }

    /** A time as {@link TimeFormat#rfc3339} text in quotes, written in place (it never needs escaping). */
    public JsonOut rfc3339(long nanos) {
        element();
        out.append('"');
        TimeFormat.appendRfc3339(out, nanos);
        out.append('"');
        return this;
    }

    /** A value already spelled as JSON (a string from {@link #quoted}, a number, null). */
    public JsonOut rawValue(String json) {
        element();
        out.append(json);
        return this;
    }

    /**
     * An array of strings. In the compact layout the text of the last list is kept and reused while
     * the same list follows: the series of one answer mostly share their columns (lastpoint writes
     * 100 series of 20 columns), and quoting them again was a tenth of such an answer's CPU.
     */
    public JsonOut stringArray(List<String> texts) {
        if (isPretty) {
            beginArray();
            texts.forEach(this::value);
            return endArray();
        }
        if (lastStringsText == null || !texts.equals(lastStrings)) {
            StringBuilder text = new StringBuilder(texts.size() * 16 + 2);
            JsonOut array = new JsonOut(text, false).beginArray();
            texts.forEach(array::value);
            array.endArray();
            lastStrings = List.copyOf(texts);
            lastStringsText = text.toString();
        }
        element();
        out.append(lastStringsText);
        return this;
    }

    /** {@code text} as a JSON string, quotes included, escaped as {@link #value(String)} escapes it. */
    public static String quoted(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2);
        new JsonOut(out, false).quote(text);
        return out.toString();
    }

    public JsonOut nullValue() {
        element();
        out.append("null");
        return this;
    }

    boolean isPretty() {
        return isPretty;
    }

    /** Whether the next element is the first of its array or object (no comma before it). */
    boolean isFirstElement() {
        return isFirst;
    }

    /**
     * A writer for a run of elements made apart from this one (on another thread), to be added at
     * this writer's place by {@link #appendElements}: same depth and layout, so the text is what this
     * writer would have written. {@code isFirstRun} when nothing precedes the run in its array.
     */
    JsonOut elementsWriter(StringBuilder into, boolean isFirstRun) {
        JsonOut run = new JsonOut(into, isPretty);
        run.depth = depth;
        run.isFirst = isFirstRun;
        return run;
    }

    /** Adds a run of elements made by a writer from {@link #elementsWriter}. */
    void appendElements(CharSequence run) {
        if (!run.isEmpty()) {
            out.append(run);
            isFirst = false;
        }
    }

    /** Marks that a run of elements from {@link #elementsWriter} went elsewhere (as bytes) in its place. */
    void elementsWrittenElsewhere() {
        isFirst = false;
    }

    private JsonOut open() {
        depth++;
        isFirst = true;
        return this;
    }

    private JsonOut close(char bracket) {
        depth--;
        if (!isFirst && isPretty) {
            newLine();
        }
        out.append(bracket);
        isFirst = false;
        return this;
    }

    private void element() {
        if (isAfterName) {
            isAfterName = false;
            return;
        }
        if (!isFirst) {
            out.append(',');
        }
        if (isPretty && depth > 0) {
            newLine();
        }
        isFirst = false;
    }

    private void newLine() {
        out.append('\n');
        for (int i = 0; i < depth; i++) {
            out.append(INDENT);
        }
    }

    private void quote(String text) {
        if (isPlain(text)) {
            out.append('"').append(text).append('"');
            return;
        }
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '<', '>', '&', '\u2028', '\u2029' -> unicode(c);
                default -> {
                    if (c < 0x20) {
                        unicode(c);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** True when no character of {@code text} needs escaping (most tag values and every time), so it is copied whole. */
    private static boolean isPlain(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
                return false;
            }
        }
        return true;
    }

    private void unicode(char c) {
        out.append("\\u").append(HEX[(c >> 12) & 0xF]).append(HEX[(c >> 8) & 0xF])
                .append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
    }
}
