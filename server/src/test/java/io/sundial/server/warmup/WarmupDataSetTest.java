package io.sundial.server.warmup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The warm-up's writes must look like real clients' (docs/OPERATIONS.md "Start-up warm-up"): what
 * they never exercise, C2 compiles without, and throws away at a user's first load.
 */
class WarmupDataSetTest {
    private static final List<String> TSBS_TAG_KEYS = List.of("hostname", "region", "datacenter", "rack", "os", "arch", "team",
            "service", "service_version", "service_environment");

    @Test
    void cpuLinesCarryTheTenTsbsTagsAndFullPrecisionFloats() {
        int values = 0;
        int longFractions = 0;
        int tinyValues = 0;
        for (String line : lines(WarmupDataSet.bodies(0, 1))) {
            if (!line.startsWith("cpu,")) {
                continue;
            }
            String[] parts = line.split(" ");
            assertEquals(3, parts.length, line);
            List<String> tagKeys = Arrays.stream(parts[0].split(",")).skip(1).map(tag -> tag.substring(0, tag.indexOf('='))).toList();
            assertEquals(TSBS_TAG_KEYS, tagKeys, line);
            for (String field : parts[1].split(",")) {
                String text = field.substring(field.indexOf('=') + 1);
                assertFalse(text.contains("E"), "exponent notation, which some parsers refuse: " + line);
                double value = new BigDecimal(text).doubleValue();
                values++;
                if (text.length() - text.indexOf('.') - 1 >= 8) {
                    longFractions++;
                }
                if (value < 1e-3) {
                    tinyValues++;
                }
            }
        }
        assertEquals(WarmupDataSet.HOST_COUNT * 360 * WarmupDataSet.CPU_FIELDS.size(), values);
        assertTrue(longFractions > values * 9 / 10, longFractions + " of " + values + " values have 8 or more fraction digits");
        assertTrue(tinyValues > 0 && tinyValues < values / 20, tinyValues + " of " + values + " values are below 0.001");
    }

    @Test
    void bodiesHoldAClientsBatchInRunsOfOneMeasurement() {
        List<byte[]> bodies = WarmupDataSet.bodies(0, 1);
        // 10 hosts x 2 measurements x 360 points: one full body of 5,000 lines and the rest.
        assertEquals(List.of(5_000, 2_200), bodies.stream().map(body -> lines(List.of(body)).size()).toList());
        List<String> lines = lines(bodies);
        int runs = 1;
        for (int i = 1; i < lines.size(); i++) {
            if (!measurement(lines.get(i)).equals(measurement(lines.get(i - 1)))) {
                runs++;
            }
        }
        assertEquals(2 * 360, runs, "one run of cpu and one of mem lines per time step");
    }

    @Test
    void arrivalOrderSendsEachPairsLaterBodyFirst() {
        List<byte[]> inTimeOrder = WarmupDataSet.bodies(0, 3);
        List<byte[]> arrived = QueryWarmup.inArrivalOrder(inTimeOrder);
        assertEquals(inTimeOrder.size(), arrived.size());
        for (int i = 0; i + 1 < arrived.size(); i += 2) {
            assertTrue(firstTimestamp(arrived.get(i)) > firstTimestamp(arrived.get(i + 1)),
                    "body " + i + " must reach the server after the next one's older points");
            assertTrue(arrived.get(i) == inTimeOrder.get(i + 1) && arrived.get(i + 1) == inTimeOrder.get(i));
        }
        if (arrived.size() % 2 == 1) {
            assertTrue(arrived.getLast() == inTimeOrder.getLast());
        }
    }

    private static long firstTimestamp(byte[] body) {
        String first = lines(List.of(body)).getFirst();
        return Long.parseLong(first.substring(first.lastIndexOf(' ') + 1));
    }

    private static String measurement(String line) {
        return line.substring(0, line.indexOf(','));
    }

    private static List<String> lines(List<byte[]> bodies) {
        List<String> lines = new ArrayList<>();
        for (byte[] body : bodies) {
            String text = new String(body, StandardCharsets.UTF_8);
            assertTrue(text.endsWith("\n"));
            lines.addAll(Arrays.asList(text.split("\n")));
        }
        return lines;
    }
}
