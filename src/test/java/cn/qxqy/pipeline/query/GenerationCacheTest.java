package cn.qxqy.pipeline.query;

import cn.qxqy.pipeline.testing.Api;
import cn.qxqy.pipeline.testing.Api.Project;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static cn.qxqy.pipeline.testing.Api.given;
import static org.assertj.core.api.Assertions.assertThat;

/** The leaders' reads kept for the read models' generation: the same answer until a change moves it, never older. */
@QuarkusTest
class GenerationCacheTest {

    private static final LocalDate DAY = LocalDate.of(2024, 5, 6);

    @Test
    void aReadRepeatedWithoutAChangeIsTheSameAnswerAndAProjectedEventShowsInTheNextRead() {
        String campaign = Api.newCampaign();
        String tag = UUID.randomUUID().toString().substring(0, 8);
        Project first = Api.reserve(campaign, "交城氢能项目" + tag, "141122", "hydrogen", List.of("special-bond"),
                "800", "100", DAY);
        Api.awaitProjected(first);
        String reads = "/api/v1/campaigns/" + campaign;
        // Each read with how many projects its answer counts.
        Map<String, String> counted = new LinkedHashMap<>();
        counted.put(reads + "/summary", "projects");
        counted.put(reads + "/summary?asOf=" + DAY.plusDays(10), "projects");
        counted.put(reads + "/breakdown?by=region", "items.find { it.key == '141122' }.projects");
        counted.put(reads + "/breakdown?by=chain&asOf=" + DAY.plusDays(10), "items.find { it.key == 'hydrogen' }.projects");
        counted.put(reads + "/progress", "projects");
        counted.put(reads + "/timeline", "periods[0].RESERVED.projects");
        counted.put("/api/v1/projects?q=" + tag, "total");
        counted.put("/api/v1/projects?campaignId=" + campaign + "&regionCode=141122&sort=-plannedInvestment&size=20",
                "total");
        Map<String, Response> before = new LinkedHashMap<>();
        counted.forEach((read, count) -> {
            Response answer = given().get(read);
            assertThat(answer.statusCode()).as(read).isEqualTo(200);
            assertThat(answer.jsonPath().getLong(count)).as(read).isEqualTo(1);
            Response again = given().get(read);
            assertThat(again.header("ETag")).as(read).isEqualTo(answer.header("ETag"));
            assertThat(again.body().asString()).as(read).isEqualTo(answer.body().asString());
            before.put(read, answer);
        });

        Project second = Api.reserve(campaign, "交城氢能二期项目" + tag, "141122", "hydrogen", List.of(), "300", null,
                DAY.plusDays(1));
        Api.awaitProjected(second);

        counted.forEach((read, count) -> {
            Response after = given().header("If-None-Match", before.get(read).header("ETag")).get(read);
            assertThat(after.statusCode()).as(read).isEqualTo(200);
            assertThat(after.header("ETag")).as(read).isNotEqualTo(before.get(read).header("ETag"));
            assertThat(after.jsonPath().getLong(count)).as(read).isEqualTo(2);
        });
    }

    @Test
    void aReadRepeatedWhileTheGenerationStaysIsAnsweredWithoutReadingTheReadModelsAgain() {
        String campaign = Api.newCampaign();
        Project project = Api.reserve(campaign, "岚县文旅项目", "141127", "culture-tourism", List.of(), "50", null, DAY);
        Api.awaitProjected(project);
        String summary = "/api/v1/campaigns/" + campaign + "/summary";
        Response first = given().get(summary);
        String row = " campaign_figures SET projects = projects + 100 WHERE campaign_id = '" + campaign
                + "' AND dimension = 'all'";
        // A change of the rows that moves no generation, as no writer makes one: only a kept answer hides it.
        Api.sql("UPDATE" + row);
        try {
            Response again = given().get(summary);
            if (again.header("ETag").equals(first.header("ETag"))) {
                assertThat(again.jsonPath().getLong("projects")).isEqualTo(1);
            }
            Api.sql("UPDATE read_model_generation SET generation = generation + 1");
            assertThat(given().get(summary).jsonPath().getLong("projects")).isEqualTo(101);
        } finally {
            Api.sql("UPDATE" + row.replace("+ 100", "- 100"), "UPDATE read_model_generation SET generation = generation + 1");
        }
        assertThat(given().get(summary).jsonPath().getLong("projects")).isEqualTo(1);
    }

    @Test
    void aRefusedReadIsRefusedAgainAndItsValidTwinAnswered() {
        String campaign = Api.newCampaign();
        String reads = "/api/v1/campaigns/" + campaign;
        for (int attempt = 0; attempt < 2; attempt++) {
            assertThat(given().get(reads + "/breakdown?by=county").statusCode()).isEqualTo(400);
            assertThat(given().get(reads + "/summary?asOf=2001-01-01").statusCode()).isEqualTo(400);
            assertThat(given().get("/api/v1/campaigns/no-such-campaign/summary").statusCode()).isEqualTo(404);
        }
        assertThat(given().get(reads + "/breakdown?by=region").statusCode()).isEqualTo(200);
    }
}
