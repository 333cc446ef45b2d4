package io.sundial.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sundial.storage.Databases;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConcurrentWritersTest {
    private static final int CLIENTS = 4;
    private static final int REQUESTS = 25;
    private static final int LINES = 400;

    @TempDir
    Path dir;

    @Test
    void fourKeepAliveClientsLoseNothing() throws Exception {
        try (RunningServer running = RunningServer.start(dir, o -> o.withBatchPointsMax(128))) {
            CyclicBarrier start = new CyclicBarrier(CLIENTS);
            List<Future<Integer>> clients = new ArrayList<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(CLIENTS)) {
                for (int c = 0; c < CLIENTS; c++) {
                    int client = c;
                    clients.add(pool.submit(() -> {
                        start.await();
                        int accepted = 0;
                        for (int r = 0; r < REQUESTS; r++) {
                            HttpResponse<String> response = running.post("/write?precision=ms", body(client, r));
                            if (response.statusCode() != 204) {
                                throw new IOException("client " + client + " request " + r + ": " + response.statusCode()
                                        + " " + response.body());
                            }
                            accepted += LINES;
                        }
                        return accepted;
                    }));
                }
                int accepted = 0;
                for (Future<Integer> f : clients) {
                    accepted += f.get();
                }
                assertEquals(CLIENTS * REQUESTS * LINES, accepted);
            }
            assertEquals(CLIENTS * REQUESTS * LINES, running.pointCount(Databases.DEFAULT, "load"));
            assertEquals(CLIENTS * 10, running.databases.get(Databases.DEFAULT).seriesCount());
        }
    }

    /** Distinct timestamps per client and request, so every point is its own row. */
    private static String body(int client, int request) {
        StringBuilder lines = new StringBuilder(LINES * 48);
        for (int i = 0; i < LINES; i++) {
            long time = 1_700_000_000_000L + (long) request * LINES + i;
            lines.append("load,client=c").append(client).append(",slot=s").append(i % 10)
                    .append(" v=").append(i).append("i ").append(time).append('\n');
        }
        return lines.toString();
    }
}
