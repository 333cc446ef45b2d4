package io.sundial.query.exec;

import io.sundial.core.FieldType;
import io.sundial.query.plan.TimeCondition;
import io.sundial.query.sundialql.Expr;
import io.sundial.storage.Engine;
import io.sundial.storage.index.FieldRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One measurement a SELECT reads, with its schema (fields and their types, tag keys): stored in
 * {@code engine}, or the answer of a subquery held in {@code subquery} (then engine is null).
 */
record Target(Engine engine, String measurement, Map<String, FieldType> fields, List<String> tagKeys,
        SubqueryRows subquery) {
    Target(Engine engine, String measurement, Map<String, FieldType> fields, List<String> tagKeys) {
        this(engine, measurement, fields, tagKeys, null);
    }

    static Target of(Engine engine, String measurement) {
        Map<String, FieldType> fields = new LinkedHashMap<>();
        for (FieldRef field : engine.fieldKeys(measurement)) {
            fields.put(field.name(), field.type());
        }
        return new Target(engine, measurement, fields, engine.tagKeys(measurement));
    }

    /** A reference names a field when it is not cast to ::tag and the measurement has such a field. */
    boolean isField(Expr.VarRef reference) {
        return reference.type() != Expr.VarType.TAG && !TimeCondition.mentionsTime(reference)
                && fields.containsKey(reference.name());
    }

    /** GROUP BY tag keys for this measurement, sorted: named keys, all keys for *, keys matching a regex. */
    List<String> groupKeys(List<String> named, boolean all, List<Pattern> patterns) {
        java.util.TreeSet<String> keys = new java.util.TreeSet<>(named);
        for (String key : tagKeys) {
            if (all || patterns.stream().anyMatch(pattern -> pattern.matcher(key).find())) {
                keys.add(key);
            }
        }
        return new ArrayList<>(keys);
    }
}
