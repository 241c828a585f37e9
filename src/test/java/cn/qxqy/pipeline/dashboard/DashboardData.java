package cn.qxqy.pipeline.dashboard;

import cn.qxqy.pipeline.demo.DemoCampaign;
import cn.qxqy.pipeline.testing.Api;
import io.restassured.RestAssured;

import java.net.URI;
import java.util.Map;

import static cn.qxqy.pipeline.testing.Api.admin;
import static cn.qxqy.pipeline.testing.Api.given;

/** What the dashboard test shows: the demo campaign, as the local run's -Ddemo loads it. */
final class DashboardData {

    /** Text in the names of some of the demo's projects (the article's wheel hubs among them). */
    static final String FILTER = "轮毂";

    private DashboardData() {
    }

    /** Loads the demo (once: a second load stores nothing) and answers its campaign once it is projected. */
    static String load() {
        DemoCampaign.load(URI.create("http://localhost:" + RestAssured.port), DemoCampaign.basic("fgw:fgw-secret"));
        Api.awaitProjected();
        return Api.CAMPAIGN;
    }

    /** The demo's campaign of the year before (2023), defined if the demo has not: what the dashboard's 同比 reads. */
    static String previousYearsCampaign() {
        String campaignId = "2023-qxqy";
        if (given().get("/api/v1/campaigns/{id}", campaignId).statusCode() == 404) {
            admin().body(Map.of("nameZh", "2023年“千项千亿”项目大会战", "nameEn", "2023 Thousand Projects campaign",
                    "year", 2023, "cityCode", "141100")).put("/api/v1/admin/campaigns/{id}", campaignId)
                    .then().statusCode(201);
        }
        return campaignId;
    }
}
