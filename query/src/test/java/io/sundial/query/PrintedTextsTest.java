package io.sundial.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.sundial.query.sundialql.Parser;
import io.sundial.query.sundialql.Printer;
import io.sundial.query.sundialql.Query;
import org.junit.jupiter.api.Test;

class PrintedTextsTest {
    @Test
    void aReusedTreeIsPrintedOnceAndAnEqualNewTreeGetsItsOwnEntry() {
        PrintedTexts texts = new PrintedTexts();
        Query query = Parser.parseQuery("select max(usage_user) from cpu where hostname = 'a' group by time(1m)");
        String first = texts.print(query);
        assertEquals(Printer.print(query), first);
        assertSame(first, texts.print(new Query(query.statements())));
        assertEquals(1, texts.size());
        Query equal = Parser.parseQuery("select max(usage_user) from cpu where hostname = 'a' group by time(1m)");
        assertEquals(first, texts.print(equal));
        assertEquals(2, texts.size());
    }

    @Test
    void severalStatementsAndLongTextsArePrintedEachTimeAndNotKept() {
        PrintedTexts texts = new PrintedTexts();
        Query two = Parser.parseQuery("SELECT a FROM m; SELECT b FROM m");
        assertEquals(Printer.print(two), texts.print(two));
        Query longQuery = Parser.parseQuery("SELECT a FROM m WHERE " + "a = 1 OR ".repeat(PrintedTexts.TEXT_CHARS_MAX / 9)
                + "a = 2");
        assertEquals(Printer.print(longQuery), texts.print(longQuery));
        assertEquals(0, texts.size());
    }

    @Test
    void theLeastRecentlyUsedStatementLeavesWhenFull() {
        PrintedTexts texts = new PrintedTexts();
        for (int i = 0; i <= PrintedTexts.ENTRIES_MAX; i++) {
            texts.print(Parser.parseQuery("SELECT f" + i + " FROM m"));
        }
        assertEquals(PrintedTexts.ENTRIES_MAX, texts.size());
    }
}
