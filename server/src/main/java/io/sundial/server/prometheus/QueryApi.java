package io.sundial.server.prometheus;

import io.sundial.query.QueryException;
import io.sundial.query.promql.Expr;
import io.sundial.query.promql.PromBadRequestException;
import io.sundial.query.promql.PromCanceledException;
import io.sundial.query.promql.PromParseException;
import io.sundial.query.promql.PromQueryEngine;
import io.sundial.query.promql.PromqlLimits;
import io.sundial.query.promql.PromTimeoutException;
import io.sundial.query.promql.Value;
import io.sundial.query.promql.ValueType;
import io.sundial.server.prometheus.JsonAnswer.ErrorType;
import io.sundial.storage.DatabaseNotFoundException;
import io.sundial.storage.Databases;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * {@code /api/v1/query} and {@code /api/v1/query_range}: PromQL through the Prometheus HTTP API.
 * Parameters, checks, error types and messages follow Prometheus 2.42's web/api/v1/api.go in
 * its order, so clients that match on them (Grafana) see no difference. Independent of HTTP.
 */
public final class QueryApi {
    /** Prometheus' fixed bound on (end - start) / step; one more point (both ends) is allowed. */
    public static final long STEPS_MAX = 11_000;

    private final Databases databases;
    private final LongSupplier nowMillis;
    private final PromQueryEngine.Options options;

    public QueryApi(Databases databases, LongSupplier nowMillis) {
        this.databases = databases;
        this.nowMillis = nowMillis;
        // The engine's own points check (>= its max) must never fire before ours (> STEPS_MAX).
        PromQueryEngine.Options defaults = PromQueryEngine.Options.defaults();
        this.options = new PromQueryEngine.Options(defaults.lookbackDelta(), defaults.samplesMax(),
                defaults.subqueryStepDefault(), STEPS_MAX + 1);
    }

    /** An instant query at {@code time} (default: now). */
    public JsonAnswer query(String database, Parameters parameters) {
        return query(database, parameters, () -> false);
    }

    /** As {@link #query(String, Parameters)}, answering "canceled" once {@code isCanceled} turns true. */
    public JsonAnswer query(String database, Parameters parameters, BooleanSupplier isCanceled) {
        long timeMillis;
        Duration timeout;
        try {
            String time = parameters.value("time");
            timeMillis = time == null || time.isEmpty() ? nowMillis.getAsLong() : timeParameter(time);
            timeout = timeout(parameters);
        } catch (IllegalArgumentException e) {
            return JsonAnswer.error(ErrorType.BAD_DATA, e.getMessage());
        }
        String query = orEmpty(parameters.value("query"));
        // Prometheus 2.42 prefixes parse errors of instant queries only (api.go: invalidParamError).
        return run("invalid parameter \"query\": ", () -> engine(database).instant(query, timeMillis, timeout, isCanceled));
    }

    /** A range query over [start, end] every step; all three required. */
    public JsonAnswer queryRange(String database, Parameters parameters) {
        return queryRange(database, parameters, () -> false);
    }

    /** As {@link #queryRange(String, Parameters)}, answering "canceled" once {@code isCanceled} turns true. */
    public JsonAnswer queryRange(String database, Parameters parameters, BooleanSupplier isCanceled) {
        long startMillis;
        long endMillis;
        long stepNanos;
        Duration timeout;
        try {
            startMillis = PrometheusParameters.timeMillis("start", parameters.value("start"));
            endMillis = PrometheusParameters.timeMillis("end", parameters.value("end"));
            if (endMillis < startMillis) {
                return JsonAnswer.error(ErrorType.BAD_DATA,
                        "invalid parameter \"end\": end timestamp must not be before start time");
            }
            stepNanos = PrometheusParameters.durationNanos("step", parameters.value("step"));
            if (stepNanos <= 0) {
                return JsonAnswer.error(ErrorType.BAD_DATA, "invalid parameter \"step\": zero or negative query"
                        + " resolution step widths are not accepted. Try a positive integer");
            }
            if (isOverStepsMax(startMillis, endMillis, stepNanos)) {
                return JsonAnswer.error(ErrorType.BAD_DATA, "exceeded maximum resolution of 11,000 points per timeseries."
                        + " Try decreasing the query resolution (?step=XX)");
            }
            timeout = timeout(parameters);
        } catch (IllegalArgumentException e) {
            return JsonAnswer.error(ErrorType.BAD_DATA, e.getMessage());
        }
        String query = orEmpty(parameters.value("query"));
        long stepMillis = stepNanos / 1_000_000L;
        if (stepMillis == 0) {
            // Prometheus fails here with "integer divide by zero"; say what is wrong instead.
            return JsonAnswer.error(ErrorType.EXECUTION, "query resolution step " + parameters.value("step")
                    + " is below one millisecond, the finest step PromQL evaluates; use step=0.001 or more");
        }
        return run("", () -> {
            // Prometheus refuses a range query of the wrong type before running it: bad_data, not execution.
            Expr expr = PromQueryEngine.parse(query);
            ValueType type = expr.type();
            if (type != ValueType.SCALAR && type != ValueType.VECTOR) {
                throw RangeTypeException.rangeType(type);
            }
            return engine(database).range(expr, startMillis, endMillis, stepMillis, timeout, isCanceled);
        });
    }

    /** Prometheus' {@code end.Sub(start)/step > 11000} in nanoseconds, without overflowing on far-apart times. */
    static boolean isOverStepsMax(long startMillis, long endMillis, long stepNanos) {
        long spanMillis = endMillis - startMillis;
        if (spanMillis < 0 || Math.multiplyHigh(spanMillis, 1_000_000L) != 0 || spanMillis * 1_000_000L < 0) {
            return true;
        }
        return spanMillis * 1_000_000L / stepNanos > STEPS_MAX;
    }

    private interface Evaluation {
        Value evaluate();
    }

    private static JsonAnswer run(String parseErrorPrefix, Evaluation evaluation) {
        try {
            return JsonAnswer.success(QueryResultJson.data(evaluation.evaluate()));
        } catch (PromParseException | RangeTypeException e) {
            return JsonAnswer.error(ErrorType.BAD_DATA, parseErrorPrefix + e.getMessage());
        } catch (PromBadRequestException e) {
            return JsonAnswer.error(ErrorType.BAD_DATA, e.getMessage());
        } catch (PromTimeoutException e) {
            return JsonAnswer.error(ErrorType.TIMEOUT, e.getMessage());
        } catch (PromCanceledException e) {
            return JsonAnswer.error(ErrorType.CANCELED, e.getMessage());
        } catch (DatabaseNotFoundException e) {
            return JsonAnswer.error(ErrorType.NOT_FOUND, e.getMessage());
        } catch (QueryException e) {
            return JsonAnswer.error(ErrorType.EXECUTION, e.getMessage());
        }
    }

    /** Prometheus' parseTimeParam wraps the parse error once more for {@code time}. */
    private static long timeParameter(String text) {
        try {
            return PrometheusParameters.timeMillis("time", text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid parameter \"time\": Invalid time value for 'time': cannot parse \""
                    + text + "\" to a valid timestamp", e);
        }
    }

    private PromQueryEngine engine(String database) {
        // Read per query: the operator's promql-samples-max is set at start, after this API is built in tests.
        return new PromQueryEngine(databases, database, options.withSamplesMax(PromqlLimits.current().samplesMax()));
    }

    /** Null (the engine's 2 minutes) when absent; a non-positive timeout expires at once, as a past deadline does. */
    private static Duration timeout(Parameters parameters) {
        String text = parameters.value("timeout");
        if (text == null || text.isEmpty()) {
            return null;
        }
        long nanos = PrometheusParameters.durationNanos("timeout", text);
        return Duration.ofNanos(Math.max(nanos, 1));
    }

    private static String orEmpty(String text) {
        return text == null ? "" : text;
    }

    /** A query Prometheus refuses at NewRangeQuery, which it reports like a parse error (bad_data). */
    private static final class RangeTypeException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private RangeTypeException(String message) {
            super(message);
        }

        static RangeTypeException rangeType(ValueType type) {
            return new RangeTypeException("invalid expression type \"" + type.description()
                    + "\" for range query, must be Scalar or instant Vector");
        }
    }
}
