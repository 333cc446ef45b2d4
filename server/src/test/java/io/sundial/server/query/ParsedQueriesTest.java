package io.sundial.server.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sundial.query.sundialql.ParseException;
import io.sundial.query.sundialql.Parser;
import io.sundial.query.sundialql.Query;
import org.junit.jupiter.api.Test;

class ParsedQueriesTest {
    private static final String TEXT = "SELECT max(usage_user) FROM cpu WHERE hostname = 'host_1' AND time >= now() - 1h GROUP BY time(1m)";

    @Test
    void aRepeatedTextGetsTheTreeParsedTheFirstTime() {
        ParsedQueries queries = new ParsedQueries();
        Query first = queries.parse(TEXT);
        assertEquals(Parser.parseQuery(TEXT), first);
        assertSame(first, queries.parse(TEXT));
        assertEquals(1, queries.size());
    }

    @Test
    void theLeastRecentlyUsedTextLeavesFirstWhenFull() {
        ParsedQueries queries = new ParsedQueries(2);
        Query a = queries.parse("SELECT a FROM m");
        Query b = queries.parse("SELECT b FROM m");
        assertSame(a, queries.parse("SELECT a FROM m")); // a is now the most recent
        queries.parse("SELECT c FROM m"); // evicts b
        assertEquals(2, queries.size());
        assertSame(a, queries.parse("SELECT a FROM m"));
        assertNotSame(b, queries.parse("SELECT b FROM m"));
    }

    @Test
    void aTextOverTheLengthLimitIsParsedEachTimeAndNotKept() {
        String longText = "SELECT a FROM m WHERE " + "a = 1 OR ".repeat(ParsedQueries.TEXT_CHARS_MAX / 9) + "a = 2";
        ParsedQueries queries = new ParsedQueries();
        Query first = queries.parse(longText);
        assertNotSame(first, queries.parse(longText));
        assertEquals(first, queries.parse(longText));
        assertEquals(0, queries.size());
    }

    @Test
    void aTextThatDoesNotParseFailsEveryTimeWithItsPosition() {
        ParsedQueries queries = new ParsedQueries();
        ParseException first = assertThrows(ParseException.class, () -> queries.parse("SELECT FROM m"));
        ParseException second = assertThrows(ParseException.class, () -> queries.parse("SELECT FROM m"));
        assertEquals(first.getMessage(), second.getMessage());
        assertEquals(0, queries.size());
    }

    @Test
    void theBoundMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new ParsedQueries(0));
    }
}
