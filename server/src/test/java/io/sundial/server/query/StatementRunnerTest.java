package io.sundial.server.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.sundial.query.QueryContext;
import io.sundial.query.result.StatementResult;
import io.sundial.query.sundialql.Parser;
import io.sundial.storage.Databases;
import io.sundial.storage.EngineOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatementRunnerTest {
    @TempDir
    Path dir;

    @Test
    void cancellingBetweenStatementsFailsTheRestAndKeepsIds() throws Exception {
        try (Databases databases = Databases.open(dir, EngineOptions.defaults().withBackgroundCompaction(false))) {
            AtomicBoolean cancelled = new AtomicBoolean();
            QueryContext context = new QueryContext(databases, "", InstantSource.system(), Duration.ofMinutes(1), cancelled,
                    QueryContext.ROWS_MAX_DEFAULT);
            List<StatementResult> results = new ArrayList<>();
            new StatementRunner().run(Parser.parseQuery("SHOW DATABASES; SHOW DATABASES; SHOW DATABASES"), context, result -> {
                results.add(result);
                cancelled.set(true);
            });
            assertEquals(3, results.size());
            assertNull(results.get(0).error());
            assertEquals(List.of(1, 2), results.subList(1, 3).stream().map(StatementResult::statementId).toList());
            assertEquals(List.of("query interrupted", "query interrupted"),
                    results.subList(1, 3).stream().map(StatementResult::error).toList());
        }
    }
}
