package io.sundial.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.storage.EngineOptions;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusConfigTest {
    @TempDir
    Path dir;

    @Test
    void servesTheResourcePlanServerOptionsAndEachDatabasesSettings() throws Exception {
        try (RunningServer running = RunningServer.start(dir, o -> o.withBatchPointsMax(1234))) {
            running.post("/query?q=CREATE+DATABASE+second", "");
            HttpResponse<String> answer = running.get("/api/v1/status/config");
            assertEquals(200, answer.statusCode());
            String body = answer.body();
            ResourcePlan plan = ResourcePlan.derive(ResourcePlan.Machine.current(dir));
            assertTrue(body.startsWith("{\"resources\":{\"heapBytesMax\":" + Runtime.getRuntime().maxMemory()
                    + ",\"memoryBytes\":" + plan.machine().memoryBytes() + ",\"cores\":" + plan.machine().cores()), body);
            assertTrue(body.contains("\"memtableBytesMax\":" + plan.memtableBytesMax() + ",\"queryMemoryBytesMax\":"
                    + plan.queryMemoryBytesMax() + ",\"queryRowsMax\":10000000,\"querySeriesMax\":1000000,\"queryParallelism\":" + plan.queryParallelism()), body);
            assertTrue(body.contains("\"batchPointsMax\":1234,"), body);
            assertTrue(body.contains(",\"memtableNativeBytesMax\":" + plan.memtableNativeBytesMax() + ",\"promqlSamplesMax\":"), body);
            assertTrue(body.contains(",\"memtableNativeBytesMax\":" + EngineOptions.MEMTABLE_NATIVE_BYTES_DEFAULT + "}"), body);
            assertTrue(body.contains(",\"promqlSamplesMax\":50000000,\"remoteWriteLabelCacheEntries\":32768,\"warnings\":"), body);
            assertTrue(body.contains("\"httpAddress\":\"127.0.0.1:" + running.server.httpAddress().getPort() + "\""), body);
            // RunningServer opens the engines with the engine's own automatic memtable budget (not the plan's,
            // which `sundial server` applies and which stops at 128 MiB) and no background compaction.
            assertTrue(body.contains("\"databases\":{\"second\":{\"memtableBytesMax\":"
                    + EngineOptions.defaults().effectiveMemtableBytesMax()
                    + ",\"memtableBytesMaxIsAutomatic\":true,"), body);
            assertTrue(body.contains("\"sundial\":{\"memtableBytesMax\":"), body);
            assertTrue(body.contains("\"fsyncPolicy\":\"always\",") && body.contains("\"backgroundCompaction\":false,"), body);
        }
    }

    @Test
    void refusesOtherMethods() throws Exception {
        try (RunningServer running = RunningServer.start(dir)) {
            HttpResponse<String> answer = running.send(HttpRequest.newBuilder(running.uri("/api/v1/status/config"))
                    .DELETE().build());
            assertEquals(405, answer.statusCode());
        }
    }
}
