package io.sundial.server.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link JsonOut#stringArray} reuses the text of the last list in the compact layout: whatever
 * sequence of lists it is given (the same instance again, an equal copy, a changed list, a list
 * mutated after it was written), the text is that of writing each string with {@link JsonOut#value}.
 */
class JsonOutStringArrayTest {
    private static final List<String> COLUMNS = List.of("time", "arch", "usage_user", "a<b>&\"c\"");

    static Stream<Arguments> cases() {
        List<String> mutable = new ArrayList<>(COLUMNS);
        return Stream.of(
                Arguments.of("same_instance_twice", List.of(COLUMNS, COLUMNS)),
                Arguments.of("equal_copy", List.of(COLUMNS, new ArrayList<>(COLUMNS))),
                Arguments.of("other_list_between", List.of(COLUMNS, List.of("time", "max"), COLUMNS)),
                Arguments.of("prefix_of_the_last", List.of(COLUMNS, COLUMNS.subList(0, 2))),
                Arguments.of("empty_then_full", List.of(List.of(), COLUMNS, List.of())),
                Arguments.of("mutated_after_written", List.of(mutable, mutate(mutable))));
    }

    /** The same list object changed after its first use: its second use must see the change. */
    private static List<String> mutate(List<String> list) {
        return new MutatedOnRead(list);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void compactAndPrettyTextsEqualValueByValue(String name, List<List<String>> lists) {
        for (boolean isPretty : new boolean[] {false, true}) {
            StringBuilder expected = new StringBuilder();
            JsonOut plain = new JsonOut(expected, isPretty).beginArray();
            StringBuilder actual = new StringBuilder();
            JsonOut cached = new JsonOut(actual, isPretty).beginArray();
            for (List<String> list : lists) {
                List<String> texts = list instanceof MutatedOnRead mutated ? mutated.apply() : list;
                plain.beginObject().name("columns").beginArray();
                texts.forEach(plain::value);
                plain.endArray().endObject();
                cached.beginObject().name("columns").stringArray(texts).endObject();
            }
            plain.endArray();
            cached.endArray();
            assertEquals(expected.toString(), actual.toString(), name + (isPretty ? " pretty" : " compact"));
        }
    }

    /** A marker: when reached, change the wrapped list in place and write that same object again. */
    private static final class MutatedOnRead extends java.util.AbstractList<String> {
        private final List<String> list;

        MutatedOnRead(List<String> list) {
            this.list = list;
        }

        List<String> apply() {
            list.set(1, "changed");
            return list;
        }

        @Override
        public String get(int index) {
            return list.get(index);
        }

        @Override
        public int size() {
            return list.size();
        }
    }
}
