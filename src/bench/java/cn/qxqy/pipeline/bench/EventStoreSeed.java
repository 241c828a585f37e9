package cn.qxqy.pipeline.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;

/**
 * Seeds the event store directly, not through the API (issue 8's scale part): runs
 * {@code src/bench/resources/seed-events.sql} with its {@code :projects} replaced, in one transaction over JDBC, then
 * counts from the database what it wrote and what the store holds in all. Prints one line
 * {@code BENCH-SEED key=value …}.
 * <p>
 * {@code java -cp <target/bench/classpath.txt> cn.qxqy.pipeline.bench.EventStoreSeed --postgres
 * postgresql://host:port/db --user u --password p --projects 100000 --script src/bench/resources/seed-events.sql
 * [--prefix SEED-]}: {@code --prefix} starts the ids of the script's projects (seed-one-event-projects.sql: ONE-).
 */
public final class EventStoreSeed {

    private EventStoreSeed() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = RawLimits.options(args);
        int projects = Integer.parseInt(RawLimits.require(options, "projects"));
        // The script's project ids start so: what it wrote is counted by them.
        String prefix = options.getOrDefault("prefix", "SEED-");
        String script = Files.readString(Path.of(RawLimits.require(options, "script")), StandardCharsets.UTF_8)
                // The psql-style variable only, not the casts (p::text) around it.
                .replaceAll("(?<!:):projects\\b", String.valueOf(projects));

        try (Connection c = DriverManager.getConnection("jdbc:" + RawLimits.require(options, "postgres"),
                RawLimits.require(options, "user"), RawLimits.require(options, "password"));
             Statement st = c.createStatement()) {
            // All or nothing: a failed seed leaves the store as the write path left it.
            c.setAutoCommit(false);
            long start = System.nanoTime();
            st.execute(script);
            c.commit();
            double seconds = (System.nanoTime() - start) / 1e9;
            c.setAutoCommit(true);
            System.out.println("BENCH-SEED"
                    + " seed.projects=" + count(st, "SELECT count(*) FROM stream_heads WHERE project_id LIKE '" + prefix + "%'")
                    + " seed.events=" + count(st, "SELECT count(*) FROM events WHERE project_id LIKE '" + prefix + "%'")
                    + " seed.seconds=" + String.format(Locale.ROOT, "%.3f", seconds)
                    + " store.projects=" + count(st, "SELECT count(*) FROM stream_heads")
                    + " store.events=" + count(st, "SELECT count(*) FROM events"));
        }
        System.out.flush();
        System.exit(0);
    }

    private static long count(Statement st, String query) throws SQLException {
        try (ResultSet rs = st.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
