package cn.qxqy.pipeline.query;

import cn.qxqy.pipeline.testing.Api;
import cn.qxqy.pipeline.testing.Api.Project;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static cn.qxqy.pipeline.testing.Api.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * knownAt, record time: a read answers what the service answered at that instant, from the store replayed without
 * the events recorded later; a settled knownAt's answer is tagged for good.
 */
@QuarkusTest
class KnownAtReadsTest {

    private static final LocalDate MAY = LocalDate.of(2024, 5, 6);
    private static final List<String> READS = List.of("/summary", "/breakdown?by=region", "/breakdown?by=category",
            "/progress", "/timeline");

    @Test
    void aKnownAtBetweenTwoRoundsOfPostsAnswersWhatTheServiceAnsweredThen() {
        String campaign = Api.newCampaign();
        Project steel = Api.reserve(campaign, "交城特钢项目", "141122", "special-steel", List.of("special-bond"),
                "800", "100", MAY).post("ProjectSigned", MAY.plusDays(3), Map.of("signedInvestment", 700, "investor", "某钢铁"));
        Project tourism = Api.reserve(campaign, "岚县文旅项目", "141127", "culture-tourism", List.of("central-budget"),
                "50", null, MAY.plusDays(1));
        Api.awaitProjected(steel, tourism);
        Map<String, Object> then = new LinkedHashMap<>();
        for (String read : READS) {
            then.put(read, body(given().get("/api/v1/campaigns/" + campaign + read)));
        }
        String knownAt = knownAtNow();

        steel.post("MilestoneRetracted", MAY.plusDays(10), Map.of("reason", "签约录入错误"))
                .post("ProjectSigned", MAY.plusDays(12), Map.of("signedInvestment", 650, "investor", "另一钢铁"));
        tourism.post("ProjectCorrected", MAY.plusDays(2), Map.of("regionCode", "141123"))
                .post("ProjectWithdrawn", MAY.plusDays(30), Map.of("reason", "不再建设"));
        Project late = Api.reserve(campaign, "临县氢能项目", "141124", "hydrogen", List.of("special-bond"), "300", "80",
                MAY.minusDays(20));
        Api.awaitProjected(steel, tourism, late);

        for (String read : READS) {
            String path = "/api/v1/campaigns/" + campaign + read;
            assertThat(body(given().get(path))).as(read + " now").isNotEqualTo(then.get(read));
            assertThat(body(given().queryParam("knownAt", knownAt).get(path))).as(read + " as known then")
                    .isEqualTo(then.get(read));
        }
    }

    @Test
    void aSettledKnownAtReadIsTaggedStronglyAndKeptForAYearAndAYoungOneAsToday() {
        String campaign = Api.newCampaign();
        String settled = OffsetDateTime.now(ZoneOffset.ofHours(8)).minusMinutes(5).toString();
        for (String read : READS) {
            String path = "/api/v1/campaigns/" + campaign + read;
            Response first = given().queryParam("knownAt", settled).get(path);
            assertThat(first.statusCode()).as(read).isEqualTo(200);
            assertThat(first.header("ETag")).as(read).matches("\"[A-Za-z0-9_-]{24}\"");
            assertThat(first.header("Cache-Control")).as(read).isEqualTo("private, max-age=31536000, immutable");

            Response again = given().queryParam("knownAt", settled).header("If-None-Match", first.header("ETag")).get(path);
            assertThat(again.statusCode()).as(read).isEqualTo(304);
            assertThat(again.header("ETag")).as(read).isEqualTo(first.header("ETag"));
            assertThat(again.header("Cache-Control")).as(read).isEqualTo("private, max-age=31536000, immutable");
        }
        String summary = "/api/v1/campaigns/" + campaign + "/summary";
        String tag = given().queryParam("knownAt", settled).get(summary).header("ETag");
        assertThat(given().queryParam("knownAt", settled).queryParam("asOf", "2024-06-30").get(summary).header("ETag"))
                .as("another request, another tag").isNotEqualTo(tag);

        Response young = given().queryParam("knownAt", knownAtNow()).get(summary);
        assertThat(young.header("ETag")).as("a young knownAt, as today").matches("W/\"\\d+-\\d{4}\"");
        assertThat(young.header("Cache-Control")).isEqualTo("private, no-cache");
    }

    @Test
    void aProjectAsKnownBeforeItWasRecordedIsUnknown() {
        String before = OffsetDateTime.now(ZoneOffset.ofHours(8)).minusMinutes(5).toString();
        Project project = Api.reserve(Api.newCampaign(), "方山白酒项目", "141128", "baijiu", List.of(),
                "60", null, MAY);
        Api.awaitProjected(project);

        given().queryParam("knownAt", before).get("/api/v1/projects/{id}", project.id()).then().statusCode(404);
        given().queryParam("knownAt", knownAtNow()).get("/api/v1/projects/{id}", project.id()).then().statusCode(200);
    }

    /** The instant now, as a client sends it; waits a moment so that what comes next is recorded after it. */
    static String knownAtNow() {
        String now = OffsetDateTime.now(ZoneOffset.ofHours(8)).toString();
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return now;
    }

    /** The body without the echo of the axes, which differs by request. */
    private static Map<String, Object> body(Response response) {
        assertThat(response.statusCode()).isEqualTo(200);
        Map<String, Object> body = new HashMap<>(new JsonPath(response.asString()).getMap("$"));
        body.remove("asOf");
        body.remove("knownAt");
        return body;
    }
}
