package io.sundial.bench.tsbs;

import io.sundial.bench.tsbs.DevopsQueries.DevopsQuery;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * PostgreSQL wire benchmark (issue 6): rows per second streamed to a JDBC client (pgjdbc) for a
 * raw select of every cpu row, and the latency of the nine TSBS devops queries through PG wire
 * and through HTTP for Sundial, with QuestDB's PG wire on the same data. The servers are already
 * running (bench/scripts/pg-queries.sh starts them):
 *
 * <pre>
 * PgWireComparison -Dsundial.http=http://127.0.0.1:P1 -Dsundial.pg=127.0.0.1:P2 \
 *     [-Dquestdb.http=http://127.0.0.1:P3 -Dquestdb.pg=127.0.0.1:P4]
 * </pre>
 *
 * <p>It loads {@code -Dhosts} x {@code -Dhours} of devops data (default 100 x 28 h = 1,008,000
 * cpu rows) into each, then: the raw select ({@code -DrawRuns} timed runs after one warm-up),
 * each timed from executeQuery to the last row read with a fetch size of {@value #FETCH_ROWS}
 * (so both servers stream through Execute row limits); then per query type {@code -Dwarmups}
 * untimed and {@code -Druns} timed runs, round robin over the three paths, each timed to the
 * last row (PG) or the last byte (HTTP). It prints medians, extremes and the machine load.
 */
public final class PgWireComparison {
    static final int FETCH_ROWS = 10_000;

    private final PrintStream out = System.out;
    private final int runs = Integer.getInteger("runs", 7);
    private final int warmups = Integer.getInteger("warmups", 2);

    /** One way to ask a query: a name and the timed call returning the rows it read. */
    interface Path {
        String name();

        long run(DevopsQuery query) throws Exception;
    }

    record PgPath(String name, Connection connection, boolean isQuestDb) implements Path {
        @Override
        public long run(DevopsQuery query) throws SQLException {
            return rows(connection, isQuestDb ? query.questDbSql() : query.influxQl());
        }
    }

    record HttpPath(String name, QueryTarget target) implements Path {
        @Override
        public long run(DevopsQuery query) throws Exception {
            HttpRequest request = target.request(query).orElseThrow();
            HttpResponse<String> response = target.send(request);
            return target.answerRows(response.statusCode(), response.body());
        }
    }

    public static void main(String[] args) throws Exception {
        new PgWireComparison().run();
    }

    private void run() throws Exception {
        DevopsGenerator data = new DevopsGenerator(Integer.getInteger("hosts", 100),
                Duration.ofHours(Integer.getInteger("hours", 28)), false, DevopsGenerator.DEFAULT_SEED);
        long rows = (long) data.hostCount() * data.pointsPerHost();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        QueryTarget sundialHttp = new InfluxQlTarget("Sundial HTTP", URI.create(System.getProperty("sundial.http")), client,
                "/api/v1/admin/flush?db=" + InfluxQlTarget.DATABASE);
        String questDbHttpUrl = System.getProperty("questdb.http");
        QueryTarget questDbHttp = questDbHttpUrl == null ? null : new QuestDbTarget("QuestDB", URI.create(questDbHttpUrl), client);
        List<byte[]> bodies = DevopsLineProtocol.bodies(data, DevopsLineProtocol.POINTS_PER_BODY_DEFAULT);
        out.printf(Locale.ROOT, "data: %d hosts x %d points = %,d cpu rows%n", data.hostCount(), data.pointsPerHost(), rows);
        for (QueryTarget target : questDbHttp == null ? List.of(sundialHttp) : List.of(sundialHttp, questDbHttp)) {
            long started = System.nanoTime();
            target.prepare();
            for (byte[] body : bodies) {
                target.write(body);
            }
            target.awaitVisible(rows);
            out.printf(Locale.ROOT, "loaded %s in %.1f s%n", target.name, (System.nanoTime() - started) / 1e9);
        }
        List<Path> paths = new ArrayList<>();
        try (Connection sundial = connect(System.getProperty("sundial.pg"), InfluxQlTarget.DATABASE, "bench", null);
             Connection questDb = System.getProperty("questdb.pg") == null ? null
                     : connect(System.getProperty("questdb.pg"), "qdb", "admin", "quest")) {
            raw("Sundial PG", sundial, "SELECT usage_user FROM cpu", rows);
            if (questDb != null) {
                raw("QuestDB PG", questDb, "SELECT timestamp, usage_user FROM cpu", rows);
            }
            paths.add(new PgPath("Sundial PG", sundial, false));
            paths.add(new HttpPath("Sundial HTTP", sundialHttp));
            if (questDb != null) {
                paths.add(new PgPath("QuestDB PG", questDb, true));
            }
            queries(data, paths);
        }
        out.println("load average at the end: " + QueryComparison.loadAverage());
    }

    private static Connection connect(String hostPort, String database, String user, String password) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        if (password != null) {
            properties.setProperty("password", password);
        }
        properties.setProperty("connectTimeout", "20");
        properties.setProperty("socketTimeout", "600");
        Connection connection = DriverManager.getConnection("jdbc:postgresql://" + hostPort + "/" + database, properties);
        // pgjdbc fetches with Execute row limits (the server streams; the client holds FETCH_ROWS rows) only
        // inside a transaction.
        connection.setAutoCommit(false);
        return connection;
    }

    /** Rows of one query, read to the end (every value touched so nothing is skipped lazily). */
    static long rows(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.setFetchSize(FETCH_ROWS);
            long count = 0;
            try (ResultSet result = statement.executeQuery(sql)) {
                int columns = result.getMetaData().getColumnCount();
                while (result.next()) {
                    for (int c = 1; c <= columns; c++) {
                        result.getString(c);
                    }
                    count++;
                }
            }
            connection.commit();
            return count;
        }
    }

    private void raw(String name, Connection connection, String sql, long expected) throws SQLException {
        int rawRuns = Integer.getInteger("rawRuns", 3);
        out.printf("%n== raw select, %s: %s (load %s)%n", name, sql, QueryComparison.loadAverage());
        long rows = rows(connection, sql);
        if (rows != expected) {
            out.printf(Locale.ROOT, "   WARNING: %,d rows, expected %,d%n", rows, expected);
        }
        double[] seconds = new double[rawRuns];
        for (int i = 0; i < rawRuns; i++) {
            long started = System.nanoTime();
            rows(connection, sql);
            seconds[i] = (System.nanoTime() - started) / 1e9;
        }
        double median = median(seconds);
        out.printf(Locale.ROOT, "   %,d rows: median %.2f s (%,.0f rows/s), runs %s; load %s%n", rows, median,
                rows / median, Arrays.toString(Arrays.stream(seconds).map(s -> Math.round(s * 100) / 100.0).toArray()),
                QueryComparison.loadAverage());
    }

    private void queries(DevopsGenerator data, List<Path> paths) throws Exception {
        DevopsQueries queries = new DevopsQueries(data, DevopsQueries.DEFAULT_SEED);
        List<String> types = System.getProperty("queries") == null ? DevopsQueries.TYPES
                : List.of(System.getProperty("queries").split(","));
        Map<String, Map<String, String>> table = new LinkedHashMap<>();
        for (String type : types) {
            DevopsQuery query = queries.of(type.strip());
            out.printf("%n== %s (load %s)%n", type, QueryComparison.loadAverage());
            Map<String, double[]> millis = new LinkedHashMap<>();
            Map<String, String> cells = new LinkedHashMap<>();
            for (Path path : paths) {
                try {
                    long rows = path.run(query);
                    for (int i = 0; i < warmups; i++) {
                        path.run(query);
                    }
                    out.printf("   %-13s %d rows%n", path.name(), rows);
                    millis.put(path.name(), new double[runs]);
                } catch (Exception e) {
                    cells.put(path.name(), "error");
                    out.printf("   %-13s failed: %s%n", path.name(), e.getMessage());
                }
            }
            for (int i = 0; i < runs; i++) {
                for (Path path : paths) {
                    double[] times = millis.get(path.name());
                    if (times != null) {
                        long started = System.nanoTime();
                        path.run(query);
                        times[i] = (System.nanoTime() - started) / 1e6;
                    }
                }
            }
            for (Map.Entry<String, double[]> entry : millis.entrySet()) {
                double[] sorted = entry.getValue().clone();
                Arrays.sort(sorted);
                cells.put(entry.getKey(), String.format(Locale.ROOT, "%.1f (%.1f-%.1f)", median(sorted), sorted[0],
                        sorted[sorted.length - 1]));
            }
            table.put(type, cells);
        }
        out.printf("%nmedian ms (fastest-slowest) of %d runs each:%n| query | %s |%n|---|%s%n",
                runs, String.join(" | ", paths.stream().map(Path::name).toList()), "---|".repeat(paths.size()));
        for (Map.Entry<String, Map<String, String>> row : table.entrySet()) {
            List<String> cells = new ArrayList<>();
            for (Path path : paths) {
                cells.add(row.getValue().getOrDefault(path.name(), "-"));
            }
            out.printf("| %s | %s |%n", row.getKey(), String.join(" | ", cells));
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
