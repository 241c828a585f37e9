package cn.qxqy.pipeline.followup;

import cn.qxqy.pipeline.testing.Api;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Locale;

import static cn.qxqy.pipeline.testing.Api.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the follow-up list and the rankings cost on the benchmark's store (100,000 projects of 2024-qxqy, about a million events, seeded
 * by the benchmark's own script and rebuilt into the read models). Not part of the default test run (surefire runs
 * {@code *Test} classes): {@code ./mvnw -B test -Dtest=FollowUpBenchmark -Dsurefire.failIfNoSpecifiedTests=false}. It
 * prints the timings beside the raw limit of the same PostgreSQL in the same run (a scan of every project's row, which
 * a list evaluated on read cannot beat), and the statement's plan, and asserts only that the list is not empty.
 */
@QuarkusTest
class FollowUpBenchmark {

    private static final int PROJECTS = 100_000;
    private static final int READS = 100;

    @Test
    void theFollowUpListAndTheRankingsOfAHundredThousandProjects() throws Exception {
        Api.sql(Files.readString(Path.of("src/bench/resources/seed-events.sql"), StandardCharsets.UTF_8)
                .replaceAll("(?<!:):projects\\b", String.valueOf(PROJECTS)));
        Api.rebuildReadModels();
        Api.sql("ANALYZE project_view", "ANALYZE events");

        double[] lists = new double[READS];
        for (int i = 0; i < READS; i++) {
            LocalDate asOf = LocalDate.of(2024, 1 + i % 12, 1 + (i * 7) % 28);
            long start = System.nanoTime();
            given().queryParam("asOf", asOf.toString()).get("/api/v1/campaigns/{id}/follow-ups", Api.CAMPAIGN)
                    .then().statusCode(200);
            lists[i] = (System.nanoTime() - start) / 1e6;
        }
        double[] counties = new double[READS];
        for (int i = 0; i < READS; i++) {
            long start = System.nanoTime();
            given().queryParam("regionCode", "141123").queryParam("offset", String.valueOf(i * 10))
                    .get("/api/v1/campaigns/{id}/follow-ups", Api.CAMPAIGN).then().statusCode(200);
            counties[i] = (System.nanoTime() - start) / 1e6;
        }
        double[] rankings = new double[READS];
        for (int i = 0; i < READS; i++) {
            LocalDate asOf = LocalDate.of(2024, 1 + i % 12, 1 + (i * 7) % 28);
            long start = System.nanoTime();
            given().queryParam("asOf", asOf.toString()).get("/api/v1/campaigns/{id}/rankings", Api.CAMPAIGN)
                    .then().statusCode(200);
            rankings[i] = (System.nanoTime() - start) / 1e6;
        }
        double[] scans = new double[READS];
        try (Connection conn = Api.connect(); Statement st = conn.createStatement()) {
            for (int i = 0; i < READS; i++) {
                long start = System.nanoTime();
                st.executeQuery("SELECT count(*) FROM project_view WHERE campaign_id = '" + Api.CAMPAIGN + "'").close();
                scans[i] = (System.nanoTime() - start) / 1e6;
            }
        }
        long total = given().get("/api/v1/campaigns/{id}/follow-ups", Api.CAMPAIGN).then().statusCode(200)
                .extract().jsonPath().getLong("total");
        assertThat(total).as("the seeded year's stalled projects").isPositive();

        for (double[] timings : new double[][]{lists, counties, rankings, scans}) {
            Arrays.sort(timings);
        }
        double scan = scans[READS / 2];
        System.out.printf(Locale.ROOT, "FOLLOW-UP-BENCH projects=%d items-today=%d raw-scan-of-the-projects p50=%.1fms "
                        + "| list-asOf p50=%.0fms p99=%.0fms (p99 %.1fx the scan) | county-pages p50=%.0fms p99=%.0fms "
                        + "(%.1fx) | rankings-asOf p50=%.0fms p99=%.0fms (%.1fx)%n", PROJECTS, total, scan,
                lists[READS / 2], p99(lists), p99(lists) / scan, counties[READS / 2], p99(counties), p99(counties) / scan,
                rankings[READS / 2], p99(rankings), p99(rankings) / scan);
        try (Connection conn = Api.connect(); Statement st = conn.createStatement()) {
            st.execute("PREPARE follow_ups(text, date, int, int, int, boolean, date, date, text[], date[], text, text, "
                    + "boolean, text, int, int) AS " + FollowUpReads.EVALUATE);
            try (ResultSet plan = st.executeQuery("EXPLAIN (ANALYZE, BUFFERS) EXECUTE follow_ups('2024-qxqy', "
                    + "'2024-12-31', 90, 180, 10, true, '2024-01-01', '2024-12-31', '{}', '{}', NULL, NULL, false, NULL, "
                    + "100, 0)")) {
                while (plan.next()) {
                    System.out.println("FOLLOW-UP-PLAN " + plan.getString(1));
                }
            }
        }
    }

    private static double p99(double[] sorted) {
        return sorted[READS * 99 / 100 - 1];
    }
}
