package io.sundial.query.promql;

import io.sundial.query.QueryException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** label_replace and label_join, with Go's regexp template expansion ($1, ${name}, $$). */
final class LabelFunctions {
    private LabelFunctions() {
    }

    /** @param args destination, replacement, source label, regex */
    static List<Sample> replace(List<Sample> input, List<String> args, long t) {
        String dst = args.get(0);
        String replacement = args.get(1);
        String src = args.get(2);
        String regex = args.get(3);
        Pattern pattern;
        try {
            pattern = Pattern.compile("^(?:" + regex + ")$");
        } catch (PatternSyntaxException e) {
            throw new QueryException("invalid regular expression in label_replace(): " + regex);
        }
        if (!Aggregations.isValidLabelName(dst)) {
            throw new QueryException("invalid destination label name in label_replace(): " + dst);
        }
        Map<Labels, Labels> cache = new HashMap<>();
        List<Sample> out = new ArrayList<>(input.size());
        for (Sample s : input) {
            Labels labels = cache.computeIfAbsent(s.labels(), l -> {
                Matcher m = pattern.matcher(l.get(src));
                if (!m.find()) {
                    return l;
                }
                return l.with(dst, expand(replacement, m));
            });
            out.add(new Sample(labels, t, s.value()));
        }
        return out;
    }

    /** Go's Regexp.Expand: $name takes the longest run of word characters; unknown groups are empty. */
    static String expand(String template, Matcher m) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if (c != '$' || i + 1 >= template.length()) {
                out.append(c);
                i++;
                continue;
            }
            char next = template.charAt(i + 1);
            if (next == '$') {
                out.append('$');
                i += 2;
                continue;
            }
            String name;
            int end;
            if (next == '{') {
                int close = template.indexOf('}', i + 2);
                if (close < 0 || !isWord(template.substring(i + 2, close))) {
                    out.append(c);
                    i++;
                    continue;
                }
                name = template.substring(i + 2, close);
                end = close + 1;
            } else {
                end = i + 1;
                while (end < template.length() && isWordChar(template.charAt(end))) {
                    end++;
                }
                if (end == i + 1) {
                    out.append(c);
                    i++;
                    continue;
                }
                name = template.substring(i + 1, end);
            }
            out.append(group(m, name));
            i = end;
        }
        return out.toString();
    }

    private static String group(Matcher m, String name) {
        String value = null;
        if (name.chars().allMatch(Character::isDigit)) {
            try {
                int index = Integer.parseInt(name);
                value = index <= m.groupCount() ? m.group(index) : null;
            } catch (NumberFormatException e) {
                value = null;
            }
        } else {
            try {
                value = m.group(name);
            } catch (IllegalArgumentException e) {
                value = null;
            }
        }
        return value == null ? "" : value;
    }

    private static boolean isWord(String s) {
        return !s.isEmpty() && s.chars().allMatch(ch -> isWordChar((char) ch));
    }

    private static boolean isWordChar(char c) {
        return c == '_' || Character.isLetterOrDigit(c) && c < 128;
    }

    /** @param args destination, separator, source labels... */
    static List<Sample> join(List<Sample> input, List<String> args, long t) {
        String dst = args.get(0);
        String separator = args.get(1);
        List<String> sources = args.subList(2, args.size());
        for (String src : sources) {
            if (!Aggregations.isValidLabelName(src)) {
                throw new QueryException("invalid source label name in label_join(): " + src);
            }
        }
        if (!Aggregations.isValidLabelName(dst)) {
            throw new QueryException("invalid destination label name in label_join(): " + dst);
        }
        List<Sample> out = new ArrayList<>(input.size());
        for (Sample s : input) {
            List<String> values = new ArrayList<>(sources.size());
            for (String src : sources) {
                values.add(s.labels().get(src));
            }
            out.add(new Sample(s.labels().with(dst, String.join(separator, values)), t, s.value()));
        }
        return out;
    }
}
