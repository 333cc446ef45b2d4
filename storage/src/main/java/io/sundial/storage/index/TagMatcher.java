package io.sundial.storage.index;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One condition on a tag, as InfluxQL and PromQL write them. A series lacking tag {@code key}
 * has the value "" for matching (InfluxDB and Prometheus agree): {@code k = ""} and
 * {@code k =~ /^$/} select series without k, {@code k != "x"} includes series without k.
 * Regexes match with {@link java.util.regex.Matcher#find()}, i.e. unanchored as in InfluxQL;
 * PromQL passes patterns already anchored as {@code ^(?:...)$}.
 *
 * @param value the literal for EQ/NEQ, the pattern's source for REGEX/NOT_REGEX
 * @param pattern null for EQ/NEQ
 */
public record TagMatcher(String key, Op op, String value, Pattern pattern) {
    public enum Op {
        EQ("="), NEQ("!="), REGEX("=~"), NOT_REGEX("!~");

        private final String symbol;

        Op(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }

        public boolean isNegative() {
            return this == NEQ || this == NOT_REGEX;
        }
    }

    public TagMatcher {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(value, "value");
        boolean isRegex = op == Op.REGEX || op == Op.NOT_REGEX;
        if (isRegex != (pattern != null)) {
            throw new IllegalArgumentException("matcher " + op + " on tag '" + key + "' "
                    + (isRegex ? "needs a pattern" : "takes no pattern"));
        }
    }

    public static TagMatcher eq(String key, String value) {
        return new TagMatcher(key, Op.EQ, value, null);
    }

    public static TagMatcher neq(String key, String value) {
        return new TagMatcher(key, Op.NEQ, value, null);
    }

    public static TagMatcher regex(String key, Pattern pattern) {
        return new TagMatcher(key, Op.REGEX, pattern.pattern(), pattern);
    }

    public static TagMatcher regex(String key, String pattern) {
        return regex(key, Pattern.compile(pattern));
    }

    public static TagMatcher notRegex(String key, Pattern pattern) {
        return new TagMatcher(key, Op.NOT_REGEX, pattern.pattern(), pattern);
    }

    public static TagMatcher notRegex(String key, String pattern) {
        return notRegex(key, Pattern.compile(pattern));
    }

    @Override
    public String toString() {
        return pattern == null ? key + op.symbol + '"' + value + '"' : key + op.symbol + '/' + value + '/';
    }
}
