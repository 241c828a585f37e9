package cn.qxqy.pipeline.query;

import cn.qxqy.pipeline.testing.Api;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import static cn.qxqy.pipeline.testing.Api.given;

/**
 * What a leaders' read costs with its answer kept ({@link GenerationCache}) and read again after the generation moved (as
 * every read did before), on the benchmark's seeded projects, with the plans of the progress and name-search count
 * statements. Not part of the default test run (surefire runs {@code *Test} classes):
 * {@code ./mvnw -B test -Dtest=GenerationCacheBenchmark -Dsurefire.failIfNoSpecifiedTests=false}. Prints, asserts
 * only that each read answers 200.
 */
@QuarkusTest
class GenerationCacheBenchmark {

    private static final int PROJECTS = 20_000;
    private static final int READS = 40;

    @Test
    void keptAndReadAgain() throws Exception {
        Api.sql(Files.readString(Path.of("src/bench/resources/seed-events.sql"), StandardCharsets.UTF_8)
                .replaceAll("(?<!:):projects\\b", String.valueOf(PROJECTS)));
        Api.rebuildReadModels();
        Api.sql("ANALYZE project_view", "ANALYZE campaign_figures", "ANALYZE campaign_progress", "ANALYZE campaign_timeline");
        String c = "/api/v1/campaigns/" + Api.CAMPAIGN;
        Map<String, String> reads = new LinkedHashMap<>();
        reads.put("summary", c + "/summary");
        reads.put("breakdown-region", c + "/breakdown?by=region");
        reads.put("progress", c + "/progress");
        reads.put("timeline", c + "/timeline");
        reads.put("region-search", "/api/v1/projects?campaignId=" + Api.CAMPAIGN + "&regionCode=141102&sort=-plannedInvestment&size=20");
        reads.put("name-search", "/api/v1/projects?q=%E6%B0%A2%E8%83%BD%E4%BA%A7%E4%B8%9A&size=20&page=3");
        for (Map.Entry<String, String> read : reads.entrySet()) {
            double[] fresh = new double[READS];
            double[] kept = new double[READS];
            for (int i = 0; i < READS; i++) {
                Api.sql("UPDATE read_model_generation SET generation = generation + 1");
                fresh[i] = time(read.getValue());
                kept[i] = time(read.getValue());
            }
            Arrays.sort(fresh);
            Arrays.sort(kept);
            System.out.printf(Locale.ROOT, "GENCACHE-BENCH %s read-again p50=%.1fms p90=%.1fms | kept p50=%.1fms p90=%.1fms%n",
                    read.getKey(), fresh[READS / 2], fresh[READS * 9 / 10], kept[READS / 2], kept[READS * 9 / 10]);
        }
        try (Connection conn = Api.connect(); Statement st = conn.createStatement()) {
            for (String sql : new String[]{
                    "SELECT count(*) FROM campaign_progress WHERE campaign_id = '2024-qxqy'",
                    "SELECT count(*) FROM campaign_figures WHERE campaign_id = '2024-qxqy' AND dimension = 'region'",
                    "EXPLAIN (ANALYZE, BUFFERS) " + CampaignProgress.GROUPS.replace("$1", "'2024-qxqy'").replace("$2", "'2026-12-31'"),
                    "EXPLAIN (ANALYZE, BUFFERS) SELECT count(*) FILTER (WHERE stage <> 'WITHDRAWN'), count(*) FILTER (WHERE stage = 'WITHDRAWN') FROM project_view WHERE name LIKE '%氢能产业%'"}) {
                try (ResultSet rs = st.executeQuery(sql)) {
                    while (rs.next()) {
                        System.out.println("GENCACHE-PLAN " + rs.getString(1));
                    }
                }
            }
        }
    }

    private static double time(String path) {
        long start = System.nanoTime();
        given().urlEncodingEnabled(false).get(path).then().statusCode(200);
        return (System.nanoTime() - start) / 1e6;
    }
}
