package io.sundial.bench.tsbs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sundial.core.Point;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DevopsLineProtocolTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "0.0, 0.0",
        "42.5, 42.5",
        "0.001, 0.001",
        "0.00012345, 0.00012345",
        "1.0E-7, 0.00000010",
        "12345678.5, 12345678.5",
        "100.0, 100.0",
    })
    void floatsHaveNoExponentAndKeepTheirValue(double value, String text) {
        StringBuilder out = new StringBuilder();
        DevopsLineProtocol.appendFloat(out, value);
        assertEquals(new BigDecimal(text).stripTrailingZeros(),
                new BigDecimal(out.toString()).stripTrailingZeros());
        assertFalse(out.toString().contains("E"), out.toString());
        assertEquals(value, Double.parseDouble(out.toString()));
    }

    @Test
    void nonFiniteValuesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> DevopsLineProtocol.appendFloat(new StringBuilder(), Double.NaN));
    }

    @Test
    void oneLinePerPointInBodiesOfTheAskedSize() {
        DevopsGenerator data = new DevopsGenerator(3, Duration.ofMinutes(1), false, 5);
        List<byte[]> bodies = DevopsLineProtocol.bodies(data, 4);
        // 3 hosts x 6 points = 18 lines: 4 + 4 + 4 + 4 + 2.
        assertEquals(List.of(4, 4, 4, 4, 2), bodies.stream()
                .map(b -> (int) new String(b, StandardCharsets.UTF_8).lines().count()).toList());
        Point first = data.points().next();
        String firstLine = new String(bodies.getFirst(), StandardCharsets.UTF_8).lines().findFirst().orElseThrow();
        String expectedStart = "cpu,arch=" + first.tag("arch") + ",datacenter=" + first.tag("datacenter")
                + ",hostname=host_0,";
        assertEquals(expectedStart, firstLine.substring(0, expectedStart.length()));
        assertEquals(" " + DevopsGenerator.START_NANOS, firstLine.substring(firstLine.lastIndexOf(' ')));
        assertEquals(first.doubleValue(0), Double.parseDouble(firstLine.split(" ")[1].split(",")[0].split("=")[1]));
    }
}
