package io.sundial.query.sundialql;

import io.sundial.query.sundialql.Clauses.DatabaseOptions;
import io.sundial.query.sundialql.Clauses.Field;
import io.sundial.query.sundialql.Clauses.Fill;
import io.sundial.query.sundialql.Clauses.FillMode;
import io.sundial.query.sundialql.Clauses.Into;
import io.sundial.query.sundialql.Clauses.KeyFilter;
import io.sundial.query.sundialql.Clauses.KeyOperator;
import io.sundial.query.sundialql.Clauses.MeasurementFilter;
import io.sundial.query.sundialql.Clauses.Pagination;
import io.sundial.query.sundialql.Clauses.SortField;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Random ASTs of every node kind, biased towards the awkward cases: keyword and non-ASCII
 * names, escapes, negative and extreme numbers, operators at every precedence, JOIN chains,
 * and the clause words (fill, tz) used as ordinary names.
 */
final class AstGenerator {
    private static final Position AT = Position.UNKNOWN;
    private static final List<String> NAMES = List.of("cpu", "host", "usage_idle", "time", "value", "fill", "tz",
            "select", "FROM", "name", "key", "join", "a b", "q\"uote", "back\\slash", "new\nline", "ünïcode",
            "cpu-total", "9lives", "_under", "x", "y", "µs", "'single'", "$dollar", "/slash/", "--dash", "*star");
    private static final List<String> FUNCTIONS = List.of("mean", "count", "distinct", "percentile", "time", "now",
            "fill", "tz", "avg", "corr", "moving_average", "select", "my func", "Upper");
    private static final List<String> REGEX_PIECES =
            List.of("a", "\\d", ".", "*", "/", "\\\\", "^", "$", "(x|y)", "[0-9]", "\\.", " ", "'", "\"", "é");
    private static final char[] STRING_CHARS = {'a', 'Z', '0', ' ', '\'', '"', '\\', '\n', '\t', 'é', '€', '/', '*', '-'};

    private final Random random;

    AstGenerator(Random random) {
        this.random = random;
    }

    Query query() {
        List<Statement> statements = new ArrayList<>();
        int count = 1 + random.nextInt(3);
        for (int index = 0; index < count; index++) {
            statements.add(statement());
        }
        return new Query(statements);
    }

    Statement statement() {
        return switch (random.nextInt(20)) {
            case 0 -> new Statement.ShowDatabases(AT);
            case 1 -> new Statement.ShowMeasurements(optionalName(), maybe(() -> random.nextBoolean()
                    ? new MeasurementFilter(name(), false, AT) : new MeasurementFilter(regex(), true, AT)),
                    maybe(() -> expression(3)), pagination(), AT);
            case 2 -> new Statement.ShowTagKeys(optionalName(), measurements(), maybe(() -> expression(3)), pagination(), AT);
            case 3 -> new Statement.ShowTagValues(optionalName(), measurements(), keyFilter(), maybe(() -> expression(3)),
                    pagination(), AT);
            case 4 -> new Statement.ShowFieldKeys(optionalName(), measurements(), pagination(), AT);
            case 5 -> new Statement.ShowSeries(optionalName(), measurements(), maybe(() -> expression(3)), pagination(), AT);
            case 6 -> new Statement.ShowQueries(AT);
            case 7 -> new Statement.ShowRetentionPolicies(optionalName(), AT);
            case 8 -> new Statement.CreateDatabase(name(), databaseOptions(), AT);
            case 9 -> new Statement.DropDatabase(name(), AT);
            case 10 -> new Statement.DropMeasurement(name(), AT);
            case 11 -> new Statement.DropSeries(List.of(measurement()), maybe(() -> expression(3)), AT);
            case 12 -> new Statement.Delete(random.nextBoolean() ? List.of() : measurements(), Optional.of(expression(3)), AT);
            case 13 -> new Statement.KillQuery(random.nextLong(Long.MAX_VALUE), optionalName(), AT);
            case 14 -> new Statement.Explain(random.nextBoolean(), select(1), AT);
            default -> select(2);
        };
    }

    Statement.Select select(int subqueryDepth) {
        List<Field> fields = list(1, 4, () -> new Field(expression(3), optionalName(), AT));
        Optional<Into> into = maybe(() -> new Into(optionalName(), optionalName(), optionalName(), AT));
        List<Source> sources = random.nextInt(4) == 0 ? List.of(join(subqueryDepth))
                : list(1, 3, () -> source(subqueryDepth));
        return new Statement.Select(fields, into, sources, maybe(() -> expression(4)), list(0, 3, () -> expression(2)),
                maybe(this::fill), maybe(() -> expression(3)),
                list(0, 2, () -> new SortField(expression(2), random.nextBoolean(), AT)), pagination(),
                maybe(this::string), AT);
    }

    Expr expression(int depth) {
        if (depth <= 0 || random.nextInt(4) == 0) {
            return leaf();
        }
        return switch (random.nextInt(6)) {
            case 0 -> new Expr.Call(pick(FUNCTIONS), list(0, 3, () -> expression(depth - 1)), AT);
            case 1 -> new Expr.Unary(pick(List.of(Expr.UnaryOperator.values())), expression(depth - 1), AT);
            case 2 -> new Expr.Between(expression(depth - 1), expression(depth - 1), expression(depth - 1),
                    random.nextBoolean(), AT);
            case 3 -> new Expr.InList(expression(depth - 1), list(1, 3, () -> expression(depth - 1)),
                    random.nextBoolean(), AT);
            default -> new Expr.Binary(pick(List.of(Expr.BinaryOperator.values())), expression(depth - 1),
                    expression(depth - 1), AT);
        };
    }

    private Expr leaf() {
        return switch (random.nextInt(10)) {
            case 0 -> new Expr.VarRef(optionalName(), name(), pick(List.of(Expr.VarType.values())), AT);
            case 1 -> new Expr.Wildcard(pick(List.of(Expr.VarType.ANY, Expr.VarType.FIELD, Expr.VarType.TAG)), AT);
            case 2 -> new Expr.RegexLiteral(regex(), AT);
            case 3 -> new Expr.StringLiteral(string(), AT);
            case 4 -> new Expr.IntegerLiteral(interestingLong(), AT);
            case 5 -> new Expr.FloatLiteral(interestingDouble(), AT);
            case 6 -> new Expr.DurationLiteral(random.nextBoolean() ? random.nextLong(-1_000_000, 1_000_000) * 60_000_000_000L
                    : Math.max(interestingLong(), Long.MIN_VALUE + 1), AT);
            case 7 -> new Expr.BooleanLiteral(random.nextBoolean(), AT);
            case 8 -> new Expr.BoundParameter(random.nextBoolean() ? name() : "1", AT);
            default -> new Expr.VarRef(name(), AT);
        };
    }

    private Source join(int subqueryDepth) {
        Source joined = source(subqueryDepth);
        int count = 1 + random.nextInt(3);
        for (int index = 0; index < count; index++) {
            joined = new Source.Join(joined, source(subqueryDepth), list(0, 2, this::name), AT);
        }
        return joined;
    }

    private Source source(int subqueryDepth) {
        if (subqueryDepth > 0 && random.nextInt(4) == 0) {
            return new Source.Subquery(select(subqueryDepth - 1), optionalName(), AT);
        }
        return new Source.Measurement(measurement(), optionalName(), AT);
    }

    private MeasurementRef measurement() {
        boolean isRegex = random.nextInt(4) == 0;
        return new MeasurementRef(optionalName(), optionalName(), isRegex ? regex() : name(), isRegex, AT);
    }

    private List<MeasurementRef> measurements() {
        return list(0, 3, this::measurement);
    }

    private KeyFilter keyFilter() {
        KeyOperator operator = pick(List.of(KeyOperator.values()));
        return switch (operator) {
            case MATCHES, NOT_MATCHES -> new KeyFilter(operator, List.of(regex()), AT);
            case IN -> new KeyFilter(operator, list(1, 3, this::name), AT);
            default -> new KeyFilter(operator, List.of(name()), AT);
        };
    }

    private Fill fill() {
        FillMode mode = pick(List.of(FillMode.values()));
        Optional<Expr> value = mode != FillMode.VALUE ? Optional.empty() : Optional.of(random.nextBoolean()
                ? new Expr.IntegerLiteral(interestingLong(), AT) : new Expr.FloatLiteral(interestingDouble(), AT));
        return new Fill(mode, value, AT);
    }

    private DatabaseOptions databaseOptions() {
        return new DatabaseOptions(optionalCount(0), optionalCount(1), optionalCount(0), optionalName());
    }

    private Pagination pagination() {
        return new Pagination(optionalCount(0), optionalCount(0), optionalCount(0), optionalCount(0));
    }

    private OptionalLong optionalCount(long minimum) {
        return random.nextBoolean() ? OptionalLong.empty()
                : OptionalLong.of(random.nextBoolean() ? minimum + random.nextInt(100) : random.nextLong(minimum, Long.MAX_VALUE));
    }

    private String regex() {
        while (true) {
            StringBuilder pattern = new StringBuilder();
            int pieces = random.nextInt(5);
            for (int index = 0; index < pieces; index++) {
                pattern.append(pick(REGEX_PIECES));
            }
            try {
                return new Expr.RegexLiteral(pattern.toString(), AT).pattern();
            } catch (IllegalArgumentException unprintable) {
                // A leading '*' cannot be written as a regex literal; draw again.
            }
        }
    }

    private String string() {
        StringBuilder value = new StringBuilder();
        int length = random.nextInt(8);
        for (int index = 0; index < length; index++) {
            value.append(STRING_CHARS[random.nextInt(STRING_CHARS.length)]);
        }
        return value.toString();
    }

    private String name() {
        return pick(NAMES);
    }

    private Optional<String> optionalName() {
        return maybe(this::name);
    }

    private long interestingLong() {
        return switch (random.nextInt(5)) {
            case 0 -> Long.MIN_VALUE;
            case 1 -> Long.MAX_VALUE;
            case 2 -> 0;
            default -> random.nextLong();
        };
    }

    private double interestingDouble() {
        return switch (random.nextInt(8)) {
            case 0 -> -0.0;
            case 1 -> Double.MAX_VALUE;
            case 2 -> -Double.MIN_VALUE;
            case 3 -> 1e-300;
            case 4 -> 1e21;
            default -> (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(20) - 10);
        };
    }

    private <T> Optional<T> maybe(Supplier<T> supplier) {
        return random.nextBoolean() ? Optional.of(supplier.get()) : Optional.empty();
    }

    private <T> List<T> list(int minimum, int maximum, Supplier<T> supplier) {
        int size = minimum + random.nextInt(maximum - minimum + 1);
        List<T> items = new ArrayList<>(size);
        for (int index = 0; index < size; index++) {
            items.add(supplier.get());
        }
        return items;
    }

    private <T> T pick(List<T> items) {
        return items.get(random.nextInt(items.size()));
    }
}
