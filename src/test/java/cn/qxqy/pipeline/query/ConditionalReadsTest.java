package cn.qxqy.pipeline.query;

import cn.qxqy.pipeline.testing.Api.Project;
import cn.qxqy.pipeline.testing.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static cn.qxqy.pipeline.testing.Api.given;
import static org.assertj.core.api.Assertions.assertThat;

/** ETags from the read-model generation: a poll of unchanged figures costs a 304, a change makes it a 200. */
@QuarkusTest
class ConditionalReadsTest {

    private static final LocalDate DAY = LocalDate.of(2024, 5, 6);

    @Test
    void aPollOfUnchangedFiguresIsAnswered304AndAChangeMakesItA200() {
        String campaign = Api.newCampaign();
        Project project = Api.reserve(campaign, "交城特钢项目", "141122", "special-steel", List.of("special-bond"),
                "800", "100", DAY);
        Api.awaitProjected(project);
        List<String> reads = List.of("/summary", "/breakdown?by=region", "/progress", "/timeline", "");

        for (String read : reads) {
            Response first = given().get("/api/v1/campaigns/" + campaign + read);
            assertThat(first.statusCode()).as(read).isEqualTo(200);
            String etag = first.header("ETag");
            assertThat(etag).as(read).matches("W/\"\\d+-\\d{4}\"");
            assertThat(first.header("Cache-Control")).as(read).isEqualTo("private, no-cache");

            Response again = given().header("If-None-Match", etag).get("/api/v1/campaigns/" + campaign + read);
            assertThat(again.statusCode()).as(read).isEqualTo(304);
            assertThat(again.header("ETag")).as(read).isEqualTo(etag);
            assertThat(again.body().asString()).as(read).isEmpty();
        }

        String before = given().get("/api/v1/campaigns/" + campaign + "/summary").header("ETag");
        project.post("ConstructionStarted", DAY.plusDays(3), Map.of());
        Response changed = given().queryParam("waitFor", project.waitFor()).header("If-None-Match", before)
                .get("/api/v1/campaigns/" + campaign + "/summary");
        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(changed.jsonPath().getInt("stages.STARTED.current")).isEqualTo(1);
        assertThat(changed.header("ETag")).isNotEqualTo(before);
    }

    @Test
    void anEditOfTheTargetsChangesTheProgressTag() {
        String campaign = Api.newCampaign();
        String before = given().get("/api/v1/campaigns/" + campaign + "/progress").header("ETag");
        Api.admin().body(Map.of("targets", List.of(Map.of("code", "projects", "nameZh", "项目总数", "nameEn", "Projects",
                        "measure", "projects", "target", 10))))
                .put("/api/v1/admin/campaigns/{id}/targets", campaign).then().statusCode(200);

        Response after = given().header("If-None-Match", before).get("/api/v1/campaigns/" + campaign + "/progress");
        assertThat(after.statusCode()).isEqualTo(200);
        assertThat(after.jsonPath().getList("targets.code")).containsExactly("projects");
    }

    @Test
    void aProjectsHistoryComesFromTheEventStoreAndIsNotTagged() {
        Project project = Api.reserve(Api.newCampaign(), "岚县文旅项目", "141127", "culture-tourism", List.of(),
                "50", null, DAY);
        Api.awaitProjected(project);
        assertThat(given().get("/api/v1/projects/{id}/events", project.id()).header("ETag")).isNull();
        assertThat(given().get("/api/v1/projects/{id}", project.id()).then().statusCode(200).extract().header("ETag"))
                .isNotNull();
    }
}
