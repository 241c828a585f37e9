package cn.qxqy.pipeline.query;

import cn.qxqy.pipeline.testing.Api;
import cn.qxqy.pipeline.testing.Api.Project;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static cn.qxqy.pipeline.testing.Api.given;
import static cn.qxqy.pipeline.testing.Api.reserve;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The search lists the active projects by default, as the campaign's figures count them, and says how many withdrawn
 * ones the switch includeWithdrawn (含退出) adds; the figures' shortcut (campaign and one dimension) and the count of
 * the views agree.
 */
@QuarkusTest
class ActiveProjectsTest {

    private static final LocalDate DAY = LocalDate.of(2024, 4, 1);

    private String campaign;
    private Project started;
    private Project reserved;
    private Project withdrawn;

    @BeforeEach
    void twoActiveProjectsAndAWithdrawnOneInOneCounty() {
        campaign = Api.newCampaign();
        started = reserve(campaign, "兴县铝镁在建项目", "141123", "aluminium-magnesium", List.of("private-capital"),
                "1000", null, DAY).post("ConstructionStarted", DAY.plusDays(5), Map.of());
        reserved = reserve(campaign, "兴县铝镁储备项目", "141123", "aluminium-magnesium", List.of(), "200", null, DAY);
        withdrawn = reserve(campaign, "兴县铝镁退出项目", "141123", "aluminium-magnesium", List.of("private-capital"),
                "30", null, DAY).post("ProjectWithdrawn", DAY.plusDays(9), Map.of("reason", "投资方退出"));
        Api.awaitProjected(started, reserved, withdrawn);
    }

    @Test
    void theSearchListsActiveProjectsAndSaysHowManyWithdrawnOnesTheSwitchAdds() {
        JsonPath active = search(Map.of());
        assertThat(active.getList("items.projectId", String.class))
                .containsExactlyInAnyOrder(started.id(), reserved.id());
        assertThat(active.getLong("total")).isEqualTo(2)
                .isEqualTo(given().get("/api/v1/campaigns/{id}/summary", campaign).jsonPath().getLong("projects"));
        assertThat(active.getLong("withdrawn")).isEqualTo(1);

        JsonPath all = search(Map.of("includeWithdrawn", "true"));
        assertThat(all.getList("items.projectId", String.class))
                .containsExactlyInAnyOrder(started.id(), reserved.id(), withdrawn.id());
        assertThat(all.getLong("total")).isEqualTo(3);
        assertThat(all.getLong("withdrawn")).isEqualTo(1);
    }

    @Test
    void theCountsFromTheFiguresAgreeWithTheCountsOfTheViews() {
        // Campaign and one dimension: read from the campaign figures; with q: counted in the views.
        for (Map<String, Object> filters : List.of(Map.<String, Object>of("regionCode", "141123"),
                Map.<String, Object>of("category", "private-capital"), Map.<String, Object>of("q", "兴县铝镁"))) {
            JsonPath page = search(filters);
            assertThat(page.getLong("withdrawn")).as(filters.toString()).isEqualTo(1);
            assertThat(page.getLong("total")).as(filters.toString()).isEqualTo(page.getList("items").size());
            JsonPath all = search(with(filters, "includeWithdrawn", "true"));
            assertThat(all.getLong("total")).as(filters.toString()).isEqualTo(page.getLong("total") + 1);
        }
        assertThat(search(Map.of("category", "private-capital")).getList("items.projectId", String.class))
                .containsExactly(started.id());
    }

    @Test
    void aStageListsThatStageWhateverTheSwitchSays() {
        JsonPath stage = search(Map.of("stage", "WITHDRAWN"));
        assertThat(stage.getList("items.projectId", String.class)).containsExactly(withdrawn.id());
        assertThat(stage.getLong("total")).isEqualTo(1);
        JsonPath reservedOnly = search(Map.of("stage", "RESERVED", "includeWithdrawn", "true"));
        assertThat(reservedOnly.getList("items.projectId", String.class)).containsExactly(reserved.id());
        assertThat(reservedOnly.getLong("withdrawn")).isZero();
    }

    @Test
    void aCursorOfTheActiveListIsNotOneOfTheListWithWithdrawnProjects() {
        String next = search(Map.of("size", 1)).getString("next");
        assertThat(next).isNotNull();
        given().queryParams(Map.of("campaignId", campaign, "size", 1, "cursor", next, "includeWithdrawn", "true"))
                .get("/api/v1/projects").then().statusCode(400)
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("cursor"));
    }

    @Test
    void aSwitchOtherThanTrueOrFalseIsRefusedNotReadAsFalse() {
        given().queryParams(Map.of("campaignId", campaign, "includeWithdrawn", "yes")).get("/api/v1/projects").then()
                .statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("includeWithdrawn"));
    }

    private JsonPath search(Map<String, Object> params) {
        return given().queryParams(with(params, "campaignId", campaign)).get("/api/v1/projects").then().statusCode(200)
                .extract().jsonPath();
    }

    private static Map<String, Object> with(Map<String, Object> params, String name, Object value) {
        Map<String, Object> query = new HashMap<>(params);
        query.putIfAbsent(name, value);
        return query;
    }
}
