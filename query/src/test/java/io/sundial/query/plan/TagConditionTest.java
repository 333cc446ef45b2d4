package io.sundial.query.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sundial.query.QueryException;
import io.sundial.query.sundialql.Expr;
import io.sundial.query.sundialql.Parser;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TagConditionTest {
    private static final Set<String> FIELDS = Set.of("usage", "count");

    static Stream<Arguments> splits() {
        return Stream.of(
                Arguments.of("host = 'a' AND region =~ /us-/", "[host=\"a\", region=~/us-/]", "-", "-"),
                Arguments.of("'a' = host AND usage > 1", "[host=\"a\"]", "-", "usage > 1"),
                Arguments.of("host = 'a' OR host = 'b'", "[]", "host = 'a' OR host = 'b'", "-"),
                Arguments.of("usage > 1 OR host = 'a'", "[]", "-", "usage > 1 OR host = 'a'"),
                Arguments.of("host::tag = 'a' AND usage::field != 2", "[host=\"a\"]", "-", "usage::field != 2"),
                Arguments.of("count = 'x'", "[]", "-", "count = 'x'"),
                Arguments.of("dc != '' AND NOT host = 'a'", "[dc!=\"\"]", "NOT host = 'a'", "-"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("splits")
    void splitsIntoIndexSeriesAndRowParts(String condition, String matchers, String seriesFilter, String rowFilter) {
        TagCondition split = TagCondition.of(Parser.parseExpression(condition),
                reference -> reference.type() != Expr.VarType.TAG && FIELDS.contains(reference.name()));
        assertEquals(matchers, split.matchers().toString());
        assertEquals(seriesFilter, Objects.toString(split.seriesFilter(), "-"));
        assertEquals(rowFilter, Objects.toString(split.rowFilter(), "-"));
    }

    @Test
    void disjunctionExpandsOrAndIn() {
        assertEquals("[[host=\"a\", dc=\"x\"], [host=\"b\", dc=\"x\"]]",
                TagCondition.disjunction(Parser.parseExpression("host IN ('a', 'b') AND dc = 'x'"), "SHOW SERIES").toString());
        assertEquals("unsupported condition in SHOW SERIES: usage > 1 (only tag comparisons =, !=, =~, !~ with AND, OR and IN)",
                assertThrows(QueryException.class, () -> TagCondition.disjunction(Parser.parseExpression("usage > 1"),
                        "SHOW SERIES")).getMessage());
    }
}
