package io.sundial.query.sundialql;

/**
 * The parser's view of the token stream: the current token, one token of lookahead, and the
 * errors that name what was expected and what was found. It also guards nesting: every
 * recursive descent into a sub-expression or subquery goes through {@link #enter}, so hostile
 * input gets a ParseException instead of exhausting the stack.
 */
final class TokenCursor {
    /** Parentheses, unary operators, calls and subqueries nested in one another. */
    static final int NESTING_MAX = 100;
    private final Lexer lexer;
    private Token current;
    private int nesting;

    TokenCursor(Lexer lexer) {
        this.lexer = lexer;
        this.current = lexer.scan(0);
    }

    Token current() {
        return current;
    }

    TokenKind kind() {
        return current.kind();
    }

    boolean at(TokenKind kind) {
        return current.kind() == kind;
    }

    /** The token after the current one, without moving. */
    Token lookahead() {
        return lexer.scan(current.end());
    }

    Token advance() {
        Token taken = current;
        current = lexer.scan(current.end());
        return taken;
    }

    /** Moves past the current token when it is of {@code kind}; says whether it did. */
    boolean accept(TokenKind kind) {
        if (current.kind() == kind) {
            advance();
            return true;
        }
        return false;
    }

    Token expect(TokenKind kind) {
        if (current.kind() != kind) {
            throw expected(kind.describe());
        }
        return advance();
    }

    Token expect(TokenKind kind, String description) {
        if (current.kind() != kind) {
            throw expected(description);
        }
        return advance();
    }

    /** Reads the current '/' as the start of a regex literal and moves past the literal. */
    Token takeRegex() {
        Token regex = lexer.scanRegex(current.start());
        current = lexer.scan(regex.end());
        return regex;
    }

    Position position() {
        return lexer.position(current.start());
    }

    Position position(Token token) {
        return lexer.position(token.start());
    }

    ParseException expected(String what) {
        return ParseException.expected(position(), what, found(current));
    }

    ParseException error(Token token, String problem) {
        return new ParseException(position(token), problem);
    }

    String found(Token token) {
        if (token.kind() == TokenKind.END_OF_INPUT) {
            return "end of input";
        }
        String spelling = lexer.spelling(token);
        if (spelling.length() > 40) {
            spelling = spelling.substring(0, 37) + "...";
        }
        return "'" + spelling + "'";
    }

    void enter() {
        nesting++;
        if (nesting > NESTING_MAX) {
            throw new ParseException(position(), "nesting exceeds the limit of " + NESTING_MAX
                    + " levels (parentheses, operators, calls, subqueries); simplify the query");
        }
    }

    void leave() {
        nesting--;
    }
}
