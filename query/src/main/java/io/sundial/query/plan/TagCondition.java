package io.sundial.query.plan;

import io.sundial.query.QueryException;
import io.sundial.query.sundialql.Expr;
import io.sundial.storage.index.TagMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The non-time part of a WHERE condition for one measurement, in three parts: tag matchers the
 * index applies exactly (top-level AND of tag =, !=, =~, !~ against literals), a condition on
 * tags only (evaluated once per series), and a condition on fields (evaluated per row).
 */
public record TagCondition(List<TagMatcher> matchers, Expr seriesFilter, Expr rowFilter) {
    /** Longest OR of tag conditions turned into separate index lookups (SHOW, DROP SERIES, DELETE). */
    public static final int DISJUNCTS_MAX = 1024;

    /**
     * @param isField whether a reference names a field of the measurement (else it is a tag)
     */
    public static TagCondition of(Expr residual, Predicate<Expr.VarRef> isField) {
        List<TagMatcher> matchers = new ArrayList<>();
        List<Expr> seriesParts = new ArrayList<>();
        List<Expr> rowParts = new ArrayList<>();
        for (Expr conjunct : conjuncts(residual)) {
            TagMatcher matcher = matcher(conjunct, isField);
            if (matcher != null) {
                matchers.add(matcher);
            } else if (referencesOnlyTags(conjunct, isField)) {
                seriesParts.add(conjunct);
            } else {
                rowParts.add(conjunct);
            }
        }
        return new TagCondition(matchers, and(seriesParts), and(rowParts));
    }

    /**
     * A condition on tags as an OR of ANDs of matchers, for statements that only look at the
     * index. Fails with InfluxDB-like wording when a field or time appears.
     */
    public static List<List<TagMatcher>> disjunction(Expr expr, String statement) {
        List<List<TagMatcher>> out = new ArrayList<>();
        switch (expr) {
            case Expr.Binary binary when binary.operator() == Expr.BinaryOperator.OR -> {
                out.addAll(disjunction(binary.left(), statement));
                out.addAll(disjunction(binary.right(), statement));
            }
            case Expr.Binary binary when binary.operator() == Expr.BinaryOperator.AND -> {
                for (List<TagMatcher> left : disjunction(binary.left(), statement)) {
                    for (List<TagMatcher> right : disjunction(binary.right(), statement)) {
                        List<TagMatcher> both = new ArrayList<>(left);
                        both.addAll(right);
                        out.add(both);
                        if (out.size() > DISJUNCTS_MAX) {
                            throw new QueryException("the WHERE condition of " + statement + " expands to more than "
                                    + DISJUNCTS_MAX + " alternatives; simplify it or use a regex");
                        }
                    }
                }
            }
            case Expr.InList in when !in.isNegated() -> {
                for (Expr item : in.items()) {
                    out.addAll(disjunction(new Expr.Binary(Expr.BinaryOperator.EQUALS, in.value(), item, in.position()),
                            statement));
                }
            }
            case Expr.InList in -> {
                List<TagMatcher> all = new ArrayList<>();
                for (Expr item : in.items()) {
                    all.addAll(disjunction(new Expr.Binary(Expr.BinaryOperator.NOT_EQUALS, in.value(), item, in.position()),
                            statement).getFirst());
                }
                out.add(all);
            }
            default -> {
                TagMatcher matcher = matcher(expr, reference -> false);
                if (matcher == null) {
                    throw new QueryException("unsupported condition in " + statement + ": " + expr
                            + " (only tag comparisons =, !=, =~, !~ with AND, OR and IN)");
                }
                out.add(new ArrayList<>(List.of(matcher)));
            }
        }
        if (out.size() > DISJUNCTS_MAX) {
            throw new QueryException("the WHERE condition of " + statement + " expands to more than " + DISJUNCTS_MAX
                    + " alternatives; simplify it or use a regex");
        }
        return out;
    }

    static List<Expr> conjuncts(Expr expr) {
        List<Expr> out = new ArrayList<>();
        List<Expr> stack = new ArrayList<>();
        stack.add(expr);
        while (!stack.isEmpty()) {
            Expr current = stack.removeLast();
            if (current instanceof Expr.Binary binary && binary.operator() == Expr.BinaryOperator.AND) {
                stack.add(binary.right());
                stack.add(binary.left());
            } else {
                out.add(current);
            }
        }
        return out;
    }

    /** {@code tag op literal} (either order) as a matcher, or null. */
    static TagMatcher matcher(Expr expr, Predicate<Expr.VarRef> isField) {
        if (!(expr instanceof Expr.Binary binary)) {
            return null;
        }
        Expr.VarRef tag;
        Expr literal;
        if (binary.left() instanceof Expr.VarRef reference) {
            tag = reference;
            literal = binary.right();
        } else if (binary.right() instanceof Expr.VarRef reference && !(binary.left() instanceof Expr.RegexLiteral)) {
            tag = reference;
            literal = binary.left();
        } else {
            return null;
        }
        if (isField.test(tag) || tag.type() == Expr.VarType.FIELD || TimeCondition.isTime(tag)) {
            return null;
        }
        return switch (binary.operator()) {
            case EQUALS -> literal instanceof Expr.StringLiteral s ? TagMatcher.eq(tag.name(), s.value()) : null;
            case NOT_EQUALS -> literal instanceof Expr.StringLiteral s ? TagMatcher.neq(tag.name(), s.value()) : null;
            case MATCHES -> literal instanceof Expr.RegexLiteral r ? TagMatcher.regex(tag.name(), compile(r.pattern())) : null;
            case NOT_MATCHES ->
                    literal instanceof Expr.RegexLiteral r ? TagMatcher.notRegex(tag.name(), compile(r.pattern())) : null;
            default -> null;
        };
    }

    /** Compiles a regex of a query, failing with the query error InfluxDB gives. */
    public static Pattern compile(String source) {
        try {
            return Pattern.compile(source);
        } catch (PatternSyntaxException e) {
            throw new QueryException("invalid regular expression /" + source + "/: " + e.getDescription());
        }
    }

    private static boolean referencesOnlyTags(Expr expr, Predicate<Expr.VarRef> isField) {
        return switch (expr) {
            case Expr.VarRef reference -> !isField.test(reference) && reference.type() != Expr.VarType.FIELD;
            case Expr.Binary binary -> referencesOnlyTags(binary.left(), isField) && referencesOnlyTags(binary.right(), isField);
            case Expr.Unary unary -> referencesOnlyTags(unary.operand(), isField);
            case Expr.Between between -> referencesOnlyTags(between.value(), isField);
            case Expr.InList in -> referencesOnlyTags(in.value(), isField);
            case Expr.Call call -> false;
            default -> true;
        };
    }

    private static Expr and(List<Expr> parts) {
        Expr out = null;
        for (Expr part : parts) {
            out = out == null ? part : new Expr.Binary(Expr.BinaryOperator.AND, out, part, part.position());
        }
        return out;
    }
}
