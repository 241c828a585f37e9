package cn.qxqy.pipeline.security;

import cn.qxqy.pipeline.embedded.EmbeddedIssuer.Claims;
import cn.qxqy.pipeline.testing.Api;
import cn.qxqy.pipeline.testing.PipelineInfrastructure;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static cn.qxqy.pipeline.testing.Api.envelope;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/**
 * Who may change a project another department reserved (issue 11's finding: the department sww corrected and then
 * withdrew a project that another had reserved). Local accounts: xingxian holds 兴县 141123, sww 汾阳 141182, fgw the
 * whole city 141100.
 */
@QuarkusTest
class ProjectRightsTest {

    private static final LocalDate DAY = LocalDate.of(2024, 5, 6);

    private String project;
    private Map<String, Object> reservation;

    @BeforeEach
    void xingxianReservesAProjectInItsCounty() {
        project = Api.newProjectId();
        reservation = envelope("ProjectReserved", DAY, Api.reservation("兴县铝镁项目", Api.CAMPAIGN, "141123",
                "aluminium-magnesium", List.of(), "5000"));
        as("xingxian").body(reservation).post("/api/v1/projects/{id}/events", project).then().statusCode(201);
    }

    @Test
    void anotherCountysDepartmentRepostingTheReservationLearnsNothingOfIt() {
        // The same eventId and body: not the original's 200.
        as("sww").body(reservation).post("/api/v1/projects/{id}/events", project)
                .then().statusCode(403).body("type", equalTo("/problems/region-not-held"));
        // The same eventId with other content: not the 409 that would say the eventId is taken.
        Map<String, Object> other = new java.util.LinkedHashMap<>(reservation);
        other.put("occurredOn", DAY.plusDays(1).toString());
        as("sww").body(other).post("/api/v1/projects/{id}/events", project)
                .then().statusCode(403).body("type", equalTo("/problems/region-not-held"));
        as("sww").body(List.of(withProject(reservation))).post("/api/v1/events")
                .then().statusCode(200).body("results[0].status", equalTo(403));
        // The sender itself, and the city, still get the original answer.
        as("xingxian").body(reservation).post("/api/v1/projects/{id}/events", project)
                .then().statusCode(200).body("version", equalTo(1));
        as("fgw").body(reservation).post("/api/v1/projects/{id}/events", project).then().statusCode(200);
        assertThat(Api.sqlValue("SELECT count(*) FROM events WHERE project_id = '" + project + "'")).isEqualTo("1");
    }

    private Map<String, Object> withProject(Map<String, Object> envelope) {
        Map<String, Object> item = new java.util.LinkedHashMap<>(envelope);
        item.put("projectId", project);
        return item;
    }

    @Test
    void aDepartmentOfAnotherCountyCannotCorrectTheProjectIntoItsOwnCountyNorWithdrawIt() {
        Response correction = as("sww").body(envelope("ProjectCorrected", DAY, Map.of("plannedInvestment", 999999999,
                "regionCode", "141182"))).post("/api/v1/projects/{id}/events", project);
        correction.then().statusCode(403).contentType("application/problem+json")
                .body("type", equalTo("/problems/region-not-held")).body("detail", containsString("141123"));
        as("sww").body(envelope("ProjectWithdrawn", DAY, Map.of("reason", "撤资")))
                .post("/api/v1/projects/{id}/events", project)
                .then().statusCode(403).body("type", equalTo("/problems/region-not-held"));
        assertThat(Api.sqlValue("SELECT count(*) FROM events WHERE project_id = '" + project + "'")).isEqualTo("1");
    }

    @Test
    void anotherDepartmentOfTheSameCountyCannotChangeWhatItDidNotReserve() {
        String token = PipelineInfrastructure.issuer().token(Claims.of("xingxian-shangwu", List.of("department"),
                List.of("141123")));
        RestAssured.given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON)
                .body(envelope("ProjectWithdrawn", DAY, Map.of("reason", "撤资")))
                .post("/api/v1/projects/{id}/events", project)
                .then().statusCode(403).body("type", equalTo("/problems/reserved-by-another-department"))
                .body("detail", containsString("xingxian"));
        assertThat(Api.sqlValue("SELECT count(*) FROM events WHERE project_id = '" + project + "'")).isEqualTo("1");
    }

    @Test
    void theCountyCannotMoveItsProjectOutOfItsCountyButTheCityCan() {
        as("xingxian").body(envelope("ProjectCorrected", DAY, Map.of("regionCode", "141182")))
                .post("/api/v1/projects/{id}/events", project)
                .then().statusCode(403).body("type", equalTo("/problems/region-not-held"))
                .body("errors.field", hasItem("data.regionCode")).body("detail", containsString("141182"));
        as("fgw").body(envelope("ProjectCorrected", DAY, Map.of("regionCode", "141182")))
                .post("/api/v1/projects/{id}/events", project).then().statusCode(201);
        // Now in 汾阳: the county that reserved it no longer holds it.
        as("xingxian").body(envelope("ProjectWithdrawn", DAY, Map.of("reason", "撤资")))
                .post("/api/v1/projects/{id}/events", project).then().statusCode(403);
        assertThat(Api.sqlValue("SELECT source FROM events WHERE project_id = '" + project + "' AND version = 2"))
                .isEqualTo("fgw");
    }

    private static RequestSpecification as(String account) {
        return RestAssured.given().auth().preemptive().basic(account, account + "-secret").contentType(ContentType.JSON);
    }
}
