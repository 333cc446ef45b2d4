package io.sundial.server.pgwire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import io.sundial.query.sundialql.Expr;
import io.sundial.query.sundialql.Parser;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Text work on client SQL and values: splitting, literal escaping, parameters, PostgreSQL's output formats, Grafana SQL. */
class WireTextTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            two statements          | SELECT 1; SELECT 2                  | SELECT 1§SELECT 2
            semicolon in string     | SELECT 'a;b'; SELECT 2              | SELECT 'a;b'§SELECT 2
            semicolon in identifier | SELECT "a;b" FROM m                 | SELECT "a;b" FROM m
            semicolon in comment    | SELECT 1 -- x;y\\nFROM m            | SELECT 1 -- x;y\\nFROM m
            block comment           | SELECT /* ; */ 1;;                  | SELECT /* ; */ 1
            only comments           | -- nothing ; /* here */             |
            """)
    void split(String name, String sql, String expected) {
        List<String> pieces = SqlText.split(sql.replace("\\n", "\n"));
        assertEquals(expected == null ? "" : expected.replace("\\n", "\n"), String.join("§", pieces), name);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            doubled quote    | WHERE a = 'it''s'       | WHERE a = 'it\\'s'
            backslash        | WHERE a = 'c:\\dir'     | WHERE a = 'c:\\\\dir'
            identifier kept  | WHERE "it's" = 'x'      | WHERE "it's" = 'x'
            unterminated     | WHERE a = 'x            | WHERE a = 'x
            lone quote       | WHERE a = '             | WHERE a = '
            empty literal    | WHERE a = ''            | WHERE a = ''
            """)
    void postgresStringsBecomeSundialStrings(String name, String sql, String expected) {
        assertEquals(expected, SqlText.toSundialStrings(sql), name);
    }

    @Property(tries = 300)
    void anyStringParameterStaysOneLiteral(@ForAll String value) throws PgException {
        String sql = Parameters.substitute("SELECT v FROM m WHERE host = $1",
                List.of(Parameters.literal(1, Parameters.TEXT, value.getBytes(StandardCharsets.UTF_8), false)));
        String literal = sql.substring("SELECT v FROM m WHERE host = ".length());
        // SundialQL's own lexer must read the whole literal back as the value (a CR becomes a space).
        Expr parsed = Parser.parseExpression(literal);
        assertEquals(new Expr.StringLiteral(value.replace('\r', ' '), parsed.position()), parsed, sql);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            text                | 25   | it's         | 'it\\'s'
            untyped timestamp   | 0    | 2024-01-02 03:04:05+02 | '2024-01-02T01:04:05Z'
            timestamptz no zone | 1184 | 2024-01-02 03:04:05.5  | '2024-01-02T03:04:05.500Z'
            date                | 1082 | 2024-01-02   | '2024-01-02T00:00:00Z'
            int8                | 20   | -42          | -42
            float8              | 701  | 1.5e3        | 1.5e3
            bool                | 16   | t            | true
            """)
    void textParameterLiterals(String name, int oid, String value, String expected) throws PgException {
        assertEquals(expected, Parameters.literal(1, oid, value.getBytes(StandardCharsets.UTF_8), false), name);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            int8 not a number  | 20   | 1 OR 1=1
            float8 NaN         | 701  | NaN
            bool garbage       | 16   | maybe
            timestamp garbage  | 1184 | yesterday
            """)
    void invalidParametersAre22P02(String name, int oid, String value) {
        PgException error = assertThrows(PgException.class,
                () -> Parameters.literal(1, oid, value.getBytes(StandardCharsets.UTF_8), false));
        assertEquals("22P02", error.sqlState(), name);
    }

    @Test
    void binaryParameters() throws PgException {
        assertEquals("-7", Parameters.literal(1, Parameters.INT8, ByteBuffer.allocate(8).putLong(-7).array(), true));
        assertEquals("2.5", Parameters.literal(1, Parameters.FLOAT8, ByteBuffer.allocate(8).putDouble(2.5).array(), true));
        long micros = 1_700_000_000_000_000L - PgType.POSTGRES_EPOCH_MICROS;
        assertEquals("'2023-11-14T22:13:20Z'",
                Parameters.literal(1, Parameters.TIMESTAMPTZ, ByteBuffer.allocate(8).putLong(micros).array(), true));
        PgException wrongLength = assertThrows(PgException.class,
                () -> Parameters.literal(1, Parameters.INT8, new byte[3], true));
        assertEquals("22P02", wrongLength.sqlState());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', quoteCharacter = '"', textBlock = """
            exact name          ; ^(cpu)$        ; cpu     ; true
            exact name, other   ; ^(cpu)$        ; cpu2    ; false
            star                ; ^(c.*)$        ; cpu     ; true
            alternation         ; ^((cpu|mem))$  ; mem     ; true
            escaped dot         ; ^(a\\.b)$      ; axb     ; false
            quantifier quoted   ; ^(a+)$         ; a+      ; true
            quantifier quoted 2 ; ^(a+)$         ; aa      ; false
            unclosed group      ; ^(m$           ; m       ; false
            """)
    void psqlNamePatterns(String name, String regex, String table, boolean matches) {
        java.util.regex.Pattern pattern = CatalogQueries.psqlPattern(regex);
        assertEquals(matches, pattern != null && pattern.matcher(table).find(), name);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            one          | 1.0                    | 1
            half         | 0.5                    | 0.5
            negative     | -2.25                  | -2.25
            large        | 1e20                   | 1e+20
            small        | 1.5e-7                 | 1.5e-07
            fifteen      | 123456789012345        | 123456789012345
            precise      | 0.1                    | 0.1
            nan          | NaN                    | NaN
            infinity     | -Infinity              | -Infinity
            """)
    void float8Text(String name, double value, String expected) {
        assertEquals(expected, PgType.float8Text(value), name);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            whole second | 1700000000000000000 | 2023-11-14 22:13:20+00
            millis       | 1700000000123000000 | 2023-11-14 22:13:20.123+00
            nanos        | 1700000000000000001 | 2023-11-14 22:13:20.000000001+00
            before 1970  | -1000000000         | 1969-12-31 23:59:59+00
            """)
    void timestampText(String name, long nanos, String expected) {
        assertEquals(expected, PgType.timestampText(nanos), name);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            time group alias | SELECT floor(extract(epoch from time)/60)*60 AS "time", avg(usage) AS "usage" FROM cpu WHERE time BETWEEN '2024-01-01T00:00:00Z' AND '2024-01-01T01:00:00Z' GROUP BY 1 ORDER BY 1 | SELECT avg(usage) AS "usage" FROM cpu WHERE time BETWEEN '2024-01-01T00:00:00Z' AND '2024-01-01T01:00:00Z' GROUP BY time(60s) ORDER BY time
            group by tag too | SELECT floor(extract(epoch from "time")/300)*300 AS "time", host, max(usage) FROM cpu WHERE time > 0 GROUP BY 1, 2 ORDER BY 1 DESC | SELECT host, max(usage) FROM cpu WHERE time > 0 GROUP BY time(300s), host ORDER BY time DESC
            bucket no group  | SELECT floor(extract(epoch from time)/10)*10 AS "time", mean(v) FROM m WHERE time > 0 LIMIT 5 | SELECT mean(v) FROM m WHERE time > 0 GROUP BY time(10s) LIMIT 5
            untouched        | SELECT mean(v) FROM m GROUP BY time(1m) | SELECT mean(v) FROM m GROUP BY time(1m)
            """)
    void grafanaSql(String name, String sql, String expected) {
        assertEquals(expected, GrafanaSql.translate(sql).replaceAll("\\s+", " ").strip(), name);
    }
}
