package io.sundial.query.sundialql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Operator precedence and associativity, shown by parenthesising every operator of the parsed tree. */
class PrecedenceTest {

    static Stream<Arguments> expressions() {
        return Stream.of(
                named("AND binds tighter than OR", "a OR b AND c", "(a OR (b AND c))"),
                named("OR after AND", "a AND b OR c", "((a AND b) OR c)"),
                named("NOT binds looser than comparison", "NOT a = 1 AND b", "((NOT (a = 1)) AND b)"),
                named("NOT binds tighter than OR", "NOT a OR b", "((NOT a) OR b)"),
                named("NOT NOT", "NOT NOT a", "(NOT (NOT a))"),
                named("comparison looser than arithmetic", "a = 1 + 2 * 3", "(a = (1 + (2 * 3)))"),
                named("subtraction is left-associative", "a - b - c", "((a - b) - c)"),
                named("division is left-associative", "a / b * c", "((a / b) * c)"),
                named("mixed additive and multiplicative", "a + b * c - d", "((a + (b * c)) - d)"),
                named("bitwise AND is multiplicative", "a | b & c", "(a | (b & c))"),
                named("bitwise XOR is additive", "a ^ b + c", "((a ^ b) + c)"),
                named("modulo is multiplicative", "a % b * c", "((a % b) * c)"),
                named("comparisons are left-associative", "a < b = c", "((a < b) = c)"),
                named("unary minus binds tightest", "-a * b", "((-a) * b)"),
                named("minus before a number is a literal", "-2 * b", "(-2 * b)"),
                named("minus after an operator", "a - -2", "(a - -2)"),
                named("parentheses override", "(a OR b) AND c", "((a OR b) AND c)"),
                named("parentheses around arithmetic", "(a + b) * c", "((a + b) * c)"),
                named("BETWEEN takes its AND", "x BETWEEN 1 AND 2 AND y", "((x BETWEEN 1 AND 2) AND y)"),
                named("BETWEEN bounds are arithmetic", "x BETWEEN a + 1 AND b * 2", "(x BETWEEN (a + 1) AND (b * 2))"),
                named("NOT BETWEEN", "NOT x NOT BETWEEN 1 AND 2", "(NOT (x NOT BETWEEN 1 AND 2))"),
                named("IN lists", "x IN (1, 2) OR y NOT IN (3)", "((x IN (1, 2)) OR (y NOT IN (3)))"),
                named("regex matchers", "a =~ /x/ AND b !~ /y/", "((a =~ /x/) AND (b !~ /y/))"),
                named("time range", "time > now() - 1h AND time < now()", "((time > (now() - 1h)) AND (time < now()))"),
                named("DISTINCT takes one operand", "DISTINCT a + b", "(distinct(a) + b)"),
                named("aggregate ratio", "mean(a) / mean(b) * 100", "((mean(a) / mean(b)) * 100)"),
                named("cast binds to the reference", "-a::field", "(-a::field)"),
                named("arguments are whole expressions", "f(a OR b, NOT c)", "f((a OR b), (NOT c))"),
                named("TSBS host filter", "(h = 'a' or h = 'b') and time >= '2016-01-01T00:00:00Z' and time < '2016-01-02T00:00:00Z'",
                        "((((h = 'a') OR (h = 'b')) AND (time >= '2016-01-01T00:00:00Z')) AND (time < '2016-01-02T00:00:00Z'))"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("expressions")
    void parsesWithInfluxQlPrecedence(String name, String text, String shape) {
        assertEquals(shape, shape(Parser.parseExpression(text)));
    }

    /** Every operator in parentheses, so the tree's shape is visible in one line. */
    static String shape(Expr expression) {
        return switch (expression) {
            case Expr.Binary binary -> "(" + shape(binary.left()) + " " + binary.operator().symbol() + " "
                    + shape(binary.right()) + ")";
            case Expr.Unary unary -> unary.operator() == Expr.UnaryOperator.NOT
                    ? "(NOT " + shape(unary.operand()) + ")" : "(-" + shape(unary.operand()) + ")";
            case Expr.Between between -> "(" + shape(between.value()) + (between.isNegated() ? " NOT" : "") + " BETWEEN "
                    + shape(between.lower()) + " AND " + shape(between.upper()) + ")";
            case Expr.InList in -> "(" + shape(in.value()) + (in.isNegated() ? " NOT" : "") + " IN ("
                    + in.items().stream().map(PrecedenceTest::shape).collect(Collectors.joining(", ")) + "))";
            case Expr.Call call -> call.name() + "("
                    + call.arguments().stream().map(PrecedenceTest::shape).collect(Collectors.joining(", ")) + ")";
            default -> Printer.print(expression);
        };
    }

    private static Arguments named(String name, String text, String shape) {
        return Arguments.of(name, text, shape);
    }
}
