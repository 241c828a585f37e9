package cn.qxqy.pipeline.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import cn.qxqy.pipeline.embedded.EmbeddedInfrastructure;

/**
 * The benchmark's Kafka broker and PostgreSQL, in a JVM of their own (so that the service's JVM and the load
 * generator's are measured alone): {@code java -cp <target/bench/classpath.txt> cn.qxqy.pipeline.bench.BenchInfrastructure
 * <dataDir>}.
 * <p>
 * Fresh data on every start (the previous run's data is deleted first), kept while running in {@code <dataDir>} with the
 * persistent settings of the local run ({@code fsync} and full-page writes on), not the test suite's throw-away
 * settings: a benchmark of durable appends needs durable storage. {@code fsync=off} starts the test suite's ephemeral
 * variant instead (temporary directory, {@code fsync} and full-page writes off), to compare with figures taken that
 * way; a commit then still waits for its WAL write, but not for the disk. The database's default for
 * {@code synchronous_commit} is set to {@code on} (PostgreSQL's own default; the embedded server is started with
 * {@code off}), so the service is measured as it would run against a production server, whatever it sets itself.
 * <p>
 * Prints one line {@code BENCH-INFRA kafka=… postgres=… user=… password=… …} once both are up, then runs until its
 * standard input is closed (the load generator's JVM ended, however it ended) or it gets SIGTERM; both stop the broker
 * and the database cleanly.
 */
public final class BenchInfrastructure {

    private BenchInfrastructure() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args.length > 2 || (args.length == 2 && !args[1].matches("fsync=(on|off)"))) {
            System.err.println("usage: BenchInfrastructure <dataDir> [fsync=on|off]");
            System.exit(2);
        }
        Path dataDir = Path.of(args[0]).toAbsolutePath().normalize();
        boolean fsyncOn = args.length == 1 || args[1].equals("fsync=on");
        stopLeftOverServer(dataDir.resolve("postgres"));
        // Fresh data; the unpacked PostgreSQL binaries (postgres-binaries/) are kept for the next run.
        for (String previous : new String[] {"kafka", "postgres", "postgres.log"}) {
            deleteRecursively(dataDir.resolve(previous));
        }
        Files.createDirectories(dataDir);

        // Issue 27: the database's share of each phase (the benchmark's server only; the tests' is started without it).
        Map<String, String> statements = Map.of("shared_preload_libraries", "pg_stat_statements",
                "pg_stat_statements.max", "1000");
        EmbeddedInfrastructure infrastructure = (fsyncOn
                ? EmbeddedInfrastructure.startPersistent(dataDir, 0, 0, 0, statements)
                : EmbeddedInfrastructure.startEphemeral(statements)).closeOnShutdown();
        Map<String, String> config = infrastructure.config();
        String jdbcUrl = config.get("quarkus.datasource.jdbc.url");
        String user = config.get("quarkus.datasource.username");
        String password = config.get("quarkus.datasource.password");

        String serverSynchronousCommit;
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, password); Statement st = c.createStatement()) {
            serverSynchronousCommit = show(st, "synchronous_commit");
            // A database default beats the server's command-line default for every new session.
            st.execute("ALTER DATABASE " + c.getCatalog() + " SET synchronous_commit = on");
            // In a schema of its own: Flyway migrates public only if it finds it empty.
            st.execute("CREATE SCHEMA bench_stats");
            st.execute("CREATE EXTENSION pg_stat_statements SCHEMA bench_stats");
        }
        String synchronousCommit;
        String fsync;
        String fullPageWrites;
        String version;
        long postmaster;
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, password); Statement st = c.createStatement()) {
            synchronousCommit = show(st, "synchronous_commit");
            fsync = show(st, "fsync");
            fullPageWrites = show(st, "full_page_writes");
            version = show(st, "server_version");
            postmaster = postmasterOf(st);
        }

        System.out.println("BENCH-INFRA"
                + " kafka=" + config.get("kafka.bootstrap.servers")
                + " postgres=" + config.get("quarkus.datasource.reactive.url")
                + " user=" + user
                + " password=" + password
                + " postgresVersion=" + version.split(" ")[0]
                + " synchronousCommit=" + synchronousCommit
                + " serverSynchronousCommit=" + serverSynchronousCommit
                + " fsync=" + fsync
                + " fullPageWrites=" + fullPageWrites
                + " pid=" + ProcessHandle.current().pid()
                + " postmaster=" + postmaster);
        System.out.flush();

        // Until the parent closes our stdin (normally or by dying); the shutdown hook then stops both.
        while (System.in.read() >= 0) {
            // ignore input
        }
        System.exit(0);
    }

    /** PostgreSQL's postmaster, the parent of every backend: the benchmark counts its CPU and its children's. */
    private static long postmasterOf(Statement st) throws SQLException {
        try (ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return ProcessHandle.of(rs.getLong(1)).flatMap(ProcessHandle::parent).map(ProcessHandle::pid).orElse(-1L);
        }
    }

    private static String show(Statement st, String setting) throws SQLException {
        try (ResultSet rs = st.executeQuery("SHOW " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** A PostgreSQL left running on this directory by a run whose JVM was killed (its server is a detached process). */
    private static void stopLeftOverServer(Path postgresDir) {
        Path pidFile = postgresDir.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return;
        }
        Optional<ProcessHandle> postmaster;
        try (Stream<String> lines = Files.lines(pidFile)) {
            postmaster = lines.findFirst().map(String::trim).map(Long::parseLong).flatMap(ProcessHandle::of)
                    .filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().command().map(cmd -> cmd.endsWith("/postgres")).orElse(false));
        } catch (IOException | RuntimeException e) {
            return;
        }
        postmaster.ifPresent(p -> {
            System.err.println("Stopping PostgreSQL " + p.pid() + " left running on " + postgresDir + " by an earlier run");
            p.destroy();
            try {
                p.onExit().get(20, TimeUnit.SECONDS);
            } catch (Exception e) {
                p.destroyForcibly();
            }
        });
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
