package io.sundial.storage.index;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RegexPlanTest {
    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = ';', value = {
        "anchored_literal;        ^us$;           LITERALS; us",
        "capturing_alternation;   ^(a|b|c)$;      LITERALS; a|b|c",
        "promql_alternation;      ^(?:a|b)$;      LITERALS; a|b",
        "escaped_dot;             ^a\\.b$;        LITERALS; a.b",
        "empty_alternative;       ^(a|)$;         LITERALS; a|",
        "top_level_alternation;   ^a|b$;          GENERAL;  ''",
        "two_groups;              ^(a)(b)$;       GENERAL;  ''",
        "class_escape;            ^\\d$;          GENERAL;  ''",
        "literal_prefix;          ^web-.*;        PREFIX;   web-",
        "prefix_before_optional;  ^abc?;          PREFIX;   ab",
        "prefix_before_star;      ^a*;            GENERAL;  ''",
        "prefix_before_plus;      ^ab+;           PREFIX;   ab",
        "prefix_with_group_alt;   ^web(1|2);      GENERAL;  ''",
        "contains_literal;        eb;             CONTAINS; eb",
        "unanchored_class;        e.b;            GENERAL;  ''",
        "inline_flags;            (?i)^us$;       GENERAL;  ''",
    })
    void plans(String name, String regex, RegexPlan.Kind kind, String detail) {
        RegexPlan plan = RegexPlan.of(Pattern.compile(regex));
        assertEquals(kind, plan.kind, name);
        switch (kind) {
            case LITERALS -> assertEquals(List.of(detail.split("\\|", -1)), plan.literals, name);
            case PREFIX, CONTAINS -> assertEquals(detail, plan.prefix, name);
            case GENERAL -> assertEquals("", plan.prefix, name);
        }
    }
}
