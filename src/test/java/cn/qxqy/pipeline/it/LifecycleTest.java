package cn.qxqy.pipeline.it;

import cn.qxqy.pipeline.testing.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static cn.qxqy.pipeline.testing.Api.awaitProjected;
import static cn.qxqy.pipeline.testing.Api.envelope;
import static cn.qxqy.pipeline.testing.Api.given;
import static cn.qxqy.pipeline.testing.Api.post;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
class LifecycleTest {

    @Test
    void aProjectGoesFromReserveToCompletionAndTheFiguresFollow() {
        String campaign = Api.newCampaign();
        String projectId = Api.newProjectId();
        LocalDate day = LocalDate.of(2024, 2, 19);

        Map<String, Object> reserve = envelope("ProjectReserved", day,
                Api.reservation(campaign, "141123", "aluminium-magnesium", List.of("chain-extension", "private-capital"), "120000.50"));
        reserve.put("expectedVersion", 0);
        post(projectId, reserve).then().statusCode(201)
                .body("projectId", equalTo(projectId)).body("version", equalTo(1));
        post(projectId, envelope("ProjectSigned", day.plusDays(2),
                Map.of("signedInvestment", "100000", "investor", "山西某铝业有限公司"))).then().statusCode(201)
                .body("version", equalTo(2));
        post(projectId, envelope("ConstructionStarted", day.plusDays(4), Map.of())).then().statusCode(201);
        post(projectId, envelope("InvestmentReported", day.plusDays(40),
                Map.of("period", "2024-03", "investmentToDate", 30000.25))).then().statusCode(201);
        post(projectId, envelope("ProjectCompleted", day.plusDays(200), Map.of())).then().statusCode(201)
                .body("version", equalTo(5));

        awaitProjected();

        JsonPath view = given().get("/api/v1/projects/{id}", projectId).then().statusCode(200).extract().jsonPath();
        assertEquals("COMPLETED", view.getString("stage"));
        assertEquals(5, view.getInt("version"));
        assertEquals("2024-02-21", view.getString("signedOn"));
        assertEquals("2024-02-23", view.getString("startedOn"));
        assertAmount("100000", view, "signedInvestment");
        assertAmount("30000.25", view, "investmentToDate");

        JsonPath history = given().get("/api/v1/projects/{id}/events", projectId).then().statusCode(200)
                .extract().jsonPath();
        assertEquals(List.of("ProjectReserved", "ProjectSigned", "ConstructionStarted", "InvestmentReported",
                "ProjectCompleted"), history.getList("type"));
        assertEquals(List.of(1, 2, 3, 4, 5), history.getList("version"));
        assertEquals("fgw", history.getString("[0].source"));

        JsonPath summary = given().get("/api/v1/campaigns/{id}/summary", campaign).then().statusCode(200)
                .extract().jsonPath();
        assertEquals(1, summary.getInt("projects"));
        assertAmount("120000.50", summary, "plannedInvestment");
        assertAmount("100000.00", summary, "signedInvestment");
        assertAmount("30000.25", summary, "investmentToDate");
        assertEquals(1, summary.getInt("stages.COMPLETED.current"));
        assertEquals(0, summary.getInt("stages.STARTED.current"));
        for (String stage : List.of("RESERVED", "SIGNED", "STARTED", "COMPLETED")) {
            assertEquals(1, summary.getInt("stages." + stage + ".reached"), stage);
        }
        assertAmount("120000.50", summary, "stages.COMPLETED.plannedInvestment");

        JsonPath byCategory = given().queryParam("by", "category")
                .get("/api/v1/campaigns/{id}/breakdown", campaign).then().statusCode(200).extract().jsonPath();
        assertEquals(1, byCategory.getInt("items.find { it.key == 'chain-extension' }.projects"));
        assertEquals(1, byCategory.getInt("items.find { it.key == 'private-capital' }.projects"));
        assertEquals(0, byCategory.getInt("items.find { it.key == 'special-bond' }.projects"));
    }

    @Test
    void aRetractedSigningAndAWithdrawalLeaveTheFigures() {
        String campaign = Api.newCampaign();
        String projectId = Api.newProjectId();
        LocalDate day = LocalDate.of(2024, 3, 1);
        post(projectId, envelope("ProjectReserved", day,
                Api.reservation(campaign, "141181", "special-steel", List.of(), "5000"))).then().statusCode(201);
        post(projectId, envelope("ProjectSigned", day, Map.of("signedInvestment", 4000, "investor", "某钢铁集团")))
                .then().statusCode(201);
        post(projectId, envelope("MilestoneRetracted", day, Map.of("reason", "签约录入错误"))).then().statusCode(201);
        awaitProjected();

        JsonPath summary = given().get("/api/v1/campaigns/{id}/summary", campaign).then().extract().jsonPath();
        assertEquals(1, summary.getInt("stages.RESERVED.current"));
        assertEquals(0, summary.getInt("stages.SIGNED.reached"));
        assertAmount("0", summary, "signedInvestment");

        post(projectId, envelope("ProjectWithdrawn", day.plusDays(1), Map.of("reason", "企业放弃投资")))
                .then().statusCode(201);
        awaitProjected();
        summary = given().get("/api/v1/campaigns/{id}/summary", campaign).then().extract().jsonPath();
        assertEquals(0, summary.getInt("projects"));
        assertEquals(1, summary.getInt("withdrawn"));
        assertAmount("0", summary, "plannedInvestment");
        assertEquals(0, summary.getInt("stages.RESERVED.current"));
        given().get("/api/v1/projects/{id}", projectId).then().statusCode(200).body("stage", equalTo("WITHDRAWN"));
    }

    @Test
    void aReadWaitingForAWriteAlwaysIncludesIt() {
        String campaign = Api.newCampaign();
        for (int i = 1; i <= 5; i++) {
            String projectId = Api.newProjectId();
            int version = post(projectId, envelope("ProjectReserved", LocalDate.of(2024, 6, 1),
                    Api.reservation(campaign, "141129", "equipment", List.of(), "10"))).then().statusCode(201)
                    .extract().path("version");
            given().queryParam("waitFor", projectId + ":" + version)
                    .get("/api/v1/campaigns/{id}/summary", campaign).then().statusCode(200)
                    .body("projects", equalTo(i));
        }
        given().queryParam("waitFor", "no-such-project:1").get("/api/v1/campaigns/{id}/summary", campaign)
                .then().statusCode(503).header("Retry-After", "1").contentType("application/problem+json");
        given().queryParam("waitFor", "bad").get("/api/v1/campaigns/{id}/summary", campaign)
                .then().statusCode(400).body("errors[0].field", equalTo("waitFor"));
    }

    static void assertAmount(String expected, JsonPath json, String path) {
        assertEquals(0, new BigDecimal(expected).compareTo(Api.amount(json, path)), path + " was " + json.getString(path));
    }
}
