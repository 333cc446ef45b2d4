package io.sundial.server.prometheus;

import io.sundial.query.promql.PromBadRequestException;
import io.sundial.query.promql.PromParseException;
import io.sundial.query.promql.PromQueryEngine;
import io.sundial.server.prometheus.JsonAnswer.ErrorType;
import io.sundial.storage.Engine;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The metadata endpoints of the Prometheus HTTP API over one database: {@code /api/v1/series},
 * {@code /labels}, {@code /label/<name>/values}, {@code /metadata}, {@code /status/buildinfo},
 * {@code /query_exemplars}. Answers are Prometheus' JSON envelopes, so Grafana's Prometheus data
 * source and its autocomplete work unchanged. Independent of HTTP: the caller passes parameters
 * and sends the answer.
 */
public final class PrometheusApi {
    private static final Logger LOG = Logger.getLogger(PrometheusApi.class.getName());
    /** The Prometheus release whose API this one follows; clients (Grafana) read it to pick features. */
    public static final String PROMETHEUS_VERSION = "2.42.0";
    /** Most series one metadata request may select. */
    public static final int SERIES_MAX = 100_000;
    private static final String MATCH = "match[]";

    private final MetadataStore metadata;
    private final String sundialVersion;

    public PrometheusApi(MetadataStore metadata, String sundialVersion) {
        this.metadata = metadata;
        this.sundialVersion = sundialVersion;
    }

    /** {@code /api/v1/series}: the label sets of the series {@code match[]} selects (required). */
    public JsonAnswer series(Engine engine, Parameters parameters) {
        if (parameters.values(MATCH).isEmpty()) {
            return JsonAnswer.error(ErrorType.BAD_DATA, "no match[] parameter provided");
        }
        return lookup(engine, parameters, found -> {
            StringBuilder out = new StringBuilder("[");
            for (int s = 0; s < found.size(); s++) {
                SeriesLookup.Found series = found.get(s);
                out.append(s == 0 ? "{" : ",{");
                for (int i = 0; i < series.labelNames().length; i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    JsonText.appendQuoted(out, series.labelNames()[i]);
                    out.append(':');
                    JsonText.appendQuoted(out, series.labelValues()[i]);
                }
                out.append('}');
            }
            return out.append(']').toString();
        });
    }

    /**
     * {@code /api/v1/labels}: the label names of the selected series, sorted. Without match[]
     * the index answers, whatever start/end say (they are still checked): every tag key of every
     * measurement. Like Prometheus, which answers at block granularity, that may name labels
     * without samples in the range; it stays fast and within limits on any number of series,
     * which Grafana's autocomplete relies on.
     */
    public JsonAnswer labels(Engine engine, Parameters parameters) {
        if (parameters.values(MATCH).isEmpty()) {
            JsonAnswer invalid = checkBounds(parameters);
            if (invalid != null) {
                return invalid;
            }
            TreeSet<String> names = new TreeSet<>();
            for (String measurement : engine.measurements()) {
                names.addAll(engine.tagKeys(measurement));
                names.add(SeriesSelector.METRIC_NAME_LABEL);
            }
            return JsonAnswer.success(JsonText.stringArray(names));
        }
        return lookup(engine, parameters, found -> {
            TreeSet<String> names = new TreeSet<>();
            for (SeriesLookup.Found series : found) {
                names.addAll(List.of(series.labelNames()));
            }
            return JsonText.stringArray(names);
        });
    }

    /**
     * {@code /api/v1/label/<name>/values}: the values {@code name} has in the selected series,
     * sorted; without match[] from the index, as {@link #labels} explains.
     */
    public JsonAnswer labelValues(Engine engine, String name, Parameters parameters) {
        if (!isLabelName(name)) {
            return JsonAnswer.error(ErrorType.BAD_DATA, "invalid label name: \"" + name + "\"");
        }
        if (parameters.values(MATCH).isEmpty()) {
            JsonAnswer invalid = checkBounds(parameters);
            if (invalid != null) {
                return invalid;
            }
            TreeSet<String> values = new TreeSet<>();
            if (name.equals(SeriesSelector.METRIC_NAME_LABEL)) {
                for (MetricField metric : MetricField.all(engine)) {
                    values.add(metric.metricName());
                }
            } else {
                for (String measurement : engine.measurements()) {
                    values.addAll(engine.tagValues(measurement, name, List.of()));
                }
            }
            return JsonAnswer.success(JsonText.stringArray(values));
        }
        return lookup(engine, parameters, found -> {
            TreeSet<String> values = new TreeSet<>();
            for (SeriesLookup.Found series : found) {
                for (int i = 0; i < series.labelNames().length; i++) {
                    if (series.labelNames()[i].equals(name)) {
                        values.add(series.labelValues()[i]);
                    }
                }
            }
            return JsonText.stringArray(values);
        });
    }

    /** {@code /api/v1/metadata}: HELP/TYPE/UNIT of imported metrics; {@code metric} and {@code limit} filter. */
    public JsonAnswer metadata(Engine engine, Parameters parameters) {
        int limit = 0;
        String limitText = parameters.value("limit");
        if (limitText != null && !limitText.isEmpty()) {
            try {
                limit = Integer.parseInt(limitText);
            } catch (NumberFormatException e) {
                return JsonAnswer.error(ErrorType.BAD_DATA, "limit must be a number");
            }
        }
        String metric = parameters.value("metric");
        Map<String, MetadataStore.Entry> entries;
        try {
            entries = metadata.list(engine, metric == null || metric.isEmpty() ? null : metric, Math.max(limit, 0));
        } catch (IOException e) {
            LOG.log(Level.SEVERE, "reading Prometheus metadata of " + engine.directory() + " failed", e);
            return JsonAnswer.error(ErrorType.INTERNAL, "reading the metadata store failed: " + e.getMessage());
        }
        StringBuilder out = new StringBuilder("{");
        boolean isFirst = true;
        for (Map.Entry<String, MetadataStore.Entry> e : entries.entrySet()) {
            out.append(isFirst ? "" : ",");
            isFirst = false;
            JsonText.appendQuoted(out, e.getKey());
            out.append(":[{\"type\":").append(JsonText.quote(e.getValue().type()))
                    .append(",\"help\":").append(JsonText.quote(e.getValue().help()))
                    .append(",\"unit\":").append(JsonText.quote(e.getValue().unit())).append("}]");
        }
        return JsonAnswer.success(out.append('}').toString());
    }

    /** {@code /api/v1/status/buildinfo}: the Prometheus version Sundial's API follows, and Sundial's own. */
    public JsonAnswer buildInfo() {
        return JsonAnswer.success("{\"version\":" + JsonText.quote(PROMETHEUS_VERSION)
                + ",\"revision\":\"sundial\",\"branch\":\"sundial\",\"buildUser\":\"sundial\",\"buildDate\":\"\""
                + ",\"goVersion\":\"\",\"application\":\"sundial\",\"sundialVersion\":" + JsonText.quote(sundialVersion) + "}");
    }

    /** {@code /api/v1/query_exemplars}: Sundial stores no exemplars; the query is still checked. */
    public JsonAnswer queryExemplars(Parameters parameters) {
        String query = parameters.value("query");
        if (query == null || query.isEmpty()) {
            return JsonAnswer.error(ErrorType.BAD_DATA, "invalid parameter \"query\": empty query");
        }
        try {
            PrometheusTime.bounds(parameters);
        } catch (IllegalArgumentException e) {
            return JsonAnswer.error(ErrorType.BAD_DATA, e.getMessage());
        }
        return JsonAnswer.success("[]");
    }

    /** Null when start/end are well-formed, else the error answer. */
    private static JsonAnswer checkBounds(Parameters parameters) {
        try {
            PrometheusTime.bounds(parameters);
            return null;
        } catch (IllegalArgumentException e) {
            return JsonAnswer.error(ErrorType.BAD_DATA, e.getMessage());
        }
    }

    private interface Render {
        String data(List<SeriesLookup.Found> found);
    }

    private static JsonAnswer lookup(Engine engine, Parameters parameters, Render render) {
        List<SeriesSelector> selectors = new ArrayList<>();
        TimeBounds bounds;
        try {
            bounds = PrometheusTime.bounds(parameters);
            for (String text : parameters.values(MATCH)) {
                selectors.add(parseSelector(text));
            }
        } catch (IllegalArgumentException e) {
            return JsonAnswer.error(ErrorType.BAD_DATA, e.getMessage());
        }
        if (selectors.isEmpty()) {
            // Every series: a selector matching every metric name.
            selectors.add(new SeriesSelector(List.of(LabelMatcher.of(SeriesSelector.METRIC_NAME_LABEL, LabelMatcher.Op.RE, ".+"))));
        }
        try {
            return JsonAnswer.success(render.data(SeriesLookup.find(engine, selectors, bounds, SERIES_MAX)));
        } catch (TooManySeriesException e) {
            return JsonAnswer.error(ErrorType.EXECUTION, e.getMessage());
        }
    }

    /**
     * The one place a {@code match[]} text becomes a selector: the PromQL parser reads it, so
     * match[] accepts exactly what a PromQL selector accepts and fails with the same messages.
     */
    static SeriesSelector parseSelector(String text) {
        List<io.sundial.query.promql.LabelMatcher> parsed;
        try {
            parsed = PromQueryEngine.parseSelector(text);
        } catch (PromParseException e) {
            throw new IllegalArgumentException("invalid parameter \"match[]\": " + e.getMessage(), e);
        } catch (PromBadRequestException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        List<LabelMatcher> matchers = new ArrayList<>(parsed.size());
        for (io.sundial.query.promql.LabelMatcher m : parsed) {
            LabelMatcher.Op op = switch (m.type()) {
                case EQUAL -> LabelMatcher.Op.EQ;
                case NOT_EQUAL -> LabelMatcher.Op.NEQ;
                case REGEX -> LabelMatcher.Op.RE;
                case NOT_REGEX -> LabelMatcher.Op.NRE;
            };
            matchers.add(LabelMatcher.of(m.name(), op, m.value()));
        }
        return new SeriesSelector(matchers);
    }

    static boolean isLabelName(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (i > 0 && c >= '0' && c <= '9');
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
