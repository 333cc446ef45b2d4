package io.sundial.query.promql;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One label matcher of a selector. Regexes are fully anchored as in Prometheus: {@code =~"a.*"}
 * matches the whole value, and an absent label has the value "".
 */
public record LabelMatcher(String name, Type type, String value, Pattern pattern) {
    public enum Type {
        EQUAL("="), NOT_EQUAL("!="), REGEX("=~"), NOT_REGEX("!~");

        private final String symbol;

        Type(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }
    }

    /** Builds a matcher; a bad regex throws {@link PatternSyntaxException}. */
    public static LabelMatcher of(String name, Type type, String value) {
        Pattern pattern = type == Type.REGEX || type == Type.NOT_REGEX
                ? Pattern.compile("^(?:" + value + ")$") : null;
        return new LabelMatcher(name, type, value, pattern);
    }

    public boolean matches(String labelValue) {
        return switch (type) {
            case EQUAL -> labelValue.equals(value);
            case NOT_EQUAL -> !labelValue.equals(value);
            case REGEX -> pattern.matcher(labelValue).matches();
            case NOT_REGEX -> !pattern.matcher(labelValue).matches();
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelMatcher m && m.name.equals(name) && m.type == type && m.value.equals(value);
    }

    @Override
    public int hashCode() {
        return (name.hashCode() * 31 + type.hashCode()) * 31 + value.hashCode();
    }

    @Override
    public String toString() {
        return name + type.symbol() + Printer.quote(value);
    }
}
