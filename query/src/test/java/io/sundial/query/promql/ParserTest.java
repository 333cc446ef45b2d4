package io.sundial.query.promql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sundial.query.promql.Expr.Aggregate;
import io.sundial.query.promql.Expr.At;
import io.sundial.query.promql.Expr.Binary;
import io.sundial.query.promql.Expr.Call;
import io.sundial.query.promql.Expr.MatrixSelector;
import io.sundial.query.promql.Expr.NumberLiteral;
import io.sundial.query.promql.Expr.Paren;
import io.sundial.query.promql.Expr.StringLiteral;
import io.sundial.query.promql.Expr.Subquery;
import io.sundial.query.promql.Expr.Unary;
import io.sundial.query.promql.Expr.VectorSelector;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ParserTest {

    /** Fully parenthesised structure, so precedence and associativity are visible. */
    static String tree(Expr e) {
        return switch (e) {
            case NumberLiteral n -> Printer.number(n.value());
            case StringLiteral s -> Printer.quote(s.value());
            case Paren p -> tree(p.expr());
            case Unary u -> "(" + (u.negate() ? "-" : "+") + tree(u.expr()) + ")";
            case Binary b -> "(" + tree(b.lhs()) + " " + b.op().symbol() + (b.returnBool() ? " bool" : "") + " " + tree(b.rhs()) + ")";
            case VectorSelector v -> Printer.print(v);
            case MatrixSelector m -> Printer.print(m);
            case Subquery s -> "(" + tree(s.expr()) + ")[" + Durations.format(s.rangeMillis()) + ":]";
            case Call c -> c.function().name() + "(" + c.args().stream().map(ParserTest::tree).collect(Collectors.joining(", ")) + ")";
            case Aggregate a -> a.op().keyword() + "(" + (a.param() == null ? "" : tree(a.param()) + ", ") + tree(a.expr()) + ")";
        };
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            1 + 2 * 3                 | (1 + (2 * 3))
            1 * 2 + 3                 | ((1 * 2) + 3)
            a - b - c                 | ((a - b) - c)
            2 ^ 3 ^ 2                 | (2 ^ (3 ^ 2))
            -2 ^ 2                    | (-(2 ^ 2))
            2 * -3 ^ 2                | (2 * (-(3 ^ 2)))
            -a * b                    | ((-a) * b)
            -a ^ b                    | (-(a ^ b))
            1 - -1                    | (1 - -1)
            a or b and c              | (a or (b and c))
            a and b unless c          | ((a and b) unless c)
            a or b unless c or d      | ((a or (b unless c)) or d)
            a > b + c                 | (a > (b + c))
            a + b > c                 | ((a + b) > c)
            a == bool b or c          | ((a == bool b) or c)
            a atan2 b * c             | ((a atan2 b) * c)
            a * b atan2 c             | ((a * b) atan2 c)
            a % b / c                 | ((a % b) / c)
            (a + b) * c               | ((a + b) * c)
            -a offset 5m              | (-a offset 5m)
            a + rate(b[5m]) * 2       | (a + (rate(b[5m]) * 2))
            sum(a) by (x) / 2         | (sum(a) / 2)
            a AND b OR c              | ((a and b) or c)
            """)
    void precedenceAndAssociativity(String query, String expected) {
        assertEquals(expected, tree(Parser.parse(query)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '\u0000', textBlock = """
            0x1F                 | 31
            0X10                 | 16
            1e3                  | 1000
            .5                   | 0.5
            2.                   | 2
            010                  | 8
            Inf                  | Inf
            +Inf                 | Inf
            -inF                 | -Inf
            nan                  | NaN
            +1                   | 1
            """)
    void numberLiterals(String query, String expected) {
        assertEquals(expected, Printer.print(Parser.parse(query)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '\u0000', textBlock = """
            foo[1h30m]                          | 5400000
            foo[1y]                             | 31536000000
            foo[2w]                             | 1209600000
            foo[100ms]                          | 100
            foo[1d2h3m4s5ms]                    | 93784005
            """)
    void compositeDurations(String query, long millis) {
        assertEquals(millis, assertInstanceOf(MatrixSelector.class, Parser.parse(query)).rangeMillis());
    }

    @Test
    void selectorWithEveryMatcherType() {
        VectorSelector v = assertInstanceOf(VectorSelector.class,
                Parser.parse("foo{a=\"1\", b!='2', c=~`x.*`, d!~\"y|z\",}"));
        assertEquals("foo", v.name());
        assertEquals(List.of(
                LabelMatcher.of("a", LabelMatcher.Type.EQUAL, "1"),
                LabelMatcher.of("b", LabelMatcher.Type.NOT_EQUAL, "2"),
                LabelMatcher.of("c", LabelMatcher.Type.REGEX, "x.*"),
                LabelMatcher.of("d", LabelMatcher.Type.NOT_REGEX, "y|z")), v.matchers());
    }

    @Test
    void modifiersInEitherOrder() {
        Expr a = Parser.parse("foo @ 100 offset -5m");
        Expr b = Parser.parse("foo offset -5m @ 100.000");
        assertEquals(new VectorSelector("foo", List.of(), -300_000, new At.Timestamp(100_000)), a);
        assertEquals(a, b);
        assertEquals(new At.Start(), assertInstanceOf(VectorSelector.class, Parser.parse("foo @ start()")).at());
        assertEquals(new At.End(), assertInstanceOf(MatrixSelector.class, Parser.parse("foo[1m] @ end()")).selector().at());
    }

    @Test
    void subqueryWithAndWithoutStep() {
        Subquery s = assertInstanceOf(Subquery.class, Parser.parse("rate(foo[5m])[30m:1m] offset 1h"));
        assertEquals(1_800_000, s.rangeMillis());
        assertEquals(60_000, s.stepMillis());
        assertEquals(3_600_000, s.offsetMillis());
        assertEquals(0, assertInstanceOf(Subquery.class, Parser.parse("foo[5m:]")).stepMillis());
    }

    @Test
    void aggregationModifiersBeforeOrAfter() {
        Aggregate before = assertInstanceOf(Aggregate.class, Parser.parse("sum by (a, b) (foo)"));
        Aggregate after = assertInstanceOf(Aggregate.class, Parser.parse("sum(foo) by (a, b)"));
        assertEquals(before, after);
        assertEquals(List.of("a", "b"), before.grouping());
        Aggregate topk = assertInstanceOf(Aggregate.class, Parser.parse("topk without (instance) (3, foo)"));
        assertEquals(new NumberLiteral(3), topk.param());
        assertEquals(true, topk.without());
    }

    @Test
    void vectorMatchingModifiers() {
        Binary b = assertInstanceOf(Binary.class, Parser.parse("a * on (x, y) group_left (z) b"));
        assertEquals(new Expr.VectorMatching(Expr.Cardinality.MANY_TO_ONE, List.of("x", "y"), true, List.of("z")), b.matching());
        Binary r = assertInstanceOf(Binary.class, Parser.parse("a / ignoring (x) group_right b"));
        assertEquals(new Expr.VectorMatching(Expr.Cardinality.ONE_TO_MANY, List.of("x"), false, List.of()), r.matching());
        Binary set = assertInstanceOf(Binary.class, Parser.parse("a and on () b"));
        assertEquals(Expr.Cardinality.MANY_TO_MANY, set.matching().cardinality());
        assertEquals(null, assertInstanceOf(Binary.class, Parser.parse("a + 1")).matching());
    }

    @Test
    void commentsAndStrings() {
        assertEquals(new StringLiteral("a\nb\"c"), Parser.parse("# leading comment\n\"a\\nb\\\"c\" # trailing"));
        assertEquals(new StringLiteral("a\\nb"), Parser.parse("`a\\nb`"));
        assertEquals(new StringLiteral("é"), Parser.parse("'\\u00e9'"));
    }

    @Test
    void keywordsAsMetricAndLabelNames() {
        assertEquals("by", assertInstanceOf(VectorSelector.class, Parser.parse("by")).name());
        assertEquals("offset", assertInstanceOf(VectorSelector.class, Parser.parse("offset{a=\"b\"}")).name());
        assertEquals(List.of("on", "by"), assertInstanceOf(Aggregate.class, Parser.parse("sum by (on, by) (foo)")).grouping());
        assertEquals("job:rate:5m", assertInstanceOf(VectorSelector.class, Parser.parse("job:rate:5m")).name());
        assertInstanceOf(Call.class, Parser.parse("label_join(foo, \"a\", \",\", \"b\", \"c\", \"d\")"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '\u0000', textBlock = """
            foo{                            | 1:5: parse error: unexpected end of input inside braces
            1 +                             | 1:4: parse error: unexpected end of input
            foo offset 5m offset 1m         | 1:15: parse error: offset may not be set multiple times
            {}                              | 1:1: parse error: vector selector must contain at least one non-empty matcher
            {a=""}                          | 1:1: parse error: vector selector must contain at least one non-empty matcher
            foo{__name__="bar"}             | 1:1: parse error: metric name must not be set twice: "foo" or "bar"
            1 == 1                          | 1:3: parse error: comparisons between scalars must use BOOL modifier
            foo and 1                       | 1:5: parse error: set operator "and" not allowed in binary scalar expression
            foo + bool bar                  | 1:5: parse error: bool modifier can only be used on comparison operators
            1 + on(a) foo                   | 1:3: parse error: vector matching only allowed between instant vectors
            foo and on(a) group_left bar    | 1:5: parse error: no grouping allowed for "and" operation
            foo * on(a) group_left(a) bar   | 1:5: parse error: label "a" must not occur in ON and GROUP clause at once
            unknown_fn(foo)                 | 1:1: parse error: unknown function with name "unknown_fn"
            rate(foo)                       | 1:1: parse error: expected type range vector in call to function "rate", got instant vector
            rate(foo[5m], 1)                | 1:1: parse error: expected 1 argument(s) in call to "rate", got 2
            round()                         | 1:1: parse error: expected at least 1 argument(s) in call to "round", got 0
            round(foo, 1, 2)                | 1:1: parse error: expected at most 2 argument(s) in call to "round", got 3
            sum(foo[5m])                    | 1:1: parse error: expected type instant vector in aggregation expression, got range vector
            topk(foo)                       | 1:1: parse error: wrong number of arguments for aggregate expression provided, expected 2, got 1
            count_values(1, foo)            | 1:1: parse error: expected type string in aggregation parameter, got scalar
            foo[5m] offset 1m [5m]          | 1:19: parse error: ranges only allowed for vector selectors
            foo offset 1m [5m]              | 1:15: parse error: no offset modifiers allowed before range
            (foo + bar)[5m]                 | 1:12: parse error: ranges only allowed for vector selectors
            foo[5m][10m:]                   | 1:8: parse error: subquery is only allowed on instant vector, got range vector in "foo[5m]" instead
            -"a"                            | 1:1: parse error: unary expression only allowed on expressions of type scalar or instant vector, got "string"
            foo[5x]                         | 1:5: parse error: bad number or duration syntax: "5x"
            foo[0s]                         | 1:5: parse error: duration must be greater than 0
            foo[1m1h]                       | 1:5: parse error: not a valid duration string: "1m1h"
            foo{a=~"("}                     | 1:8: parse error: error parsing regexp: Unclosed group: `(`
            1 + 1 @ 5                       | 1:7: parse error: @ modifier must be preceded by an instant vector selector or range vector selector or a subquery
            sum(foo) offset 5m              | 1:10: parse error: offset modifier must be preceded by an instant vector selector or range vector selector or a subquery
            foo @ 1 @ 2                     | 1:9: parse error: @ <timestamp> may not be set multiple times
            foo{a="b"                       | 1:10: parse error: unexpected end of input inside braces
            "unterminated                   | 1:1: parse error: unterminated quoted string
            rate(foo[5m],)                  | 1:13: parse error: trailing commas not allowed in function call args
            foo )                           | 1:5: parse error: unexpected right parenthesis ')'
            sum by foo (bar)                | 1:8: parse error: unexpected identifier "foo" in grouping opts, expected "("
            """)
    void errorsSayWhereAndWhat(String query, String message) {
        PromParseException e = assertThrows(PromParseException.class, () -> Parser.parse(query));
        assertEquals(message, e.getMessage());
    }

    @Test
    void emptyInputHasNoExpression() {
        for (String query : List.of("", "  ", "# only a comment")) {
            PromParseException e = assertThrows(PromParseException.class, () -> Parser.parse(query));
            assertEquals("1:1: parse error: no expression found in input", e.getMessage());
        }
    }

    @Test
    void errorPositionCountsLines() {
        PromParseException e = assertThrows(PromParseException.class, () -> Parser.parse("foo +\n  bar baz"));
        assertEquals("2:7: parse error: unexpected identifier \"baz\"", e.getMessage());
        assertEquals(2, e.line());
        assertEquals(7, e.column());
    }

    @Test
    void deepNestingIsRefusedNotOverflowed() {
        String query = "(".repeat(100_000) + "1" + ")".repeat(100_000);
        PromParseException e = assertThrows(PromParseException.class, () -> Parser.parse(query));
        assertEquals(true, e.getMessage().contains("nests deeper than"), e.getMessage());
    }
}
