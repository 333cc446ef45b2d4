package io.sundial.query.exec;

import io.sundial.query.sundialql.Clauses;
import io.sundial.query.sundialql.Expr;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** A column of the answer: its name (as InfluxDB names it) and the expression that computes it. */
record OutputField(String name, Expr expression) {
    /**
     * InfluxDB's column names: the alias, a reference's name, a call's function name, or the
     * names inside an operator expression joined by '_' ({@code mean(a) + mean(b)} is
     * {@code mean_mean}); a repeated name gets _1, _2, ...
     */
    static List<OutputField> named(List<Clauses.Field> fields, List<String> baseNames) {
        List<OutputField> out = new ArrayList<>();
        Set<String> used = new HashSet<>();
        used.add("time");
        for (int i = 0; i < fields.size(); i++) {
            String base = baseNames.get(i);
            String name = base;
            for (int suffix = 1; !used.add(name); suffix++) {
                name = base + "_" + suffix;
            }
            out.add(new OutputField(name, fields.get(i).expression()));
        }
        return out;
    }

    static String baseName(Clauses.Field field) {
        if (field.alias().isPresent()) {
            return field.alias().get();
        }
        return exprName(field.expression());
    }

    static String exprName(Expr expr) {
        return switch (expr) {
            case Expr.VarRef reference -> reference.name();
            case Expr.Call call -> call.name();
            case Expr.Binary binary -> {
                List<String> names = new ArrayList<>();
                collectNames(binary, names);
                yield String.join("_", names);
            }
            case Expr.Unary unary -> exprName(unary.operand());
            default -> "";
        };
    }

    private static void collectNames(Expr expr, List<String> names) {
        switch (expr) {
            case Expr.VarRef reference -> names.add(reference.name());
            case Expr.Call call -> names.add(call.name());
            case Expr.Binary binary -> {
                collectNames(binary.left(), names);
                collectNames(binary.right(), names);
            }
            case Expr.Unary unary -> collectNames(unary.operand(), names);
            default -> { }
        }
    }
}
