package io.sundial.server.prometheus;

import io.sundial.core.FieldType;
import io.sundial.storage.Engine;
import io.sundial.storage.index.FieldRef;
import java.util.ArrayList;
import java.util.List;

/**
 * A Prometheus metric name and the stored field it reads (ARCHITECTURE.md): metric {@code m} is
 * field {@code value} of measurement {@code m} (what remote write stores), and metric
 * {@code m_f} is field {@code f} of measurement {@code m} (how line-protocol data with several
 * fields appears, as VictoriaMetrics maps it). Only numeric fields are metrics.
 */
public record MetricField(String metricName, String measurement, FieldRef field) {
    public static final String VALUE_FIELD = "value";

    /** Every metric of every measurement, in measurement then field order. */
    public static List<MetricField> all(Engine engine) {
        List<MetricField> out = new ArrayList<>();
        for (String measurement : engine.measurements()) {
            for (FieldRef field : engine.fieldKeys(measurement)) {
                if (isNumeric(field.type())) {
                    out.add(new MetricField(metricName(measurement, field.name()), measurement, field));
                }
            }
        }
        return out;
    }

    /** The metrics whose names satisfy every matcher; an EQ matcher is looked up directly, not scanned. */
    public static List<MetricField> matching(Engine engine, List<LabelMatcher> nameMatchers) {
        for (LabelMatcher m : nameMatchers) {
            if (m.op() == LabelMatcher.Op.EQ) {
                return filter(named(engine, m.value()), nameMatchers);
            }
        }
        return filter(all(engine), nameMatchers);
    }

    /** The fields metric {@code name} may denote: {@code name}.value, and {@code prefix}.{@code suffix} for each '_'. */
    static List<MetricField> named(Engine engine, String name) {
        List<MetricField> out = new ArrayList<>();
        addIfPresent(engine, name, name, VALUE_FIELD, out);
        for (int i = name.indexOf('_'); i > 0 && i < name.length() - 1; i = name.indexOf('_', i + 1)) {
            String field = name.substring(i + 1);
            if (!field.equals(VALUE_FIELD)) {
                addIfPresent(engine, name, name.substring(0, i), field, out);
            }
        }
        return out;
    }

    private static void addIfPresent(Engine engine, String metricName, String measurement, String fieldName, List<MetricField> out) {
        for (FieldRef field : engine.fieldKeys(measurement)) {
            if (field.name().equals(fieldName) && isNumeric(field.type())) {
                out.add(new MetricField(metricName, measurement, field));
            }
        }
    }

    private static List<MetricField> filter(List<MetricField> candidates, List<LabelMatcher> nameMatchers) {
        List<MetricField> out = new ArrayList<>();
        for (MetricField candidate : candidates) {
            boolean isMatch = true;
            for (LabelMatcher m : nameMatchers) {
                isMatch &= m.matches(candidate.metricName());
            }
            if (isMatch) {
                out.add(candidate);
            }
        }
        return out;
    }

    static String metricName(String measurement, String field) {
        return field.equals(VALUE_FIELD) ? measurement : measurement + "_" + field;
    }

    static boolean isNumeric(FieldType type) {
        return type == FieldType.FLOAT || type == FieldType.INTEGER || type == FieldType.UNSIGNED;
    }
}
