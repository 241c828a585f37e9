package cn.qxqy.pipeline.security;

import cn.qxqy.pipeline.embedded.EmbeddedIssuer.Claims;
import cn.qxqy.pipeline.testing.Api;
import cn.qxqy.pipeline.testing.PipelineInfrastructure;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static cn.qxqy.pipeline.testing.Api.envelope;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A department over its rate (the test department flood may post 3 events a second) gets 429 and stores nothing. */
@QuarkusTest
class RateLimitTest {

    @Test
    void aDepartmentOverItsRateIsToldToRetryLaterAndNothingOfTheRefusedRequestIsStored() {
        List<String> projects = new ArrayList<>();
        List<Integer> statuses = new ArrayList<>();
        Response refused = null;
        for (int i = 0; i < 6 && refused == null; i++) {
            String project = Api.newProjectId();
            projects.add(project);
            Response answer = flood().body(envelope("ProjectReserved", LocalDate.of(2024, 5, 6),
                    Api.reservation(Api.CAMPAIGN, "141123", "other", List.of(), "10")))
                    .post("/api/v1/projects/{id}/events", project);
            statuses.add(answer.statusCode());
            refused = answer.statusCode() == 429 ? answer : null;
        }
        assertThat(refused).as("statuses %s", statuses).isNotNull();
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.header("Retry-After")).isEqualTo("1");
        assertThat(refused.jsonPath().getString("type")).isEqualTo("/problems/too-many-events");
        String last = projects.get(projects.size() - 1);
        assertThat(Api.sqlValue("SELECT count(*) FROM events WHERE project_id = '" + last + "'")).isEqualTo("0");
        // Other departments are not held back meanwhile, and the department may post again after Retry-After.
        Api.reserve(Api.CAMPAIGN, "其他部门项目", "141123", "other", List.of(), "10", null, LocalDate.of(2024, 5, 6));
        await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> flood()
                .body(envelope("ProjectReserved", LocalDate.of(2024, 5, 6),
                        Api.reservation(Api.CAMPAIGN, "141123", "other", List.of(), "10")))
                .post("/api/v1/projects/{id}/events", Api.newProjectId()).statusCode() == 201);
    }

    private static RequestSpecification flood() {
        String token = PipelineInfrastructure.issuer().token(Claims.of("flood", List.of("department"),
                List.of("141123")));
        return RestAssured.given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON);
    }
}
