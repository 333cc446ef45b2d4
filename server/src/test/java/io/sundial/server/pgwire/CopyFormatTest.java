package io.sundial.server.pgwire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.core.FieldType;
import io.sundial.core.Point;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The COPY command forms clients send, and the text and CSV row formats both ways. */
class CopyFormatTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', textBlock = """
            plain;             COPY m FROM STDIN;                                      true;  m; [];           false; false; '\t'; \\N
            columns;           copy "My M" (time, "Host", v) from stdin;               true;  My M; [time, Host, v]; false; false; '\t'; \\N
            modern_csv;        COPY m FROM STDIN WITH (FORMAT csv, HEADER);            true;  m; [];           true;  true;  ',';  ''
            modern_options;    COPY m FROM STDIN (FORMAT csv, HEADER false, DELIMITER '|', NULL 'NA'); true; m; []; true; false; '|'; NA
            legacy_psql;       COPY  m FROM STDIN csv header delimiter as '|' null as '-'; true; m; [];        true;  true;  '|';  -
            text_delimiter;    COPY m FROM STDIN WITH DELIMITER E'\\t' NULL '';        true;  m; [];           false; false; '\t'; ''
            table_out;         COPY public.m (a, b) TO STDOUT;                         false; m; [a, b];       false; false; '\t'; \\N
            """)
    void commandFormsAreRead(String name, String sql, boolean isFrom, String table, String columns, boolean isCsv,
            boolean hasHeader, String delimiter, String nullText) throws PgException {
        CopyStatement copy = CopyStatement.parse(sql);
        assertEquals(isFrom, copy.isFrom(), name);
        assertEquals(table, copy.table(), name);
        assertEquals(columns, copy.columns().toString(), name);
        assertEquals(isCsv, copy.format().isCsv(), name);
        assertEquals(hasHeader, copy.format().hasHeader(), name);
        assertEquals(delimiter.replace("\\t", "\t").charAt(0), copy.format().delimiter(), name);
        assertEquals(nullText, copy.format().nullText(), name);
    }

    @Test
    void queryOfCopyToIsKeptWhole() throws PgException {
        CopyStatement copy = CopyStatement.parse("COPY (SELECT a, b FROM m WHERE c = 'to' AND (d > 1)) TO STDOUT WITH (FORMAT csv)");
        assertEquals("SELECT a, b FROM m WHERE c = 'to' AND (d > 1)", copy.query());
        assertTrue(copy.format().isCsv());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', textBlock = """
            server_file;       COPY m FROM '/tmp/x';                       0A000
            program;           COPY m TO PROGRAM 'cat';                    0A000
            binary;            COPY m FROM STDIN BINARY;                   0A000
            unknown_option;    COPY m FROM STDIN WITH (FREEZE);            0A000
            query_from;        COPY (SELECT 1) FROM STDIN;                 42601
            no_direction;      COPY m;                                     42601
            quote_in_text;     COPY m FROM STDIN WITH (QUOTE '|');         42601
            long_delimiter;    COPY m FROM STDIN WITH (DELIMITER '||');    42601
            delimiter_quote;   COPY m FROM STDIN CSV DELIMITER '"';        42601
            """)
    void badCommandsAreClearErrors(String name, String sql, String sqlState) {
        PgException e = assertThrows(PgException.class, () -> CopyStatement.parse(sql), name);
        assertEquals(sqlState, e.sqlState(), name + ": " + e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            plain        | a{T}b{T}c                           | [a, b, c]
            null         | a{T}{B}N{T}                         | [a, null, ]
            escapes      | {B}t{B}n{B}{B}{T}{B}x41{B}101{B}q   | [{T}{N}{B}, AAq]
            escaped_tab  | a{B}{T}b{T}c                        | [a{T}b, c]
            """)
    void textFieldsAreUnescaped(String name, String line, String expected) {
        List<String> fields = CopyText.textFields(unfold(line), CopyStatement.Format.TEXT);
        assertEquals(unfold(expected), fields.toString(), name);
    }

    @Test
    void csvFieldsTellNullFromEmptyAndSpanLines() {
        assertEquals(Arrays.asList("a", null, "", "x,\"y\""), CopyText.csvFields("a,,\"\",\"x,\"\"y\"\"\"",
                CopyStatement.Format.CSV));
        assertNull(CopyText.csvFields("a,\"open", CopyStatement.Format.CSV), "an open quote continues on the next line");
        assertEquals(List.of("a", "open\nline"), CopyText.csvFields("a,\"open\nline\"", CopyStatement.Format.CSV));
    }

    /** What COPY TO writes, COPY FROM reads back unchanged, in both formats. */
    @Property(tries = 300)
    void rowsRoundTrip(@ForAll List<String> values, @ForAll boolean isCsv) {
        List<String> row = new ArrayList<>();
        for (String value : values) {
            // Every fifth value (by its hash, so a replay makes the same row) is a NULL.
            row.add(Math.floorMod(value.hashCode(), 5) == 0 ? null : value.replace("\0", ""));
        }
        if (row.isEmpty()) {
            return;
        }
        CopyStatement.Format format = isCsv ? CopyStatement.Format.CSV : CopyStatement.Format.TEXT;
        String line = CopyText.line(row, format);
        String record = line.substring(0, line.length() - 1);
        List<String> back = isCsv ? CopyText.csvFields(record, format) : CopyText.textFields(record, format);
        assertEquals(row, back, "line " + line);
    }

    /** Lines and multi-byte characters cut at every byte between CopyData messages still make the same points. */
    @Test
    void dataCutAnywhereBetweenMessagesGivesTheSamePoints() throws PgException {
        TableSchemas.Table table = new TableSchemas.Table("m", List.of(
                new TableSchemas.Column("time", PgType.TIMESTAMPTZ, false, null),
                new TableSchemas.Column("city", PgType.TEXT, true, null),
                new TableSchemas.Column("note", PgType.TEXT, false, FieldType.STRING)));
        byte[] data = "1\tZürich\t\"Grüße\", 東京\n2\tOslo\t\\N\\tx\n3\t\\\\\tend".getBytes(StandardCharsets.UTF_8);
        CopyStatement copy = new CopyStatement(true, "m", List.of(), null, CopyStatement.Format.TEXT);
        CopyIn whole = new CopyIn(copy, table, 0, 10, 1 << 20);
        whole.accept(data);
        List<Point> expected = whole.finish();
        assertEquals(3, expected.size());
        assertEquals("Zürich", expected.getFirst().tagValue(0));
        CopyIn bytes = new CopyIn(copy, table, 0, 10, 1 << 20);
        for (byte b : data) {
            bytes.accept(new byte[] {b});
        }
        assertEquals(expected, bytes.finish());
    }

    private static String unfold(String text) {
        return text.replace("{T}", "\t").replace("{N}", "\n").replace("{B}", "\\");
    }
}
