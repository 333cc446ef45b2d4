package io.sundial.query.sundialql;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Every kind of token. Keywords are InfluxQL 1.x's reserved words (so an identifier spelled like
 * one must be double-quoted, as in InfluxDB) plus SundialQL's NOT, JOIN, HAVING and BETWEEN.
 */
enum TokenKind {
    END_OF_INPUT("end of input"),
    ILLEGAL("illegal character"),
    IDENTIFIER("identifier"),
    STRING("string literal"),
    REGEX("regular expression"),
    INTEGER("integer"),
    NUMBER("number"),
    DURATION("duration"),
    BOUND_PARAMETER("bound parameter"),

    LEFT_PAREN("'('"),
    RIGHT_PAREN("')'"),
    COMMA("','"),
    SEMICOLON("';'"),
    DOT("'.'"),
    COLON("':'"),
    DOUBLE_COLON("'::'"),
    PLUS("'+'"),
    MINUS("'-'"),
    STAR("'*'"),
    SLASH("'/'"),
    PERCENT("'%'"),
    AMPERSAND("'&'"),
    PIPE("'|'"),
    CARET("'^'"),
    EQUALS("'='"),
    NOT_EQUALS("'!='"),
    LESS("'<'"),
    LESS_OR_EQUAL("'<='"),
    GREATER("'>'"),
    GREATER_OR_EQUAL("'>='"),
    MATCHES("'=~'"),
    NOT_MATCHES("'!~'"),

    ALL, ALTER, ANALYZE, AND, ANY, AS, ASC, BEGIN, BETWEEN, BY, CARDINALITY, CONTINUOUS, CREATE,
    DATABASE, DATABASES, DEFAULT, DELETE, DESC, DESTINATIONS, DIAGNOSTICS, DISTINCT, DROP, DURATION_KEYWORD("DURATION"),
    END, EVERY, EXACT, EXPLAIN, FALSE, FIELD, FOR, FROM, GRANT, GRANTS, GROUP, GROUPS, HAVING, IN, INF,
    INSERT, INTO, JOIN, KEY, KEYS, KILL, LIMIT, MEASUREMENT, MEASUREMENTS, NAME, NOT, OFFSET, ON, OR,
    ORDER, PASSWORD, POLICIES, POLICY, PRIVILEGES, QUERIES, QUERY, READ, REPLICATION, RESAMPLE, RETENTION,
    REVOKE, SELECT, SERIES, SET, SHARD, SHARDS, SHOW, SLIMIT, SOFFSET, STATS, SUBSCRIPTION, SUBSCRIPTIONS,
    TAG, TO, TRUE, USER, USERS, VALUES, WHERE, WITH, WRITE;

    private static final Map<String, TokenKind> KEYWORDS = new HashMap<>();

    static {
        for (TokenKind kind : values()) {
            if (kind.isKeyword()) {
                KEYWORDS.put(kind.text, kind);
            }
        }
    }

    private final String text;
    private final boolean isKeyword;

    TokenKind(String description) {
        this.text = description;
        this.isKeyword = description.equals("DURATION");
    }

    TokenKind() {
        this.text = name();
        this.isKeyword = true;
    }

    boolean isKeyword() {
        return isKeyword;
    }

    /** How an error message names this kind: the keyword itself, or a description. */
    String describe() {
        return text;
    }

    /** The keyword spelled by an unquoted identifier, in any letter case, or null. */
    static TokenKind keyword(String word) {
        return KEYWORDS.get(word.toUpperCase(Locale.ROOT));
    }
}
