package cn.qxqy.pipeline.projection;

import cn.qxqy.pipeline.testing.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static cn.qxqy.pipeline.testing.Api.envelope;
import static cn.qxqy.pipeline.testing.Api.given;
import static cn.qxqy.pipeline.testing.Api.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An event the read models refuse for good parks its project, with its error, where an admin sees it; the other
 * projects go on; the project's later events wait with it; a re-drive after the fix applies them all from the store.
 */
@QuarkusTest
class ProjectorDeadLettersTest {

    /** Stands for any lasting failure of one project's projection (a bug, data the read models cannot hold). */
    private static final String REFUSE = "ALTER TABLE project_view ADD CONSTRAINT refuse_for_test "
            + "CHECK (name NOT LIKE 'refused-by-the-read-model%') NOT VALID";
    private static final String ACCEPT = "ALTER TABLE project_view DROP CONSTRAINT IF EXISTS refuse_for_test";

    /** A reservation the read models refuse while {@link #REFUSE} holds. */
    private static Map<String, Object> refusedReservation(String projectId) {
        Map<String, Object> data = Api.reservation(Api.CAMPAIGN, "141102", "coal", List.of("special-bond"), "10.00");
        data.put("name", "refused-by-the-read-model " + projectId);
        return envelope("ProjectReserved", LocalDate.of(2024, 3, 1), data);
    }

    @Test
    void aProjectTheReadModelsRefuseIsParkedAndReDrivenAfterTheFixWhileOthersGoOn() {
        String parked = Api.newProjectId();
        String other = Api.newProjectId();
        Api.sql(REFUSE);
        try {
            post(parked, refusedReservation(parked)).then().statusCode(201);
            post(other, envelope("ProjectReserved", LocalDate.of(2024, 3, 1),
                    Api.reservation(Api.CAMPAIGN, "141102", "coal", List.of("special-bond"), "20.00"))).then().statusCode(201);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(deadLetter(parked))
                    .containsEntry("fromVersion", 1).containsEntry("toVersion", 1).containsEntry("eventType", "ProjectReserved")
                    .hasEntrySatisfying("error", error -> assertThat((String) error).contains("refuse_for_test")));
            given().queryParam("waitFor", other + ":1").get("/api/v1/projects/{id}", other).then().statusCode(200);
            given().get("/api/v1/projects/{id}", parked).then().statusCode(404);

            // Fixed now, but a later event of the parked project still waits with it, in order, for the re-drive.
            Api.sql(ACCEPT);
            post(parked, envelope("ProjectSigned", LocalDate.of(2024, 3, 2), Map.of("signedInvestment", 10,
                    "investor", "某公司"))).then().statusCode(201);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(deadLetter(parked)).containsEntry("toVersion", 2));
            given().get("/api/v1/projects/{id}", parked).then().statusCode(404);
            JsonPath status = Api.admin().get("/api/v1/admin/projections").then().statusCode(200).extract().jsonPath();
            assertThat(status.getLong("find { it.name == 'projector' }.deadLetters")).isGreaterThanOrEqualTo(1);
            assertThat(status.getLong("find { it.name == 'projector' }.lag")).isGreaterThanOrEqualTo(2);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(given().get("/q/metrics").then()
                    .extract().asString()).containsPattern("(?m)^pipeline_projector_dead_letters [1-9]"));
        } finally {
            Api.sql(ACCEPT);
        }

        List<Map<String, Object>> redriven = Api.admin().queryParam("projectId", parked)
                .post("/api/v1/admin/projections/dead-letters/redrive").then().statusCode(200).extract().jsonPath().getList("");
        assertThat(redriven).singleElement().satisfies(outcome -> assertThat(outcome)
                .containsEntry("projectId", parked).containsEntry("outcome", "REDRIVEN").containsEntry("version", 2));
        assertThat(deadLetter(parked)).isNull();
        assertThat(given().get("/api/v1/projects/{id}", parked).then().extract().jsonPath().getLong("version")).isEqualTo(2);
        assertThat(Api.admin().get("/api/v1/admin/projections/check").then().statusCode(200).extract().jsonPath()
                .getLong("differenceCount")).isZero();
    }

    @Test
    void aRebuildAppliesParkedProjectsAndReleasesThem() {
        String parked = Api.newProjectId();
        Api.sql(REFUSE);
        try {
            post(parked, refusedReservation(parked)).then().statusCode(201);
            await().atMost(Duration.ofSeconds(30)).until(() -> deadLetter(parked) != null);
        } finally {
            Api.sql(ACCEPT);
        }
        Api.admin().post("/api/v1/admin/projections/rebuild").then().statusCode(202);
        await().atMost(Duration.ofSeconds(60)).until(() -> "DONE".equals(Api.admin().get("/api/v1/admin/projections")
                .then().extract().path("find { it.name == 'rebuild' }.state")));
        assertThat(deadLetter(parked)).isNull();
        given().queryParam("waitFor", parked + ":1").get("/api/v1/projects/{id}", parked).then().statusCode(200);
        // Released: its next event is projected as any other.
        post(parked, envelope("ProjectSigned", LocalDate.of(2024, 3, 2), Map.of("signedInvestment", 10,
                "investor", "某公司"))).then().statusCode(201);
        given().queryParam("waitFor", parked + ":2").get("/api/v1/projects/{id}", parked).then().statusCode(200);
    }

    @Test
    void reDrivingAProjectThatIsNotParkedChangesNothing() {
        String projectId = Api.newProjectId();
        List<Map<String, Object>> outcomes = Api.admin().queryParam("projectId", projectId)
                .post("/api/v1/admin/projections/dead-letters/redrive").then().statusCode(200).extract().jsonPath().getList("");
        assertThat(outcomes).singleElement().satisfies(outcome -> assertThat(outcome).containsEntry("outcome", "NOT_PARKED"));
    }

    private static Map<String, Object> deadLetter(String projectId) {
        List<Map<String, Object>> letters = Api.admin().get("/api/v1/admin/projections/dead-letters").then().statusCode(200)
                .extract().jsonPath().getList("");
        return letters.stream().filter(letter -> projectId.equals(letter.get("projectId"))).findFirst().orElse(null);
    }
}
