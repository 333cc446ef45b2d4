package io.sundial.query.sundialql;

/**
 * Entry point: SundialQL text to AST. Every failure, whatever the input, is a
 * {@link ParseException} naming the line, the column, what was expected and what was found.
 * Parsing is linear in the input; the input size, nesting and statement count are bounded.
 */
public final class Parser {
    /** Longest query text accepted, in characters. */
    public static final int QUERY_CHARS_MAX = 4 << 20;

    private Parser() {}

    /** All statements of a query text, separated by ';'. */
    public static Query parseQuery(String text) {
        return new StatementParser(cursor(text)).parseQuery();
    }

    /** Exactly one statement (a trailing ';' is allowed). */
    public static Statement parseStatement(String text) {
        Query query = parseQuery(text);
        if (query.statements().size() != 1) {
            throw new ParseException(new Position(1, 1, 0),
                    "expected exactly one statement, found " + query.statements().size());
        }
        return query.statements().getFirst();
    }

    /** One expression, such as a WHERE condition, and nothing after it. */
    public static Expr parseExpression(String text) {
        TokenCursor cursor = cursor(text);
        Expr expression = new ExpressionParser(cursor).parse();
        if (!cursor.at(TokenKind.END_OF_INPUT)) {
            throw cursor.expected("operator or end of input");
        }
        return expression;
    }

    private static TokenCursor cursor(String text) {
        if (text.length() > QUERY_CHARS_MAX) {
            throw new ParseException(new Position(1, 1, 0), "query is " + text.length()
                    + " characters long; the limit is " + QUERY_CHARS_MAX + " (split it into several queries)");
        }
        return new TokenCursor(new Lexer(text));
    }
}
