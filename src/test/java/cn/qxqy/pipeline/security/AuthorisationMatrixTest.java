package cn.qxqy.pipeline.security;

import cn.qxqy.pipeline.embedded.EmbeddedIssuer.Claims;
import cn.qxqy.pipeline.embedded.EmbeddedIssuer;
import cn.qxqy.pipeline.testing.Api;
import cn.qxqy.pipeline.testing.PipelineInfrastructure;
import cn.qxqy.pipeline.testing.Workbooks;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiFunction;

import static cn.qxqy.pipeline.testing.Api.envelope;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every endpoint of /api/v1 against every kind of caller, with bearer tokens that the test's OIDC issuer signs and the
 * service verifies through the issuer's discovery document and JWKS, as in production. A refused write leaves no
 * trace: the tables a write could change are the same before and after it.
 */
@QuarkusTest
class AuthorisationMatrixTest {

    enum Caller {
        NO_TOKEN, EXPIRED, WRONG_SIGNATURE, WRONG_AUDIENCE, WILDCARD_REGION, ROLES_IN_ONE_STRING, TEN_YEAR_TOKEN,
        VIEWER, DEPARTMENT_OF_ANOTHER_REGION,
        DEPARTMENT_OF_THE_REGION, ADMIN
    }

    private static final LocalDate DAY = LocalDate.of(2024, 5, 6);
    private static final String REGION = "141123";
    private static final Claims RIGHT_DEPARTMENT = Claims.of("xingxian-fgj", List.of("department"), List.of(REGION));

    /** What a write could change, read as one text. */
    private static final String WRITE_TRACES = """
            SELECT (SELECT count(*) FROM events) || '/' || (SELECT count(*) FROM campaigns) || '/'
                || (SELECT count(*) FROM campaign_targets) || '/' || (SELECT count(*) FROM projection_dead_letters) || '/'
                || (SELECT coalesce(max(started_at)::text, '-') FROM projection_status)""";

    private String campaign;
    private String project;

    /** An operation of the API, one request of it, and the status each caller gets. */
    private record Operation(String method, String path, boolean write, BiFunction<RequestSpecification, Caller, Response> call,
                             Map<Caller, Integer> expected) {
    }

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
        List<Operation> operations = operations();
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

    private List<Operation> operations() {
        Map<Caller, Integer> read = expect(200, 200, 200, 200);
        Map<Caller, Integer> adminOnly = expect(403, 403, 403, 200);
        String p = project;
        return List.of(
                new Operation("GET", "/api/v1/campaigns", false, (r, c) -> r.get("/api/v1/campaigns"), read),
                new Operation("GET", "/api/v1/campaigns/{campaignId}", false,
                        (r, c) -> r.get("/api/v1/campaigns/{id}", campaign), read),
                new Operation("GET", "/api/v1/campaigns/{campaignId}/summary", false,
                        (r, c) -> r.get("/api/v1/campaigns/{id}/summary", campaign), read),
                new Operation("GET", "/api/v1/campaigns/{campaignId}/breakdown", false,
                        (r, c) -> r.queryParam("by", "region").get("/api/v1/campaigns/{id}/breakdown", campaign), read),
                new Operation("GET", "/api/v1/campaigns/{campaignId}/progress", false,
                        (r, c) -> r.get("/api/v1/campaigns/{id}/progress", campaign), read),
                new Operation("GET", "/api/v1/campaigns/{campaignId}/timeline", false,
                        (r, c) -> r.get("/api/v1/campaigns/{id}/timeline", campaign), read),
                new Operation("GET", "/api/v1/campaigns/{campaignId}/projects.xlsx", false,
                        (r, c) -> r.get("/api/v1/campaigns/{id}/projects.xlsx", campaign), read),
                new Operation("GET", "/api/v1/campaigns/{campaignId}/projects.csv", false,
                        (r, c) -> r.get("/api/v1/campaigns/{id}/projects.csv", campaign), read),
                new Operation("GET", "/api/v1/campaigns/{campaignId}/report.xlsx", false,
                        (r, c) -> r.get("/api/v1/campaigns/{id}/report.xlsx", campaign), read),
                new Operation("GET", "/api/v1/campaigns/{campaignId}/report.csv", false,
                        (r, c) -> r.get("/api/v1/campaigns/{id}/report.csv", campaign), read),
                new Operation("GET", "/api/v1/campaigns/{campaignId}/import-template.xlsx", false,
                        (r, c) -> r.get("/api/v1/campaigns/{id}/import-template.xlsx", campaign), read),
                // The import writes as the token's department: one that does not hold the project's region (another
                // county's) gets its row refused, 200 with nothing stored; the viewer and the administrator post nothing.
                new Operation("POST", "/api/v1/campaigns/{campaignId}/projects.xlsx", true,
                        (r, c) -> r.contentType(Workbooks.XLSX).body(Workbooks.importFile(List.of(Arrays.asList(p,
                                        "导入更名 " + c, null, null, null, null, null, null, null, null, DAY.toString()))))
                                .post("/api/v1/campaigns/{id}/projects.xlsx", campaign),
                        expect(403, 200, 200, 403)),
                new Operation("GET", "/api/v1/projects", false,
                        (r, c) -> r.queryParam("campaignId", campaign).get("/api/v1/projects"), read),
                new Operation("GET", "/api/v1/projects/{projectId}", false,
                        (r, c) -> r.queryParam("waitFor", p + ":1").get("/api/v1/projects/{id}", p), read),
                new Operation("GET", "/api/v1/projects/{projectId}/events", false,
                        (r, c) -> r.get("/api/v1/projects/{id}/events", p), read),
                new Operation("GET", "/api/v1/reference/{list}", false,
                        (r, c) -> r.get("/api/v1/reference/regions"), read),
                // A department posts for the regions it holds; the viewer and the administrator post nothing.
                new Operation("POST", "/api/v1/projects/{projectId}/events", true,
                        (r, c) -> r.body(envelope("ProjectCorrected", DAY, Map.of("name", "更名 " + c)))
                                .post("/api/v1/projects/{id}/events", p),
                        expect(403, 403, 201, 403)),
                new Operation("POST", "/api/v1/events", true,
                        (r, c) -> r.body(List.of(batchItem(p, c))).post("/api/v1/events"),
                        expect(403, 200, 200, 403)),
                new Operation("GET", "/api/v1/admin/projections", false,
                        (r, c) -> r.get("/api/v1/admin/projections"), adminOnly),
                new Operation("POST", "/api/v1/admin/projections/rebuild", true,
                        (r, c) -> r.post("/api/v1/admin/projections/rebuild"), expect(403, 403, 403, 202)),
                new Operation("GET", "/api/v1/admin/projections/dead-letters", false,
                        (r, c) -> r.get("/api/v1/admin/projections/dead-letters"), adminOnly),
                new Operation("POST", "/api/v1/admin/projections/dead-letters/redrive", true,
                        (r, c) -> r.queryParam("projectId", p).post("/api/v1/admin/projections/dead-letters/redrive"),
                        adminOnly),
                new Operation("GET", "/api/v1/admin/projections/check", false,
                        (r, c) -> r.get("/api/v1/admin/projections/check"), adminOnly),
                new Operation("GET", "/api/v1/admin/intake-dead-letters", false,
                        (r, c) -> r.get("/api/v1/admin/intake-dead-letters"), adminOnly),
                new Operation("POST", "/api/v1/admin/intake-dead-letters/replay", true,
                        (r, c) -> r.body(Map.of("partition", 0, "offsets", List.of(Long.MAX_VALUE / 2)))
                                .post("/api/v1/admin/intake-dead-letters/replay"), adminOnly),
                new Operation("PUT", "/api/v1/admin/campaigns/{campaignId}", true,
                        (r, c) -> r.body(Map.of("nameZh", "矩阵会战", "nameEn", "Matrix", "year", 2024, "cityCode", "141100"))
                                .put("/api/v1/admin/campaigns/{id}", "m-" + UUID.randomUUID().toString().substring(0, 8)),
                        expect(403, 403, 403, 201)),
                new Operation("PUT", "/api/v1/admin/campaigns/{campaignId}/targets", true,
                        (r, c) -> r.body(Map.of("targets", List.of(Map.of("code", "t-" + c.ordinal(), "nameZh", "目标",
                                        "nameEn", "Target", "measure", "projects", "target", 5))))
                                .put("/api/v1/admin/campaigns/{id}/targets", campaign), adminOnly));
    }

    /** A batch item correcting the project; the batch answers 200, and the item the status it would get alone. */
    private static Map<String, Object> batchItem(String projectId, Caller caller) {
        Map<String, Object> item = envelope("ProjectCorrected", DAY, Map.of("name", "批量更名 " + caller));
        item.put("projectId", projectId);
        return item;
    }

    /** The statuses of the four callers signed in properly; the seven without a valid token get 401. */
    private static Map<Caller, Integer> expect(int viewer, int otherRegion, int theRegion, int admin) {
        Map<Caller, Integer> expected = new EnumMap<>(Caller.class);
        for (Caller invalid : List.of(Caller.NO_TOKEN, Caller.EXPIRED, Caller.WRONG_SIGNATURE, Caller.WRONG_AUDIENCE,
                Caller.WILDCARD_REGION, Caller.ROLES_IN_ONE_STRING, Caller.TEN_YEAR_TOKEN)) {
            expected.put(invalid, 401);
        }
        expected.put(Caller.VIEWER, viewer);
        expected.put(Caller.DEPARTMENT_OF_ANOTHER_REGION, otherRegion);
        expected.put(Caller.DEPARTMENT_OF_THE_REGION, theRegion);
        expected.put(Caller.ADMIN, admin);
        return expected;
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

    private static RequestSpecification as(Caller caller) {
        EmbeddedIssuer issuer = issuer();
        return switch (caller) {
            case NO_TOKEN -> RestAssured.given().contentType(ContentType.JSON);
            case EXPIRED -> bearer(issuer.token(RIGHT_DEPARTMENT.lifetime(Duration.ofMinutes(-5))));
            case WRONG_SIGNATURE -> bearer(issuer.forgedToken(RIGHT_DEPARTMENT));
            case WRONG_AUDIENCE -> bearer(issuer.token(RIGHT_DEPARTMENT.audience("another-service")));
            // Correctly signed, but claims a misconfigured issuer would send (issue 21).
            case WILDCARD_REGION -> bearer(issuer.token(Claims.of("quanguo", List.of("department"), List.of("000000"))));
            case ROLES_IN_ONE_STRING -> bearer(issuer.token(RIGHT_DEPARTMENT,
                    claims -> claims.put("realm_access", Map.of("roles", "department admin"))));
            case TEN_YEAR_TOKEN -> bearer(issuer.token(RIGHT_DEPARTMENT.lifetime(Duration.ofDays(3650))));
            case VIEWER -> bearer(issuer.token(new Claims("leader-li", "dashboard", List.of("viewer"), null,
                    EmbeddedIssuer.AUDIENCE, Duration.ofMinutes(5))));
            case DEPARTMENT_OF_ANOTHER_REGION ->
                    bearer(issuer.token(Claims.of("fenyang-fgj", List.of("department"), List.of("141182"))));
            case DEPARTMENT_OF_THE_REGION -> bearer(issuer.token(RIGHT_DEPARTMENT));
            case ADMIN -> bearer(issuer.token(new Claims("ops-wang", "ops-console", List.of("admin"), null,
                    EmbeddedIssuer.AUDIENCE, Duration.ofMinutes(5))));
        };
    }

    private static RequestSpecification bearer(String token) {
        return RestAssured.given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON);
    }

    private static EmbeddedIssuer issuer() {
        return PipelineInfrastructure.issuer();
    }
}
