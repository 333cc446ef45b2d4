package io.sundial.query.sundialql;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * An expression: a field or tag reference, a literal, a function call or an operator. Records
 * compare by meaning (see {@link Position}); constructors keep the invariants the printer relies
 * on, so every value of this type prints to text that parses back to an equal value.
 */
public sealed interface Expr {
    Position position();

    /** A field or tag, optionally qualified by a JOIN alias ({@code a.usage}) and cast ({@code ::tag}). */
    record VarRef(Optional<String> qualifier, String name, VarType type, Position position) implements Expr {
        public VarRef {
            requireIdentifier(name, "column name");
            qualifier.ifPresent(value -> requireIdentifier(value, "qualifier"));
            Objects.requireNonNull(type, "type");
        }

        public VarRef(String name, Position position) {
            this(Optional.empty(), name, VarType.ANY, position);
        }

        @Override
        public String toString() {
            return Printer.print(this);
        }
    }

    /** {@code *}, {@code *::field} or {@code *::tag}. */
    record Wildcard(VarType type, Position position) implements Expr {
        public Wildcard {
            if (type != VarType.ANY && type != VarType.FIELD && type != VarType.TAG) {
                throw new IllegalArgumentException("a wildcard can only be cast to ::field or ::tag, not " + type);
            }
        }

        @Override
        public String toString() {
            return Printer.print(this);
        }
    }

    /** A regular expression literal; {@code pattern} is what the regex engine gets. */
    record RegexLiteral(String pattern, Position position) implements Expr {
        public RegexLiteral {
            requirePrintableRegex(pattern);
        }

        @Override
        public String toString() {
            return Printer.print(this);
        }
    }

    record StringLiteral(String value, Position position) implements Expr {
        public StringLiteral {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String toString() {
            return Printer.print(this);
        }
    }

    record IntegerLiteral(long value, Position position) implements Expr {
        @Override
        public String toString() {
            return Printer.print(this);
        }
    }

    record FloatLiteral(double value, Position position) implements Expr {
        public FloatLiteral {
            if (!Double.isFinite(value)) {
                throw new IllegalArgumentException("a float literal must be finite, not " + value);
            }
        }

        @Override
        public String toString() {
            return Printer.print(this);
        }
    }

    /** A duration such as {@code 5m}, in nanoseconds. */
    record DurationLiteral(long nanos, Position position) implements Expr {
        public DurationLiteral {
            if (nanos == Long.MIN_VALUE) {
                throw new IllegalArgumentException("duration out of range: " + nanos + "ns");
            }
        }

        @Override
        public String toString() {
            return Printer.print(this);
        }
    }

    record BooleanLiteral(boolean value, Position position) implements Expr {
        @Override
        public String toString() {
            return Printer.print(this);
        }
    }

    /** {@code $name}: a value supplied with the query (InfluxDB's {@code params=}). */
    record BoundParameter(String name, Position position) implements Expr {
        public BoundParameter {
            Objects.requireNonNull(name, "name");
        }

        @Override
        public String toString() {
            return Printer.print(this);
        }
    }

    /**
     * A function call. Names are case-insensitive, so they are kept in lower case; SQL's
     * {@code avg} is InfluxQL's {@code mean} and is stored as such. {@code DISTINCT x} is the call
     * {@code distinct(x)}, as in InfluxQL.
     */
    record Call(String name, List<Expr> arguments, Position position) implements Expr {
        public Call {
            requireIdentifier(name, "function name");
            name = canonicalFunctionName(name);
            arguments = List.copyOf(arguments);
        }

        @Override
        public String toString() {
            return Printer.print(this);
        }
    }

    /** {@code -x} or {@code NOT x}. */
    record Unary(UnaryOperator operator, Expr operand, Position position) implements Expr {
        public Unary {
            Objects.requireNonNull(operator, "operator");
            Objects.requireNonNull(operand, "operand");
        }

        @Override
        public String toString() {
            return Printer.print(this);
        }
    }

    record Binary(BinaryOperator operator, Expr left, Expr right, Position position) implements Expr {
        public Binary {
            Objects.requireNonNull(operator, "operator");
            Objects.requireNonNull(left, "left");
            Objects.requireNonNull(right, "right");
        }

        @Override
        public boolean equals(Object other) {
            return spineEquals(this, other);
        }

        @Override
        public int hashCode() {
            return spineHash(this);
        }

        @Override
        public String toString() {
            return Printer.print(this);
        }
    }

    /** {@code value [NOT] BETWEEN lower AND upper}, bounds inclusive as in SQL. */
    record Between(Expr value, Expr lower, Expr upper, boolean isNegated, Position position) implements Expr {
        public Between {
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(lower, "lower");
            Objects.requireNonNull(upper, "upper");
        }

        @Override
        public boolean equals(Object other) {
            return spineEquals(this, other);
        }

        @Override
        public int hashCode() {
            return spineHash(this);
        }

        @Override
        public String toString() {
            return Printer.print(this);
        }
    }

    /** {@code value [NOT] IN (item, ...)}. */
    record InList(Expr value, List<Expr> items, boolean isNegated, Position position) implements Expr {
        public InList {
            Objects.requireNonNull(value, "value");
            items = List.copyOf(items);
            if (items.isEmpty()) {
                throw new IllegalArgumentException("IN needs at least one item");
            }
        }

        @Override
        public boolean equals(Object other) {
            return spineEquals(this, other);
        }

        @Override
        public int hashCode() {
            return spineHash(this);
        }

        @Override
        public String toString() {
            return Printer.print(this);
        }
    }

    /** The type a reference is cast to with {@code ::type}; ANY when there is no cast. */
    enum VarType {
        ANY(""), FIELD("field"), TAG("tag"), FLOAT("float"), INTEGER("integer"), UNSIGNED("unsigned"),
        STRING("string"), BOOLEAN("boolean");

        private final String keyword;

        VarType(String keyword) {
            this.keyword = keyword;
        }

        /** The word after {@code ::}. */
        public String keyword() {
            return keyword;
        }

        static Optional<VarType> fromKeyword(String word) {
            for (VarType type : values()) {
                if (type != ANY && type.keyword.equalsIgnoreCase(word)) {
                    return Optional.of(type);
                }
            }
            return Optional.empty();
        }
    }

    enum UnaryOperator { NEGATE, NOT }

    /** Binary operators with InfluxQL's precedence (higher binds tighter); all are left-associative. */
    enum BinaryOperator {
        OR("OR", 1), AND("AND", 2),
        EQUALS("=", 4), NOT_EQUALS("!=", 4), LESS("<", 4), LESS_OR_EQUAL("<=", 4), GREATER(">", 4),
        GREATER_OR_EQUAL(">=", 4), MATCHES("=~", 4), NOT_MATCHES("!~", 4),
        ADD("+", 5), SUBTRACT("-", 5), BITWISE_OR("|", 5), BITWISE_XOR("^", 5),
        MULTIPLY("*", 6), DIVIDE("/", 6), MODULO("%", 6), BITWISE_AND("&", 6);

        private final String symbol;
        private final int precedence;

        BinaryOperator(String symbol, int precedence) {
            this.symbol = symbol;
            this.precedence = precedence;
        }

        public String symbol() {
            return symbol;
        }

        public int precedence() {
            return precedence;
        }
    }

    /**
     * Long operator chains ({@code a OR b OR ...}, comparisons with BETWEEN and IN) are deep
     * along their left operand. The generated record equality would recurse once per operator,
     * so these three walk that spine in a loop and recurse only into the shallow other operands.
     */
    private static boolean spineEquals(Expr first, Object second) {
        Object left = first;
        Object right = second;
        while (true) {
            if (left instanceof Binary one && right instanceof Binary two) {
                if (one.operator != two.operator || !one.right.equals(two.right)) {
                    return false;
                }
                left = one.left;
                right = two.left;
            } else if (left instanceof Between one && right instanceof Between two) {
                if (one.isNegated != two.isNegated || !one.lower.equals(two.lower) || !one.upper.equals(two.upper)) {
                    return false;
                }
                left = one.value;
                right = two.value;
            } else if (left instanceof InList one && right instanceof InList two) {
                if (one.isNegated != two.isNegated || !one.items.equals(two.items)) {
                    return false;
                }
                left = one.value;
                right = two.value;
            } else if (isSpine(left) || isSpine(right)) {
                return false;
            } else {
                return left.equals(right);
            }
        }
    }

    private static int spineHash(Expr node) {
        int hash = 1;
        Expr current = node;
        while (true) {
            switch (current) {
                case Binary binary -> {
                    hash = 31 * hash + 17 * binary.operator.ordinal() + binary.right.hashCode();
                    current = binary.left;
                }
                case Between between -> {
                    hash = 31 * hash + Boolean.hashCode(between.isNegated) + 7 * between.lower.hashCode()
                            + 13 * between.upper.hashCode();
                    current = between.value;
                }
                case InList in -> {
                    hash = 31 * hash + Boolean.hashCode(in.isNegated) + 11 * in.items.hashCode();
                    current = in.value;
                }
                default -> {
                    return 31 * hash + current.hashCode();
                }
            }
        }
    }

    private static boolean isSpine(Object node) {
        return node instanceof Binary || node instanceof Between || node instanceof InList;
    }

    private static void requireIdentifier(String name, String what) {
        Objects.requireNonNull(name, what);
        if (name.isEmpty()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
    }

    private static String canonicalFunctionName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.equals("avg") ? "mean" : lower;
    }

    /**
     * A regex literal's text cannot spell a backslash directly before '/' (that pair means '/'),
     * a trailing backslash, a line break or a leading '*' (that is a comment), so such patterns
     * are refused here rather than printed to text that reads back differently.
     */
    private static void requirePrintableRegex(String pattern) {
        Objects.requireNonNull(pattern, "pattern");
        if (pattern.startsWith("*")) {
            throw new IllegalArgumentException("a regex literal cannot start with '*': /* opens a comment");
        }
        for (int index = 0; index < pattern.length(); index++) {
            char c = pattern.charAt(index);
            if (c == '\n') {
                throw new IllegalArgumentException("a regex literal cannot contain a line break");
            }
            if (c == '\\') {
                if (index + 1 == pattern.length() || pattern.charAt(index + 1) == '/' || pattern.charAt(index + 1) == '\n') {
                    throw new IllegalArgumentException(
                            "a regex literal cannot hold a backslash before '/', a line break or at its end: " + pattern);
                }
                index++;
            }
        }
    }
}
