package cn.qxqy.pipeline.it;

import cn.qxqy.pipeline.testing.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static cn.qxqy.pipeline.testing.Api.department;
import static cn.qxqy.pipeline.testing.Api.envelope;
import static cn.qxqy.pipeline.testing.Api.given;
import static cn.qxqy.pipeline.testing.Api.post;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every refused request gets its 4xx as an RFC 7807 problem naming the field, and leaves no trace. */
@QuarkusTest
class BadInputTest {

    private static final LocalDate DAY = LocalDate.of(2024, 4, 1);

    private String campaign;
    private String projectId;

    @BeforeEach
    void reserveAProject() {
        campaign = Api.newCampaign();
        projectId = Api.newProjectId();
        post(projectId, envelope("ProjectReserved", DAY, Api.reservation(campaign, "141102", "hydrogen",
                List.of("special-bond"), "8000"))).then().statusCode(201);
    }

    @Test
    void malformedJsonIsA400() {
        refused(department().body("{\"eventId\": ").post(eventsOf(projectId)), 400);
        refused(department().body("{\"a\":1} trailing").post(eventsOf(projectId)), 400);
        refused(department().body("[]").post(eventsOf(projectId)), 400);
        refused(department().body("").post(eventsOf(projectId)), 400);
    }

    @Test
    void wrongTypesAreNamedFieldByField() {
        Map<String, Object> event = envelope("ProjectSigned", DAY, Map.of("signedInvestment", List.of(1), "investor", 7));
        event.put("expectedVersion", "one");
        refused(post(projectId, event), 400)
                .body("errors.field", hasItems("data.signedInvestment", "data.investor", "expectedVersion"));
    }

    @Test
    void unknownTypesAndFieldsAreRefused() {
        refused(post(projectId, envelope("ProjectApproved", DAY, Map.of())), 400).body("errors.field", hasItem("type"));
        refused(post(projectId, envelope("ProjectSigned", DAY,
                Map.of("signedInvestment", 10, "investor", "某公司", "discount", 3))), 400)
                .body("errors.field", hasItem("data.discount"));
        Map<String, Object> extra = envelope("ConstructionStarted", DAY, Map.of());
        extra.put("priority", "high");
        refused(post(projectId, extra), 400).body("errors.field", hasItem("priority"));
    }

    @Test
    void invalidValuesAreNamedFieldByField() {
        Map<String, Object> data = Api.reservation(campaign, "999999", "tea", List.of("lottery"), "-5");
        data.put("plannedInvestment", "12.345");
        data.put("name", " ");
        refused(post(Api.newProjectId(), envelope("ProjectReserved", DAY, data)), 400)
                .body("errors.field", hasItem("data.name"))
                .body("errors.field", hasItem("data.plannedInvestment"));
        refused(post(Api.newProjectId(), envelope("ProjectReserved", DAY,
                Api.reservation(campaign, "999999", "tea", List.of("lottery"), "5"))), 400)
                .body("errors.field", hasItems("data.regionCode", "data.industryChain", "data.categories"));
        refused(post(projectId, envelope("ProjectSigned", Api.TODAY.plusDays(2),
                Map.of("signedInvestment", 10, "investor", "某公司"))), 400).body("errors.field", hasItem("occurredOn"));
        refused(post(projectId, envelope("ProjectSigned", DAY.minusDays(1),
                Map.of("signedInvestment", 10, "investor", "某公司"))), 400).body("errors.field", hasItem("occurredOn"));
        Map<String, Object> badId = envelope("ConstructionStarted", DAY, Map.of());
        badId.put("eventId", "not-a-uuid");
        refused(post(projectId, badId), 400).body("errors.field", hasItem("eventId"));
        refused(post("bad id!", envelope("ConstructionStarted", DAY, Map.of())), 400)
                .body("errors.field", hasItem("projectId"));
    }

    @Test
    void anUnknownProjectIsA404() {
        String unknown = Api.newProjectId();
        refused(post(unknown, envelope("ConstructionStarted", DAY, Map.of())), 404);
        given().get("/api/v1/projects/{id}/events", unknown).then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void illegalTransitionsAndVersionMismatchesAreA409() {
        refused(post(projectId, envelope("ProjectCompleted", DAY, Map.of())), 409);
        refused(post(projectId, envelope("ProjectReserved", DAY, Api.reservation(campaign, "141102", "hydrogen",
                List.of(), "1"))), 409);
        Map<String, Object> stale = envelope("ConstructionStarted", DAY, Map.of());
        stale.put("expectedVersion", 0);
        refused(post(projectId, stale), 409).body("detail", containsString("expectedVersion"));
    }

    @Test
    void anEventIdIsIdempotentForTheSameContentAndAConflictForOther() {
        Map<String, Object> start = envelope("ConstructionStarted", DAY, Map.of());
        Response first = post(projectId, start);
        first.then().statusCode(201);
        post(projectId, start).then().statusCode(200)
                .body("version", equalTo(2))
                .body("position", equalTo(first.jsonPath().getInt("position")));
        Map<String, Object> other = new LinkedHashMap<>(start);
        other.put("occurredOn", DAY.plusDays(1).toString());
        post(projectId, other).then().statusCode(409).contentType("application/problem+json");
        assertEquals(2, history(projectId).size());
    }

    @Test
    void wrongContentTypeIsA415AndOversizeA413() {
        Response wrongType = RestAssured.given().auth().preemptive().basic("fgw", "fgw-secret")
                .contentType(ContentType.TEXT).body("hello").post(eventsOf(projectId));
        refused(wrongType, 415);
        Map<String, Object> huge = envelope("MilestoneRetracted", DAY, Map.of("reason", "x".repeat(70_000)));
        refused(post(projectId, huge), 413);
        refused(department().body("[" + "{},".repeat(1000) + "{}]").post("/api/v1/events"), 413);
    }

    @Test
    void writersMustSignInWithADepartmentRole() {
        Map<String, Object> start = envelope("ConstructionStarted", DAY, Map.of());
        refused(RestAssured.given().contentType(ContentType.JSON).body(start).post(eventsOf(projectId)), 401);
        refused(RestAssured.given().auth().preemptive().basic("fgw", "wrong").contentType(ContentType.JSON)
                .body(start).post(eventsOf(projectId)), 401);
        refused(RestAssured.given().auth().preemptive().basic("viewer", "viewer-secret").contentType(ContentType.JSON)
                .body(start).post(eventsOf(projectId)), 403);
        refused(RestAssured.given().auth().preemptive().basic("fgw", "fgw-secret")
                .get("/api/v1/admin/projections"), 403);
    }

    @Test
    void aBatchAppliesEachItemOnItsOwn() {
        Map<String, Object> good = envelope("ConstructionStarted", DAY, Map.of());
        good.put("projectId", projectId);
        Map<String, Object> illegal = envelope("ProjectSigned", DAY, Map.of("signedInvestment", 10, "investor", "某公司"));
        illegal.put("projectId", projectId);
        Map<String, Object> noProject = envelope("ConstructionStarted", DAY, Map.of());
        department().body(List.of(good, illegal, noProject, "junk")).post("/api/v1/events").then()
                .statusCode(200)
                .body("results.status", equalTo(List.of(201, 409, 400, 400)))
                .body("results[0].result.version", equalTo(2))
                .body("results[1].problem.status", equalTo(409))
                .body("results[2].problem.errors.field", hasItem("projectId"));
        assertEquals(2, history(projectId).size());
    }

    private static String eventsOf(String projectId) {
        return "/api/v1/projects/" + projectId + "/events";
    }

    private static List<Object> history(String projectId) {
        return given().get("/api/v1/projects/{id}/events", projectId).then().statusCode(200).extract().jsonPath()
                .getList("$");
    }

    /** Asserts the status and the problem shape, and that the project's history did not grow. */
    private io.restassured.response.ValidatableResponse refused(Response response, int status) {
        var validated = response.then().statusCode(status).contentType("application/problem+json")
                .body("status", equalTo(status)).body("title", notNullValue());
        assertEquals(1, history(projectId).size(), "a refused event left a trace");
        return validated;
    }
}
