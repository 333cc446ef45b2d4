package io.sundial.server.prometheus;

import io.sundial.storage.Engine;
import io.sundial.storage.io.DurableFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.WeakHashMap;
import java.util.logging.Logger;

/**
 * The {@code # HELP} / {@code # TYPE} / {@code # UNIT} metadata of Prometheus metrics, per
 * database, for {@code /api/v1/metadata}. Small and rarely written, so each database keeps it
 * whole in memory and rewrites one file, {@value #FILE_NAME} in its directory, atomically on
 * every change (temp file, fsync, rename): it survives restarts, and a crash leaves the old or
 * the new version, never a mix. A later import of the same metric replaces its entry.
 */
public final class MetadataStore {
    private static final Logger LOG = Logger.getLogger(MetadataStore.class.getName());
    public static final String FILE_NAME = "prometheus-metadata.tsv";
    /** Most metrics with metadata per database; further new metrics are not recorded (logged once per import). */
    public static final int METRICS_MAX = 100_000;
    /** Longest help text kept; longer ones are cut. */
    public static final int HELP_CHARS_MAX = 4_096;
    private static final String HEADER = "# sundial prometheus metadata v1";

    /** One metric's metadata; type is Prometheus' word (counter, gauge, histogram, summary, untyped, ...). */
    public record Entry(String type, String help, String unit) {}

    /**
     * Keyed by the open Engine, not its path: a database dropped and created again under the same
     * name is a new Engine and starts from its (new, empty) directory, not from a stale cache.
     * Weak keys let closed engines go.
     */
    private final Map<Engine, Map<String, Entry>> byDatabase = Collections.synchronizedMap(new WeakHashMap<>());

    /** Records {@code entries} (metric → metadata) for the database of {@code engine}; returns how many were new or changed. */
    public int put(Engine engine, Map<String, Entry> entries) throws IOException {
        if (entries.isEmpty()) {
            return 0;
        }
        Path dir = engine.directory();
        Map<String, Entry> current = load(engine);
        synchronized (current) {
            int changed = 0;
            int dropped = 0;
            for (Map.Entry<String, Entry> e : entries.entrySet()) {
                Entry entry = new Entry(e.getValue().type(), cut(e.getValue().help()), e.getValue().unit());
                if (!current.containsKey(e.getKey()) && current.size() >= METRICS_MAX) {
                    dropped++;
                    continue;
                }
                if (!entry.equals(current.put(e.getKey(), entry))) {
                    changed++;
                }
            }
            if (dropped > 0) {
                int droppedFinal = dropped;
                LOG.warning(() -> "database " + dir.getFileName() + ": metadata of " + droppedFinal
                        + " metrics not kept, the store holds its limit of " + METRICS_MAX + " metrics");
            }
            if (changed > 0) {
                DurableFiles.writeAtomically(dir.resolve(FILE_NAME), render(current).getBytes(StandardCharsets.UTF_8));
            }
            return changed;
        }
    }

    /** Metric → metadata, sorted by metric; only {@code metric} when not null; at most {@code limit} metrics (0: all). */
    public Map<String, Entry> list(Engine engine, String metric, int limit) throws IOException {
        Map<String, Entry> current = load(engine);
        Map<String, Entry> out = new LinkedHashMap<>();
        synchronized (current) {
            for (Map.Entry<String, Entry> e : current.entrySet()) {
                if (limit > 0 && out.size() >= limit) {
                    break;
                }
                if (metric == null || metric.equals(e.getKey())) {
                    out.put(e.getKey(), e.getValue());
                }
            }
        }
        return Collections.unmodifiableMap(out);
    }

    private Map<String, Entry> load(Engine engine) throws IOException {
        Map<String, Entry> existing = byDatabase.get(engine);
        if (existing != null) {
            return existing;
        }
        Map<String, Entry> loaded = read(engine.directory().resolve(FILE_NAME));
        Map<String, Entry> raced = byDatabase.putIfAbsent(engine, loaded);
        return raced == null ? loaded : raced;
    }

    private static Map<String, Entry> read(Path file) throws IOException {
        Map<String, Entry> out = new TreeMap<>();
        if (!Files.exists(file)) {
            return out;
        }
        int lineNumber = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            lineNumber++;
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\t", -1);
            if (parts.length != 4) {
                throw new IOException(file + " line " + lineNumber + ": expected 4 tab-separated columns, found "
                        + parts.length + "; delete the file to start over (it only holds HELP/TYPE texts)");
            }
            out.put(parts[0], new Entry(unescape(parts[1]), unescape(parts[3]), unescape(parts[2])));
        }
        return out;
    }

    private static String render(Map<String, Entry> entries) {
        StringBuilder out = new StringBuilder(HEADER).append('\n');
        for (Map.Entry<String, Entry> e : entries.entrySet()) {
            out.append(escape(e.getKey())).append('\t').append(escape(e.getValue().type())).append('\t')
                    .append(escape(e.getValue().unit())).append('\t').append(escape(e.getValue().help())).append('\n');
        }
        return out.toString();
    }

    private static String cut(String help) {
        return help.length() <= HELP_CHARS_MAX ? help : help.substring(0, HELP_CHARS_MAX);
    }

    private static String escape(String text) {
        return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n");
    }

    private static String unescape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                char next = text.charAt(++i);
                out.append(next == 't' ? '\t' : next == 'n' ? '\n' : next);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
