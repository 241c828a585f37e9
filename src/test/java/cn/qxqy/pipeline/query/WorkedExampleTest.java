package cn.qxqy.pipeline.query;

import cn.qxqy.pipeline.testing.Api;
import cn.qxqy.pipeline.testing.Api.Project;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static cn.qxqy.pipeline.testing.Api.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's worked example through the service: a project reserved in March, signed in May, its signing
 * retracted in July, signed again in August for another amount, moved to another county in September; read as of
 * each month end, as known before the retraction and after everything.
 */
@QuarkusTest
class WorkedExampleTest {

    private static final List<String> MONTH_ENDS = List.of("2024-05-31", "2024-07-31", "2024-08-31", "2024-09-30");
    private static final String XING = "141123";
    private static final String LIN = "141124";

    @Test
    void eachMonthEndAnswersAsTheHistoryKnownThenSaysTheProjectStood() {
        String campaign = Api.newCampaign();
        Project project = Api.reserve(campaign, "兴县铝镁精深加工项目", XING, "aluminium-magnesium",
                        List.of("chain-extension"), "10000", "4000", LocalDate.of(2024, 3, 10))
                .post("ProjectSigned", LocalDate.of(2024, 5, 15), Map.of("signedInvestment", 8000, "investor", "甲公司"));
        Api.awaitProjected(project);
        String beforeRetraction = KnownAtReadsTest.knownAtNow();
        project.post("MilestoneRetracted", LocalDate.of(2024, 7, 5), Map.of("reason", "签约录入错误"))
                .post("ProjectSigned", LocalDate.of(2024, 8, 12), Map.of("signedInvestment", 9000, "investor", "乙公司"))
                .post("ProjectCorrected", LocalDate.of(2024, 9, 3), Map.of("regionCode", LIN));
        Api.awaitProjected(project);
        String afterEverything = KnownAtReadsTest.knownAtNow();

        Map<String, List<String>> expected = new LinkedHashMap<>();
        expected.put(beforeRetraction, List.of("SIGNED 8000.00 141123", "SIGNED 8000.00 141123",
                "SIGNED 8000.00 141123", "SIGNED 8000.00 141123"));
        expected.put(afterEverything, List.of("RESERVED 0.00 141123", "RESERVED 0.00 141123",
                "SIGNED 9000.00 141123", "SIGNED 9000.00 141124"));
        StringBuilder table = new StringBuilder("asOf        knownAt  summary (signed, 签约额)  county  project\n");
        expected.forEach((knownAt, answers) -> {
            for (int i = 0; i < MONTH_ENDS.size(); i++) {
                String asOf = MONTH_ENDS.get(i);
                JsonPath summary = read("/api/v1/campaigns/" + campaign + "/summary", asOf, knownAt);
                JsonPath byRegion = read("/api/v1/campaigns/" + campaign + "/breakdown?by=region", asOf, knownAt);
                JsonPath view = read("/api/v1/projects/" + project.id(), asOf, knownAt);
                String county = byRegion.getString("items.find { it.projects == 1 }.key");
                String stage = summary.getInt("stages.SIGNED.current") == 1 ? "SIGNED" : "RESERVED";
                String answer = stage + " " + Api.amount(summary, "signedInvestment").setScale(2) + " " + county;
                table.append(asOf).append("  ").append(knownAt.equals(beforeRetraction) ? "before" : "after ")
                        .append("   ").append(answer).append("  ").append(view.getString("stage")).append(" ")
                        .append(view.getString("regionCode")).append(" ").append(view.getString("signedOn"))
                        .append('\n');

                assertThat(answer).as(asOf + " known " + knownAt).isEqualTo(answers.get(i));
                assertThat(view.getString("stage") + " " + view.getString("regionCode"))
                        .as("the project " + asOf + " known " + knownAt)
                        .isEqualTo(answers.get(i).split(" ")[0] + " " + answers.get(i).split(" ")[2]);
                assertThat(summary.getString("asOf")).isEqualTo(asOf);
            }
        });
        System.out.println("Worked example:\n" + table);

        assertThat(read("/api/v1/campaigns/" + campaign + "/summary", "2024-08-31", null).getString("stages.SIGNED.current"))
                .as("asOf alone: the read models, as known now").isEqualTo("1");
        assertThat(Api.amount(read("/api/v1/campaigns/" + campaign + "/summary", "2024-07-31", null), "signedInvestment"))
                .isEqualByComparingTo("0");
        given().queryParam("asOf", "2024-03-09").get("/api/v1/projects/{id}", project.id()).then().statusCode(404);
    }

    private static JsonPath read(String path, String asOf, String knownAt) {
        var request = given().queryParam("asOf", asOf);
        if (knownAt != null) {
            request.queryParam("knownAt", knownAt);
        }
        return request.get(path).then().statusCode(200).extract().jsonPath();
    }
}
