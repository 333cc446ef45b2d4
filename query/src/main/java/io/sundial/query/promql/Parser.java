package io.sundial.query.promql;

import io.sundial.query.promql.Expr.Aggregate;
import io.sundial.query.promql.Expr.At;
import io.sundial.query.promql.Expr.Binary;
import io.sundial.query.promql.Expr.Call;
import io.sundial.query.promql.Expr.Cardinality;
import io.sundial.query.promql.Expr.MatrixSelector;
import io.sundial.query.promql.Expr.NumberLiteral;
import io.sundial.query.promql.Expr.Paren;
import io.sundial.query.promql.Expr.StringLiteral;
import io.sundial.query.promql.Expr.Subquery;
import io.sundial.query.promql.Expr.Unary;
import io.sundial.query.promql.Expr.VectorMatching;
import io.sundial.query.promql.Expr.VectorSelector;
import io.sundial.query.promql.Token.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.PatternSyntaxException;

/**
 * A recursive-descent (precedence climbing) parser for PromQL as Prometheus 2.42 accepts it
 * ({@code promql/parser/generated_parser.y}), with its type checks: the resulting tree is
 * well-typed. Postfix modifiers ({@code [range]}, {@code [range:step]}, {@code offset},
 * {@code @}) bind tighter than any operator; unary minus binds like {@code *}, so
 * {@code -2 ^ 2} is {@code -(2 ^ 2)}.
 */
public final class Parser {
    /** Bounds recursion so hostile nesting fails with a message instead of a stack overflow. */
    static final int NESTING_DEPTH_MAX = 500;

    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "atan2", "by", "without", "on",
            "ignoring", "group_left", "group_right", "bool", "offset", "start", "end");
    /** Keywords that are never a metric name (Prometheus' metric_identifier excludes them). */
    private static final Set<String> NOT_METRIC_NAMES = Set.of("atan2", "on", "ignoring", "group_left",
            "group_right", "bool");

    private final String input;
    private final List<Token> tokens;
    private int index;
    private int depth;

    private Parser(String input) {
        this.input = input;
        this.tokens = Lexer.tokenize(input);
    }

    /** Parses and type-checks one PromQL expression. */
    public static Expr parse(String input) {
        Parser parser = new Parser(input);
        if (parser.peek().kind() == Kind.EOF) {
            throw PromParseException.at(input, 0, "no expression found in input");
        }
        Expr expr = parser.parseExpr(0);
        Token last = parser.peek();
        if (last.kind() != Kind.EOF) {
            throw parser.unexpected(last, "");
        }
        return expr;
    }

    /** {@code "by"} style name when {@code word} is a keyword or aggregator, else null. */
    static String keywordName(String word) {
        String lower = word.toLowerCase(Locale.ROOT);
        return KEYWORDS.contains(lower) || AggregateOp.byKeyword(lower) != null ? "\"" + lower + "\"" : null;
    }

    // ------------------------------------------------------------------------ expressions

    private Expr parseExpr(int minPrecedence) {
        if (++depth > NESTING_DEPTH_MAX) {
            throw error(peek(), "expression nests deeper than " + NESTING_DEPTH_MAX + " levels");
        }
        try {
            Expr lhs = parseUnary();
            while (true) {
                Token opToken = peek();
                BinaryOp op = binaryOp(opToken);
                if (op == null || op.precedence() < minPrecedence) {
                    return lhs;
                }
                index++;
                boolean returnBool = false;
                if (isKeyword(peek(), "bool")) {
                    index++;
                    returnBool = true;
                }
                VectorMatching matching = parseMatching(op);
                Expr rhs = parseExpr(op.isRightAssociative() ? op.precedence() : op.precedence() + 1);
                lhs = newBinary(opToken, op, lhs, rhs, matching, returnBool);
            }
        } finally {
            depth--;
        }
    }

    private VectorMatching parseMatching(BinaryOp op) {
        Cardinality cardinality = op.isSetOperator() ? Cardinality.MANY_TO_MANY : Cardinality.ONE_TO_ONE;
        List<String> labels = List.of();
        boolean on = false;
        List<String> include = List.of();
        if (isKeyword(peek(), "on") || isKeyword(peek(), "ignoring")) {
            on = isKeyword(next(), "on");
            labels = parseGroupingLabels();
            if (isKeyword(peek(), "group_left") || isKeyword(peek(), "group_right")) {
                Token group = next();
                cardinality = isKeyword(group, "group_left") ? Cardinality.MANY_TO_ONE : Cardinality.ONE_TO_MANY;
                if (peek().kind() == Kind.LEFT_PAREN) {
                    include = parseGroupingLabels();
                }
            }
        }
        return new VectorMatching(cardinality, labels, on, include);
    }

    private Expr parseUnary() {
        Token token = peek();
        if (token.kind() == Kind.ADD || token.kind() == Kind.SUB) {
            index++;
            Expr operand = parseExpr(BinaryOp.UNARY_PRECEDENCE + 1);
            boolean negate = token.kind() == Kind.SUB;
            if (operand instanceof NumberLiteral n) {
                return new NumberLiteral(negate ? -n.value() : n.value());
            }
            if (operand.type() != ValueType.SCALAR && operand.type() != ValueType.VECTOR) {
                throw error(token, "unary expression only allowed on expressions of type scalar or instant vector, got \""
                        + operand.type().description() + "\"");
            }
            return new Unary(negate, operand);
        }
        return parsePostfix(parsePrimary());
    }

    private Expr parsePostfix(Expr primary) {
        Expr expr = primary;
        while (true) {
            Token token = peek();
            if (token.kind() == Kind.LEFT_BRACKET) {
                expr = parseRangeOrSubquery(expr);
            } else if (isKeyword(token, "offset")) {
                index++;
                boolean negative = false;
                if (peek().kind() == Kind.SUB) {
                    index++;
                    negative = true;
                }
                Token durationToken = peek();
                if (durationToken.kind() != Kind.DURATION) {
                    throw unexpected(durationToken, "in offset, expected duration");
                }
                long offset = duration(next());
                expr = withOffset(token, expr, negative ? -offset : offset);
            } else if (token.kind() == Kind.AT) {
                index++;
                expr = withAt(token, expr, parseAtValue());
            } else {
                return expr;
            }
        }
    }

    private At parseAtValue() {
        Token token = next();
        if (isKeyword(token, "start") || isKeyword(token, "end")) {
            expect(Kind.LEFT_PAREN, "in @, expected \"(\"");
            expect(Kind.RIGHT_PAREN, "in @, expected \")\"");
            return isKeyword(token, "start") ? new At.Start() : new At.End();
        }
        double sign = 1;
        Token numberToken = token;
        if (token.kind() == Kind.ADD || token.kind() == Kind.SUB) {
            sign = token.kind() == Kind.SUB ? -1 : 1;
            numberToken = next();
        }
        if (numberToken.kind() != Kind.NUMBER) {
            throw unexpected(numberToken, "in @, expected timestamp");
        }
        double seconds = sign * number(numberToken);
        if (Double.isNaN(seconds) || Double.isInfinite(seconds)
                || Math.abs(seconds) >= Long.MAX_VALUE / 1000.0) {
            throw error(token, "timestamp out of bounds for @ modifier: " + seconds);
        }
        return new At.Timestamp(Math.round(seconds * 1000));
    }

    private Expr withOffset(Token at, Expr expr, long offset) {
        return switch (expr) {
            case VectorSelector v -> {
                if (v.offsetMillis() != 0) {
                    throw error(at, "offset may not be set multiple times");
                }
                yield v.withOffset(offset);
            }
            case MatrixSelector m -> {
                if (m.selector().offsetMillis() != 0) {
                    throw error(at, "offset may not be set multiple times");
                }
                yield new MatrixSelector(m.selector().withOffset(offset), m.rangeMillis());
            }
            case Subquery s -> {
                if (s.offsetMillis() != 0) {
                    throw error(at, "offset may not be set multiple times");
                }
                yield new Subquery(s.expr(), s.rangeMillis(), s.stepMillis(), offset, s.at());
            }
            default -> throw error(at, "offset modifier must be preceded by an instant vector selector or range vector selector or a subquery");
        };
    }

    private Expr withAt(Token token, Expr expr, At at) {
        return switch (expr) {
            case VectorSelector v -> {
                if (v.at() != null) {
                    throw error(token, "@ <timestamp> may not be set multiple times");
                }
                yield v.withAt(at);
            }
            case MatrixSelector m -> {
                if (m.selector().at() != null) {
                    throw error(token, "@ <timestamp> may not be set multiple times");
                }
                yield new MatrixSelector(m.selector().withAt(at), m.rangeMillis());
            }
            case Subquery s -> {
                if (s.at() != null) {
                    throw error(token, "@ <timestamp> may not be set multiple times");
                }
                yield new Subquery(s.expr(), s.rangeMillis(), s.stepMillis(), s.offsetMillis(), at);
            }
            default -> throw error(token, "@ modifier must be preceded by an instant vector selector or range vector selector or a subquery");
        };
    }

    private Expr parseRangeOrSubquery(Expr expr) {
        Token open = next();
        Token rangeToken = next();
        if (rangeToken.kind() != Kind.DURATION) {
            throw unexpected(rangeToken, "in subquery selector, expected duration");
        }
        long range = duration(rangeToken);
        Token after = next();
        if (after.kind() == Kind.RIGHT_BRACKET) {
            if (!(expr instanceof VectorSelector v)) {
                throw error(open, "ranges only allowed for vector selectors");
            }
            if (v.offsetMillis() != 0) {
                throw error(open, "no offset modifiers allowed before range");
            }
            if (v.at() != null) {
                throw error(open, "no @ modifiers allowed before range");
            }
            return new MatrixSelector(v, range);
        }
        if (after.kind() != Kind.COLON) {
            throw unexpected(after, "in subquery or range, expected \":\" or \"]\"");
        }
        long step = 0;
        if (peek().kind() == Kind.DURATION) {
            step = duration(next());
        }
        expect(Kind.RIGHT_BRACKET, "in subquery selector, expected \"]\"");
        if (expr.type() != ValueType.VECTOR) {
            throw error(open, "subquery is only allowed on instant vector, got " + expr.type().description()
                    + " in \"" + Printer.print(expr) + "\" instead");
        }
        return new Subquery(expr, range, step, 0, null);
    }

    private Expr parsePrimary() {
        Token token = peek();
        switch (token.kind()) {
            case NUMBER -> {
                index++;
                return new NumberLiteral(number(token));
            }
            case STRING -> {
                index++;
                return new StringLiteral(Lexer.unquote(input, token.offset(), token.text()));
            }
            case LEFT_PAREN -> {
                index++;
                Expr inner = parseExpr(0);
                expect(Kind.RIGHT_PAREN, "in paren expression, expected \")\"");
                return new Paren(inner);
            }
            case LEFT_BRACE -> {
                return parseSelector(token, "");
            }
            case IDENTIFIER, METRIC_IDENTIFIER -> {
                return parseIdentifierExpr(token);
            }
            default -> throw unexpected(token, "");
        }
    }

    private Expr parseIdentifierExpr(Token token) {
        Token after = index + 1 < tokens.size() ? tokens.get(index + 1) : token;
        AggregateOp op = token.kind() == Kind.IDENTIFIER ? AggregateOp.byKeyword(token.text()) : null;
        if (op != null && (after.kind() == Kind.LEFT_PAREN || isKeyword(after, "by") || isKeyword(after, "without"))) {
            return parseAggregate(op);
        }
        if (token.kind() == Kind.IDENTIFIER && after.kind() == Kind.LEFT_PAREN) {
            return parseCall(token);
        }
        if (NOT_METRIC_NAMES.contains(token.text().toLowerCase(Locale.ROOT))) {
            throw unexpected(token, "");
        }
        index++;
        return parseSelector(token, token.text());
    }

    private Expr parseSelector(Token start, String name) {
        List<LabelMatcher> matchers = new ArrayList<>();
        if (peek().kind() == Kind.LEFT_BRACE) {
            index++;
            while (peek().kind() != Kind.RIGHT_BRACE) {
                matchers.add(parseMatcher());
                if (peek().kind() == Kind.COMMA) {
                    index++;
                } else if (peek().kind() != Kind.RIGHT_BRACE) {
                    throw unexpected(peek(), "in label matching, expected \",\" or \"}\"");
                }
            }
            index++;
        }
        boolean hasNonEmpty = !name.isEmpty();
        for (LabelMatcher m : matchers) {
            hasNonEmpty |= !m.matches("");
            if (!name.isEmpty() && m.name().equals(Labels.METRIC_NAME)) {
                throw error(start, "metric name must not be set twice: \"" + name + "\" or \"" + m.value() + "\"");
            }
        }
        if (!hasNonEmpty) {
            throw error(start, "vector selector must contain at least one non-empty matcher");
        }
        return new VectorSelector(name, matchers, 0, null);
    }

    private LabelMatcher parseMatcher() {
        Token label = next();
        if (label.kind() != Kind.IDENTIFIER) {
            throw unexpected(label, "in label matching, expected identifier or \"}\"");
        }
        Token op = next();
        LabelMatcher.Type type = switch (op.kind()) {
            case ASSIGN -> LabelMatcher.Type.EQUAL;
            case NEQ -> LabelMatcher.Type.NOT_EQUAL;
            case EQL_REGEX -> LabelMatcher.Type.REGEX;
            case NEQ_REGEX -> LabelMatcher.Type.NOT_REGEX;
            default -> throw unexpected(op, "in label matching, expected label matching operator");
        };
        Token value = next();
        if (value.kind() != Kind.STRING) {
            throw unexpected(value, "in label matching, expected string");
        }
        String text = Lexer.unquote(input, value.offset(), value.text());
        try {
            return LabelMatcher.of(label.text(), type, text);
        } catch (PatternSyntaxException e) {
            throw error(value, "error parsing regexp: " + e.getDescription() + ": `" + text + "`");
        }
    }

    private Expr parseAggregate(AggregateOp op) {
        Token opToken = next();
        List<String> grouping = List.of();
        boolean without = false;
        boolean hasModifier = false;
        if (isKeyword(peek(), "by") || isKeyword(peek(), "without")) {
            without = isKeyword(next(), "without");
            grouping = parseGroupingLabels();
            hasModifier = true;
        }
        if (peek().kind() != Kind.LEFT_PAREN) {
            throw unexpected(peek(), "in aggregation, expected \"(\"");
        }
        List<Expr> args = parseArguments();
        if (!hasModifier && (isKeyword(peek(), "by") || isKeyword(peek(), "without"))) {
            without = isKeyword(next(), "without");
            grouping = parseGroupingLabels();
        }
        int expected = op.hasParameter() ? 2 : 1;
        if (args.size() != expected) {
            throw error(opToken, "wrong number of arguments for aggregate expression provided, expected "
                    + expected + ", got " + args.size());
        }
        Expr param = op.hasParameter() ? args.getFirst() : null;
        Expr expr = args.getLast();
        if (expr.type() != ValueType.VECTOR) {
            throw error(opToken, "expected type instant vector in aggregation expression, got " + expr.type().description());
        }
        if (param != null && param.type() != op.parameterType()) {
            throw error(opToken, "expected type " + op.parameterType().description()
                    + " in aggregation parameter, got " + param.type().description());
        }
        return new Aggregate(op, expr, param, grouping, without);
    }

    private List<String> parseGroupingLabels() {
        expect(Kind.LEFT_PAREN, "in grouping opts, expected \"(\"");
        List<String> labels = new ArrayList<>();
        while (peek().kind() != Kind.RIGHT_PAREN) {
            Token label = next();
            if (label.kind() != Kind.IDENTIFIER) {
                throw unexpected(label, "in grouping opts, expected label");
            }
            labels.add(label.text());
            if (peek().kind() == Kind.COMMA) {
                index++;
            } else if (peek().kind() != Kind.RIGHT_PAREN) {
                throw unexpected(peek(), "in grouping opts, expected \",\" or \")\"");
            }
        }
        index++;
        return labels;
    }

    private List<Expr> parseArguments() {
        expect(Kind.LEFT_PAREN, "expected \"(\"");
        List<Expr> args = new ArrayList<>();
        if (peek().kind() == Kind.RIGHT_PAREN) {
            index++;
            return args;
        }
        while (true) {
            args.add(parseExpr(0));
            Token token = next();
            if (token.kind() == Kind.RIGHT_PAREN) {
                return args;
            }
            if (token.kind() != Kind.COMMA) {
                throw unexpected(token, "in function call, expected \",\" or \")\"");
            }
            if (peek().kind() == Kind.RIGHT_PAREN) {
                throw error(token, "trailing commas not allowed in function call args");
            }
        }
    }

    private Expr parseCall(Token nameToken) {
        index++;
        Function function = Function.byName(nameToken.text());
        if (function == null) {
            throw error(nameToken, "unknown function with name \"" + nameToken.text() + "\"");
        }
        List<Expr> args = parseArguments();
        int declared = function.argTypes().size();
        String name = function.name();
        if (function.variadic() == 0) {
            if (declared != args.size()) {
                throw error(nameToken, "expected " + declared + " argument(s) in call to \"" + name + "\", got " + args.size());
            }
        } else {
            int required = declared - 1;
            if (required > args.size()) {
                throw error(nameToken, "expected at least " + required + " argument(s) in call to \"" + name
                        + "\", got " + args.size());
            }
            if (function.variadic() > 0 && required + function.variadic() < args.size()) {
                throw error(nameToken, "expected at most " + (required + function.variadic())
                        + " argument(s) in call to \"" + name + "\", got " + args.size());
            }
        }
        for (int i = 0; i < args.size(); i++) {
            ValueType want = function.argType(i);
            if (args.get(i).type() != want) {
                throw error(nameToken, "expected type " + want.description() + " in call to function \"" + name
                        + "\", got " + args.get(i).type().description());
            }
        }
        return new Call(function, args);
    }

    private Expr newBinary(Token opToken, BinaryOp op, Expr lhs, Expr rhs, VectorMatching matching, boolean returnBool) {
        if (returnBool && !op.isComparison()) {
            throw error(opToken, "bool modifier can only be used on comparison operators");
        }
        ValueType lt = lhs.type();
        ValueType rt = rhs.type();
        if (op.isComparison() && !returnBool && lt == ValueType.SCALAR && rt == ValueType.SCALAR) {
            throw error(opToken, "comparisons between scalars must use BOOL modifier");
        }
        if (matching.on()) {
            for (String label : matching.labels()) {
                if (matching.include().contains(label)) {
                    throw error(opToken, "label \"" + label + "\" must not occur in ON and GROUP clause at once");
                }
            }
        }
        if (lt != ValueType.SCALAR && lt != ValueType.VECTOR || rt != ValueType.SCALAR && rt != ValueType.VECTOR) {
            throw error(opToken, "binary expression must contain only scalar and instant vector types");
        }
        VectorMatching checked = matching;
        if (lt != ValueType.VECTOR || rt != ValueType.VECTOR) {
            if (!matching.labels().isEmpty() || matching.on()) {
                throw error(opToken, "vector matching only allowed between instant vectors");
            }
            checked = null;
        } else if (op.isSetOperator() && matching.cardinality() != Cardinality.MANY_TO_MANY) {
            throw error(opToken, "no grouping allowed for \"" + op.symbol() + "\" operation");
        }
        if ((lt == ValueType.SCALAR || rt == ValueType.SCALAR) && op.isSetOperator()) {
            throw error(opToken, "set operator \"" + op.symbol() + "\" not allowed in binary scalar expression");
        }
        return new Binary(op, lhs, rhs, checked, returnBool);
    }

    // ------------------------------------------------------------------------ tokens

    private static BinaryOp binaryOp(Token token) {
        return switch (token.kind()) {
            case ADD -> BinaryOp.ADD;
            case SUB -> BinaryOp.SUB;
            case MUL -> BinaryOp.MUL;
            case DIV -> BinaryOp.DIV;
            case MOD -> BinaryOp.MOD;
            case POW -> BinaryOp.POW;
            case EQLC -> BinaryOp.EQ;
            case NEQ -> BinaryOp.NE;
            case LSS -> BinaryOp.LT;
            case LTE -> BinaryOp.LE;
            case GTR -> BinaryOp.GT;
            case GTE -> BinaryOp.GE;
            case IDENTIFIER -> switch (token.text().toLowerCase(Locale.ROOT)) {
                case "and" -> BinaryOp.AND;
                case "or" -> BinaryOp.OR;
                case "unless" -> BinaryOp.UNLESS;
                case "atan2" -> BinaryOp.ATAN2;
                default -> null;
            };
            default -> null;
        };
    }

    private static boolean isKeyword(Token token, String keyword) {
        return token.kind() == Kind.IDENTIFIER && token.text().equalsIgnoreCase(keyword);
    }

    private double number(Token token) {
        String text = token.text();
        String lower = text.toLowerCase(Locale.ROOT);
        try {
            if (lower.startsWith("0x")) {
                return Long.parseUnsignedLong(text.substring(2), 16);
            }
            if (lower.equals("inf")) {
                return Double.POSITIVE_INFINITY;
            }
            if (lower.equals("nan")) {
                return Double.NaN;
            }
            // Go's ParseInt with base 0, which Prometheus tries first, reads a leading 0 as octal.
            if (text.length() > 1 && text.charAt(0) == '0' && text.chars().allMatch(c -> c >= '0' && c <= '7')) {
                return Long.parseLong(text, 8);
            }
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw error(token, "bad number syntax: \"" + text + "\"");
        }
    }

    private long duration(Token token) {
        long millis = Durations.parseMillis(token.text());
        if (millis < 0) {
            throw error(token, "not a valid duration string: \"" + token.text() + "\"");
        }
        if (millis == 0) {
            throw error(token, "duration must be greater than 0");
        }
        return millis;
    }

    private Token peek() {
        return tokens.get(index);
    }

    private Token next() {
        Token token = tokens.get(index);
        if (token.kind() != Kind.EOF) {
            index++;
        }
        return token;
    }

    private void expect(Kind kind, String context) {
        Token token = next();
        if (token.kind() != kind) {
            throw unexpected(token, context);
        }
    }

    private PromParseException unexpected(Token token, String context) {
        String reason = "unexpected " + token.describe();
        return error(token, context.isEmpty() ? reason : reason + " " + context);
    }

    private PromParseException error(Token token, String reason) {
        return PromParseException.at(input, token.offset(), reason);
    }
}
