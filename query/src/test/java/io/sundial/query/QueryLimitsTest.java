package io.sundial.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.query.sundialql.Parser;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The server's configured limits reach every QueryContext built without explicit limits. */
class QueryLimitsTest extends QueryFixture {
    private QueryLimits before;

    @AfterEach
    void restore() {
        if (before != null) {
            QueryLimits.set(before);
        }
    }

    @Test
    void configuredRowLimitFailsALargerAnswerWithAClearError() {
        write(point("m", T0).floatField("v", 1.0), point("m", T0 + SECOND).floatField("v", 2.0), point("m", T0 + 2 * SECOND).floatField("v", 3.0));
        before = QueryLimits.set(new QueryLimits(2, 64L << 20));
        QueryContext limited = QueryContext.of(databases, "");
        assertEquals(2, limited.rowsMax());
        assertEquals(64L << 20, limited.memoryBytesMax());
        String query = "SELECT v FROM m WHERE time >= " + T0 + " AND time < " + (T0 + 10 * SECOND);
        List<io.sundial.query.result.StatementResult> results = new QueryExecutor().execute(Parser.parseQuery(query), limited);
        assertTrue(results.getFirst().isError(), results.toString());
        assertTrue(results.getFirst().error().contains("the answer exceeds 2"), results.getFirst().error());

        QueryLimits.set(before);
        before = null;
        assertEquals(QueryLimits.defaults().rowsMax(), QueryContext.of(databases, "").rowsMax());
        assertEquals(3, new QueryExecutor().execute(Parser.parseQuery(query), QueryContext.of(databases, "")).getFirst()
                .series().getFirst().values().size());
    }

    @Test
    void limitsMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new QueryLimits(0, 1L << 20));
        assertThrows(IllegalArgumentException.class, () -> new QueryLimits(1, 0));
    }
}
