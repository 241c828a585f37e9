package cn.qxqy.pipeline.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Tuple;

/**
 * What PostgreSQL alone can do for issue 8's scale part, measured in the same run on the seeded store, to set the
 * rebuild and the read endpoints against:
 * <ul>
 * <li>{@code --measure event-stream}: the event rows in the rebuild's order ({@code ORDER BY project_id, version}),
 * every column the rebuild reads, streamed to one JDBC client with a fetch size (rows/s), after an uncounted pass over
 * the first tenth;</li>
 * <li>{@code --measure lookups}: primary-key lookups of seeded projects in {@code project_view} from {@code clients}
 * concurrent clients on as many connections, through the service's driver (the Vert.x PostgreSQL client, its
 * connections spread over the event loops as the service's are): queries/s and round-trip percentiles, after an
 * uncounted warm-up ({@code --warmup} seconds: on 2 shared cores a fresh JVM's client needs about 10 s of it to
 * reach the rate of the warm service).</li>
 * </ul>
 * Prints one line {@code BENCH-RAW key=value …}.
 * <p>
 * {@code java -cp <target/bench/classpath.txt> cn.qxqy.pipeline.bench.ReadLimits --postgres postgresql://host:port/db
 * --user u --password p --measure event-stream|lookups [--fetch-size 1000] [--warmup 10] [--seconds 10]
 * [--clients 32] [--projects 100000]}
 */
public final class ReadLimits {

    /** Round trips are counted in buckets of 10 µs up to 2 s. */
    private static final int MICROS_PER_BUCKET = 10;
    private static final int BUCKETS = 200_000;

    private static final String EVENT_STREAM = "SELECT position, project_id, version, type, schema_version, occurred_on,"
            + " data FROM events ORDER BY project_id, version";

    private ReadLimits() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = RawLimits.options(args);
        String url = RawLimits.require(options, "postgres");
        String user = RawLimits.require(options, "user");
        String password = RawLimits.require(options, "password");
        String measure = RawLimits.require(options, "measure");
        StringBuilder out = new StringBuilder("BENCH-RAW");
        switch (measure) {
            case "event-stream" -> eventStream(url, user, password,
                    Integer.parseInt(options.getOrDefault("fetch-size", "1000")), out);
            case "lookups" -> lookups(url, user, password, Double.parseDouble(options.getOrDefault("warmup", "10")),
                    Double.parseDouble(options.getOrDefault("seconds", "10")),
                    Integer.parseInt(options.getOrDefault("clients", "32")),
                    Integer.parseInt(RawLimits.require(options, "projects")), out);
            default -> throw new IllegalArgumentException("--measure event-stream or lookups, not " + measure);
        }
        System.out.println(out);
        System.out.flush();
        System.exit(0);
    }

    static void eventStream(String url, String user, String password, int fetchSize, StringBuilder out)
            throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:" + url, user, password)) {
            long total;
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM events")) {
                rs.next();
                total = rs.getLong(1);
            }
            // pgjdbc fetches in pages only inside a transaction; otherwise it reads the whole result into memory.
            c.setAutoCommit(false);
            stream(c, EVENT_STREAM + " LIMIT " + Math.max(1, total / 10), fetchSize);
            long start = System.nanoTime();
            long rows = stream(c, EVENT_STREAM, fetchSize);
            double seconds = (System.nanoTime() - start) / 1e9;
            c.commit();
            out.append(" stream.rps=").append(Math.round(rows / seconds))
                    .append(" stream.rows=").append(rows)
                    .append(" stream.seconds=").append(String.format(Locale.ROOT, "%.3f", seconds))
                    .append(" stream.fetchSize=").append(fetchSize);
        }
    }

    /** Reads every column of every row, as the rebuild decodes them; returns the number of rows. */
    private static long stream(Connection c, String query, int fetchSize) throws Exception {
        long rows = 0;
        long checksum = 0;
        try (Statement st = c.createStatement()) {
            st.setFetchSize(fetchSize);
            try (ResultSet rs = st.executeQuery(query)) {
                while (rs.next()) {
                    checksum += rs.getLong(1) + rs.getString(2).length() + rs.getLong(3) + rs.getString(4).length()
                            + rs.getInt(5) + rs.getObject(6, LocalDate.class).getDayOfMonth()
                            + rs.getString(7).length();
                    rows++;
                }
            }
        }
        if (checksum == 0 && rows > 0) {
            throw new IllegalStateException("the event rows read as empty"); // and the JIT cannot drop the reads
        }
        return rows;
    }

    static void lookups(String url, String user, String password, double warmup, double seconds, int clients,
                        int projects, StringBuilder out) throws Exception {
        Vertx vertx = Vertx.vertx();
        PgConnectOptions connect = PgConnectOptions.fromUri(url).setUser(user).setPassword(password)
                .setCachePreparedStatements(true);
        // Spread over Vert.x's event loops as the service's pool is (Quarkus sets its event-loop size so): on one event
        // loop, the default from a thread outside Vert.x, the client itself would be the limit.
        Pool pool = PgBuilder.pool()
                .with(new PoolOptions().setMaxSize(clients).setEventLoopSize(VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE))
                .connectingTo(connect).using(vertx).build();
        AtomicLongArray roundTrips = new AtomicLongArray(BUCKETS);
        AtomicLong misses = new AtomicLong();
        try {
            String lookup = "SELECT * FROM project_view WHERE project_id = $1";
            RawLimits.loops(clients, warmup, () -> lookUp(pool, lookup, projects, misses), nanos -> { });
            misses.set(0);
            RawLimits.Measured measured = RawLimits.loops(clients, seconds, () -> lookUp(pool, lookup, projects, misses),
                    nanos -> roundTrips.incrementAndGet((int) Math.min(BUCKETS - 1, nanos / 1000 / MICROS_PER_BUCKET)));
            out.append(" lookup.qps=").append(Math.round(measured.perSecond()))
                    .append(" lookup.count=").append(measured.count())
                    .append(" lookup.seconds=").append(String.format(Locale.ROOT, "%.3f", measured.seconds()))
                    .append(" lookup.p50ms=").append(percentileMillis(roundTrips, 50))
                    .append(" lookup.p99ms=").append(percentileMillis(roundTrips, 99))
                    .append(" lookup.clients=").append(clients)
                    .append(" lookup.misses=").append(misses.get());
        } finally {
            RawLimits.await(pool.close());
            RawLimits.await(vertx.close());
        }
    }

    private static Future<?> lookUp(Pool pool, String lookup, int projects, AtomicLong misses) {
        String projectId = String.format(Locale.ROOT, "SEED-%07d", 1 + ThreadLocalRandom.current().nextInt(projects));
        return pool.preparedQuery(lookup).execute(Tuple.of(projectId)).onSuccess(rows -> {
            if (rows.size() != 1) {
                misses.incrementAndGet();
            }
        });
    }

    /** The upper bound of the bucket holding the percentile, in ms. */
    private static String percentileMillis(AtomicLongArray buckets, double percent) {
        long total = 0;
        for (int i = 0; i < buckets.length(); i++) {
            total += buckets.get(i);
        }
        long rank = (long) Math.ceil(total * percent / 100.0);
        long seen = 0;
        int i = 0;
        while (i < buckets.length() - 1 && (seen += buckets.get(i)) < rank) {
            i++;
        }
        return String.format(Locale.ROOT, "%.2f", (i + 1) * MICROS_PER_BUCKET / 1000.0);
    }
}
