package cn.qxqy.pipeline.query;

import cn.qxqy.pipeline.testing.Api;
import cn.qxqy.pipeline.testing.Api.Project;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;

import static cn.qxqy.pipeline.testing.Api.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Until the rebuild V14 requires has swapped, the views lack their dated columns: a search with asOf answers "not yet
 * projected", as the campaign reads do, never a fault.
 */
@QuarkusTest
class AsOfSearchBeforeRebuildTest {

    @Test
    void aSearchWithAsOfBeforeTheRequiredRebuildSwappedIsNotYetProjected() {
        String campaign = Api.newCampaign();
        String name = "重建前的项目 " + campaign;
        Project project = Api.reserve(campaign, name, "141129", "special-steel", List.of(), "90", null,
                LocalDate.of(2024, 5, 6));
        Api.awaitProjected(project);
        String where = " FROM project_view WHERE project_id = '" + project.id() + "'";
        String reports = Api.sqlValue("SELECT reports::text" + where);
        String placements = Api.sqlValue("SELECT placements::text" + where);
        // As a release before V14 left the view, and V14 asks for the rebuild.
        Api.sql("UPDATE project_view SET reports = NULL, placements = NULL WHERE project_id = '" + project.id() + "'",
                "UPDATE projection_status SET required = true WHERE name = 'rebuild'");
        try {
            // Empty placements would leave it out of a search by campaign: found by its name instead.
            Response answer = given().queryParam("q", name).queryParam("asOf", "2024-06-30").get("/api/v1/projects");
            assertThat(answer.statusCode()).isEqualTo(503);
            assertThat(answer.jsonPath().getString("type")).isEqualTo("/problems/not-yet-projected");
        } finally {
            // As the rebuild leaves them, so that the other tests' searches find the view whole.
            Api.sql("UPDATE project_view SET reports = '" + reports + "', placements = '" + placements
                    + "' WHERE project_id = '" + project.id() + "'",
                    "UPDATE projection_status SET required = false WHERE name = 'rebuild'");
        }
    }
}
