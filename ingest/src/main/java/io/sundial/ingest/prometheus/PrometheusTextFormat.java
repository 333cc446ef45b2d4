package io.sundial.ingest.prometheus;

import io.sundial.ingest.ParseOptions;
import io.sundial.ingest.PointFormat;
import io.sundial.ingest.PointParser;
import io.sundial.ingest.Sniff;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The Prometheus text exposition format 0.0.4, as {@code /metrics} endpoints serve it. Its
 * media type {@code text/plain; version=0.0.4} is the one line protocol also claims
 * ({@code text/plain}), so it is chosen by name ({@code format=prometheus}), by the
 * {@code /api/v1/import/prometheus} endpoint, or by sniffing a body that starts with
 * {@code # HELP} or {@code # TYPE}.
 */
public final class PrometheusTextFormat implements PointFormat {
    public static final int PRIORITY = 50;

    @Override
    public List<String> names() {
        return List.of("prometheus", "prometheus-text", "exposition");
    }

    @Override
    public List<String> contentTypes() {
        return List.of();
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    /** CERTAIN for a body whose first non-blank line is {@code # HELP name ...} or {@code # TYPE name ...}. */
    @Override
    public Sniff sniff(byte[] head, int length) {
        int i = 0;
        while (i < length && (head[i] == ' ' || head[i] == '\t' || head[i] == '\n' || head[i] == '\r')) {
            i++;
        }
        String start = new String(head, i, Math.min(7, length - i), StandardCharsets.US_ASCII);
        return start.equals("# HELP ") || start.equals("# TYPE ") ? Sniff.CERTAIN : Sniff.NO;
    }

    @Override
    public PointParser open(InputStream in, ParseOptions options) {
        return new PrometheusTextParser(in, options, Map.of());
    }
}
