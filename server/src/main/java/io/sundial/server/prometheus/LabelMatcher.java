package io.sundial.server.prometheus;

import io.sundial.storage.index.TagMatcher;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One Prometheus label matcher ({@code =}, {@code !=}, {@code =~}, {@code !~}). Regexes are
 * fully anchored, as Prometheus anchors them ({@code ^(?:re)$}): {@code job=~"api"} does not
 * match "api-2". A missing label has the value "" for matching.
 */
public record LabelMatcher(String name, Op op, String value, Pattern pattern) {
    public enum Op {
        EQ("="), NEQ("!="), RE("=~"), NRE("!~");

        private final String symbol;

        Op(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }
    }

    public LabelMatcher {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(value, "value");
    }

    /**
     * A matcher; for RE and NRE {@code value} is compiled anchored at both ends.
     *
     * @throws IllegalArgumentException naming the pattern when it does not compile
     */
    public static LabelMatcher of(String name, Op op, String value) {
        if (op == Op.EQ || op == Op.NEQ) {
            return new LabelMatcher(name, op, value, null);
        }
        try {
            // \A and \z, not ^ and $: Java's $ also matches before a final line break.
            return new LabelMatcher(name, op, value, Pattern.compile("\\A(?:" + value + ")\\z"));
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("invalid regular expression \"" + value + "\" for label " + name
                    + ": " + e.getDescription());
        }
    }

    public boolean matches(String labelValue) {
        String v = labelValue == null ? "" : labelValue;
        return switch (op) {
            case EQ -> value.equals(v);
            case NEQ -> !value.equals(v);
            case RE -> pattern.matcher(v).find();
            case NRE -> !pattern.matcher(v).find();
        };
    }

    /** The storage index's form of this matcher (its regexes use find(), so the anchored pattern carries over). */
    TagMatcher toTagMatcher() {
        return switch (op) {
            case EQ -> TagMatcher.eq(name, value);
            case NEQ -> TagMatcher.neq(name, value);
            case RE -> TagMatcher.regex(name, pattern);
            case NRE -> TagMatcher.notRegex(name, pattern);
        };
    }

    @Override
    public String toString() {
        return name + op.symbol + '"' + value + '"';
    }
}
