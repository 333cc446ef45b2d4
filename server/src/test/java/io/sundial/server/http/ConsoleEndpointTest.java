package io.sundial.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConsoleEndpointTest {
    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            "absent            | NULL                    | false",
            "plain gzip        | gzip                    | true",
            "among others      | br, gzip, deflate       | true",
            "case-insensitive  | GZIP                    | true",
            "quality one half  | gzip;q=0.5              | true",
            "quality zero      | gzip;q=0                | false",
            "quality 0.000     | gzip; q=0.000           | false",
            "bad quality       | gzip;q=x                | false",
            "only identity     | identity                | false",
            "x-gzip is not it  | x-gzip2                 | false",
    })
    void acceptsGzipOnlyWithAPositiveQuality(String name, String header, boolean expected) {
        assertEquals(expected, ConsoleEndpoint.acceptsGzip(header), name);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "/, true", "/index.html, true", "/favicon.svg, true", "/assets/index-abc.js, true",
            "/query, false", "/api/v1/status/config, false", "/assetsX, false", "/index.htm, false",
    })
    void consolePathsArePublicAndNothingElse(String path, boolean expected) {
        assertEquals(expected, ConsoleEndpoint.isConsolePath(path), path);
    }
}
