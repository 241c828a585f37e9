package cn.qxqy.pipeline.projection;

import cn.qxqy.pipeline.testing.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Locale;

import static cn.qxqy.pipeline.testing.Api.admin;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a rebuild costs on the benchmark's stores: {@code rebuild.shape=seeded} (default), the benchmark's 100,000 seeded
 * projects of about ten events each (the 1 M-event store), or {@code one-event}, 200,000 projects of one reservation
 * each (many views, few events: index-heavy). Rebuilds {@code rebuild.runs} times (the first one warms the JIT) and
 * prints each one's events/s; the service logs the phase times ("projection rebuild: replayed in …"). Not part of the
 * default test run: {@code ./mvnw -B -o test -Dtest=RebuildBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * [-Drebuild.shape=one-event]}. Asserts only that every rebuild replayed every event and the check is consistent.
 */
@QuarkusTest
class RebuildBenchmark {

    @Inject
    ConsistencyCheck check;

    /** CPU of PostgreSQL's postmaster, the backends it reaped and those still running, in µs (from /proc). */
    private static long cpuMicros(long postmaster) throws IOException {
        long ticks = ticks(postmaster, true);
        try (var processes = Files.list(Path.of("/proc"))) {
            for (Path process : processes.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                String[] stat = stat(process);
                if (stat != null && Long.parseLong(stat[1]) == postmaster) {
                    ticks += Long.parseLong(stat[11]) + Long.parseLong(stat[12]);
                }
            }
        }
        return ticks * 10_000; // USER_HZ 100
    }

    private static long ticks(long pid, boolean reaped) {
        String[] f = stat(Path.of("/proc", Long.toString(pid)));
        return Long.parseLong(f[11]) + Long.parseLong(f[12]) + (reaped ? Long.parseLong(f[13]) + Long.parseLong(f[14]) : 0);
    }

    /** Fields 3 on of /proc/PID/stat (f[n - 3] is field n), null for a process gone meanwhile. */
    private static String[] stat(Path process) {
        try {
            String stat = Files.readString(process.resolve("stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        } catch (IOException e) {
            return null;
        }
    }

    @Test
    void rebuildingTheBenchmarksStore() throws Exception {
        String shape = System.getProperty("rebuild.shape", "seeded");
        int runs = Integer.getInteger("rebuild.runs", 3);
        if (shape.equals("one-event")) {
            Api.sql(Files.readString(Path.of("src/bench/resources/seed-events.sql"), StandardCharsets.UTF_8)
                    .replaceAll("(?<!:):projects\\b", "200000")
                    .replace("FROM seed_events ORDER BY", "FROM seed_events WHERE seq = 1 ORDER BY")
                    .replace("SELECT project_id, count(*),", "SELECT project_id, 1,")
                    .replace("FROM seed_events JOIN seed_plan USING (project_id, p) GROUP BY",
                            "FROM seed_events JOIN seed_plan USING (project_id, p) WHERE seq = 1 GROUP BY")
                    .replaceAll("CASE WHEN bool_or\\(withdrawn\\)[^\\n]*\\n[^\\n]*END", "'RESERVED'"));
        } else {
            Api.sql(Files.readString(Path.of("src/bench/resources/seed-events.sql"), StandardCharsets.UTF_8)
                    .replaceAll("(?<!:):projects\\b", "100000"));
        }
        long events = Long.parseLong(Api.sqlValue("SELECT count(*) FROM events"));
        String slow = System.getProperty("rebuild.logStatementsOverMillis");
        if (slow != null) {
            Api.sql("ALTER SYSTEM SET log_min_duration_statement = " + Integer.parseInt(slow), "SELECT pg_reload_conf()");
        }
        long postmaster = Long.parseLong(Files.readAllLines(Path.of(Api.sqlValue("SHOW data_directory"), "postmaster.pid"))
                .get(0).trim());
        var jvm = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        for (int run = 1; run <= runs; run++) {
            long serviceCpu = jvm.getProcessCpuTime();
            long databaseCpu = cpuMicros(postmaster);
            Api.rebuildReadModels();
            serviceCpu = (jvm.getProcessCpuTime() - serviceCpu) / 1000;
            databaseCpu = cpuMicros(postmaster) - databaseCpu;
            JsonPath rebuild = new JsonPath(admin().accept(ContentType.JSON).get("/api/v1/admin/projections").asString());
            long done = rebuild.getLong("find { it.name == 'rebuild' }.eventsDone");
            Duration took = Duration.between(OffsetDateTime.parse(rebuild.getString("find { it.name == 'rebuild' }.startedAt")),
                    OffsetDateTime.parse(rebuild.getString("find { it.name == 'rebuild' }.finishedAt")));
            System.out.printf(Locale.ROOT, "REBUILD-BENCH shape=%s run=%d events=%d took=%.2fs rate=%.0f events/s "
                            + "CPU per event: service (this JVM) %.1f µs, PostgreSQL %.1f µs%n", shape, run, done,
                    took.toMillis() / 1e3, done / (took.toMillis() / 1e3), (double) serviceCpu / done,
                    (double) databaseCpu / done);
            assertThat(done).as("events replayed").isEqualTo(events);
        }
        if (slow != null) {
            Api.sql("ALTER SYSTEM RESET log_min_duration_statement", "SELECT pg_reload_conf()");
        }
        // The bean, not the endpoint: on a busy machine the check outlasts the HTTP idle timeout.
        ConsistencyCheck.Report report = check.run().await().indefinitely();
        System.out.printf(Locale.ROOT, "REBUILD-BENCH check consistent=%s events=%d%n", report.consistent(),
                report.checkedEvents());
        assertThat(report.consistent()).as("consistency check: %s", report.differences()).isTrue();
    }
}
