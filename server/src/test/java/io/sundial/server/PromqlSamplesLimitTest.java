package io.sundial.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.query.promql.PromqlLimits;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** promql-samples-max reaches every PromQL query: over it, a clear error; under it, the answer. */
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
}
