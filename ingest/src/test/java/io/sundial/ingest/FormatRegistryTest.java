package io.sundial.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sundial.ingest.csv.CsvFormat;
import io.sundial.ingest.json.JsonFormat;
import io.sundial.ingest.lineprotocol.LineProtocolFormat;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FormatRegistryTest {
    private final FormatRegistry registry = FormatRegistry.withBuiltins();

    static Stream<Arguments> contentTypes() {
        return Stream.of(
                Arguments.of("text/plain; charset=utf-8", "line-protocol"),
                Arguments.of("TEXT/PLAIN", "line-protocol"),
                Arguments.of("application/json", "json"),
                Arguments.of(" application/json ; charset=UTF-8", "json"),
                Arguments.of("application/x-ndjson", "json"),
                Arguments.of("text/csv; header=present", "csv"),
                Arguments.of("application/csv", "csv"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("contentTypes")
    void routesByContentTypeIgnoringParameters(String contentType, String format) {
        assertEquals(format, registry.byContentType(contentType).orElseThrow().name());
        // The Content-Type wins over what the bytes look like.
        assertEquals(format, registry.resolve(null, contentType, "{}".getBytes(StandardCharsets.UTF_8), 2).name());
    }

    static Stream<Arguments> bodies() {
        return Stream.of(
                Arguments.of("line protocol", "cpu,host=a usage=0.5 1\n", "line-protocol"),
                Arguments.of("line protocol after comments", "# exported\n\ncpu usage=0.5\n", "line-protocol"),
                Arguments.of("JSON object", "  {\"measurement\":\"m\"}", "json"),
                Arguments.of("JSON array", "\n[{}]", "json"),
                Arguments.of("JSON with BOM", "\uFEFF{}", "json"),
                Arguments.of("CSV with header", "time,host,usage\n1,a,0.5\n", "csv"),
                Arguments.of("CSV with quoted commas", "time,\"a,b\"\n1,\"x,y\"\n", "csv"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bodies")
    void sniffsTheFirstBytes(String name, String body, String format) {
        byte[] head = body.getBytes(StandardCharsets.UTF_8);
        assertEquals(format, registry.resolve(null, null, head, head.length).name());
        assertEquals(format, registry.resolve("", "application/octet-stream", head, head.length).name(), "unknown type falls back to sniffing");
    }

    @Test
    void unknownBodyIsRejectedListingTheFormats() {
        byte[] head = "hello world".getBytes(StandardCharsets.UTF_8);
        UnsupportedFormatException e = assertThrows(UnsupportedFormatException.class,
                () -> registry.resolve(null, "application/x-www-form-urlencoded", head, head.length));
        assertTrue(e.getMessage().contains("Content-Type 'application/x-www-form-urlencoded' is not supported"), e.getMessage());
        assertTrue(e.getMessage().contains("line-protocol|lineprotocol|line|lp|influx (text/plain"), e.getMessage());
        assertTrue(e.getMessage().contains("json|ndjson|jsonl (application/json"), e.getMessage());
        assertTrue(e.getMessage().contains("csv (text/csv"), e.getMessage());
        UnsupportedFormatException named = assertThrows(UnsupportedFormatException.class, () -> registry.resolve("parquet", null, head, 0));
        assertTrue(named.getMessage().startsWith("unknown format 'parquet'; supported formats: "), named.getMessage());
    }

    @Test
    void explicitNameWinsOverContentTypeAndBytes() {
        byte[] head = "{}".getBytes(StandardCharsets.UTF_8);
        assertEquals("csv", registry.resolve("CSV", "application/json", head, head.length).name());
        assertEquals("line-protocol", registry.resolve("lp", null, head, head.length).name());
    }

    @Test
    void openSniffsWithoutLosingBytes() throws Exception {
        InputStream body = new ByteArrayInputStream("cpu v=1 1\ncpu v=2 2\n".getBytes(StandardCharsets.UTF_8));
        try (PointParser parser = registry.open(body, null, null, ParseOptions.defaults())) {
            ParsedBatch batch = parser.nextBatch(10);
            assertEquals(2, batch.points().size());
            assertEquals(20, parser.bytesConsumed());
        }
    }

    @Test
    void higherPriorityWinsAndEqualPriorityConflictsAreRefused() {
        FormatRegistry custom = new FormatRegistry();
        custom.register(new JsonFormat());
        PointFormat better = new StubFormat("json2", List.of("application/json"), JsonFormat.PRIORITY + 1, Sniff.NO);
        custom.register(better);
        assertEquals("json2", custom.byContentType("application/json").orElseThrow().name());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> custom.register(new StubFormat("json", List.of(), JsonFormat.PRIORITY, Sniff.NO)));
        assertTrue(e.getMessage().contains("format name 'json' is already registered"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> custom.register(new StubFormat("other", List.of("application/json"), JsonFormat.PRIORITY, Sniff.NO)));
    }

    @Test
    void sniffTiesGoToPriority() {
        FormatRegistry custom = new FormatRegistry();
        custom.register(new StubFormat("low", List.of(), 1, Sniff.LIKELY));
        custom.register(new StubFormat("high", List.of(), 2, Sniff.LIKELY));
        custom.register(new StubFormat("sure", List.of(), 0, Sniff.CERTAIN));
        assertEquals("sure", custom.bySniff(new byte[1], 1).orElseThrow().name());
        FormatRegistry tie = new FormatRegistry();
        tie.register(new StubFormat("low", List.of(), 1, Sniff.LIKELY));
        tie.register(new StubFormat("high", List.of(), 2, Sniff.LIKELY));
        assertEquals("high", tie.bySniff(new byte[1], 1).orElseThrow().name());
    }

    @Test
    void concurrentRegistrationKeepsEveryFormat() throws Exception {
        FormatRegistry shared = FormatRegistry.withBuiltins();
        int threads = 8;
        int perThread = 50;
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Thread> workers = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread worker = new Thread(() -> {
                try {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        String name = "f" + thread + "-" + i;
                        shared.register(new StubFormat(name, List.of("application/x-" + name), i, Sniff.NO));
                        // Readers during registration always see a consistent snapshot.
                        if (shared.byName(name).isEmpty() || shared.byName("json").isEmpty()) {
                            throw new AssertionError("lost " + name);
                        }
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        assertTrue(failures.isEmpty(), failures.toString());
        assertEquals(FormatRegistry.withBuiltins().formats().size() + threads * perThread, shared.formats().size());
        Set<String> names = new HashSet<>();
        int previousPriority = Integer.MAX_VALUE;
        for (PointFormat format : shared.formats()) {
            names.add(format.name());
            assertTrue(format.priority() <= previousPriority, "sorted by priority");
            previousPriority = format.priority();
        }
        assertEquals(FormatRegistry.withBuiltins().formats().size() + threads * perThread, names.size());
        assertEquals("x", shared.byContentType("application/x-f3-7").map(f -> "x").orElseThrow());
    }

    @Test
    void builtinsAreOrderedByPriority() {
        assertEquals(List.of("line-protocol", "write-batch", "json", "csv", "prometheus"), registry.formats().stream().map(PointFormat::name).toList());
        assertTrue(LineProtocolFormat.PRIORITY > JsonFormat.PRIORITY && JsonFormat.PRIORITY > CsvFormat.PRIORITY);
    }

    private record StubFormat(String canonicalName, List<String> contentTypes, int priority, Sniff answer) implements PointFormat {
        @Override
        public List<String> names() {
            return List.of(canonicalName);
        }

        @Override
        public Sniff sniff(byte[] head, int length) {
            return answer;
        }

        @Override
        public PointParser open(InputStream in, ParseOptions options) {
            return new LineProtocolFormat().open(in, options);
        }
    }
}
