package io.sundial.server.pgwire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.query.FinishedQuery;
import io.sundial.server.Eventually;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Queries over the PostgreSQL wire protocol reach the server's slow-query log with their user. */
class PgQueryLogTest {
    @TempDir
    Path dir;

    @Test
    void pgQueriesAreReportedWithTheirUser() throws Exception {
        try (PgServer pg = PgServer.start(dir)) {
            pg.writeSample();
            try (Connection connection = pg.connect(); Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT usage FROM cpu")) {
                int count = 0;
                while (rows.next()) {
                    count++;
                }
                assertEquals(2, count);
            }
            // The query is reported when it ends, which may be after the client has read its last row.
            List<FinishedQuery> mine = Eventually.observe(() -> pg.server.metrics().queryLog().slowest(Integer.MAX_VALUE)
                    .stream().filter(q -> q.text().equals("SELECT usage FROM cpu")).toList(), found -> !found.isEmpty());
            assertEquals(1, mine.size(), pg.server.metrics().queryLog().slowest(Integer.MAX_VALUE).toString());
            FinishedQuery query = mine.getFirst();
            assertEquals("tester", query.user());
            assertEquals("sundialql", query.language());
            assertEquals("sundial", query.database());
            assertEquals("pgwire", query.requestId());
            assertEquals(2, query.rows());
            assertEquals("ok", query.outcome());
            assertTrue(query.durationNanos() > 0);
        }
    }
}
