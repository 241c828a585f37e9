package cn.qxqy.pipeline.testing;

import cn.qxqy.pipeline.embedded.EmbeddedIssuer;
import cn.qxqy.pipeline.embedded.EmbeddedIssuer.Claims;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import java.time.Duration;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;

import static cn.qxqy.pipeline.testing.Api.envelope;

/**
 * The authorisation matrix: every operation of /api/v1, one request each, and the status each kind of caller gets,
 * with bearer tokens that the test's OIDC issuer signs. {@code AuthorisationMatrixTest} checks the statuses, and
 * {@code OpenApiTrafficTest} checks the same traffic against /q/openapi.
 */
public final class AuthorisationMatrix {

    /**
     * Who calls: without a valid token, or signed in with each role (a department of the project's region or not, or
     * the city's, which holds every county of it).
     */
    public enum Caller {
        NO_TOKEN, EXPIRED, WRONG_SIGNATURE, WRONG_AUDIENCE, WILDCARD_REGION, ROLES_IN_ONE_STRING, TEN_YEAR_TOKEN,
        VIEWER, DEPARTMENT_OF_ANOTHER_REGION,
        DEPARTMENT_OF_THE_REGION, DEPARTMENT_OF_THE_CITY, ADMIN
    }

    public static final LocalDate DAY = LocalDate.of(2024, 5, 6);
    public static final String REGION = "141123";
    public static final Claims RIGHT_DEPARTMENT = Claims.of("xingxian-fgj", List.of("department"), List.of(REGION));
    /** The settings a campaign has without any: PUT as they are, so that the matrix's follow-up item stays open. */
    public static final Map<String, Object> DEFAULT_SETTINGS = Map.of(
            "bands", Map.of("leading", 1.1, "normal", 0.9, "lagging", 0.7),
            "followUps", Map.of("signedNotStartedDays", 90, "reservedNotSignedDays", 180, "reportDueDay", 10,
                    "plannedDates", true));
    /** The month the matrix issues the campaign's report for: the one {@link #DAY} is in. */
    public static final String PERIOD = YearMonth.from(DAY).toString();

    /** An operation of the API, one request of it, and the status each caller gets. */
    public record Operation(String method, String path, boolean write, BiFunction<RequestSpecification, Caller, Response> call,
                             Map<Caller, Integer> expected) {
    }

    private AuthorisationMatrix() {
    }

    /**
     * Every operation of /api/v1, each one request of it with the status each caller gets, on a campaign and a project
     * of {@link #REGION} reserved by {@link #RIGHT_DEPARTMENT}.
     */
    public static List<Operation> operations(String campaign, String project) {
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
                new Operation("GET", "/api/v1/campaigns/{campaignId}/comparison", false,
                        (r, c) -> r.queryParam("asOf", DAY.toString()).queryParam("against", "2024-04-30")
                                .get("/api/v1/campaigns/{id}/comparison", campaign), read),
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
                // Issued by the city's department and the administrator (revisions 1 and 2), before the reads of
                // revision 1 below; a county's department and the viewer are refused, and nothing is stored.
                new Operation("POST", "/api/v1/campaigns/{campaignId}/reports", true,
                        (r, c) -> r.body(Map.of("period", PERIOD)).post("/api/v1/campaigns/{id}/reports", campaign),
                        expect(403, 403, 403, 201, 201)),
                new Operation("GET", "/api/v1/campaigns/{campaignId}/reports", false,
                        (r, c) -> r.get("/api/v1/campaigns/{id}/reports", campaign), read),
                new Operation("GET", "/api/v1/campaigns/{campaignId}/reports/{period}/{revision}", false,
                        (r, c) -> r.get(issued(campaign)), read),
                new Operation("GET", "/api/v1/campaigns/{campaignId}/reports/{period}/{revision}.xlsx", false,
                        (r, c) -> r.get(issued(campaign) + ".xlsx"), read),
                new Operation("GET", "/api/v1/campaigns/{campaignId}/reports/{period}/{revision}/restatement", false,
                        (r, c) -> r.get(issued(campaign) + "/restatement"), read),
                new Operation("GET", "/api/v1/projects", false,
                        (r, c) -> r.queryParam("campaignId", campaign).get("/api/v1/projects"), read),
                new Operation("GET", "/api/v1/projects/{projectId}", false,
                        (r, c) -> r.queryParam("waitFor", p + ":1").get("/api/v1/projects/{id}", p), read),
                new Operation("GET", "/api/v1/projects/{projectId}/events", false,
                        (r, c) -> r.get("/api/v1/projects/{id}/events", p), read),
                // Issue 26, once the project's view is there (waited for above). Shares and settings are the city's to
                // set, like its reports; everybody with a role reads them.
                new Operation("PUT", "/api/v1/campaigns/{campaignId}/county-shares", true,
                        (r, c) -> r.body(Map.of("shares", List.of())).put("/api/v1/campaigns/{id}/county-shares", campaign),
                        expect(403, 403, 403, 200, 200)),
                new Operation("GET", "/api/v1/campaigns/{campaignId}/county-shares", false,
                        (r, c) -> r.get("/api/v1/campaigns/{id}/county-shares", campaign), read),
                new Operation("PUT", "/api/v1/campaigns/{campaignId}/settings", true,
                        (r, c) -> r.body(DEFAULT_SETTINGS).put("/api/v1/campaigns/{id}/settings", campaign),
                        expect(403, 403, 403, 200, 200)),
                new Operation("GET", "/api/v1/campaigns/{campaignId}/settings", false,
                        (r, c) -> r.get("/api/v1/campaigns/{id}/settings", campaign), read),
                new Operation("GET", "/api/v1/campaigns/{campaignId}/rankings", false,
                        (r, c) -> r.queryParam("asOf", DAY.toString()).get("/api/v1/campaigns/{id}/rankings", campaign),
                        read),
                new Operation("GET", "/api/v1/campaigns/{campaignId}/follow-ups", false,
                        (r, c) -> r.get("/api/v1/campaigns/{id}/follow-ups", campaign), read),
                new Operation("GET", "/api/v1/campaigns/{campaignId}/follow-ups/{itemId}", false,
                        (r, c) -> r.get("/api/v1/campaigns/{id}/follow-ups/{item}", campaign, unsigned(p)), read),
                // Only the departments holding the item's county answer, its own and the city's: not another county's,
                // not the viewer, not an administrator (who holds no county). Answers keep the item listed: each 201.
                new Operation("POST", "/api/v1/campaigns/{campaignId}/follow-ups/{itemId}/answers", true,
                        (r, c) -> r.body(Map.of("reason", "资金协调中 " + c, "expectedOn", Api.TODAY.plusDays(30).toString()))
                                .post("/api/v1/campaigns/{id}/follow-ups/{item}/answers", campaign, unsigned(p)),
                        expect(403, 403, 201, 403)),
                new Operation("GET", "/api/v1/campaigns/{campaignId}/bulletin.xlsx", false,
                        (r, c) -> r.queryParam("asOf", DAY.toString()).get("/api/v1/campaigns/{id}/bulletin.xlsx", campaign),
                        read),
                // Issued like the reports: by the city's department and the administrator (revisions 1 and 2).
                new Operation("POST", "/api/v1/campaigns/{campaignId}/bulletins", true,
                        (r, c) -> r.body(Map.of("period", PERIOD)).post("/api/v1/campaigns/{id}/bulletins", campaign),
                        expect(403, 403, 403, 201, 201)),
                new Operation("GET", "/api/v1/campaigns/{campaignId}/bulletins", false,
                        (r, c) -> r.get("/api/v1/campaigns/{id}/bulletins", campaign), read),
                new Operation("GET", "/api/v1/campaigns/{campaignId}/bulletins/{period}/{revision}", false,
                        (r, c) -> r.get(issuedBulletin(campaign)), read),
                new Operation("GET", "/api/v1/campaigns/{campaignId}/bulletins/{period}/{revision}.xlsx", false,
                        (r, c) -> r.get(issuedBulletin(campaign) + ".xlsx"), read),
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
                new Operation("GET", "/api/v1/admin/recovery", false,
                        (r, c) -> r.get("/api/v1/admin/recovery"), adminOnly),
                // No restore waits: the administrator's acknowledgement is refused, 409.
                new Operation("POST", "/api/v1/admin/recovery/acknowledge", true,
                        (r, c) -> r.post("/api/v1/admin/recovery/acknowledge"), expect(403, 403, 403, 409)),
                // From a position past the store's last: started and done at once, nothing republished.
                new Operation("POST", "/api/v1/admin/recovery/republish", true,
                        (r, c) -> r.queryParam("fromPosition", Long.MAX_VALUE / 2).post("/api/v1/admin/recovery/republish"),
                        expect(403, 403, 403, 202)),
                new Operation("GET", "/api/v1/admin/recovery/republish", false,
                        (r, c) -> r.get("/api/v1/admin/recovery/republish"), adminOnly),
                new Operation("PUT", "/api/v1/admin/campaigns/{campaignId}", true,
                        (r, c) -> r.body(Map.of("nameZh", "矩阵会战", "nameEn", "Matrix", "year", 2024, "cityCode", "141100"))
                                .put("/api/v1/admin/campaigns/{id}", "m-" + UUID.randomUUID().toString().substring(0, 8)),
                        expect(403, 403, 403, 201)),
                new Operation("PUT", "/api/v1/admin/campaigns/{campaignId}/targets", true,
                        (r, c) -> r.body(Map.of("targets", List.of(Map.of("code", "t-" + c.ordinal(), "nameZh", "目标",
                                        "nameEn", "Target", "measure", "projects", "target", 5))))
                                .put("/api/v1/admin/campaigns/{id}/targets", campaign), adminOnly));
    }

    /** Where the first revision of the campaign's report for {@link #PERIOD} is. */
    public static String issued(String campaign) {
        return "/api/v1/campaigns/" + campaign + "/reports/" + PERIOD + "/1";
    }

    /** Where the first revision of the campaign's 通报 for {@link #PERIOD} is. */
    public static String issuedBulletin(String campaign) {
        return "/api/v1/campaigns/" + campaign + "/bulletins/" + PERIOD + "/1";
    }

    /**
     * The follow-up item of a project reserved on {@link #DAY} and never signed: 180 days later it is overdue on the
     * campaign's last day, which is the day read once the campaign has ended.
     */
    public static String unsigned(String projectId) {
        return projectId + ":reserved-not-signed";
    }

    /** A batch item correcting the project; the batch answers 200, and the item the status it would get alone. */
    private static Map<String, Object> batchItem(String projectId, Caller caller) {
        Map<String, Object> item = envelope("ProjectCorrected", DAY, Map.of("name", "批量更名 " + caller));
        item.put("projectId", projectId);
        return item;
    }

    /**
     * The statuses of the callers signed in properly; the seven without a valid token get 401. The city's department
     * holds the project's region and coordinates the city: it gets what the region's own department gets.
     */
    private static Map<Caller, Integer> expect(int viewer, int otherRegion, int theRegion, int admin) {
        return expect(viewer, otherRegion, theRegion, theRegion, admin);
    }

    private static Map<Caller, Integer> expect(int viewer, int otherRegion, int theRegion, int theCity, int admin) {
        Map<Caller, Integer> expected = new EnumMap<>(Caller.class);
        for (Caller invalid : List.of(Caller.NO_TOKEN, Caller.EXPIRED, Caller.WRONG_SIGNATURE, Caller.WRONG_AUDIENCE,
                Caller.WILDCARD_REGION, Caller.ROLES_IN_ONE_STRING, Caller.TEN_YEAR_TOKEN)) {
            expected.put(invalid, 401);
        }
        expected.put(Caller.VIEWER, viewer);
        expected.put(Caller.DEPARTMENT_OF_ANOTHER_REGION, otherRegion);
        expected.put(Caller.DEPARTMENT_OF_THE_REGION, theRegion);
        expected.put(Caller.DEPARTMENT_OF_THE_CITY, theCity);
        expected.put(Caller.ADMIN, admin);
        return expected;
    }

    /** A request as the caller, with a JSON content type. */
    public static RequestSpecification as(Caller caller) {
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
            case DEPARTMENT_OF_THE_CITY -> bearer(issuer.token(Claims.of("fgw", List.of("department"), List.of("141100"))));
            case ADMIN -> bearer(issuer.token(new Claims("ops-wang", "ops-console", List.of("admin"), null,
                    EmbeddedIssuer.AUDIENCE, Duration.ofMinutes(5))));
        };
    }

    public static RequestSpecification bearer(String token) {
        return RestAssured.given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON);
    }

    public static EmbeddedIssuer issuer() {
        return PipelineInfrastructure.issuer();
    }
}
