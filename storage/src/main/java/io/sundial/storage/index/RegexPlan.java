package io.sundial.storage.index;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How to evaluate a tag regex without running it on every distinct value where its text allows:
 * <ul>
 *   <li>{@code LITERALS}: {@code ^a$}, {@code ^(a|b|c)$}, {@code ^(?:a|b)$} (PromQL's anchoring)
 *       are a set of exact values, looked up directly.</li>
 *   <li>{@code PREFIX}: {@code ^web-.*} needs the literal prefix "web-"; values without it are
 *       skipped before the regex runs.</li>
 *   <li>{@code CONTAINS}: an unanchored pure literal {@code foo} is {@code value.contains("foo")}.</li>
 *   <li>{@code GENERAL}: {@code matcher(value).find()} on every value.</li>
 * </ul>
 * Only patterns compiled without flags are analysed. Java's {@code $} also matches before a final
 * line terminator; Sundial tag values cannot contain control characters, so the literal reading is
 * exact except for values ending in U+2028/U+2029, which the LITERALS path does not match.
 */
final class RegexPlan {
    enum Kind { LITERALS, PREFIX, CONTAINS, GENERAL }

    private static final String META = "\\^$.|?*+()[]{}";

    final Kind kind;
    final List<String> literals;
    final String prefix;
    final Pattern pattern;
    /** Whether "" matches, i.e. whether series lacking the tag are selected. */
    final boolean matchesEmpty;

    private RegexPlan(Kind kind, List<String> literals, String prefix, Pattern pattern) {
        this.kind = kind;
        this.literals = literals;
        this.prefix = prefix;
        this.pattern = pattern;
        this.matchesEmpty = pattern.matcher("").find();
    }

    static RegexPlan of(Pattern pattern) {
        String src = pattern.pattern();
        if (pattern.flags() != 0) {
            return new RegexPlan(Kind.GENERAL, List.of(), "", pattern);
        }
        List<String> alternatives = anchoredAlternatives(src);
        if (alternatives != null) {
            return new RegexPlan(Kind.LITERALS, alternatives, "", pattern);
        }
        if (src.startsWith("^") && src.indexOf('|') < 0) {
            String prefix = literalPrefix(src.substring(1));
            if (!prefix.isEmpty()) {
                return new RegexPlan(Kind.PREFIX, List.of(), prefix, pattern);
            }
        }
        String literal = literal(src);
        if (literal != null) {
            return new RegexPlan(Kind.CONTAINS, List.of(), literal, pattern);
        }
        return new RegexPlan(Kind.GENERAL, List.of(), "", pattern);
    }

    /** For PREFIX, CONTAINS and GENERAL plans; {@code matcher} is this plan's, reused across values. */
    boolean accepts(String value, Matcher matcher) {
        return switch (kind) {
            case LITERALS -> literals.contains(value);
            case PREFIX -> value.startsWith(prefix) && matcher.reset(value).find();
            case CONTAINS -> value.contains(prefix);
            case GENERAL -> matcher.reset(value).find();
        };
    }

    /** The literals of {@code ^lit$}, {@code ^(a|b)$} or {@code ^(?:a|b)$}, else null. */
    private static List<String> anchoredAlternatives(String src) {
        if (src.length() < 2 || !src.startsWith("^") || !src.endsWith("$") || isEscaped(src, src.length() - 1)) {
            return null;
        }
        String inner = src.substring(1, src.length() - 1);
        String body;
        if (inner.startsWith("(?:") && inner.endsWith(")") && !isEscaped(inner, inner.length() - 1)) {
            body = inner.substring(3, inner.length() - 1);
        } else if (inner.startsWith("(") && !inner.startsWith("(?") && inner.endsWith(")")
                && !isEscaped(inner, inner.length() - 1)) {
            body = inner.substring(1, inner.length() - 1);
        } else if (inner.indexOf('|') < 0) {
            body = inner;
        } else {
            return null; // ^a|b$ means (^a)|(b$), not a set of literals
        }
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= body.length(); i++) {
            if (i == body.length() || (body.charAt(i) == '|' && !isEscaped(body, i))) {
                String literal = literal(body.substring(start, i));
                if (literal == null) {
                    return null;
                }
                out.add(literal);
                start = i + 1;
            }
        }
        return out;
    }

    /** The unescaped text if {@code s} has no regex operator, else null. */
    private static String literal(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '\\') {
                if (i + 1 == s.length() || Character.isLetterOrDigit(s.charAt(i + 1))) {
                    return null; // \d, \w, \Q, back-references: not literals
                }
                out.append(s.charAt(++i));
            } else if (META.indexOf(ch) >= 0) {
                return null;
            } else {
                out.append(ch);
            }
        }
        return out.toString();
    }

    /** The literal run at the start of {@code rest}, minus a last char that a quantifier makes optional. */
    private static String literalPrefix(String rest) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < rest.length()) {
            char ch = rest.charAt(i);
            if (ch == '\\' && i + 1 < rest.length() && !Character.isLetterOrDigit(rest.charAt(i + 1))) {
                out.append(rest.charAt(i + 1));
                i += 2;
            } else if (ch != '\\' && META.indexOf(ch) < 0) {
                out.append(ch);
                i++;
            } else {
                break;
            }
        }
        if (i < rest.length() && "?*{".indexOf(rest.charAt(i)) >= 0 && !out.isEmpty()) {
            out.setLength(out.length() - 1);
        }
        return out.toString();
    }

    private static boolean isEscaped(String s, int index) {
        int backslashes = 0;
        for (int i = index - 1; i >= 0 && s.charAt(i) == '\\'; i--) {
            backslashes++;
        }
        return backslashes % 2 == 1;
    }
}
