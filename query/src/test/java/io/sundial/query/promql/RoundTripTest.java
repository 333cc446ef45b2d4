package io.sundial.query.promql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sundial.query.promql.Expr.Aggregate;
import io.sundial.query.promql.Expr.At;
import io.sundial.query.promql.Expr.Binary;
import io.sundial.query.promql.Expr.Call;
import io.sundial.query.promql.Expr.Cardinality;
import io.sundial.query.promql.Expr.MatrixSelector;
import io.sundial.query.promql.Expr.NumberLiteral;
import io.sundial.query.promql.Expr.Paren;
import io.sundial.query.promql.Expr.Subquery;
import io.sundial.query.promql.Expr.Unary;
import io.sundial.query.promql.Expr.VectorMatching;
import io.sundial.query.promql.Expr.VectorSelector;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Printing a parsed query and parsing it again gives the same tree (Paren nodes aside, which
 * the printer adds only where precedence needs them), for every query of Prometheus' test
 * scripts and for generated well-typed trees. jqwik prints the seed of a failing run.
 */
class RoundTripTest {

    static Stream<String> prometheusQueries() throws IOException {
        List<String> out = new ArrayList<>();
        for (String file : PromqlConformanceTest.FILES) {
            for (PromqlTestScript.Command c : PromqlTestScript.parse(PromqlConformanceTest.resource("testdata/" + file))) {
                if (c instanceof PromqlTestScript.Eval e) {
                    try {
                        Parser.parse(e.expr());
                        out.add(e.expr());
                    } catch (PromParseException ignored) {
                        // eval_fail cases that are meant not to parse
                    }
                }
            }
        }
        return out.stream().distinct();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("prometheusQueries")
    void prometheusQueriesRoundTrip(String query) {
        Expr parsed = Parser.parse(query);
        String printed = Printer.print(parsed);
        assertEquals(parsed, Parser.parse(printed), printed);
        assertEquals(printed, Printer.print(Parser.parse(printed)));
    }

    @Property(tries = 150)
    void generatedTreesRoundTrip(@ForAll("vectors") Expr expr) {
        String printed = Printer.print(expr);
        assertEquals(withoutParens(expr), withoutParens(Parser.parse(printed)), printed);
    }

    @Property(tries = 100)
    void generatedScalarsRoundTrip(@ForAll("scalars") Expr expr) {
        String printed = Printer.print(expr);
        assertEquals(withoutParens(expr), withoutParens(Parser.parse(printed)), printed);
    }

    static Expr withoutParens(Expr e) {
        return switch (e) {
            case Paren p -> withoutParens(p.expr());
            case Unary u -> new Unary(u.negate(), withoutParens(u.expr()));
            case Binary b -> new Binary(b.op(), withoutParens(b.lhs()), withoutParens(b.rhs()), b.matching(), b.returnBool());
            case Call c -> new Call(c.function(), c.args().stream().map(RoundTripTest::withoutParens).toList());
            case Aggregate a -> new Aggregate(a.op(), withoutParens(a.expr()), a.param() == null ? null : withoutParens(a.param()),
                    a.grouping(), a.without());
            case Subquery s -> new Subquery(withoutParens(s.expr()), s.rangeMillis(), s.stepMillis(), s.offsetMillis(), s.at());
            default -> e;
        };
    }

    // ------------------------------------------------------------------------ generators

    private static final int DEPTH_MAX = 3;

    @Provide
    Arbitrary<Expr> vectors() {
        return vector(DEPTH_MAX);
    }

    @Provide
    Arbitrary<Expr> scalars() {
        return scalar(DEPTH_MAX);
    }

    private static Arbitrary<String> labelNames() {
        return Arbitraries.of("job", "instance", "le", "a_b", "_x", "by", "on", "Zed9");
    }

    private static Arbitrary<String> metricNames() {
        return Arbitraries.of("up", "http_requests_total", "job:rate:5m", "x", "offset", "sum2");
    }

    private static Arbitrary<Long> durations() {
        return Arbitraries.oneOf(Arbitraries.of(1L, 1000L, 60_000L, 90_000L, 3_600_000L, 86_400_000L, 604_800_000L,
                31_536_000_000L, 5_400_000L), Arbitraries.longs().between(1, 10_000_000_000L));
    }

    private static Arbitrary<At> ats() {
        return Arbitraries.oneOf(Arbitraries.just(null), Arbitraries.just(new At.Start()), Arbitraries.just(new At.End()),
                Arbitraries.longs().between(-1_000_000_000_000L, 1_000_000_000_000L).map(At.Timestamp::new));
    }

    private static Arbitrary<Long> offsets() {
        return Arbitraries.oneOf(Arbitraries.just(0L), durations(), durations().map(d -> -d));
    }

    private static Arbitrary<LabelMatcher> matchers() {
        Arbitrary<String> values = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(6),
                Arbitraries.of("a\"b", "back\\slash", "tab\there", "new\nline", "é", "\u0001"));
        Arbitrary<String> regexes = Arbitraries.of("a.*", "x|y", "[0-9]+", "", "\\d{2}");
        return Combinators.combine(labelNames(), Arbitraries.of(LabelMatcher.Type.values()), values, regexes)
                .as((name, type, value, regex) -> type == LabelMatcher.Type.REGEX || type == LabelMatcher.Type.NOT_REGEX
                        ? LabelMatcher.of(name, type, regex) : LabelMatcher.of(name, type, value));
    }

    private static Arbitrary<VectorSelector> selectors() {
        return Combinators.combine(metricNames(), matchers().list().ofMaxSize(3), offsets(), ats())
                .as((name, matchers, offset, at) -> new VectorSelector(name, matchers, offset, at));
    }

    private static Arbitrary<Expr> matrix(int depth) {
        Arbitrary<Expr> range = Combinators.combine(selectors(), durations())
                .as((s, r) -> (Expr) new MatrixSelector(s, r));
        if (depth == 0) {
            return range;
        }
        Arbitrary<Expr> subquery = Combinators.combine(vector(depth - 1), durations(),
                        Arbitraries.oneOf(Arbitraries.just(0L), durations()), offsets(), ats())
                .as((e, r, step, offset, at) -> (Expr) new Subquery(e, r, step, offset, at));
        return Arbitraries.oneOf(range, subquery);
    }

    private static Arbitrary<Expr> numbers() {
        return Arbitraries.oneOf(Arbitraries.doubles().between(-1e6, 1e6),
                Arbitraries.of(0.0, -0.0, 1.5e300, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e-9))
                .map(NumberLiteral::new);
    }

    static Arbitrary<Expr> scalar(int depth) {
        if (depth == 0) {
            return numbers();
        }
        Arbitrary<Expr> sub = scalar(depth - 1);
        Arbitrary<BinaryOp> ops = Arbitraries.of(BinaryOp.values()).filter(op -> !op.isSetOperator());
        Arbitrary<Expr> binary = Combinators.combine(ops, sub, sub)
                .as((op, l, r) -> (Expr) new Binary(op, l, r, null, op.isComparison()));
        Arbitrary<Expr> unary = Combinators.combine(Arbitraries.of(true, false), sub)
                .as((negate, e) -> e instanceof NumberLiteral ? e : (Expr) new Unary(negate, e));
        Arbitrary<Expr> call = vector(depth - 1).map(v -> (Expr) new Call(Function.byName("scalar"), List.of(v)));
        return Arbitraries.oneOf(numbers(), binary, unary, sub.map(Paren::new), call,
                Arbitraries.just(new Call(Function.byName("time"), List.of())));
    }

    static Arbitrary<Expr> vector(int depth) {
        Arbitrary<Expr> leaf = selectors().map(s -> (Expr) s);
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<Expr> sub = vector(depth - 1);
        Arbitrary<Expr> rangeCall = Combinators.combine(Arbitraries.of("rate", "increase", "avg_over_time", "changes"), matrix(depth - 1))
                .as((name, m) -> (Expr) new Call(Function.byName(name), List.of(m)));
        Arbitrary<Expr> call = Combinators.combine(Arbitraries.of("abs", "sort", "absent", "ceil"), sub)
                .as((name, v) -> (Expr) new Call(Function.byName(name), List.of(v)));
        Arbitrary<Expr> aggregate = Combinators.combine(Arbitraries.of(AggregateOp.SUM, AggregateOp.TOPK, AggregateOp.COUNT_VALUES,
                        AggregateOp.QUANTILE, AggregateOp.STDDEV), sub, labelNames().list().ofMaxSize(3), Arbitraries.of(true, false),
                        scalar(depth - 1))
                .as((op, e, grouping, without, param) -> (Expr) new Aggregate(op, e,
                        op == AggregateOp.COUNT_VALUES ? new Expr.StringLiteral("value") : op.hasParameter() ? param : null,
                        grouping, without));
        Arbitrary<Expr> vectorScalar = Combinators.combine(Arbitraries.of(BinaryOp.values()).filter(op -> !op.isSetOperator()),
                        sub, scalar(depth - 1), Arbitraries.of(true, false), Arbitraries.of(true, false))
                .as((op, v, s, swap, bool) -> (Expr) new Binary(op, swap ? s : v, swap ? v : s, null, bool && op.isComparison()));
        Arbitrary<Expr> vectorVector = Combinators.combine(Arbitraries.of(BinaryOp.values()), sub, sub, matchings(),
                        Arbitraries.of(true, false))
                .as((op, l, r, m, bool) -> (Expr) new Binary(op, l, r, op.isSetOperator()
                        ? new VectorMatching(Cardinality.MANY_TO_MANY, m.labels(), m.on(), List.of()) : m,
                        bool && op.isComparison()));
        Arbitrary<Expr> unary = Combinators.combine(Arbitraries.of(true, false), sub).as((negate, e) -> (Expr) new Unary(negate, e));
        return Arbitraries.oneOf(leaf, rangeCall, call, aggregate, vectorScalar, vectorVector, unary, sub.map(Paren::new));
    }

    private static Arbitrary<VectorMatching> matchings() {
        return Combinators.combine(Arbitraries.of(Cardinality.ONE_TO_ONE, Cardinality.MANY_TO_ONE, Cardinality.ONE_TO_MANY),
                        Arbitraries.of("job", "instance").list().ofMaxSize(2), Arbitraries.of(true, false),
                        Arbitraries.of("le", "a_b").list().ofMaxSize(2))
                .as((card, labels, on, include) -> new VectorMatching(card, labels, on,
                        card == Cardinality.ONE_TO_ONE ? List.of() : include));
    }
}
