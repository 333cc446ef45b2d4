package io.sundial.server.pgwire;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SQL Grafana's PostgreSQL data source generates, turned into SundialQL. Grafana expands its
 * macros before sending: {@code $__timeFilter(time)} becomes {@code time BETWEEN '..' AND '..'}
 * (SundialQL reads as is) and {@code $__timeGroupAlias(time, 1m)} becomes
 * {@code floor(extract(epoch from time)/60)*60 AS "time"}, which here becomes
 * {@code GROUP BY time(60s)}. Positional {@code GROUP BY 1} and {@code ORDER BY 1} are resolved to
 * the select item they point at ({@code time} for the bucket).
 */
final class GrafanaSql {
    private static final Pattern BUCKET = Pattern.compile(
            "floor\\s*\\(\\s*extract\\s*\\(\\s*epoch\\s+from\\s+\"?time\"?\\s*\\)\\s*/\\s*(\\d+)\\s*\\)\\s*\\*\\s*\\d+"
                    + "(\\s+as\\s+\"?time\"?)?", Pattern.CASE_INSENSITIVE);
    private static final Pattern POSITION = Pattern.compile("(\\d+)(\\s+(asc|desc))?", Pattern.CASE_INSENSITIVE);
    private static final Pattern ALIAS = Pattern.compile("(?is)(.*?)\\s+as\\s+(\"[^\"]+\"|\\w+)");
    private static final List<String> CLAUSE_ENDS = List.of("having", "order", "limit", "offset", "slimit", "soffset", "tz");

    private GrafanaSql() {}

    /** {@code sql} (a SELECT) with Grafana's bucket expression and positional references rewritten; unchanged otherwise. */
    static String translate(String sql) {
        int select = SqlText.topLevelKeyword(sql, "select", 0);
        int from = SqlText.topLevelKeyword(sql, "from", 0);
        if (select < 0 || from < select) {
            return sql;
        }
        List<String> items = SqlText.splitCommas(sql.substring(select + 6, from));
        List<String> kept = new ArrayList<>();
        long bucketSeconds = 0;
        List<String> references = new ArrayList<>();
        for (String item : items) {
            Matcher bucket = BUCKET.matcher(item);
            if (bucket.matches()) {
                bucketSeconds = Long.parseLong(bucket.group(1));
                references.add("time");
            } else {
                kept.add(item);
                Matcher alias = ALIAS.matcher(item);
                references.add(alias.matches() ? alias.group(1).strip() : item);
            }
        }
        boolean hasPositions = SqlText.topLevelKeyword(sql, "by", from) >= 0 && sql.toLowerCase(Locale.ROOT)
                .matches("(?s).*\\bby\\s+\\d.*");
        if (bucketSeconds == 0 && !hasPositions) {
            return sql;
        }
        String rest = sql.substring(from);
        rest = rewriteClause(rest, "group", bucketSeconds, references);
        rest = rewriteClause(rest, "order", 0, references);
        if (bucketSeconds > 0 && SqlText.topLevelKeyword(rest, "group", 0) < 0) {
            int end = clauseEnd(rest, 0);
            rest = rest.substring(0, end).stripTrailing() + " GROUP BY time(" + bucketSeconds + "s) " + rest.substring(end);
        }
        return sql.substring(0, select + 6) + " " + String.join(", ", kept) + " " + rest.strip();
    }

    private static String rewriteClause(String rest, String keyword, long bucketSeconds, List<String> references) {
        int start = SqlText.topLevelKeyword(rest, keyword, 0);
        if (start < 0) {
            return rest;
        }
        int by = SqlText.topLevelKeyword(rest, "by", start);
        if (by < 0) {
            return rest;
        }
        int end = clauseEnd(rest, by);
        List<String> rewritten = new ArrayList<>();
        for (String item : SqlText.splitCommas(rest.substring(by + 2, end))) {
            Matcher position = POSITION.matcher(item);
            if (position.matches()) {
                int index = Integer.parseInt(position.group(1)) - 1;
                String target = index >= 0 && index < references.size() ? references.get(index) : item;
                if (target.equals("time") && bucketSeconds > 0) {
                    target = "time(" + bucketSeconds + "s)";
                }
                rewritten.add(target + (position.group(2) == null ? "" : position.group(2)));
            } else {
                rewritten.add(item);
            }
        }
        return rest.substring(0, by + 2) + " " + String.join(", ", rewritten) + " " + rest.substring(end);
    }

    /** Where the clause starting at {@code from} ends: at the next top-level clause keyword, or the end. */
    private static int clauseEnd(String rest, int from) {
        int end = rest.length();
        for (String keyword : CLAUSE_ENDS) {
            int at = SqlText.topLevelKeyword(rest, keyword, from + 1);
            if (at > from && at < end) {
                end = at;
            }
        }
        return end;
    }
}
