package cn.qxqy.pipeline.demo;

import cn.qxqy.pipeline.domain.EventTypes;
import cn.qxqy.pipeline.testing.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.net.URI;
import java.util.List;
import java.util.Map;

import static cn.qxqy.pipeline.testing.Api.CAMPAIGN;
import static cn.qxqy.pipeline.testing.Api.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * The demo campaigns go through the public API as a department would, cover the reference data, and load once; the
 * 2023 projects still under way at its end are 2024's now. How the two years unfold: {@link CampaignPlanTest}.
 */
@QuarkusTest
class DemoCampaignTest {

    /** The projects the seed article names, as a reader would search for them. */
    private static final List<String> ARTICLE_PROJECTS = List.of("铝合金商用车轮毂", "祁县至离石高速", "汾阳至石楼高速",
            "新安大道", "新区快速路", "博物馆", "地方文化展示馆", "鑫岩煤矿", "美锦氢燃料商用车", "杏花村汾酒",
            "一泓清水入黄河", "非常规天然气示范基地", "大宗固废综合利用示范基地");

    @Test
    void theDemoCampaignCoversTheReferenceDataAndLoadsOnce() {
        URI service = URI.create("http://localhost:" + RestAssured.port);
        String fgw = DemoCampaign.basic("fgw:fgw-secret");

        DemoCampaign.Summary first = DemoCampaign.load(service, fgw);
        assertThat(first.projects()).isGreaterThanOrEqualTo(1000);
        // Another test (the dashboard's) may have loaded it already: what is not stored now was stored then.
        assertThat(first.stored() + first.repeated()).as("stored now or before").isEqualTo(first.posted());
        assertThat(sqlCount("SELECT count(*) FROM events WHERE project_id LIKE 'LL-202_-%'")).isEqualTo(first.posted());
        assertThat(sqlCount("SELECT count(DISTINCT project_id) FROM events WHERE project_id LIKE 'LL-202_-%'"))
                .isEqualTo(first.projects());
        assertThat(List.of(Api.sqlValue("SELECT string_agg(DISTINCT type, ',' ORDER BY type) FROM events "
                + "WHERE project_id LIKE 'LL-202_-%'").split(",")))
                .as("every event type of the registry").containsExactlyInAnyOrderElementsOf(EventTypes.NAMES);
        assertThat(first.eventsByType().keySet()).containsExactlyInAnyOrderElementsOf(EventTypes.NAMES);

        Api.awaitProjected();
        long firstYear = sqlCount("SELECT count(DISTINCT project_id) FROM events WHERE project_id LIKE 'LL-2023-%'");
        assertThat(first.carriedOver()).isNotEmpty().allMatch(id -> id.startsWith("LL-2023-"));
        assertThat(projects(CampaignPlan.FIRST_CAMPAIGN, Map.of())).as("2023's projects that stayed in 2023")
                .isEqualTo(firstYear - first.carriedOver().size());
        assertThat(projects(CAMPAIGN, Map.of())).isGreaterThanOrEqualTo(first.projects() - firstYear
                + first.carriedOver().size());
        String carried = first.carriedOver().get(0);
        given().get("/api/v1/projects/{id}", carried).then().statusCode(200)
                .body("campaignId", equalTo(CAMPAIGN));
        assertThat(Api.sqlValue("SELECT string_agg(occurred_on::text, ',') FROM events WHERE project_id = '" + carried
                + "' AND data->>'campaignId' = '" + CAMPAIGN + "'")).as("moved on New Year's Day").isEqualTo("2024-01-01");
        for (String region : codes("regions")) {
            assertThat(projects(CAMPAIGN, Map.of("regionCode", region))).as("projects in region %s", region).isPositive();
        }
        for (String chain : codes("industry-chains")) {
            assertThat(projects(CAMPAIGN, Map.of("industryChain", chain))).as("projects of chain %s", chain).isPositive();
        }
        for (String category : codes("categories")) {
            assertThat(projects(CAMPAIGN, Map.of("category", category))).as("projects in category %s", category)
                    .isPositive();
        }
        for (String name : ARTICLE_PROJECTS) {
            List<String> found = given().queryParam("campaignId", CAMPAIGN).queryParam("q", name)
                    .get("/api/v1/projects").then().statusCode(200).extract().jsonPath().getList("items.name");
            assertThat(found).as("the article's %s", name).anyMatch(n -> n.contains(name));
        }

        DemoCampaign.Summary second = DemoCampaign.load(service, fgw);
        assertThat(second.posted()).isEqualTo(first.posted());
        assertThat(second.stored()).as("stored by a second load").isZero();
        assertThat(second.repeated()).isEqualTo(first.posted());
        assertThat(sqlCount("SELECT count(*) FROM events WHERE project_id LIKE 'LL-202_-%'")).isEqualTo(first.posted());
    }

    @Test
    void everyCountyHasAShareOfEveryDemoTargetALittleAboveTheCitysAndALoadAgainChangesNoShare() {
        URI service = URI.create("http://localhost:" + RestAssured.port);
        DemoCampaign.load(service, DemoCampaign.basic("fgw:fgw-secret"));
        String demoCampaigns = "('" + CampaignPlan.FIRST_CAMPAIGN + "', '" + CAMPAIGN + "')";
        long changes = sqlCount("SELECT count(*) FROM county_share_history WHERE campaign_id IN " + demoCampaigns);

        for (String campaignId : List.of(CampaignPlan.FIRST_CAMPAIGN, CAMPAIGN)) {
            JsonPath shares = given().get("/api/v1/campaigns/{id}/county-shares", campaignId).then().statusCode(200)
                    .extract().jsonPath();
            List<String> targets = shares.getList("targets.code");
            assertThat(targets).as(campaignId).hasSize(7);
            for (int i = 0; i < targets.size(); i++) {
                String target = "targets[" + i + "]";
                assertThat(shares.getList(target + ".shares.regionCode")).as("%s %s", campaignId, targets.get(i))
                        .hasSize(13).doesNotContain("141100");
                BigDecimal difference = Api.amount(shares, target + ".difference");
                assertThat(difference).as("%s %s: over the target, by about 5%%", campaignId, targets.get(i))
                        .isPositive()
                        .isLessThanOrEqualTo(Api.amount(shares, target + ".target").multiply(new BigDecimal("0.06"))
                                .add(BigDecimal.valueOf(13)));
            }
            JsonPath settings = given().get("/api/v1/campaigns/{id}/settings", campaignId).then().statusCode(200)
                    .extract().jsonPath();
            assertThat(settings.getInt("followUps.signedNotStartedDays")).as("the defaults").isEqualTo(90);
        }
        assertThat(sqlCount("SELECT count(*) FROM campaign_settings WHERE campaign_id IN " + demoCampaigns))
                .as("settings left at the defaults").isZero();

        DemoCampaign.Summary again = DemoCampaign.load(service, DemoCampaign.basic("fgw:fgw-secret"));
        assertThat(again.sharesSet()).isEmpty();
        assertThat(sqlCount("SELECT count(*) FROM county_share_history WHERE campaign_id IN " + demoCampaigns))
                .as("no change kept by a load that found the demo's shares").isEqualTo(changes);
    }

    /** The number of the campaign's projects, the withdrawn ones too, a search with these filters finds. */
    private static long projects(String campaignId, Map<String, String> filters) {
        JsonPath page = given().queryParam("campaignId", campaignId).queryParams(filters).queryParam("size", 1)
                .queryParam("includeWithdrawn", true)
                .get("/api/v1/projects").then().statusCode(200).extract().jsonPath();
        return page.getLong("total");
    }

    private static List<String> codes(String list) {
        List<String> codes = given().get("/api/v1/reference/{list}", list).then().statusCode(200).extract().jsonPath()
                .getList("code");
        assertThat(codes).as(list).isNotEmpty();
        return codes;
    }

    private static long sqlCount(String query) {
        return Long.parseLong(Api.sqlValue(query));
    }
}
