package cn.qxqy.pipeline.it;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static cn.qxqy.pipeline.it.Api.envelope;
import static cn.qxqy.pipeline.it.Api.post;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The projector never moves past an event it could not apply: it retries until the read models take it. */
@QuarkusTest
class ProjectorRetryTest {

    @Test
    void anEventTheReadModelsRefuseIsRetriedUntilTheyTakeItNotSkipped() {
        String projectId = Api.newProjectId();
        Map<String, Object> data = Api.reservation(Api.CAMPAIGN, "141102", "coal", List.of("special-bond"), "10.00");
        data.put("name", "refused-by-the-read-model " + projectId);
        // Stands for any failure of the read side (a database that refuses writes for a while).
        Api.sql("ALTER TABLE project_view ADD CONSTRAINT refuse_for_test CHECK (name NOT LIKE 'refused-by-the-read-model%') NOT VALID");
        try {
            post(projectId, envelope("ProjectReserved", LocalDate.of(2024, 3, 1), data)).then().statusCode(201);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> Api.admin().get("/api/v1/admin/projections")
                    .then().statusCode(200).body("[0].lastError", containsString("refuse_for_test")));
            given().get("/api/v1/projects/{id}", projectId).then().statusCode(404);
            // Longer than any bounded retry would wait (the projector used to give up after 8 tries, ~16 s).
            await().pollDelay(Duration.ofSeconds(20)).atMost(Duration.ofSeconds(21)).until(() -> true);
            given().get("/api/v1/projects/{id}", projectId).then().statusCode(404);
        } finally {
            Api.sql("ALTER TABLE project_view DROP CONSTRAINT refuse_for_test");
        }
        Api.awaitProjected();
        assertEquals(projectId, given().get("/api/v1/projects/{id}", projectId).then().statusCode(200)
                .extract().jsonPath().getString("projectId"));
    }
}
