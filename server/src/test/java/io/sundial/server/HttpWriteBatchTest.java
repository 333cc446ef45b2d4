package io.sundial.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** POST /write with a sundial.v1.WriteBatch body against a real server. */
class HttpWriteBatchTest {
    /**
     * WriteBatch{series{measurement "m", tags{key "h" value "a"}, timestamps [5] packed,
     * columns{name "v", float_values [1.0] packed}}}, encoded by hand from the protobuf spec.
     */
    private static final byte[] ONE_POINT = HexFormat.of().parseHex("0a24" + "0a016d" + "1206" + "0a0168" + "120161"
            + "1a08" + "0500000000000000" + "220d" + "0a0176" + "1208" + "000000000000f03f");

    @TempDir
    Path dir;
    RunningServer running;

    @BeforeEach
    void start() throws Exception {
        running = RunningServer.start(dir);
    }

    @AfterEach
    void stop() throws Exception {
        running.close();
    }

    private HttpResponse<String> post(String path, String contentType, byte[] body) throws Exception {
        return running.send(HttpRequest.newBuilder(running.uri(path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    @Test
    void writeBatchIsStoredAndQueryable() throws Exception {
        HttpResponse<String> response = post("/write?db=sundial", "application/x-protobuf; messageType=sundial.v1.WriteBatch", ONE_POINT);
        assertEquals(204, response.statusCode(), response.body());
        assertEquals(1, running.pointCount("sundial", "m"));
        HttpResponse<String> query = running.get("/query?db=sundial&q=SELECT%20v%20FROM%20m%20WHERE%20h%3D%27a%27");
        assertTrue(query.body().contains("[\"1970-01-01T00:00:00.000000005Z\",1]"), query.body());
    }

    @Test
    void sqlAnswersInProtobufWhenAsked() throws Exception {
        assertEquals(204, post("/write?db=sundial", "application/x-protobuf", ONE_POINT).statusCode());
        HttpResponse<byte[]> response = running.client.send(HttpRequest.newBuilder(running.uri("/api/v1/sql?db=sundial"))
                .header("Accept", "application/x-protobuf").POST(HttpRequest.BodyPublishers.ofString("SELECT v FROM m"))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode());
        assertEquals("application/x-protobuf; messageType=sundial.v1.QueryResponse",
                response.headers().firstValue("Content-Type").orElseThrow());
        // QueryResponse{statements{id 0, series{name "m", columns{"time", sint64 [5]}, columns{"v", double [1.0]}}}}
        String expectedStatement = "0800" + "121d" + "0a016d" + "1a09" + "0a0474696d65" + "1a010a"
                + "1a0d" + "0a0176" + "1208000000000000f03f";
        String hex = HexFormat.of().formatHex(response.body());
        assertEquals("0a21" + expectedStatement, hex.substring(0, hex.length() - 18));
        assertEquals("11", hex.substring(hex.length() - 18, hex.length() - 16)); // elapsed_ms, a double
    }

    @Test
    void brokenWriteBatchIsRefusedWithItsOffset() throws Exception {
        byte[] truncated = java.util.Arrays.copyOf(ONE_POINT, ONE_POINT.length - 4);
        HttpResponse<String> response = post("/write?db=sundial", "application/x-protobuf", truncated);
        assertEquals(400, response.statusCode(), response.body());
        assertTrue(response.body().contains("invalid sundial.v1.WriteBatch: protobuf: length 36 at offset 1 runs past the end"),
                response.body());
        assertEquals(0, running.pointCount("sundial", "m"));
    }
}
