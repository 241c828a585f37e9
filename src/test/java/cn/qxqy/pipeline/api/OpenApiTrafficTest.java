package cn.qxqy.pipeline.api;

import cn.qxqy.pipeline.testing.Api;
import cn.qxqy.pipeline.testing.AuthorisationMatrix;
import cn.qxqy.pipeline.testing.AuthorisationMatrix.Caller;
import cn.qxqy.pipeline.testing.AuthorisationMatrix.Operation;
import cn.qxqy.pipeline.testing.OpenApiTraffic;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static cn.qxqy.pipeline.testing.Api.admin;
import static cn.qxqy.pipeline.testing.Api.department;
import static cn.qxqy.pipeline.testing.Api.envelope;
import static cn.qxqy.pipeline.testing.Api.given;
import static cn.qxqy.pipeline.testing.AuthorisationMatrix.DAY;
import static cn.qxqy.pipeline.testing.AuthorisationMatrix.PERIOD;
import static cn.qxqy.pipeline.testing.AuthorisationMatrix.REGION;
import static cn.qxqy.pipeline.testing.AuthorisationMatrix.RIGHT_DEPARTMENT;
import static cn.qxqy.pipeline.testing.AuthorisationMatrix.bearer;
import static cn.qxqy.pipeline.testing.AuthorisationMatrix.issuer;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What Prism found in front of the service, checked in the suite: recorded traffic — the authorisation matrix (every
 * operation, every kind of caller), a project's whole lifecycle with the reads that show its nulls, conditional reads,
 * and refused and hostile requests — each request and answer validated against the OpenAPI 3.1 document of
 * {@code /q/openapi} ({@link OpenApiTraffic}). No answer may break the document, and every operation is exercised.
 */
@QuarkusTest
class OpenApiTrafficTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private OpenApiTraffic traffic;
    private String campaign;
    private String project;

    @BeforeEach
    void recordTheTrafficAgainstTheDocument() throws Exception {
        traffic = new OpenApiTraffic(JSON.readTree(RestAssured.given().queryParam("format", "json").get("/q/openapi")
                .then().statusCode(200).extract().asString()));
        RestAssured.filters(traffic);
        campaign = Api.newCampaign();
        project = Api.newProjectId();
        bearer(issuer().token(RIGHT_DEPARTMENT)).body(envelope("ProjectReserved", DAY,
                        Api.reservation("契约项目", campaign, REGION, "aluminium-magnesium", List.of(), "1000")))
                .post("/api/v1/projects/{id}/events", project).then().statusCode(201);
    }

    @AfterEach
    void stopRecording() {
        RestAssured.replaceFiltersWith(List.of());
    }

    @Test
    void everyRequestAndAnswerOfEveryOperationFollowsTheDocument() {
        for (Operation operation : AuthorisationMatrix.operations(campaign, project)) {
            for (Caller caller : Caller.values()) {
                operation.call().apply(AuthorisationMatrix.as(caller), caller);
            }
        }
        aLifecycleWithItsNulls();
        conditionalReads();
        refusals();
        RestAssured.given().get("/dashboard/sign-in").then().statusCode(200);
        given().get("/dashboard/user").then().statusCode(200);
        RestAssured.given().get("/q/asyncapi").then().statusCode(200);
        Api.awaitProjected();

        assertThat(traffic.violations()).as("violations of /q/openapi in %d exchanges", traffic.exchanges()).isEmpty();
        assertThat(traffic.answered()).as("every operation of the document, with the statuses it answered")
                .allSatisfy((operation, statuses) -> assertThat(statuses).as(operation).isNotEmpty());
        assertThat(traffic.answered().get("GET /api/v1/campaigns/{campaignId}/summary")).contains(200, 304, 401, 404);
        assertThat(traffic.answered().get("POST /api/v1/projects/{projectId}/events"))
                .contains(200, 201, 400, 401, 403, 404, 409, 413, 415);
        assertThat(traffic.answered().get("POST /api/v1/campaigns/{campaignId}/reports")).contains(201, 400, 401, 403, 404);
        assertThat(traffic.answered().get("GET /api/v1/campaigns/{campaignId}/reports/{period}/{revision}"))
                .contains(200, 304, 401, 404);
    }

    @Test
    void theValidatorFindsAnAnswerTheDocumentDoesNotList() {
        traffic.check("GET", URI.create("/api/v1/projects/" + project), null, null, 418,
                "application/problem+json", "{}");
        traffic.check("GET", URI.create("/api/v1/campaigns"), null, null, 200, "application/json",
                "[{\"campaignId\": 7}]");
        assertThat(traffic.violations()).hasSize(2).anySatisfy(v -> assertThat(v).contains("status 418 is not listed"))
                .anySatisfy(v -> assertThat(v).contains("/0/campaignId"));
    }

    /** A project through every milestone, a withdrawn one, and the reads that show the fields still null. */
    private void aLifecycleWithItsNulls() {
        Api.Project lifecycle = Api.reserve(campaign, "契约全程", "141123", "aluminium-magnesium",
                List.of("chain-extension"), "500", null, LocalDate.of(2024, 2, 1))
                .post("ProjectSigned", LocalDate.of(2024, 2, 2), Map.of("signedInvestment", 500, "investor", "某公司"))
                .post("ConstructionStarted", LocalDate.of(2024, 2, 3), Map.of())
                .post("InvestmentReported", LocalDate.of(2024, 3, 5), Map.of("period", "2024-02", "investmentToDate", "12.50"));
        Api.Project withdrawn = Api.reserve(campaign, "契约退出", "141123", "other", List.of(), "10", null,
                LocalDate.of(2024, 2, 1)).post("ProjectWithdrawn", LocalDate.of(2024, 2, 5), Map.of("reason", "调整"));
        Api.awaitProjected(lifecycle, withdrawn);
        admin().body(Map.of("targets", List.of(Map.of("code", "signed", "nameZh", "签约项目", "nameEn", "Signed",
                        "measure", "projects", "reachedStage", "SIGNED", "target", 5),
                Map.of("code", "all", "nameZh", "全部项目", "nameEn", "All", "measure", "projects", "target", 10))))
                .put("/api/v1/admin/campaigns/{id}/targets", campaign).then().statusCode(200);
        given().queryParam("waitFor", withdrawn.waitFor()).get("/api/v1/projects/{id}", withdrawn.id()).then().statusCode(200);
        given().queryParam("campaignId", campaign).get("/api/v1/projects").then().statusCode(200);
        given().get("/api/v1/campaigns/{id}/progress", campaign).then().statusCode(200);
        given().get("/api/v1/campaigns").then().statusCode(200);
        given().get("/api/v1/campaigns/{id}", campaign).then().statusCode(200);
        for (String by : List.of("region", "chain", "category")) {
            given().queryParam("by", by).get("/api/v1/campaigns/{id}/breakdown", campaign).then().statusCode(200);
        }
        given().queryParam("granularity", "month").get("/api/v1/campaigns/{id}/timeline", campaign).then().statusCode(200);
        admin().get("/api/v1/projects/{id}/events", lifecycle.id()).then().statusCode(200);
        admin().get("/api/v1/admin/projections").then().statusCode(200);
        admin().get("/api/v1/admin/projections/check").then().statusCode(200);
        admin().queryParam("projectId", lifecycle.id()).post("/api/v1/admin/projections/dead-letters/redrive")
                .then().statusCode(200);
        admin().body(Map.of("partition", 0, "offsets", List.of(0))).post("/api/v1/admin/intake-dead-letters/replay")
                .then().statusCode(200);
        // A batch: one item appended, one refused, one the same event again.
        Map<String, Object> fine = envelope("ProjectCorrected", DAY, Map.of("zone", "兴县经济开发区"));
        fine.put("projectId", project);
        Map<String, Object> illegal = envelope("ProjectCompleted", DAY, Map.of());
        illegal.put("projectId", project);
        department().body(List.of(fine, illegal, fine)).post("/api/v1/events").then().statusCode(200);
        Api.post(project, envelope("ProjectCorrected", DAY, Map.of("owner", "建设单位"))).then().statusCode(201);
    }

    /** Each conditional read again with the ETag it answered: 304. */
    private void conditionalReads() {
        Api.awaitProjected();
        for (String path : List.of("/api/v1/campaigns", "/api/v1/campaigns/" + campaign, "/api/v1/campaigns/" + campaign
                        + "/summary", "/api/v1/campaigns/" + campaign + "/progress", "/api/v1/projects/" + project,
                "/api/v1/projects?campaignId=" + campaign, "/api/v1/reference/regions",
                "/api/v1/campaigns/" + campaign + "/projects.csv", AuthorisationMatrix.issued(campaign))) {
            Response first = given().get(path);
            assertThat(first.statusCode()).as(path).isEqualTo(200);
            given().header("If-None-Match", first.header("ETag")).get(path).then().statusCode(304);
        }
    }

    /** What the service refuses: unknown things, conflicts, malformed, oversized and hostile requests. */
    private void refusals() {
        given().get("/api/v1/campaigns/{id}/summary", "no-such-campaign").then().statusCode(404);
        given().get("/api/v1/projects/{id}", "NO-SUCH-PROJECT").then().statusCode(404);
        given().get("/api/v1/reference/{list}", "no-such-list").then().statusCode(404);
        given().queryParam("by", "colour").get("/api/v1/campaigns/{id}/breakdown", campaign).then().statusCode(400);
        given().queryParam("size", "-1").get("/api/v1/projects").then().statusCode(400);
        given().queryParam("q", "ab\u0000cd").get("/api/v1/projects").then().statusCode(400);
        given().get("/api/v1/campaigns/{id}/reports/{period}/{revision}", campaign, PERIOD, 99).then().statusCode(404);
        department().body(Map.of("period", "2024-13")).post("/api/v1/campaigns/{id}/reports", campaign).then().statusCode(400);
        department().body(Map.of("period", PERIOD)).post("/api/v1/campaigns/{id}/reports", "no-such-campaign")
                .then().statusCode(404);
        RestAssured.given().get("/api/v1/campaigns/{id}/summary", campaign).then().statusCode(401);

        Map<String, Object> signing = envelope("ProjectSigned", DAY, Map.of("signedInvestment", 10, "investor", "某公司"));
        Api.post(project, signing).then().statusCode(201);
        Api.post(project, signing).then().statusCode(200);
        Map<String, Object> stale = envelope("ProjectCorrected", DAY, Map.of("name", "过期"));
        stale.put("expectedVersion", 1);
        Api.post(project, stale).then().statusCode(409);
        Api.post(Api.newProjectId(), envelope("ProjectSigned", DAY, Map.of("signedInvestment", 1, "investor", "x")))
                .then().statusCode(404);
        Map<String, Object> hostile = new LinkedHashMap<>(Api.reservation("abc\u0000def", campaign, REGION, "other",
                List.of(), "1"));
        Api.post(Api.newProjectId(), envelope("ProjectReserved", DAY, hostile)).then().statusCode(400);
        Api.post(Api.newProjectId(), envelope("ProjectReserved", DAY, Map.of("name", "\u202egpj.exe"))).then().statusCode(400);
        department().body("{\"eventId\": ").post("/api/v1/projects/{id}/events", Api.newProjectId()).then().statusCode(400);
        department().body("{\"type\": \"ProjectReserved\", \"type\": \"ProjectWithdrawn\"}")
                .post("/api/v1/projects/{id}/events", Api.newProjectId()).then().statusCode(400);
        department().contentType("text/plain").body("hello").post("/api/v1/projects/{id}/events", Api.newProjectId())
                .then().statusCode(415);
        department().body("{\"pad\": \"" + "x".repeat(70 * 1024) + "\"}")
                .post("/api/v1/projects/{id}/events", Api.newProjectId()).then().statusCode(413);
        department().body("{}").post("/api/v1/events").then().statusCode(400);
        admin().body(Map.of("nameZh", "x")).put("/api/v1/admin/campaigns/{id}", "c-" + UUID.randomUUID().toString()
                .substring(0, 8)).then().statusCode(400);
        admin().body(Map.of("targets", List.of())).put("/api/v1/admin/campaigns/{id}/targets", "no-such-campaign")
                .then().statusCode(404);
        admin().queryParam("partition", "-1").get("/api/v1/admin/intake-dead-letters").then().statusCode(400);
        assertThat(Set.of(admin().post("/api/v1/admin/projections/rebuild").statusCode())).containsAnyOf(202, 409);
    }
}
