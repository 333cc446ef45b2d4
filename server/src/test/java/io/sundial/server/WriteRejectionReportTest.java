package io.sundial.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.server.write.RejectionReport;
import io.sundial.storage.Databases;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code ?rejected=report} on the write endpoints: each rejected record with its line (and column
 * for parse errors), the counts, the cap; and the answer without it left as InfluxDB's.
 */
class WriteRejectionReportTest {
    /** Two points per batch, so rejections land in later batches and their rows must map to the right lines. */
    private static final int BATCH_POINTS_MAX = 2;
    private static final String CONFLICT = "field type conflict: input field \\\"value\\\" on measurement \\\"cpu\\\""
            + " is type string, already exists as type float";
    /** Line 3 does not parse; line 5 conflicts with line 1's float; blank line 2 and comment line 4 count as lines. */
    private static final String MIXED = "cpu value=1 1\n\ncpu value= 2\n# a comment\ncpu value=\"text\" 3\ncpu value=4 4\n";
    private static final String MIXED_ERROR = "partial write: unable to parse 'cpu value= 2': missing field value"
            + " (line 3, column 11) dropped=2";
    private static final String MIXED_REPORT = "\"written\":2,\"dropped\":2,\"rejections\":["
            + "{\"line\":3,\"column\":11,\"reason\":\"unable to parse 'cpu value= 2': missing field value\"},"
            + "{\"line\":5,\"reason\":\"" + CONFLICT + "\"}],\"rejectionsTruncated\":false}";

    @TempDir
    Path dir;
    RunningServer running;

    @BeforeEach
    void start() throws IOException {
        running = RunningServer.start(dir, o -> o.withBatchPointsMax(BATCH_POINTS_MAX));
    }

    @AfterEach
    void stop() throws IOException {
        running.close();
    }

    static Stream<Arguments> reports() {
        return Stream.of(
                Arguments.of("v1_parse_error_and_type_conflict", "/write?rejected=report", MIXED,
                        400, "{\"error\":\"" + MIXED_ERROR + "\"," + MIXED_REPORT, 2),
                Arguments.of("v2_parse_error_and_type_conflict", "/api/v2/write?bucket=sundial&rejected=report", MIXED,
                        400, "{\"code\":\"invalid\",\"message\":\"" + MIXED_ERROR + "\"," + MIXED_REPORT, 2),
                Arguments.of("full_success_is_200_with_counts", "/write?rejected=report", "cpu value=1 1\ncpu value=2 2\ncpu value=3 3\n",
                        200, "{\"written\":3,\"dropped\":0,\"rejections\":[],\"rejectionsTruncated\":false}", 3),
                Arguments.of("nothing_parsed", "/write?rejected=report", "not line protocol\n\nalso not\n",
                        400, "{\"error\":\"unable to parse 'not line protocol': invalid field format (line 1, column 5)\","
                                + "\"written\":0,\"dropped\":2,\"rejections\":["
                                + "{\"line\":1,\"column\":5,\"reason\":\"unable to parse 'not line protocol': invalid field format\"},"
                                + "{\"line\":3,\"column\":6,\"reason\":\"unable to parse 'also not': invalid field format\"}],"
                                + "\"rejectionsTruncated\":false}", 0),
                Arguments.of("atomic_type_conflict_names_its_line", "/write?atomic=true&rejected=report",
                        "cpu value=1 1\ncpu value=2 2\n\ncpu value=\"x\" 3\n",
                        400, "{\"error\":\"atomic write refused, nothing written: " + CONFLICT + " dropped=3\","
                                + "\"written\":0,\"dropped\":3,\"rejections\":[{\"line\":4,\"reason\":\"" + CONFLICT + "\"}],"
                                + "\"rejectionsTruncated\":false}", 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("reports")
    void reportListsEachRejectedRecord(String name, String path, String body, int status, String answer, long stored)
            throws Exception {
        HttpResponse<String> response = running.post(path, body);
        assertEquals(status, response.statusCode(), response.body());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(answer, response.body().strip());
        assertEquals(stored, storedCpuPoints());
    }

    @Test
    void withoutTheParameterTheAnswerStaysInfluxDbs() throws Exception {
        HttpResponse<String> response = running.post("/write", MIXED);
        assertEquals(400, response.statusCode());
        assertEquals("{\"error\":\"" + MIXED_ERROR + "\"}", response.body().strip());
        HttpResponse<String> success = running.post("/write", "cpu value=5 5\n");
        assertEquals(204, success.statusCode());
        assertEquals("", success.body());
    }

    @Test
    void csvRowsStorageRejectsAreNamedByTheirLine() throws Exception {
        assertEquals(204, running.post("/write", "cpu value=\"text\" 1\n").statusCode());
        String csv = "measurement,time,value\ncpu,2,1.5\ncpu,3,2.5\ncpu,4,3.5\n";
        String conflict = "field type conflict: input field \\\"value\\\" on measurement \\\"cpu\\\""
                + " is type float, already exists as type string";
        HttpResponse<String> response = running.post("/write?format=csv&rejected=report", csv);
        assertEquals(400, response.statusCode(), response.body());
        String rejections = response.body().substring(response.body().indexOf("\"rejections\""));
        assertEquals("\"rejections\":[{\"line\":2,\"reason\":\"" + conflict + "\"},{\"line\":3,\"reason\":\"" + conflict
                + "\"},{\"line\":4,\"reason\":\"" + conflict + "\"}],\"rejectionsTruncated\":false}", rejections.strip());
    }

    @Test
    void jsonPointsStorageRejectsAreNamedByTheLineTheirObjectStartsOn() throws Exception {
        String json = "{\"measurement\":\"cpu\",\"fields\":{\"value\":1.5},\"time\":1}\n"
                + "{\"measurement\":\"cpu\",\"fields\":{\"value\":2.5},\"time\":2}\n"
                + "\n"
                + "{\"measurement\":\"cpu\",\n \"fields\":{\"value\":\"text\"},\"time\":3}\n";
        HttpResponse<String> response = running.post("/write?format=json&rejected=report", json);
        assertEquals(400, response.statusCode(), response.body());
        String rejections = response.body().substring(response.body().indexOf("\"written\""));
        assertEquals("\"written\":2,\"dropped\":1,\"rejections\":[{\"line\":4,\"reason\":\"" + CONFLICT
                + "\"}],\"rejectionsTruncated\":false}", rejections.strip());
    }

    @Test
    void reportIsCutAtItsLimitAndSaysSo() throws Exception {
        int bad = RejectionReport.ENTRIES_MAX + 5;
        StringBuilder body = new StringBuilder("cpu value=1 1\n");
        String longName = "x".repeat(2_000);
        for (int i = 0; i < bad; i++) {
            body.append(longName).append(" broken\n");
        }
        HttpResponse<String> response = running.post("/write?rejected=report", body.toString());
        assertEquals(400, response.statusCode());
        String answer = response.body();
        assertTrue(answer.contains("\"written\":1,\"dropped\":" + bad + ","), answer.substring(0, 400));
        assertTrue(answer.strip().endsWith("],\"rejectionsTruncated\":true}"), answer.substring(answer.length() - 200));
        Matcher entry = Pattern.compile("\\{\"line\":(\\d+),\"column\":(\\d+),\"reason\":\"([^\"]*)\"}").matcher(answer);
        int listed = 0;
        while (entry.find()) {
            listed++;
            assertEquals(listed + 1, Long.parseLong(entry.group(1)), "entries in line order, the first ones kept");
            assertTrue(entry.group(3).length() <= RejectionReport.REASON_CHARS_MAX + 3, entry.group(3));
        }
        assertEquals(RejectionReport.ENTRIES_MAX, listed);
    }

    @Test
    void anUnknownReportValueIsABadRequest() throws Exception {
        HttpResponse<String> response = running.post("/write?rejected=all", "cpu value=1 1\n");
        assertEquals(400, response.statusCode());
        assertEquals("{\"error\":\"parameter rejected='all' must be report (list every rejected record in the answer)"
                + " or be left out\"}", response.body().strip());
        assertEquals(0, storedCpuPoints());
    }

    private long storedCpuPoints() throws IOException {
        return running.databases.get(Databases.DEFAULT).measurements().contains("cpu")
                ? running.pointCount(Databases.DEFAULT, "cpu") : 0;
    }
}
