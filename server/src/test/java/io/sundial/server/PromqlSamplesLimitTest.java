package io.sundial.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.query.QueryLimits;
import io.sundial.query.promql.PromqlLimits;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** promql-samples-max and query-series-max reach every PromQL query: over them, a clear error; under them, the answer. */
class PromqlSamplesLimitTest {
    @TempDir
    Path dir;

    @Test
    void configuredSampleLimitFailsALargerQueryWithAClearError() throws Exception {
        PromqlLimits before = PromqlLimits.set(new PromqlLimits(5));
        try (RunningServer sundial = RunningServer.start(dir)) {
            StringBuilder lines = new StringBuilder();
            for (int i = 0; i < 20; i++) {
                lines.append("up,job=x value=1 ").append(i * 1_000_000_000L).append('\n');
            }
            assertEquals(204, sundial.post("/write?db=sundial", lines.toString()).statusCode());
            String range = "/api/v1/query_range?query=" + URLEncoder.encode("count_over_time(up[30s])", StandardCharsets.UTF_8)
                    + "&start=0&end=19&step=1";
            HttpResponse<String> refused = sundial.get(range);
            assertTrue(refused.statusCode() >= 400, refused.statusCode() + " " + refused.body());
            assertTrue(refused.body().contains("limit 5 samples"), refused.body());

            PromqlLimits.set(new PromqlLimits(1_000));
            HttpResponse<String> answered = sundial.get(range);
            assertEquals(200, answered.statusCode(), answered.body());
        } finally {
            PromqlLimits.set(before);
        }
    }

    /** query-series-max reaches PromQL too: three series selected against a limit of two fail. */
    @Test
    void configuredSeriesLimitFailsAPromqlQuerySelectingMoreSeries() throws Exception {
        QueryLimits before = QueryLimits.set(new QueryLimits(1_000, 64L << 20, 2));
        try (RunningServer sundial = RunningServer.start(dir)) {
            String lines = "up,job=a value=1 1000000000\nup,job=b value=1 1000000000\nup,job=c value=1 1000000000\n";
            assertEquals(204, sundial.post("/write?db=sundial", lines).statusCode());
            HttpResponse<String> refused = sundial.get("/api/v1/query?query=" + URLEncoder.encode("up", StandardCharsets.UTF_8)
                    + "&time=2");
            assertTrue(refused.statusCode() >= 400, refused.statusCode() + " " + refused.body());
            assertTrue(refused.body().contains("more than 2 series (query-series-max)"), refused.body());

            HttpResponse<String> answered = sundial.get("/api/v1/query?query="
                    + URLEncoder.encode("up{job=~\"a|b\"}", StandardCharsets.UTF_8) + "&time=2");
            assertEquals(200, answered.statusCode(), answered.body());
            assertTrue(answered.body().contains("\"job\":\"b\""), answered.body());
        } finally {
            QueryLimits.set(before);
        }
    }
}
