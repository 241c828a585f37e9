package cn.qxqy.pipeline.report;

import cn.qxqy.pipeline.testing.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

import static cn.qxqy.pipeline.testing.Api.admin;
import static cn.qxqy.pipeline.testing.Api.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What issuing a month's report and the as-of reads cost on a store of the benchmark's size (100,000 projects, about a
 * million events, seeded by the benchmark's own script and rebuilt into the read models). Not part of the default test
 * run (surefire runs {@code *Test} classes): {@code ./mvnw -B test -Dtest=IssueReportBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false}. It prints the timings and asserts only that the answers are the store's.
 */
@QuarkusTest
class IssueReportBenchmark {

    private static final int PROJECTS = 100_000;

    @Test
    void issuingAMonthsReportOfAMillionEventsAndReadingAsOfPastDays() throws Exception {
        Api.sql(Files.readString(Path.of("src/bench/resources/seed-events.sql"), StandardCharsets.UTF_8)
                .replaceAll("(?<!:):projects\\b", String.valueOf(PROJECTS)));
        long rebuildStart = System.nanoTime();
        Api.rebuildReadModels();
        double rebuildSeconds = (System.nanoTime() - rebuildStart) / 1e9;

        String campaign = Api.CAMPAIGN;
        double[] summaries = new double[40];
        for (int i = 0; i < summaries.length; i++) {
            String asOf = "2024-%02d-%02d".formatted(1 + i % 12, 1 + (i * 7) % 28);
            long start = System.nanoTime();
            given().queryParam("asOf", asOf).get("/api/v1/campaigns/{id}/summary", campaign).then().statusCode(200);
            summaries[i] = (System.nanoTime() - start) / 1e6;
        }
        double[] breakdowns = new double[40];
        for (int i = 0; i < breakdowns.length; i++) {
            String asOf = "2024-%02d-%02d".formatted(1 + i % 12, 1 + (i * 11) % 28);
            long start = System.nanoTime();
            given().queryParam("asOf", asOf).queryParam("by", "region").get("/api/v1/campaigns/{id}/breakdown", campaign)
                    .then().statusCode(200);
            breakdowns[i] = (System.nanoTime() - start) / 1e6;
        }
        double[] issues = new double[3];
        for (int i = 0; i < issues.length; i++) {
            long start = System.nanoTime();
            Response issued = admin().contentType(ContentType.JSON).body(Map.of("period", "2024-06"))
                    .post("/api/v1/campaigns/{id}/reports", campaign);
            issues[i] = (System.nanoTime() - start) / 1e6;
            assertThat(issued.statusCode()).as(issued.asString()).isEqualTo(201);
        }
        long summary = given().queryParam("asOf", "2024-06-30").get("/api/v1/campaigns/{id}/summary", campaign)
                .then().statusCode(200).extract().jsonPath().getLong("projects");
        assertThat(summary).as("the seeded projects active on 30 June").isPositive().isLessThanOrEqualTo(PROJECTS);

        Arrays.sort(summaries);
        Arrays.sort(breakdowns);
        System.out.printf(Locale.ROOT, "ISSUE-BENCH events=%s rebuild=%.1fs summary-asOf median=%.0fms max=%.0fms "
                        + "breakdown-by-region-asOf median=%.0fms max=%.0fms issue-2024-06 %.0f / %.0f / %.0f ms%n",
                Api.sqlValue("SELECT count(*) FROM events"), rebuildSeconds, summaries[summaries.length / 2],
                summaries[summaries.length - 1], breakdowns[breakdowns.length / 2], breakdowns[breakdowns.length - 1],
                issues[0], issues[1], issues[2]);
    }
}
