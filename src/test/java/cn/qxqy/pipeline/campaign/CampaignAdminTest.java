package cn.qxqy.pipeline.campaign;

import cn.qxqy.pipeline.testing.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static cn.qxqy.pipeline.testing.Api.admin;
import static cn.qxqy.pipeline.testing.Api.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Campaigns and their targets as administrators edit them over HTTP: created, replaced and read back, refused with a
 * problem naming each bad field (each field's rules: {@link CampaignDefinitionTest}, {@link TargetDefinitionTest}),
 * and only by administrators.
 */
@QuarkusTest
class CampaignAdminTest {

    private static final Map<String, Object> CAMPAIGN = Map.of("nameZh", "2025年“千项千亿”项目大会战",
            "nameEn", "2025 campaign", "year", 2025, "cityCode", "141100", "launchedOn", "2025-02-10");

    private static Map<String, Object> target(String code) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("code", code);
        t.put("nameZh", "项目总数");
        t.put("nameEn", "Projects");
        t.put("measure", "projects");
        t.put("target", 1000);
        return t;
    }

    private static String newId() {
        return "c-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aCampaignIsCreatedThenReplacedAndReadBack() {
        String id = newId();
        admin().body(CAMPAIGN).put("/api/v1/admin/campaigns/{id}", id).then().statusCode(201)
                .header("Location", org.hamcrest.Matchers.endsWith("/api/v1/campaigns/" + id))
                .body("campaignId", equalTo(id)).body("year", equalTo(2025)).body("launchedOn", equalTo("2025-02-10"));
        Map<String, Object> renamed = new LinkedHashMap<>(CAMPAIGN);
        renamed.put("nameEn", "2025 Thousand Projects campaign");
        renamed.remove("launchedOn");
        admin().body(renamed).put("/api/v1/admin/campaigns/{id}", id).then().statusCode(200);

        given().get("/api/v1/campaigns/{id}", id).then().statusCode(200)
                .body("nameZh", equalTo("2025年“千项千亿”项目大会战"))
                .body("nameEn", equalTo("2025 Thousand Projects campaign"))
                .body("launchedOn", equalTo(null))
                .body("cityCode", equalTo("141100"));
    }

    @Test
    void targetsAreReplacedAsAWholeAndReadBackInOrder() {
        String id = newId();
        admin().body(CAMPAIGN).put("/api/v1/admin/campaigns/{id}", id).then().statusCode(201);
        Map<String, Object> money = new LinkedHashMap<>(target("annual"));
        money.put("measure", "annualPlannedInvestment");
        money.put("target", "10000000");
        Map<String, Object> signed = new LinkedHashMap<>(target("private-signed"));
        signed.put("categories", List.of("private-capital"));
        signed.put("reachedStage", "SIGNED");
        signed.put("target", 30);
        admin().body(Map.of("targets", List.of(target("projects"), money, signed)))
                .put("/api/v1/admin/campaigns/{id}/targets", id).then().statusCode(200)
                .body("targets.code", equalTo(List.of("projects", "annual", "private-signed")));

        String body = given().get("/api/v1/campaigns/{id}", id).then().statusCode(200).extract().asString();
        // A count shows as a whole number, an amount with its 2 fraction digits.
        assertTrue(body.matches(".*\"target\":1000[,}].*"), body);
        assertTrue(body.matches(".*\"target\":10000000\\.00[,}].*"), body);
        JsonPath campaign = new JsonPath(body);
        assertEquals(List.of("projects", "annual", "private-signed"), campaign.getList("targets.code"));
        assertEquals(List.of("private-capital"), campaign.getList("targets[2].categories"));
        assertEquals(List.of(), campaign.getList("targets[0].categories"));

        // What GET shows, PUT takes back; a shorter list replaces the whole list.
        List<Map<String, Object>> shown = campaign.getList("targets");
        admin().body(Map.of("targets", shown.subList(2, 3))).put("/api/v1/admin/campaigns/{id}/targets", id)
                .then().statusCode(200);
        given().get("/api/v1/campaigns/{id}", id).then().statusCode(200)
                .body("targets.code", equalTo(List.of("private-signed")));
        admin().body(Map.of("targets", List.of())).put("/api/v1/admin/campaigns/{id}/targets", id)
                .then().statusCode(200);
        given().get("/api/v1/campaigns/{id}", id).then().statusCode(200).body("targets", equalTo(List.of()));
    }

    @Test
    void badTargetsAreA400ProblemNamingEachFieldUnknownCategoriesIncludedAndNothingIsReplaced() {
        Map<String, Object> badCode = target("Bad Code!");
        Map<String, Object> badCategories = target("categories");
        badCategories.put("categories", List.of("private-capital", "no-such-category"));

        admin().body(Map.of("targets", List.of(badCode, badCategories)))
                .put("/api/v1/admin/campaigns/2024-qxqy/targets").then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", containsInAnyOrder("targets[0].code", "targets[1].categories[1]"));

        given().get("/api/v1/campaigns/2024-qxqy").then().statusCode(200)
                .body("targets.code", hasItem("private-capital-started"));
    }

    @Test
    void theTargetsBodyIsAJsonObject() {
        admin().body("[]").put("/api/v1/admin/campaigns/2024-qxqy/targets").then().statusCode(400)
                .contentType("application/problem+json");
        admin().body("{\"targets\": [").put("/api/v1/admin/campaigns/2024-qxqy/targets").then().statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void aBadCampaignIsA400ProblemNamingEachField() {
        admin().body(Map.of("nameZh", " ", "year", "2025", "cityCode", "14110", "launchedOn", "2025-13-01",
                        "targets", List.of()))
                .put("/api/v1/admin/campaigns/{id}", "Bad_Id").then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", containsInAnyOrder("campaignId", "nameZh", "nameEn", "year", "cityCode",
                        "launchedOn", "targets"));
    }

    @Test
    void targetsOfAnUnknownCampaignAreA404() {
        admin().body(Map.of("targets", List.of(target("projects"))))
                .put("/api/v1/admin/campaigns/{id}/targets", newId()).then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void onlyAdministratorsEditCampaigns() {
        String id = newId();
        RestAssured.given().contentType(ContentType.JSON).body(CAMPAIGN).put("/api/v1/admin/campaigns/{id}", id)
                .then().statusCode(401).contentType("application/problem+json");
        RestAssured.given().auth().preemptive().basic("admin", "wrong").contentType(ContentType.JSON).body(CAMPAIGN)
                .put("/api/v1/admin/campaigns/{id}", id).then().statusCode(401);
        Api.department().body(CAMPAIGN).put("/api/v1/admin/campaigns/{id}", id).then().statusCode(403)
                .contentType("application/problem+json");
        Api.department().body(Map.of("targets", List.of())).put("/api/v1/admin/campaigns/2024-qxqy/targets")
                .then().statusCode(403);
        given().get("/api/v1/campaigns/{id}", id).then().statusCode(404);
        given().get("/api/v1/campaigns/2024-qxqy").then().statusCode(200)
                .body("targets", not(equalTo(List.of())))
                .body("targets.code", hasItems("projects", "private-capital-signed"));
    }
}
