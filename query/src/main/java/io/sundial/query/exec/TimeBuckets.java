package io.sundial.query.exec;

import io.sundial.query.QueryException;
import io.sundial.query.plan.TimeCondition;
import io.sundial.query.sundialql.Clauses;
import io.sundial.query.sundialql.Expr;
import io.sundial.query.sundialql.ParseException;
import io.sundial.query.sundialql.Parser;
import io.sundial.query.sundialql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * SQL's {@code time_bucket('1m', time[, offset])} read as InfluxQL's {@code time(1m[, offset])}:
 * in GROUP BY it is the time dimension (also when GROUP BY names the alias of a time_bucket
 * column), in SELECT it is the time column every answer starts with, so it is dropped from the
 * fields. A SELECT column without a GROUP BY time_bucket groups by it.
 */
final class TimeBuckets {
    private TimeBuckets() {}

    static Statement.Select rewrite(Statement.Select select) {
        Expr.Call selected = null;
        Set<String> aliases = new HashSet<>();
        List<Clauses.Field> fields = new ArrayList<>();
        for (Clauses.Field field : select.fields()) {
            if (field.expression() instanceof Expr.Call call && call.name().equals("time_bucket")) {
                selected = call;
                field.alias().ifPresent(aliases::add);
                fields.add(new Clauses.Field(new Expr.VarRef("time", call.position()), java.util.Optional.empty(),
                        field.position()));
            } else {
                requireNone(field.expression(), field.expression());
                fields.add(field);
            }
        }
        List<Expr> groupBy = new ArrayList<>();
        boolean hasTimeDimension = false;
        boolean isRewritten = selected != null;
        for (Expr dimension : select.groupBy()) {
            if (dimension instanceof Expr.Call call && call.name().equals("time_bucket")) {
                groupBy.add(timeDimension(call));
                hasTimeDimension = true;
                isRewritten = true;
            } else if (dimension instanceof Expr.VarRef reference && aliases.contains(reference.name())) {
                groupBy.add(timeDimension(selected));
                hasTimeDimension = true;
            } else {
                hasTimeDimension |= dimension instanceof Expr.Call call && call.name().equals("time");
                groupBy.add(dimension);
            }
        }
        if (!isRewritten) {
            return select;
        }
        if (selected != null && !hasTimeDimension) {
            groupBy.add(timeDimension(selected));
        }
        return new Statement.Select(fields, select.into(), select.sources(), select.where(), groupBy, select.fill(),
                select.having(), select.orderBy(), select.pagination(), select.timeZone(), select.position());
    }

    private static Expr.Call timeDimension(Expr.Call call) {
        List<Expr> arguments = call.arguments();
        if (arguments.size() < 2 || arguments.size() > 3) {
            throw new QueryException("invalid number of arguments for time_bucket, expected at least 2 but no more"
                    + " than 3, got " + arguments.size() + " (time_bucket('1m', time[, offset]))");
        }
        if (!TimeCondition.isTime(arguments.get(1))) {
            throw new QueryException("the second argument of time_bucket() must be time, got " + arguments.get(1));
        }
        List<Expr> timeArguments = new ArrayList<>();
        timeArguments.add(duration(arguments.getFirst(), "width"));
        if (arguments.size() == 3) {
            timeArguments.add(duration(arguments.get(2), "offset"));
        }
        return new Expr.Call("time", timeArguments, call.position());
    }

    private static Expr.DurationLiteral duration(Expr argument, String what) {
        if (argument instanceof Expr.DurationLiteral duration) {
            return duration;
        }
        if (argument instanceof Expr.StringLiteral text) {
            try {
                if (Parser.parseExpression(text.value()) instanceof Expr.DurationLiteral duration) {
                    return new Expr.DurationLiteral(duration.nanos(), argument.position());
                }
            } catch (ParseException e) {
                // reported below with the argument as written
            }
        }
        throw new QueryException("time_bucket() " + what + " must be a duration such as '1m' or 1m, got " + argument);
    }

    private static void requireNone(Expr expr, Expr column) {
        switch (expr) {
            case Expr.Call call when call.name().equals("time_bucket") -> throw new QueryException(
                    "time_bucket() must be a whole column of SELECT or a GROUP BY dimension, not part of " + column);
            case Expr.Call call -> call.arguments().forEach(argument -> requireNone(argument, column));
            case Expr.Binary binary -> {
                requireNone(binary.left(), column);
                requireNone(binary.right(), column);
            }
            case Expr.Unary unary -> requireNone(unary.operand(), column);
            default -> { }
        }
    }
}
