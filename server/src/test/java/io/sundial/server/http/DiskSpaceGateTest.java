package io.sundial.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sundial.server.write.DiskSpaceGuard;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The gate in front of a stand-in endpoint that answers 204: what a client sees while the disk is full and after. */
class DiskSpaceGateTest {
    private final AtomicLong freeBytes = new AtomicLong(1L << 30);
    private final HttpClient client = HttpClient.newHttpClient();
    private Server jetty;
    private URI base;

    @BeforeEach
    void start() throws Exception {
        DiskSpaceGate gate = new DiskSpaceGate(new DiskSpaceGuard("/data", freeBytes::get, 1000, 0));
        jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        jetty.addConnector(connector);
        jetty.setHandler(new Handler.Abstract(Invocable.InvocationType.BLOCKING) {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                Exchange exchange = new Exchange(request, response, callback, "test");
                if (!gate.refuses(exchange)) {
                    exchange.sendEmpty(204);
                }
                return true;
            }
        });
        jetty.start();
        base = URI.create("http://127.0.0.1:" + connector.getLocalPort());
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        jetty.stop();
    }

    @Test
    void writesGet507WithRetryAfterWhileTheDiskIsFullQueriesPassAndWritesResume() throws Exception {
        assertEquals(204, post("/write?db=sundial").statusCode());
        freeBytes.set(10);
        HttpResponse<String> v1 = post("/write?db=sundial");
        assertEquals(507, v1.statusCode());
        assertEquals("30", v1.headers().firstValue("Retry-After").orElseThrow());
        assertEquals("{\"error\":\"disk full: 10 bytes free on the file system of /data, below the reserve of 1000 bytes kept"
                + " for flushes; nothing of this request was written. Free space (delete old data, shorten retention,"
                + " grow the disk); writes resume by themselves\"}", v1.body().strip());
        HttpResponse<String> v2 = post("/api/v2/write?bucket=sundial");
        assertEquals(507, v2.statusCode());
        assertEquals(true, v2.body().startsWith("{\"code\":\"disk full\",\"message\":\"disk full: 10 bytes"), v2.body());
        assertEquals(507, post("/api/v1/write").statusCode());
        assertEquals(507, post("/api/v1/import/prometheus").statusCode());
        assertEquals(204, post("/query?q=SELECT+1").statusCode(), "queries are not gated");
        assertEquals(204, client.send(HttpRequest.newBuilder(base.resolve("/write")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode(), "only POSTs are writes");
        freeBytes.set(5000);
        assertEquals(204, post("/write?db=sundial").statusCode(), "writes resume once space is back");
    }

    private HttpResponse<String> post(String pathAndQuery) throws Exception {
        return client.send(HttpRequest.newBuilder(base.resolve(pathAndQuery))
                .POST(HttpRequest.BodyPublishers.ofString("cpu value=1 1\n")).build(), HttpResponse.BodyHandlers.ofString());
    }
}
