package cn.qxqy.pipeline.query;

import cn.qxqy.pipeline.testing.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;

import static cn.qxqy.pipeline.testing.Api.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a read with knownAt costs on a store of the benchmark's size: 100,000 projects, about a million events, seeded
 * by the benchmark's own script. Not part of the default test run (surefire runs {@code *Test} classes); run it with
 * {@code ./mvnw -B test -Dtest=KnownAtReplayBenchmark -Dsurefire.failIfNoSpecifiedTests=false}. It prints the timings
 * and asserts only that the answers count every seeded project.
 */
@QuarkusTest
class KnownAtReplayBenchmark {

    private static final int PROJECTS = 100_000;

    @Test
    void aSettledKnownAtReplaysTheStoreOnceAndThenAnswersFromTheReplayKept() throws IOException, InterruptedException {
        String script = Files.readString(Path.of("src/bench/resources/seed-events.sql"), StandardCharsets.UTF_8)
                .replaceAll("(?<!:):projects\\b", String.valueOf(PROJECTS));
        long seeding = System.nanoTime();
        Api.sql(script);
        double seedSeconds = (System.nanoTime() - seeding) / 1e9;
        String events = Api.sqlValue("SELECT count(*) FROM events");
        String knownAt = OffsetDateTime.now(ZoneOffset.ofHours(8)).toString();
        // Settled (pipeline.read.settled-after is 3 s in tests): the replay is kept.
        Thread.sleep(4000);

        String summary = "/api/v1/campaigns/" + Api.CAMPAIGN + "/summary";
        long heapBefore = usedHeapAfterGc();
        long replay = System.nanoTime();
        JsonPath first = given().queryParam("knownAt", knownAt).get(summary).then().statusCode(200).extract().jsonPath();
        double replaySeconds = (System.nanoTime() - replay) / 1e9;
        assertThat(first.getLong("projects") + first.getLong("withdrawn")).isGreaterThanOrEqualTo(PROJECTS);
        // The service runs in this JVM: what stays after a full GC is what the replay kept.
        long keptBytes = usedHeapAfterGc() - heapBefore;

        double[] kept = new double[20];
        for (int i = 0; i < kept.length; i++) {
            String asOf = "2024-" + String.format(Locale.ROOT, "%02d", 1 + i % 12) + "-28";
            long start = System.nanoTime();
            given().queryParam("knownAt", knownAt).queryParam("asOf", asOf).get(summary).then().statusCode(200);
            kept[i] = (System.nanoTime() - start) / 1e6;
        }
        java.util.Arrays.sort(kept);
        long breakdown = System.nanoTime();
        given().queryParam("knownAt", knownAt).queryParam("by", "region")
                .get("/api/v1/campaigns/" + Api.CAMPAIGN + "/breakdown").then().statusCode(200);
        double breakdownMillis = (System.nanoTime() - breakdown) / 1e6;
        long search = System.nanoTime();
        given().queryParam("knownAt", knownAt).queryParam("campaignId", Api.CAMPAIGN).queryParam("regionCode", "141123")
                .queryParam("sort", "-plannedInvestment").get("/api/v1/projects").then().statusCode(200);
        double searchMillis = (System.nanoTime() - search) / 1e6;

        System.out.printf(Locale.ROOT, "KNOWN-AT-BENCH events=%s seed=%.1fs replay+summary=%.2fs "
                        + "replay-kept=%.1fMB summary-from-kept-replay median=%.0fms max=%.0fms breakdown=%.0fms search=%.0fms%n",
                events, seedSeconds, replaySeconds, keptBytes / 1e6, kept[kept.length / 2], kept[kept.length - 1], breakdownMillis,
                searchMillis);
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(500);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
