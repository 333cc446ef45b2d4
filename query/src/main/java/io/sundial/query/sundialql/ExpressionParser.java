package io.sundial.query.sundialql;

import io.sundial.query.sundialql.Expr.BinaryOperator;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * Precedence climbing over InfluxQL's operator table, loosest first: OR, AND, NOT (SundialQL),
 * comparisons with BETWEEN and IN (SundialQL), {@code + - | ^}, {@code * / % &}, unary minus and
 * DISTINCT. Every binary operator is left-associative.
 */
final class ExpressionParser {
    /**
     * Deepest expression tree accepted. Chains of operators are parsed in a loop, but the tree
     * they build is as deep as the chain is long, and printing and comparing trees recurse; a
     * thousand ORed matchers still parse, longer lists belong in IN (...) or a regex.
     */
    static final int DEPTH_MAX = 1_000;

    private final TokenCursor cursor;

    ExpressionParser(TokenCursor cursor) {
        this.cursor = cursor;
    }

    /** A whole expression, with its tree depth checked against {@link #DEPTH_MAX}. */
    Expr parse() {
        Position start = cursor.position();
        Expr expression = parseOr();
        if (exceedsDepth(expression)) {
            throw new ParseException(start, "expression is nested more than " + DEPTH_MAX
                    + " levels deep (e.g. a chain of that many ORs); use IN (...) or a regex instead");
        }
        return expression;
    }

    /** A parenthesised argument list; the cursor is at '('. */
    List<Expr> parseArguments() {
        cursor.expect(TokenKind.LEFT_PAREN);
        cursor.enter();
        List<Expr> arguments = new ArrayList<>();
        if (!cursor.at(TokenKind.RIGHT_PAREN)) {
            do {
                arguments.add(parseOr());
            } while (cursor.accept(TokenKind.COMMA));
        }
        cursor.expect(TokenKind.RIGHT_PAREN, "',' or ')'");
        cursor.leave();
        return arguments;
    }

    private Expr parseOr() {
        Expr left = parseAnd();
        while (cursor.accept(TokenKind.OR)) {
            left = new Expr.Binary(BinaryOperator.OR, left, parseAnd(), left.position());
        }
        return left;
    }

    private Expr parseAnd() {
        Expr left = parseNot();
        while (cursor.accept(TokenKind.AND)) {
            left = new Expr.Binary(BinaryOperator.AND, left, parseNot(), left.position());
        }
        return left;
    }

    private Expr parseNot() {
        if (!cursor.at(TokenKind.NOT)) {
            return parseComparison();
        }
        Position position = cursor.position();
        cursor.advance();
        cursor.enter();
        Expr operand = parseNot();
        cursor.leave();
        return new Expr.Unary(Expr.UnaryOperator.NOT, operand, position);
    }

    private Expr parseComparison() {
        Expr left = parseAdditive();
        while (true) {
            BinaryOperator operator = comparisonOperator(cursor.kind());
            if (operator != null) {
                cursor.advance();
                left = new Expr.Binary(operator, left, parseAdditive(), left.position());
                continue;
            }
            boolean isNegated = false;
            if (cursor.at(TokenKind.NOT)) {
                TokenKind next = cursor.lookahead().kind();
                if (next != TokenKind.BETWEEN && next != TokenKind.IN) {
                    return left;
                }
                cursor.advance();
                isNegated = true;
            }
            if (cursor.accept(TokenKind.BETWEEN)) {
                Expr lower = parseAdditive();
                cursor.expect(TokenKind.AND);
                left = new Expr.Between(left, lower, parseAdditive(), isNegated, left.position());
            } else if (cursor.accept(TokenKind.IN)) {
                List<Expr> items = parseArguments();
                if (items.isEmpty()) {
                    throw new ParseException(left.position(), "IN needs at least one value between the parentheses");
                }
                left = new Expr.InList(left, items, isNegated, left.position());
            } else {
                return left;
            }
        }
    }

    private Expr parseAdditive() {
        Expr left = parseMultiplicative();
        while (true) {
            BinaryOperator operator = switch (cursor.kind()) {
                case PLUS -> BinaryOperator.ADD;
                case MINUS -> BinaryOperator.SUBTRACT;
                case PIPE -> BinaryOperator.BITWISE_OR;
                case CARET -> BinaryOperator.BITWISE_XOR;
                default -> null;
            };
            if (operator == null) {
                return left;
            }
            cursor.advance();
            left = new Expr.Binary(operator, left, parseMultiplicative(), left.position());
        }
    }

    private Expr parseMultiplicative() {
        Expr left = parseUnary();
        while (true) {
            BinaryOperator operator = switch (cursor.kind()) {
                case STAR -> BinaryOperator.MULTIPLY;
                case SLASH -> BinaryOperator.DIVIDE;
                case PERCENT -> BinaryOperator.MODULO;
                case AMPERSAND -> BinaryOperator.BITWISE_AND;
                default -> null;
            };
            if (operator == null) {
                return left;
            }
            cursor.advance();
            left = new Expr.Binary(operator, left, parseUnary(), left.position());
        }
    }

    /** A '-' directly before a number or duration makes a negative literal, as in InfluxQL. */
    private Expr parseUnary() {
        Position position = cursor.position();
        if (cursor.accept(TokenKind.MINUS)) {
            switch (cursor.kind()) {
                case INTEGER, NUMBER, DURATION -> {
                    return parseNumber(cursor.advance(), true, position);
                }
                default -> {
                    cursor.enter();
                    Expr operand = parseUnary();
                    cursor.leave();
                    return new Expr.Unary(Expr.UnaryOperator.NEGATE, operand, position);
                }
            }
        }
        if (cursor.accept(TokenKind.DISTINCT)) {
            if (cursor.at(TokenKind.LEFT_PAREN)) {
                return new Expr.Call("distinct", parseArguments(), position);
            }
            cursor.enter();
            Expr operand = parseUnary();
            cursor.leave();
            return new Expr.Call("distinct", List.of(operand), position);
        }
        return parsePrimary();
    }

    private Expr parsePrimary() {
        Position position = cursor.position();
        Token token = cursor.current();
        switch (token.kind()) {
            case LEFT_PAREN -> {
                cursor.advance();
                cursor.enter();
                Expr inner = parseOr();
                cursor.expect(TokenKind.RIGHT_PAREN);
                cursor.leave();
                return inner;
            }
            case INTEGER, NUMBER, DURATION -> {
                return parseNumber(cursor.advance(), false, position);
            }
            case STRING -> {
                return new Expr.StringLiteral(cursor.advance().value(), position);
            }
            case TRUE, FALSE -> {
                cursor.advance();
                return new Expr.BooleanLiteral(token.kind() == TokenKind.TRUE, position);
            }
            case BOUND_PARAMETER -> {
                return new Expr.BoundParameter(cursor.advance().value(), position);
            }
            case SLASH -> {
                return new Expr.RegexLiteral(cursor.takeRegex().value(), position);
            }
            case STAR -> {
                cursor.advance();
                return new Expr.Wildcard(parseCast(true), position);
            }
            case IDENTIFIER -> {
                return parseReferenceOrCall(position);
            }
            default -> throw cursor.expected("expression");
        }
    }

    private Expr parseReferenceOrCall(Position position) {
        Token name = cursor.advance();
        if (cursor.at(TokenKind.LEFT_PAREN)) {
            return new Expr.Call(name.value(), parseArguments(), position);
        }
        Optional<String> qualifier = Optional.empty();
        String column = name.value();
        if (cursor.accept(TokenKind.DOT)) {
            qualifier = Optional.of(column);
            column = cursor.expect(TokenKind.IDENTIFIER, "identifier after '.'").value();
        }
        return new Expr.VarRef(qualifier, column, parseCast(false), position);
    }

    private Expr.VarType parseCast(boolean isWildcard) {
        if (!cursor.accept(TokenKind.DOUBLE_COLON)) {
            return Expr.VarType.ANY;
        }
        String expected = isWildcard ? "field or tag" : "a type (field, tag, float, integer, unsigned, string, boolean)";
        Token token = cursor.current();
        boolean isWord = token.kind() == TokenKind.IDENTIFIER || token.kind().isKeyword();
        Optional<Expr.VarType> type = isWord ? Expr.VarType.fromKeyword(cursor.current().value()) : Optional.empty();
        if (type.isEmpty() || (isWildcard && type.get() != Expr.VarType.FIELD && type.get() != Expr.VarType.TAG)) {
            throw cursor.expected(expected + " after '::'");
        }
        cursor.advance();
        return type.get();
    }

    private Expr parseNumber(Token token, boolean isNegative, Position position) {
        String text = token.value();
        try {
            return switch (token.kind()) {
                case INTEGER -> new Expr.IntegerLiteral(Long.parseLong(isNegative ? "-" + text : text), position);
                case NUMBER -> {
                    double value = Double.parseDouble(text);
                    if (!Double.isFinite(value)) {
                        throw cursor.error(token, "number " + text + " is out of range for a 64-bit float");
                    }
                    yield new Expr.FloatLiteral(isNegative ? -value : value, position);
                }
                default -> {
                    long nanos = DurationSyntax.parseNanos(text);
                    yield new Expr.DurationLiteral(isNegative ? -nanos : nanos, position);
                }
            };
        } catch (NumberFormatException overflow) {
            throw cursor.error(token, "integer " + (isNegative ? "-" : "") + text
                    + " is out of range for a 64-bit signed integer");
        } catch (IllegalArgumentException invalid) {
            throw cursor.error(token, invalid.getMessage());
        }
    }

    private static BinaryOperator comparisonOperator(TokenKind kind) {
        return switch (kind) {
            case EQUALS -> BinaryOperator.EQUALS;
            case NOT_EQUALS -> BinaryOperator.NOT_EQUALS;
            case LESS -> BinaryOperator.LESS;
            case LESS_OR_EQUAL -> BinaryOperator.LESS_OR_EQUAL;
            case GREATER -> BinaryOperator.GREATER;
            case GREATER_OR_EQUAL -> BinaryOperator.GREATER_OR_EQUAL;
            case MATCHES -> BinaryOperator.MATCHES;
            case NOT_MATCHES -> BinaryOperator.NOT_MATCHES;
            default -> null;
        };
    }

    /** Walks the tree with an explicit stack, so measuring a hostile tree cannot overflow either. */
    static boolean exceedsDepth(Expr root) {
        Deque<Expr> nodes = new ArrayDeque<>();
        Deque<Integer> depths = new ArrayDeque<>();
        nodes.push(root);
        depths.push(1);
        while (!nodes.isEmpty()) {
            Expr node = nodes.pop();
            int depth = depths.pop();
            if (depth > DEPTH_MAX) {
                return true;
            }
            for (Expr child : children(node)) {
                nodes.push(child);
                depths.push(depth + 1);
            }
        }
        return false;
    }

    private static List<Expr> children(Expr node) {
        return switch (node) {
            case Expr.Unary unary -> List.of(unary.operand());
            case Expr.Binary binary -> List.of(binary.left(), binary.right());
            case Expr.Call call -> call.arguments();
            case Expr.Between between -> List.of(between.value(), between.lower(), between.upper());
            case Expr.InList in -> {
                List<Expr> all = new ArrayList<>(in.items());
                all.add(in.value());
                yield all;
            }
            default -> List.of();
        };
    }
}
