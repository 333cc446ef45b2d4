package io.sundial.query.check;

import io.sundial.query.QueryException;
import io.sundial.query.sundialql.Expr;
import java.util.List;

/**
 * Arguments of InfluxQL's technical-analysis transformations, f(x, period[, hold[, warmup]]),
 * with InfluxDB 1.x's wording (its compile step); the first argument is checked with the other
 * transformations.
 */
final class IndicatorCheck {
    /** Largest period: the indicators keep rings of that many points. */
    static final long PERIOD_MAX = 100_000;

    private IndicatorCheck() {}

    static void check(Expr.Call call) {
        String name = call.name();
        List<Expr> arguments = call.arguments();
        boolean isKaufmans = name.startsWith("kaufmans_");
        int most = isKaufmans ? 3 : 4;
        if (arguments.size() < 2 || arguments.size() > most) {
            throw new QueryException("invalid number of arguments for " + name + ", expected at least 2 but no more than "
                    + most + ", got " + arguments.size());
        }
        if (!(arguments.get(1) instanceof Expr.IntegerLiteral period)) {
            throw new QueryException(name + " period must be an integer");
        }
        if (period.value() < 1) {
            throw new QueryException(name + " period must be greater than or equal to 1");
        }
        if (period.value() > PERIOD_MAX) {
            throw new QueryException(name + " period is " + period.value() + "; the limit is " + PERIOD_MAX);
        }
        if (arguments.size() >= 3) {
            if (!(arguments.get(2) instanceof Expr.IntegerLiteral hold)) {
                throw new QueryException(name + " hold period must be an integer");
            }
            if (name.equals("triple_exponential_derivative") && hold.value() < 1 && hold.value() != -1) {
                throw new QueryException(name + " hold period must be greater than or equal to 1");
            }
            if (hold.value() < 0 && hold.value() != -1) {
                throw new QueryException(name + " hold period must be greater than or equal to 0");
            }
        }
        boolean isChande = name.equals("chande_momentum_oscillator");
        String warmup = isChande ? "none" : "exponential";
        if (arguments.size() == 4) {
            if (!(arguments.get(3) instanceof Expr.StringLiteral type)) {
                throw new QueryException(name + " warmup type must be a string");
            }
            List<String> allowed = isChande ? List.of("none", "exponential", "simple") : List.of("exponential", "simple");
            if (!allowed.contains(type.value())) {
                throw new QueryException(name + " warmup type must be one of: "
                        + String.join(" ", allowed.stream().map(value -> "'" + value + "'").toList()));
            }
            warmup = type.value();
        }
        if (isChande && warmup.equals("none") && period.value() < 2) {
            // InfluxDB's unsmoothed oscillator keeps period - 1 steps and fails on an empty ring.
            throw new QueryException("chande_momentum_oscillator period must be at least 2 without a warmup type");
        }
    }
}
