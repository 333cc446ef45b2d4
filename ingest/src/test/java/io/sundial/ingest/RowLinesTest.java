package io.sundial.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sundial.core.PointColumns;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link PointParser#recordRowLines}: the line each row starts on, counted as the parse errors count them. */
class RowLinesTest {
    static Stream<Arguments> bodies() {
        return Stream.of(
                Arguments.of("lp_blank_comment_and_bad_lines_count", "lp",
                        "cpu v=1 1\n\n# comment\ncpu v= 2\ncpu v=3 3\r\ncpu v=4 4", List.of(1L, 5L, 6L)),
                Arguments.of("lp_quoted_newline_is_one_record_on_its_first_line", "lp",
                        "cpu s=\"a\nb\" 1\ncpu v=2 2\n", List.of(1L, 3L)),
                Arguments.of("csv_header_and_bad_record", "csv",
                        "time,host,v\n1,a,1.5\n2,b\n3,c,3.5\n", List.of(2L, 4L)),
                Arguments.of("json_lines_objects_by_their_start", "json",
                        "{\"measurement\":\"m\",\"fields\":{\"v\":1},\"time\":1}\n\n{\"measurement\":\"m\",\n"
                                + "\"fields\":{\"v\":2},\"time\":2}\n", List.of(1L, 3L)),
                Arguments.of("json_columnar_rows_share_their_object_line", "json",
                        "\n{\"measurement\":\"m\",\"time\":[1,2],\"fields\":{\"v\":[1,2]}}\n", List.of(2L, 2L)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bodies")
    void eachRowNamesItsLine(String name, String format, String body, List<Long> expected) throws IOException {
        assertEquals(expected, lines(format, body, 1_000));
    }

    @Test
    void linesStayAlignedWithRowsAcrossBatchesWhenClearedTogether() throws IOException {
        // One record per batch: each batch's line list restarts with its columns.
        assertEquals(List.of(1L, 3L, 4L), lines("lp", "cpu v=1 1\n\ncpu v=3 3\ncpu v=4 4\n", 1));
    }

    private static List<Long> lines(String format, String body, int recordsMax) throws IOException {
        FormatRegistry formats = FormatRegistry.withBuiltins();
        ParseOptions options = ParseOptions.builder().measurement("m").build();
        List<Long> seen = new ArrayList<>();
        try (PointParser parser = formats.byName(format).orElseThrow()
                .open(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), options)) {
            RowLines rowLines = new RowLines();
            parser.recordRowLines(rowLines);
            PointColumns columns = new PointColumns();
            ParsedRows rows;
            do {
                columns.clear();
                rowLines.clear();
                rows = parser.nextRows(columns, recordsMax);
                assertEquals(columns.rowCount(), rowLines.size(), "one line per row");
                for (int row = 0; row < columns.rowCount(); row++) {
                    seen.add(rowLines.line(row));
                }
            } while (!rows.isEndOfInput());
        }
        return seen;
    }
}
