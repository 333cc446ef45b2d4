package io.sundial.query.promql;

import io.sundial.query.QueryException;
import io.sundial.query.promql.Expr.Binary;
import io.sundial.query.promql.Expr.Cardinality;
import io.sundial.query.promql.Expr.VectorMatching;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Binary operators with Prometheus' vector matching ({@code VectorBinop}, {@code VectorAnd},
 * {@code VectorOr}, {@code VectorUnless}, {@code VectorscalarBinop} in promql/engine.go),
 * including its error messages for ambiguous matches.
 */
final class BinaryOperations {
    private BinaryOperations() {
    }

    static Value eval(Evaluator evaluator, Binary b, long t) {
        Value lhs = evaluator.eval(b.lhs(), t);
        Value rhs = evaluator.eval(b.rhs(), t);
        if (lhs instanceof Value.Scalar l && rhs instanceof Value.Scalar r) {
            return new Value.Scalar(t, scalarOp(b.op(), l.value(), r.value()));
        }
        if (lhs instanceof Value.Vector l && rhs instanceof Value.Vector r) {
            List<Sample> out = switch (b.op()) {
                case AND -> and(l.samples(), r.samples(), b.matching());
                case OR -> or(l.samples(), r.samples(), b.matching());
                case UNLESS -> unless(l.samples(), r.samples(), b.matching());
                default -> vectorOp(b.op(), l.samples(), r.samples(), b.matching(), b.returnBool(), t);
            };
            return Evaluator.checkedVector(out);
        }
        boolean swap = lhs instanceof Value.Scalar;
        List<Sample> vector = ((Value.Vector) (swap ? rhs : lhs)).samples();
        double scalar = ((Value.Scalar) (swap ? lhs : rhs)).value();
        return Evaluator.checkedVector(vectorScalar(b.op(), vector, scalar, swap, b.returnBool(), t));
    }

    static double scalarOp(BinaryOp op, double l, double r) {
        return switch (op) {
            case ADD -> l + r;
            case SUB -> l - r;
            case MUL -> l * r;
            case DIV -> l / r;
            case POW -> Math.pow(l, r);
            case MOD -> goMod(l, r);
            case EQ -> l == r ? 1 : 0;
            case NE -> l != r ? 1 : 0;
            case GT -> l > r ? 1 : 0;
            case LT -> l < r ? 1 : 0;
            case GE -> l >= r ? 1 : 0;
            case LE -> l <= r ? 1 : 0;
            case ATAN2 -> Math.atan2(l, r);
            case AND, OR, UNLESS -> throw new IllegalStateException("set operator " + op + " on scalars");
        };
    }

    /** Go's math.Mod: the result takes the sign of the dividend, as Java's % does for doubles. */
    private static double goMod(double l, double r) {
        return l % r;
    }

    /** Whether a comparison keeps the element; arithmetic always does. */
    private static boolean keeps(BinaryOp op, double l, double r) {
        return switch (op) {
            case EQ -> l == r;
            case NE -> l != r;
            case GT -> l > r;
            case LT -> l < r;
            case GE -> l >= r;
            case LE -> l <= r;
            default -> true;
        };
    }

    private static boolean dropsMetricName(BinaryOp op) {
        return switch (op) {
            case ADD, SUB, MUL, DIV, POW, MOD -> true;
            default -> false;
        };
    }

    private static List<Sample> vectorScalar(BinaryOp op, List<Sample> vector, double scalar, boolean swap,
                                             boolean returnBool, long t) {
        List<Sample> out = new ArrayList<>(vector.size());
        for (Sample s : vector) {
            double l = swap ? scalar : s.value();
            double r = swap ? s.value() : scalar;
            boolean keep = keeps(op, l, r);
            double value = op.isComparison() ? s.value() : scalarOp(op, l, r);
            if (returnBool) {
                value = keep ? 1 : 0;
                keep = true;
            }
            if (keep) {
                Labels labels = dropsMetricName(op) || returnBool ? s.labels().withoutMetricName() : s.labels();
                out.add(new Sample(labels, t, value));
            }
        }
        return out;
    }

    /** The labels two samples are matched on. */
    private static Labels signature(Labels labels, VectorMatching matching) {
        if (matching.on()) {
            return labels.keep(matching.labels());
        }
        List<String> drop = new ArrayList<>(matching.labels());
        drop.add(Labels.METRIC_NAME);
        return labels.without(drop);
    }

    private static List<Sample> and(List<Sample> lhs, List<Sample> rhs, VectorMatching matching) {
        List<Sample> out = new ArrayList<>();
        if (lhs.isEmpty() || rhs.isEmpty()) {
            return out;
        }
        Set<Labels> right = new HashSet<>();
        for (Sample s : rhs) {
            right.add(signature(s.labels(), matching));
        }
        for (Sample s : lhs) {
            if (right.contains(signature(s.labels(), matching))) {
                out.add(s);
            }
        }
        return out;
    }

    private static List<Sample> or(List<Sample> lhs, List<Sample> rhs, VectorMatching matching) {
        List<Sample> out = new ArrayList<>(lhs);
        if (lhs.isEmpty() || rhs.isEmpty()) {
            out.addAll(rhs);
            return out;
        }
        Set<Labels> left = new HashSet<>();
        for (Sample s : lhs) {
            left.add(signature(s.labels(), matching));
        }
        for (Sample s : rhs) {
            if (!left.contains(signature(s.labels(), matching))) {
                out.add(s);
            }
        }
        return out;
    }

    private static List<Sample> unless(List<Sample> lhs, List<Sample> rhs, VectorMatching matching) {
        if (lhs.isEmpty() || rhs.isEmpty()) {
            return new ArrayList<>(lhs);
        }
        Set<Labels> right = new HashSet<>();
        for (Sample s : rhs) {
            right.add(signature(s.labels(), matching));
        }
        List<Sample> out = new ArrayList<>();
        for (Sample s : lhs) {
            if (!right.contains(signature(s.labels(), matching))) {
                out.add(s);
            }
        }
        return out;
    }

    private static List<Sample> vectorOp(BinaryOp op, List<Sample> lhsIn, List<Sample> rhsIn, VectorMatching matching,
                                         boolean returnBool, long t) {
        List<Sample> out = new ArrayList<>();
        if (lhsIn.isEmpty() || rhsIn.isEmpty()) {
            return out;
        }
        boolean swapped = matching.cardinality() == Cardinality.ONE_TO_MANY;
        List<Sample> lhs = swapped ? rhsIn : lhsIn;
        List<Sample> rhs = swapped ? lhsIn : rhsIn;
        Map<Labels, Sample> right = new HashMap<>();
        for (Sample rs : rhs) {
            Labels sig = signature(rs.labels(), matching);
            Sample duplicate = right.putIfAbsent(sig, rs);
            if (duplicate != null) {
                throw new QueryException("found duplicate series for the match group " + sig
                        + " on the " + (swapped ? "left" : "right") + " hand-side of the operation: ["
                        + rs.labels() + ", " + duplicate.labels() + "];many-to-many matching not allowed: "
                        + "matching labels must be unique on one side");
            }
        }
        Map<Labels, Set<Labels>> matched = new HashMap<>();
        for (Sample ls : lhs) {
            Labels sig = signature(ls.labels(), matching);
            Sample rs = right.get(sig);
            if (rs == null) {
                continue;
            }
            double l = swapped ? rs.value() : ls.value();
            double r = swapped ? ls.value() : rs.value();
            boolean keep = keeps(op, l, r);
            double value = op.isComparison() ? l : scalarOp(op, l, r);
            if (returnBool) {
                value = keep ? 1 : 0;
            } else if (!keep) {
                continue;
            }
            Labels metric = resultLabels(ls.labels(), rs.labels(), op, matching);
            if (returnBool) {
                metric = metric.withoutMetricName();
            }
            Set<Labels> inserted = matched.get(sig);
            if (matching.cardinality() == Cardinality.ONE_TO_ONE) {
                if (inserted != null) {
                    throw new QueryException("multiple matches for labels: many-to-one matching must be explicit"
                            + " (group_left/group_right)");
                }
                matched.put(sig, Set.of());
            } else {
                if (inserted == null) {
                    inserted = new HashSet<>();
                    matched.put(sig, inserted);
                }
                if (!inserted.add(metric)) {
                    throw new QueryException("multiple matches for labels: grouping labels must ensure unique matches");
                }
            }
            out.add(new Sample(metric, t, value));
        }
        return out;
    }

    private static Labels resultLabels(Labels lhs, Labels rhs, BinaryOp op, VectorMatching matching) {
        Map<String, String> map = lhs.toMap();
        if (dropsMetricName(op)) {
            map.remove(Labels.METRIC_NAME);
        }
        if (matching.cardinality() == Cardinality.ONE_TO_ONE) {
            if (matching.on()) {
                map.keySet().retainAll(matching.labels());
            } else {
                map.keySet().removeAll(matching.labels());
            }
        }
        for (String name : matching.include()) {
            String value = rhs.get(name);
            if (value.isEmpty()) {
                map.remove(name);
            } else {
                map.put(name, value);
            }
        }
        return Labels.fromMap(map);
    }
}
