package io.sundial.storage.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SymbolTableTest {
    static Stream<Arguments> texts() {
        return Stream.of(
                Arguments.of("empty", ""),
                Arguments.of("ascii_hostname", "host_123456"),
                Arguments.of("latin1_accents", "café-zürich"),
                Arguments.of("char_255", "\u00ff"),
                Arguments.of("utf16_bmp", "東京-データ"),
                Arguments.of("surrogate_pair", "emoji-\uD83D\uDE00"),
                Arguments.of("long_varint_header", "x".repeat(300)),
                Arguments.of("over_one_page_latin1", "a".repeat(SymbolTable.PAGE_BYTES + 17)),
                Arguments.of("over_one_page_utf16", "\u0100".repeat(SymbolTable.PAGE_BYTES / 2 + 3)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("texts")
    void storedTextReadsBackWithTheStringHashAndLength(String name, String text) {
        SymbolTable table = new SymbolTable();
        int before = table.intern("before");
        int symbol = table.intern(text);
        int after = table.intern("after");
        assertEquals(text, table.get(symbol), name);
        assertEquals(text.hashCode(), table.hash(symbol), name);
        assertEquals(text.length(), table.length(symbol), name);
        assertTrue(table.matches(symbol, text), name);
        assertFalse(table.matches(symbol, text + "x"), name);
        assertEquals(symbol, table.find(text), name);
        assertEquals(symbol, table.intern(text), name);
        assertEquals("before", table.get(before), name);
        assertEquals("after", table.get(after), name);
        assertEquals(3, table.count(), name);
    }

    @Test
    void manySymbolsSpanPagesAndSurviveRehashes() {
        SymbolTable table = new SymbolTable();
        int n = 200_000;
        for (int i = 0; i < n; i++) {
            assertEquals(i, table.intern("host_" + i));
        }
        assertEquals(n, table.count());
        for (int i = 0; i < n; i += 997) {
            assertEquals(i, table.find("host_" + i));
            assertEquals("host_" + i, table.get(i));
        }
        assertEquals(-1, table.find("host_" + n));
        assertTrue(table.estimatedMemoryBytes() > 11L * n, "pages, positions and slots are counted");
    }

    @Test
    void namesKeepTheirStringAndValuesTheirBytesWithTheSameAnswers() {
        SymbolTable table = new SymbolTable();
        for (int i = 0; i < 1_000; i++) {
            table.intern("value_" + i, false);
        }
        int name = table.intern("hostname", true);
        int valueThenName = table.intern("value_999", true);
        assertEquals(999, valueThenName, "a value later used as a name keeps its symbol");
        for (int symbol : new int[] {name, valueThenName, 0, 500}) {
            String text = table.get(symbol);
            assertTrue(table.matches(symbol, text));
            assertFalse(table.matches(symbol, text + "_"));
            assertEquals(text.hashCode(), table.hash(symbol));
            assertEquals(symbol, table.find(text));
        }
        assertEquals("hostname", table.get(name));
        assertEquals(1_001, table.count());
    }

    @Property(tries = 200)
    void internIsAFunctionOfTheText(@ForAll @Size(max = 40) List<String> texts) {
        SymbolTable table = new SymbolTable();
        List<String> distinct = new ArrayList<>();
        for (String text : texts) {
            int symbol = table.intern(text);
            if (symbol == distinct.size()) {
                distinct.add(text);
            }
            assertEquals(text, table.get(symbol));
            assertEquals(text.hashCode(), table.hash(symbol));
        }
        assertEquals(distinct.size(), table.count());
        assertEquals(distinct.size(), texts.stream().distinct().count());
    }
}
