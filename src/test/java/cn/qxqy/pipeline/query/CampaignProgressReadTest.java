package cn.qxqy.pipeline.query;

import cn.qxqy.pipeline.testing.Api.Project;
import cn.qxqy.pipeline.testing.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static cn.qxqy.pipeline.testing.Api.admin;
import static cn.qxqy.pipeline.testing.Api.amount;
import static cn.qxqy.pipeline.testing.Api.given;
import static cn.qxqy.pipeline.testing.Api.reserve;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
/**
 * A campaign's progress as a client reads it: from the read models the projector keeps in the same transaction as
 * the summary's, so that the two agree, its amounts and percentages scaled as the API shows them. How the targets and
 * rates are summed is {@link CampaignProgressTest}'s.
 */
class CampaignProgressReadTest {

    private static final LocalDate DAY = LocalDate.of(2024, 3, 1);

    private static Map<String, Object> target(String code, String measure, List<String> categories, String reachedStage,
                                              Object target) {
        Map<String, Object> t = new java.util.LinkedHashMap<>();
        t.put("code", code);
        t.put("nameZh", "目标 " + code);
        t.put("nameEn", "Target " + code);
        t.put("measure", measure);
        t.put("categories", categories);
        t.put("reachedStage", reachedStage);
        t.put("target", target);
        return t;
    }

    private static void putTargets(String campaignId, List<Map<String, Object>> targets) {
        admin().body(Map.of("targets", targets)).put("/api/v1/admin/campaigns/{id}/targets", campaignId)
                .then().statusCode(200);
    }

    @Test
    void theProgressCountsTheActiveProjectsTheSummaryCountsWithAmountsAndPercentagesAsScaled() {
        String campaign = Api.newCampaign();
        putTargets(campaign, List.of(
                target("annual", "annualPlannedInvestment", null, null, "1000"),
                target("private-started", "projects", List.of("private-capital"), "STARTED", 3)));

        // Signed, started, reported: in private-capital and chain-extension.
        Project a = reserve(campaign, "吕梁兴县铝镁项目", "141123", "aluminium-magnesium",
                List.of("private-capital", "chain-extension"), "5000", "300.50", DAY)
                .post("ProjectSigned", DAY.plusDays(1), Map.of("signedInvestment", 5000, "investor", "某公司"))
                .post("ConstructionStarted", DAY.plusDays(2), Map.of())
                .post("InvestmentReported", DAY.plusDays(30), Map.of("period", "2024-03", "investmentToDate", "100.25"));
        // A government project: started without a signing.
        Project b = reserve(campaign, "吕梁临县道路项目", "141124", "infrastructure", List.of("central-budget"),
                "800", "300", DAY)
                .post("ConstructionStarted", DAY.plusDays(3), Map.of())
                .post("InvestmentReported", DAY.plusDays(30), Map.of("period", "2024-03", "investmentToDate", 50));
        // Withdrawn: counts nowhere.
        Project d = reserve(campaign, "吕梁孝义市退出项目", "141181", "coal", List.of("private-capital"), "700", "400", DAY)
                .post("ProjectSigned", DAY.plusDays(1), Map.of("signedInvestment", 700, "investor", "某公司"))
                .post("ProjectWithdrawn", DAY.plusDays(5), Map.of("reason", "投资方退出"));
        Api.awaitProjected(a, b, d);

        String body = given().get("/api/v1/campaigns/{id}/progress", campaign).then().statusCode(200)
                .extract().asString();
        // Amounts keep their 2 fraction digits, percentages 1.
        assertTrue(body.contains("\"actual\":600.50,\"target\":1000.00,\"percentage\":60.1"), body);
        JsonPath progress = new JsonPath(body);
        assertEquals(campaign, progress.getString("campaignId"));
        assertTarget(progress, "private-started", "1", "3", "33.3");

        // The same read models as the summary: the figures agree.
        JsonPath summary = given().get("/api/v1/campaigns/{id}/summary", campaign).then().statusCode(200)
                .extract().jsonPath();
        assertEquals(2, summary.getInt("projects"));
        assertEquals(summary.getInt("projects"), progress.getInt("projects"));
        assertAmount(summary.getString("annualPlannedInvestment"), progress, "targets[0].actual");
        assertAmount(summary.getString("investmentThisYear"), progress,
                "rates.find { it.code == 'investment-completion-rate' }.numerator.value");
        // As of March's end, 本年完成投资 is March's reports: 100.25 + 50.
        JsonPath march = given().queryParam("asOf", "2024-03-31").get("/api/v1/campaigns/{id}/progress", campaign)
                .then().statusCode(200).extract().jsonPath();
        assertAmount("150.25", march, "rates.find { it.code == 'investment-completion-rate' }.numerator.value");
        assertEquals(summary.getInt("stages.SIGNED.reached"),
                progress.getInt("rates.find { it.code == 'signing-rate' }.numerator.value"));
        assertEquals(summary.getInt("stages.STARTED.reached"),
                progress.getInt("rates.find { it.code == 'start-rate-of-planned' }.numerator.value"));
    }

    @Test
    void theSeededCampaignListsItsTargetsInOrder() {
        JsonPath progress = given().get("/api/v1/campaigns/2024-qxqy/progress").then().statusCode(200)
                .extract().jsonPath();
        assertEquals(List.of("projects", "annual-planned-investment", "central-budget-and-special-bond", "chain-extension",
                "private-capital-offered", "private-capital-signed", "private-capital-started"),
                progress.getList("targets.code"));
        assertEquals("项目总数 / 目标 1000", progress.getString("targets[0].ratioOf"));
    }

    @Test
    void anUnknownCampaignIsA404Problem() {
        given().get("/api/v1/campaigns/{id}/progress", "no-such-campaign").then().statusCode(404)
                .contentType("application/problem+json").body("status", equalTo(404));
    }

    private static void assertTarget(JsonPath progress, String code, String actual, String target, String percentage) {
        String t = "targets.find { it.code == '" + code + "' }";
        assertAmount(actual, progress, t + ".actual");
        assertAmount(target, progress, t + ".target");
        assertAmount(percentage, progress, t + ".percentage");
    }

    /** Compared by value: JsonPath drops trailing zeros (the raw body keeps them, see above). */
    private static void assertAmount(String expected, JsonPath json, String path) {
        assertEquals(0, new BigDecimal(expected).compareTo(amount(json, path)), path + " was " + json.getString(path));
    }
}
