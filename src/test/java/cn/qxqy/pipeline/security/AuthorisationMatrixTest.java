package cn.qxqy.pipeline.security;

import cn.qxqy.pipeline.embedded.EmbeddedIssuer.Claims;
import cn.qxqy.pipeline.testing.Api;
import cn.qxqy.pipeline.testing.AuthorisationMatrix;
import cn.qxqy.pipeline.testing.AuthorisationMatrix.Caller;
import cn.qxqy.pipeline.testing.AuthorisationMatrix.Operation;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static cn.qxqy.pipeline.testing.Api.envelope;
import static cn.qxqy.pipeline.testing.AuthorisationMatrix.DAY;
import static cn.qxqy.pipeline.testing.AuthorisationMatrix.REGION;
import static cn.qxqy.pipeline.testing.AuthorisationMatrix.RIGHT_DEPARTMENT;
import static cn.qxqy.pipeline.testing.AuthorisationMatrix.as;
import static cn.qxqy.pipeline.testing.AuthorisationMatrix.bearer;
import static cn.qxqy.pipeline.testing.AuthorisationMatrix.issuer;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every endpoint of /api/v1 against every kind of caller, with bearer tokens that the test's OIDC issuer signs and the
 * service verifies through the issuer's discovery document and JWKS, as in production. A refused write leaves no
 * trace: the tables a write could change are the same before and after it.
 */
@QuarkusTest
class AuthorisationMatrixTest {

    /** What a write could change, read as one text. */
    private static final String WRITE_TRACES = """
            SELECT (SELECT count(*) FROM events) || '/' || (SELECT count(*) FROM campaigns) || '/'
                || (SELECT count(*) FROM campaign_targets) || '/' || (SELECT count(*) FROM projection_dead_letters) || '/'
                || (SELECT count(*) FROM county_share_history) || '/' || (SELECT count(*) FROM campaign_settings_history)
                || '/'
                || (SELECT coalesce(max(started_at)::text, '-') FROM projection_status)""";

    private String campaign;
    private String project;

    @BeforeEach
    void aProjectOfTheRegionReservedByItsDepartment() {
        campaign = Api.newCampaign();
        project = Api.newProjectId();
        bearer(issuer().token(RIGHT_DEPARTMENT)).body(envelope("ProjectReserved", DAY,
                        Api.reservation("矩阵项目", campaign, REGION, "aluminium-magnesium", List.of(), "1000")))
                .post("/api/v1/projects/{id}/events", project).then().statusCode(201);
    }

    @Test
    void everyEndpointAnswersEachCallerAsTheRolesAndRegionsSay() {
        List<Operation> operations = AuthorisationMatrix.operations(campaign, project);
        assertThat(operations.stream().map(o -> o.method() + " " + o.path()).toList())
                .as("the matrix covers every operation of /api/v1 in /q/openapi")
                .containsExactlyInAnyOrderElementsOf(documentedOperations());
        SoftAssertions softly = new SoftAssertions();
        int cells = 0;
        for (Operation operation : operations) {
            for (Caller caller : Caller.values()) {
                String before = Api.sqlValue(WRITE_TRACES);
                Response response = operation.call().apply(as(caller), caller);
                int expected = operation.expected().get(caller);
                softly.assertThat(response.statusCode()).as("%s %s as %s: %s", operation.method(), operation.path(),
                        caller, response.asString()).isEqualTo(expected);
                if (expected >= 400) {
                    softly.assertThat(response.contentType()).as("%s %s as %s", operation.method(), operation.path(),
                            caller).startsWith("application/problem+json");
                    softly.assertThat(Api.sqlValue(WRITE_TRACES)).as("%s %s as %s left a trace", operation.method(),
                            operation.path(), caller).isEqualTo(before);
                }
                cells++;
            }
        }
        softly.assertAll();
        assertThat(cells).isEqualTo(operations.size() * Caller.values().length);
    }

    @Test
    void aBatchItemOutsideTheSendersRegionsIsRefusedAndTheOthersAreStored() {
        String elsewhere = Api.newProjectId();
        Map<String, Object> fine = envelope("ProjectCorrected", DAY, Map.of("name", "矩阵项目二期"));
        fine.put("projectId", project);
        Map<String, Object> outside = envelope("ProjectReserved", DAY,
                Api.reservation("汾阳项目", campaign, "141182", "other", List.of(), "10"));
        outside.put("projectId", elsewhere);
        Response answer = bearer(issuer().token(RIGHT_DEPARTMENT)).body(List.of(outside, fine)).post("/api/v1/events");
        answer.then().statusCode(200);
        assertThat(answer.jsonPath().getList("results.status", Integer.class)).containsExactly(403, 201);
        assertThat(answer.jsonPath().getString("results[0].problem.type")).isEqualTo("/problems/region-not-held");
        assertThat(answer.jsonPath().getString("results[0].problem.detail")).contains("141182");
        assertThat(Api.sqlValue("SELECT count(*) FROM events WHERE project_id = '" + elsewhere + "'")).isEqualTo("0");
    }

    @Test
    void aCountysDepartmentAnsweringAnotherCountysItemIsRefusedAndTheItemsStreamStaysEmpty() {
        String fenyang = Api.newProjectId();
        bearer(issuer().token(Claims.of("fenyang-fgj", List.of("department"), List.of("141182"))))
                .body(envelope("ProjectReserved", DAY, Api.reservation("汾阳项目", campaign, "141182", "other", List.of(),
                        "10")))
                .post("/api/v1/projects/{id}/events", fenyang).then().statusCode(201);
        String item = AuthorisationMatrix.unsigned(fenyang);
        as(Caller.VIEWER).queryParam("waitFor", fenyang + ":1").get("/api/v1/projects/{id}", fenyang).then().statusCode(200);
        // Listed and open: the refusal is for the county, not for the item.
        Response listed = as(Caller.VIEWER).get("/api/v1/campaigns/{id}/follow-ups/{item}", campaign, item);
        assertThat(listed.jsonPath().getString("item.regionCode")).as(listed.asString()).isEqualTo("141182");
        assertThat(listed.jsonPath().getString("item.status")).isEqualTo("OPEN");

        Response refused = bearer(issuer().token(RIGHT_DEPARTMENT))
                .body(Map.of("reason", "代为反馈", "expectedOn", Api.TODAY.plusDays(10).toString()))
                .post("/api/v1/campaigns/{id}/follow-ups/{item}/answers", campaign, item);

        assertThat(refused.statusCode()).as(refused.asString()).isEqualTo(403);
        assertThat(refused.jsonPath().getString("type")).isEqualTo("/problems/forbidden");
        assertThat(refused.jsonPath().getString("detail")).contains("141182");
        assertThat(Api.sqlValue("SELECT count(*) FROM events WHERE project_id = 'follow-up:" + item + "'"))
                .isEqualTo("0");
        assertThat(as(Caller.VIEWER).get("/api/v1/campaigns/{id}/follow-ups/{item}", campaign, item)
                .jsonPath().getList("answers")).isEmpty();
    }

    @Test
    void theHistoryShowsWhoAppendedEachEventToAdministratorsOnly() {
        Response admin = as(Caller.ADMIN).header("X-Request-Id", "ignored-for-reads")
                .get("/api/v1/projects/{id}/events", project);
        assertThat(admin.jsonPath().getString("[0].author.department")).isEqualTo("xingxian-fgj");
        assertThat(admin.jsonPath().getString("[0].author.subject")).isEqualTo("service-account-xingxian-fgj");
        assertThat(admin.jsonPath().getString("[0].author.client")).isEqualTo("xingxian-fgj");
        assertThat(admin.jsonPath().getString("[0].author.channel")).isEqualTo("http");
        assertThat(admin.jsonPath().getString("[0].author.requestId")).isNotBlank();
        assertThat(as(Caller.VIEWER).get("/api/v1/projects/{id}/events", project).jsonPath().getMap("[0]"))
                .containsEntry("source", "xingxian-fgj").doesNotContainKey("author");

        bearer(issuer().token(RIGHT_DEPARTMENT)).header("X-Request-Id", "req-7f3a")
                .body(envelope("ProjectCorrected", DAY, Map.of("name", "矩阵项目（更名）")))
                .post("/api/v1/projects/{id}/events", project).then().statusCode(201);
        assertThat(as(Caller.ADMIN).get("/api/v1/projects/{id}/events", project).jsonPath().getString("[1].author.requestId"))
                .isEqualTo("req-7f3a");
    }

    private static Set<String> documentedOperations() {
        Map<String, Map<String, Object>> paths = RestAssured.given().get("/q/openapi?format=json").jsonPath().getMap("paths");
        Set<String> operations = new LinkedHashSet<>();
        paths.forEach((path, methods) -> {
            if (path.startsWith("/api/v1")) {
                methods.keySet().stream().filter(m -> !m.equals("parameters"))
                        .forEach(m -> operations.add(m.toUpperCase() + " " + path));
            }
        });
        return operations;
    }

}
