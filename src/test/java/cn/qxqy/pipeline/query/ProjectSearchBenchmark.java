package cn.qxqy.pipeline.query;

import cn.qxqy.pipeline.projection.FiguresTable;
import cn.qxqy.pipeline.testing.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static cn.qxqy.pipeline.testing.Api.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Project search over HTTP at the scale of 100,000 projects. Not part of the default test run (surefire runs
 * {@code *Test} classes); run it with
 * {@code ./mvnw -B test -Dtest=ProjectSearchBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 * It prints the timings and asserts only that the answers are right: timings depend on the machine.
 * <p>
 * The projects are written straight into {@code project_view} under a campaign of their own and deleted at the end,
 * so that the benchmark leaves nothing behind for other tests.
 */
@QuarkusTest
class ProjectSearchBenchmark {

    private static final String CAMPAIGN = "bench-search";
    private static final int PROJECTS = 100_000;
    private static final int WARM_UP = 30;
    private static final int RUNS = 200;

    /**
     * 100,000 projects of one campaign: regions and chains skewed as in a real campaign (the city level and a few
     * counties carry most), 0 to 3 categories, stages from RESERVED to WITHDRAWN with milestone dates in order,
     * Chinese names naming the county and the chain's product.
     */
    private static final String INSERT_PROJECTS = """
            INSERT INTO project_view (project_id, version, last_position, stage, name, campaign_id, region_code,
                industry_chain, categories, planned_investment, annual_planned_investment, signed_investment, investor,
                reserved_on, signed_on, started_on, completed_on, withdrawn_on, reported_period, investment_to_date)
            SELECT 'BENCH-' || lpad(g.i::text, 6, '0'), 1, 0, g.stage,
                   '吕梁' || (ARRAY['市','离石区','文水县','交城县','兴县','临县','柳林县','石楼县','岚县','方山县','中阳县',
                                     '交口县','孝义市','汾阳市'])[g.region + 1]
                   || '年产' || (g.i % 90 + 10) || '万吨'
                   || (ARRAY['煤矿智能化改造','氢能重卡加氢站','铝镁合金精深加工','汾酒酿造基地扩建','现代煤化工新材料',
                             '特钢棒线材升级','装备制造产业园','煤层气综合开发','固废综合利用','文旅康养小镇',
                             '城市道路改造','社区养老服务中心','标准化厂房'])[g.chain + 1] || '项目',
                   :'campaign',
                   (ARRAY['141100','141102','141121','141122','141123','141124','141125','141126','141127','141128',
                          '141129','141130','141181','141182'])[g.region + 1],
                   (ARRAY['coal','hydrogen','aluminium-magnesium','baijiu','coal-chemical','special-steel','equipment',
                          'unconventional-gas','solid-waste','culture-tourism','infrastructure','livelihood','other'])[g.chain + 1],
                   ARRAY(SELECT c FROM unnest(ARRAY['central-budget','special-bond','chain-extension','private-capital',
                                                    'patent-technology']) WITH ORDINALITY AS u(c, n)
                         WHERE (g.categories >> (u.n::int - 1)) & 1 = 1 LIMIT 3),
                   g.planned, round(g.planned * 0.4, 2),
                   CASE WHEN g.signed THEN g.planned END, CASE WHEN g.signed THEN '山西某投资有限公司' END,
                   g.reserved_on,
                   CASE WHEN g.signed THEN g.reserved_on + 10 END,
                   CASE WHEN g.stage IN ('STARTED', 'COMPLETED') THEN g.reserved_on + 40 END,
                   CASE WHEN g.stage = 'COMPLETED' THEN g.reserved_on + 200 END,
                   CASE WHEN g.stage = 'WITHDRAWN' THEN g.reserved_on + 60 END,
                   CASE WHEN g.stage IN ('STARTED', 'COMPLETED') THEN '2024-09' END,
                   CASE WHEN g.stage IN ('STARTED', 'COMPLETED') THEN round(g.planned * 0.3, 2) END
            FROM (SELECT i,
                         least(13, floor(14 * power(random(), 1.6)))::int AS region,
                         least(12, floor(13 * power(random(), 1.3)))::int AS chain,
                         (random() < 0.20)::int | ((random() < 0.15)::int << 1) | ((random() < 0.30)::int << 2)
                             | ((random() < 0.25)::int << 3) | ((random() < 0.10)::int << 4) AS categories,
                         round((500 + random() * 300000)::numeric, 2) AS planned,
                         DATE '2024-01-01' + (random() * 120)::int AS reserved_on,
                         s.stage, s.stage IN ('SIGNED', 'STARTED', 'COMPLETED') AND random() < 0.8 OR s.stage = 'SIGNED' AS signed
                  FROM generate_series(1, :projects) AS i,
                       LATERAL (SELECT CASE WHEN r < 0.30 THEN 'RESERVED' WHEN r < 0.50 THEN 'SIGNED'
                                            WHEN r < 0.85 THEN 'STARTED' WHEN r < 0.95 THEN 'COMPLETED'
                                            ELSE 'WITHDRAWN' END AS stage
                                FROM (SELECT random() + 0 * i AS r) AS d) AS s
                  OFFSET 0) AS g""";

    /**
     * The projector keeps the campaign figures beside the views, and searches take their totals by campaign,
     * region, chain or category from there; the benchmark writes the views directly, so it writes those counts too.
     */
    private static final String INSERT_COUNTS = "INSERT INTO campaign_figures (campaign_id, dimension, key, "
            + String.join(", ", FiguresTable.COLUMNS) + ") SELECT campaign_id, d.dimension, d.key, "
            + "count(*) FILTER (WHERE stage <> 'WITHDRAWN'), count(*) FILTER (WHERE stage = 'WITHDRAWN')"
            + ", 0".repeat(FiguresTable.COLUMNS.size() - 2)
            + " FROM project_view, LATERAL (SELECT 'all', '*' UNION ALL SELECT 'region', region_code"
            + " UNION ALL SELECT 'chain', industry_chain UNION ALL SELECT 'category', unnest(categories)) AS d (dimension, key)"
            + " WHERE campaign_id = :'campaign' GROUP BY campaign_id, d.dimension, d.key";

    private static void removeBenchmarkCampaign() {
        Api.sql("DELETE FROM project_view WHERE campaign_id = '" + CAMPAIGN + "'",
                "DELETE FROM campaign_figures WHERE campaign_id = '" + CAMPAIGN + "'",
                "DELETE FROM campaign_targets WHERE campaign_id = '" + CAMPAIGN + "'",
                "DELETE FROM campaigns WHERE campaign_id = '" + CAMPAIGN + "'");
    }

    @Test
    void filteredPagedSearchesAtCampaignScale() {
        removeBenchmarkCampaign();
        try {
            long started = System.nanoTime();
            Api.sql("INSERT INTO campaigns (campaign_id, name_zh, name_en, year, city_code, starts_on, ends_on) VALUES ('"
                            + CAMPAIGN + "', '检索基准', 'Search benchmark', 2024, '141100', DATE '2024-01-01', DATE '2024-12-31')",
                    "INSERT INTO campaign_targets (campaign_id, code, name_zh, name_en, measure, categories, reached_stage,"
                            + " target, sort) VALUES ('" + CAMPAIGN + "', 'projects', '项目总数', 'Projects', 'projects', NULL,"
                            + " NULL, 100000, 1), ('" + CAMPAIGN + "', 'private-started', '民间资本推介项目开工', 'Private"
                            + " capital started', 'projects', ARRAY['private-capital'], 'STARTED', 20000, 2)",
                    "SELECT setseed(0.42)",
                    INSERT_PROJECTS.replace(":'campaign'", "'" + CAMPAIGN + "'").replace(":projects", String.valueOf(PROJECTS)),
                    INSERT_COUNTS.replace(":'campaign'", "'" + CAMPAIGN + "'"),
                    "VACUUM ANALYZE project_view");
            System.out.printf("%n%d projects inserted and analysed in %d ms%n", PROJECTS,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));

            Map<String, Map<String, Object>> queries = new LinkedHashMap<>();
            queries.put("campaign+region+stage, page 3, -plannedInvestment", Map.of("campaignId", CAMPAIGN,
                    "regionCode", "141123", "stage", "STARTED", "page", 3, "size", 20, "sort", "-plannedInvestment"));
            queries.put("q=铝镁 (2 characters), page 0", Map.of("q", "铝镁", "page", 0, "size", 20));
            queries.put("category=private-capital, stageDate", Map.of("category", "private-capital", "sort", "stageDate"));
            queries.put("q=镁合金精深 (trigram index), campaign, name", Map.of("q", "镁合金精深", "campaignId", CAMPAIGN,
                    "sort", "name"));
            queries.put("campaign only, page 0", Map.of("campaignId", CAMPAIGN));
            queries.put("campaign+chain+category, page 2, -stageDate", Map.of("campaignId", CAMPAIGN,
                    "industryChain", "hydrogen", "category", "central-budget", "page", 2, "sort", "-stageDate"));
            queries.put("campaign, name, page 200 of 50", Map.of("campaignId", CAMPAIGN, "sort", "name", "page", 200,
                    "size", 50));

            System.out.printf("%-52s %8s %8s %8s %8s%n", "query", "median", "p95", "max", "total");
            // The floor: a small read of 5 rows, to tell the HTTP and client cost from the search's own.
            time("HTTP floor: GET /api/v1/reference/stages", "/api/v1/reference/stages", Map.of(), 5);
            queries.forEach((name, params) -> time(name, "/api/v1/projects", params, check(params)));
            assertEquals(PROJECTS, check(Map.of("campaignId", CAMPAIGN)), "every project of the campaign counted");
            long active = given().get("/api/v1/campaigns/{id}/progress", CAMPAIGN).then().statusCode(200).extract()
                    .jsonPath().getLong("projects");
            assertTrue(active > 0 && active < PROJECTS, "the withdrawn do not count");
            time("progress of the campaign (2 targets, 4 rates)", "/api/v1/campaigns/" + CAMPAIGN + "/progress",
                    Map.of(), active);
        } finally {
            removeBenchmarkCampaign();
        }
    }

    private static void time(String name, String path, Map<String, Object> params, long total) {
        List<Long> micros = new ArrayList<>(RUNS);
        for (int i = 0; i < WARM_UP + RUNS; i++) {
            long t0 = System.nanoTime();
            given().queryParams(params).get(path).then().statusCode(200);
            if (i >= WARM_UP) {
                micros.add(TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - t0));
            }
        }
        Collections.sort(micros);
        System.out.printf("%-52s %6.1fms %6.1fms %6.1fms %8d%n", name, micros.get(RUNS / 2) / 1000.0,
                micros.get((int) Math.ceil(RUNS * 0.95) - 1) / 1000.0, micros.get(RUNS - 1) / 1000.0, total);
    }

    /** The answer is right: something found, the page as full as the total allows. */
    private static long check(Map<String, Object> params) {
        JsonPath page = given().queryParams(params).get("/api/v1/projects").then().statusCode(200).extract().jsonPath();
        long total = page.getLong("total");
        int size = page.getInt("size");
        long offset = (long) page.getInt("page") * size;
        assertTrue(total > 0, "nothing found for " + params);
        assertEquals(Math.min(size, Math.max(0, total - offset)), page.getList("items").size(), "page size for " + params);
        return total;
    }
}
