package io.sundial.ingest.json;

import io.sundial.ingest.ParseOptions;
import io.sundial.ingest.PointFormat;
import io.sundial.ingest.PointParser;
import io.sundial.ingest.Sniff;
import java.io.InputStream;
import java.util.List;

/** Sundial's JSON point schema (docs/INGEST.md). Registered at priority 90. */
public final class JsonFormat implements PointFormat {
    public static final int PRIORITY = 90;
    /** JSON is the only format whose body starts with '{' or '['; a measurement rarely does. */
    private static final Sniff OPENING_BRACKET = new Sniff(90);

    @Override
    public List<String> names() {
        return List.of("json", "ndjson", "jsonl");
    }

    @Override
    public List<String> contentTypes() {
        return List.of("application/json", "application/x-ndjson", "application/jsonl", "text/json");
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    @Override
    public Sniff sniff(byte[] head, int length) {
        int i = 0;
        if (length >= 3 && head[0] == (byte) 0xEF && head[1] == (byte) 0xBB && head[2] == (byte) 0xBF) {
            i = 3;
        }
        while (i < length && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n')) {
            i++;
        }
        if (i < length && (head[i] == '{' || head[i] == '[')) {
            return OPENING_BRACKET;
        }
        return Sniff.NO;
    }

    @Override
    public PointParser open(InputStream in, ParseOptions options) {
        return new JsonPointParser(in, options);
    }
}
