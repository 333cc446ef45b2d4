package io.sundial.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sundial.query.QueryLimits;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A statement that fails after its first series went to the writer (here: the row limit, 2 rows,
 * reached by the second series) keeps that series beside its error in every answer format, as
 * docs/API.md documents.
 */
class HttpStreamingTest {
    private static final long T0 = 1_700_000_000_000_000_000L;
    private static final String LIMIT_ERROR = "the answer exceeds 2 rows; narrow the time range, add LIMIT or aggregate"
            + " with GROUP BY time";
    private static final String SERIES_A = "{\"name\":\"cpu\",\"tags\":{\"host\":\"a\"},\"columns\":[\"time\",\"usage\"],"
            + "\"values\":[[" + T0 + ",1],[" + (T0 + 10_000_000_000L) + ",2.5]]}";

    @TempDir
    Path dir;
    RunningServer running;
    QueryLimits previous;

    @BeforeEach
    void start() throws Exception {
        running = RunningServer.start(dir);
        String lines = "cpu,host=a usage=1 " + T0 + "\n"
                + "cpu,host=a usage=2.5 " + (T0 + 10_000_000_000L) + "\n"
                + "cpu,host=b usage=0.25 " + (T0 + 1_500_000_000L) + "\n";
        assertEquals(204, running.post("/write?db=sundial", lines).statusCode());
        previous = QueryLimits.set(new QueryLimits(2, QueryLimits.current().memoryBytesMax()));
    }

    @AfterEach
    void stop() throws IOException {
        QueryLimits.set(previous);
        running.close();
    }

    private HttpResponse<String> query(String more) throws Exception {
        return running.get("/query?db=sundial&epoch=ns&q="
                + URLEncoder.encode("SELECT usage FROM cpu GROUP BY host", StandardCharsets.UTF_8) + more);
    }

    @Test
    void jsonKeepsTheSeriesBeforeTheErrorInTheStatement() throws Exception {
        HttpResponse<String> answer = query("");
        assertEquals(200, answer.statusCode());
        assertEquals("{\"results\":[{\"statement_id\":0,\"series\":[" + SERIES_A + "],\"error\":\"" + LIMIT_ERROR
                + "\"}]}\n", answer.body());
    }

    @Test
    void chunkedSendsTheErrorAsOneMoreDocument() throws Exception {
        HttpResponse<String> answer = query("&chunked=true");
        assertEquals(200, answer.statusCode());
        assertEquals("{\"results\":[{\"statement_id\":0,\"series\":[" + SERIES_A + "],\"partial\":true}]}\n"
                + "{\"results\":[{\"statement_id\":0,\"error\":\"" + LIMIT_ERROR + "\"}]}\n", answer.body());
    }

    @Test
    void csvKeepsTheRowsWritten() throws Exception {
        HttpResponse<String> answer = running.send(HttpRequest.newBuilder(running.uri("/query?db=sundial&q="
                + URLEncoder.encode("SELECT usage FROM cpu GROUP BY host", StandardCharsets.UTF_8)))
                .header("Accept", "application/csv").GET().build());
        assertEquals("name,tags,time,usage\ncpu,host=a," + T0 + ",1\ncpu,host=a," + (T0 + 10_000_000_000L) + ",2.5\n",
                answer.body());
    }

    @Test
    void sqlKeepsTheSeriesBesideItsError() throws Exception {
        HttpResponse<String> answer = running.send(HttpRequest.newBuilder(running.uri("/api/v1/sql?db=sundial"))
                .POST(HttpRequest.BodyPublishers.ofString("SELECT usage FROM cpu GROUP BY host")).build());
        assertEquals(200, answer.statusCode());
        String body = answer.body();
        String expected = "{\"statements\":[{\"id\":0,\"series\":[{\"name\":\"cpu\",\"tags\":{\"host\":\"a\"},"
                + "\"columns\":[\"time\",\"usage\"],\"data\":[[" + T0 + "," + (T0 + 10_000_000_000L) + "],[1,2.5]],"
                + "\"partial\":false}],\"error\":{\"code\":\"query_error\",\"message\":\"" + LIMIT_ERROR + "\"}}],"
                + "\"elapsed_ms\":";
        assertEquals(expected, body.substring(0, Math.min(body.length(), expected.length())));
    }
}
