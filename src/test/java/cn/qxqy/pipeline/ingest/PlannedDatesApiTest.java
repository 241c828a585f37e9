package cn.qxqy.pipeline.ingest;

import cn.qxqy.pipeline.testing.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static cn.qxqy.pipeline.testing.Api.given;
import static org.assertj.core.api.Assertions.assertThat;

/** 计划开工日期 and 计划竣工日期 through the ingest API and back from the project read. */
@QuarkusTest
class PlannedDatesApiTest {

    private static final LocalDate RESERVED_ON = LocalDate.of(2024, 3, 1);
    private static final LocalDate PLANNED_START = LocalDate.of(2024, 4, 1);
    /** Ahead of today, whenever the test runs: a plan may lie years ahead. */
    private static final LocalDate PLANNED_COMPLETION = Api.TODAY.plusYears(2);

    @Test
    void aReservationStatesItsPlannedDaysAndACorrectionChangesOnlyTheOneItSends() {
        Map<String, Object> data = Api.reservation(Api.CAMPAIGN, "141123", "hydrogen", List.of(), "5000");
        data.put("plannedStartOn", PLANNED_START.toString());
        data.put("plannedCompletionOn", PLANNED_COMPLETION.toString());
        Api.Project project = new Api.Project(Api.newProjectId()).post("ProjectReserved", RESERVED_ON, data);

        JsonPath reserved = read(project);
        assertThat(reserved.getString("plannedStartOn")).isEqualTo(PLANNED_START.toString());
        assertThat(reserved.getString("plannedCompletionOn")).isEqualTo(PLANNED_COMPLETION.toString());

        project.post("ProjectCorrected", Api.TODAY, Map.of("plannedStartOn", "2024-05-01"));

        JsonPath corrected = read(project);
        assertThat(corrected.getLong("version")).isEqualTo(2);
        assertThat(corrected.getString("plannedStartOn")).isEqualTo("2024-05-01");
        assertThat(corrected.getString("plannedCompletionOn")).isEqualTo(PLANNED_COMPLETION.toString());
        assertThat(corrected.getString("name")).isEqualTo(data.get("name"));
        assertThat(Api.amount(corrected, "plannedInvestment")).isEqualByComparingTo("5000");
        assertThat(Api.sqlValue("SELECT data::text FROM events WHERE project_id = '" + project.id() + "' AND version = 2"))
                .isEqualTo("{\"plannedStartOn\": \"2024-05-01\"}");
    }

    @Test
    void aCorrectionPlanningCompletionBeforeStartIsRefusedNamingTheFieldInEitherLanguageAndNothingIsStored() {
        Map<String, Object> data = Api.reservation(Api.CAMPAIGN, "141123", "hydrogen", List.of(), "5000");
        data.put("plannedStartOn", PLANNED_START.toString());
        Api.Project project = new Api.Project(Api.newProjectId()).post("ProjectReserved", RESERVED_ON, data);
        Map<String, Object> early = Map.of("plannedCompletionOn", "2024-03-31");

        JsonPath english = Api.post(project.id(), Api.envelope("ProjectCorrected", Api.TODAY, early)).then()
                .statusCode(400).extract().jsonPath();
        JsonPath chinese = Api.department().header("Accept-Language", "zh")
                .body(Api.envelope("ProjectCorrected", Api.TODAY, early))
                .post("/api/v1/projects/{id}/events", project.id()).then().statusCode(400).extract().jsonPath();

        assertThat(english.getList("errors.field", String.class)).containsExactly("data.plannedCompletionOn");
        assertThat(english.getList("errors.message", String.class))
                .containsExactly("plannedCompletionOn 2024-03-31 must not be before plannedStartOn 2024-04-01");
        assertThat(chinese.getList("errors.field", String.class)).containsExactly("data.plannedCompletionOn");
        assertThat(chinese.getList("errors.message", String.class))
                .containsExactly("计划竣工日期 2024-03-31 不能早于计划开工日期 2024-04-01");
        assertThat(Api.sqlValue("SELECT count(*) FROM events WHERE project_id = '" + project.id() + "'")).isEqualTo("1");
        assertThat(read(project).getString("plannedCompletionOn")).isNull();
    }

    private static JsonPath read(Api.Project project) {
        return given().queryParam("waitFor", project.waitFor()).get("/api/v1/projects/{id}", project.id()).then()
                .statusCode(200).extract().jsonPath();
    }
}
