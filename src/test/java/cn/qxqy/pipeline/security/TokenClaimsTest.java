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
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static cn.qxqy.pipeline.testing.Api.envelope;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tokens the test's issuer signs correctly but whose claims are not what the service relies on (issue 21): each is
 * refused with a problem and leaves nothing stored, however much it would allow if read leniently. A department of
 * 兴县 (141123) posts, unless said otherwise, a reservation in 汾阳 (141182), which only a token of 141182 or of the
 * whole city (141100) may write.
 */
@QuarkusTest
class TokenClaimsTest {

    private static final LocalDate DAY = LocalDate.of(2024, 6, 3);
    private static final Claims XINGXIAN = Claims.of("xingxian-fgj", List.of("department"), List.of("141123"));

    @Test
    void correctTokensStillWriteAndAdministerAsTheirClaimsSay() {
        post(token(XINGXIAN), "141123").then().statusCode(201);
        post(token(Claims.of("lvliang-fgw", List.of("department"), List.of("141100"))), "141182").then().statusCode(201);
        post(token(XINGXIAN.lifetime(Duration.ofHours(1))), "141123").then().statusCode(201);
        bearer(token(Claims.of("ops-console", List.of("admin"), null))).get("/api/v1/admin/projections")
                .then().statusCode(200);
    }

    @Test
    void aTokenUsedAgainWritesAsItsClaimsSayEachTime() {
        String token = token(XINGXIAN);
        for (int i = 0; i < 3; i++) {
            String projectId = Api.newProjectId();
            post(token, projectId, "141123").then().statusCode(201);
            assertThat(Api.sqlValue("SELECT source FROM events WHERE project_id = '" + projectId + "'"))
                    .isEqualTo("xingxian-fgj");
            // Its regions still bound it: 汾阳 is not 兴县's.
            post(token, "141182").then().statusCode(403);
        }
    }

    @Test
    void aRefusedTokenIsRefusedEveryTime() {
        String lifelong = token(XINGXIAN, claims -> claims.put("exp", Instant.now().getEpochSecond()
                + Duration.ofDays(3650).toSeconds()));
        assertRefused(lifelong, "141123");
        assertRefused(lifelong, "141123");
    }

    @Test
    void aTokenIssuedInTheFutureIsRefused() {
        long inAnHour = Instant.now().plus(Duration.ofHours(1)).getEpochSecond();
        assertRefused(token(XINGXIAN, claims -> {
            claims.put("iat", inAnHour);
            claims.put("exp", inAnHour + 600);
        }), "141123");
    }

    @Test
    void aTokenThatSaysNotWhenItWasIssuedIsRefused() {
        assertRefused(token(XINGXIAN, claims -> claims.remove("iat")), "141123");
    }

    @Test
    void aTokenLivingLongerThanTwoHoursIsRefused() {
        long now = Instant.now().getEpochSecond();
        assertRefused(token(XINGXIAN, claims -> claims.put("exp", now + Duration.ofDays(3650).toSeconds())), "141123");
        assertRefused(token(XINGXIAN, claims -> claims.put("exp", (Long) claims.get("iat")
                + Duration.ofHours(2).plusMinutes(5).toSeconds())), "141123");
    }

    @Test
    void regionsAsOneStringOfCodesAreRefused() {
        Response several = assertRefused(token(XINGXIAN, claims -> claims.put("regions", "141123,141182")), "141182");
        assertThat(several.jsonPath().getString("detail")).contains("regions", "not a JSON list");
        assertRefused(token(XINGXIAN, claims -> claims.put("regions", "141182")), "141182");
    }

    @Test
    void regionsAsANumberAreRefused() {
        assertRefused(token(XINGXIAN, claims -> claims.put("regions", 141182)), "141182");
        assertRefused(token(XINGXIAN, claims -> claims.put("regions", List.of(141182))), "141182");
    }

    @Test
    void aRegionCodeOutsideTheReferenceDataIsRefusedNotAWildcard() {
        Response everywhere = assertRefused(token(XINGXIAN, claims -> claims.put("regions", List.of("000000"))),
                "141182");
        assertThat(everywhere.jsonPath().getString("detail")).contains("000000");
        assertRefused(token(XINGXIAN, claims -> claims.put("regions", List.of("141123", "140000"))), "141123");
        assertRefused(token(XINGXIAN, claims -> claims.put("regions", List.of("999999"))), "141123");
    }

    @Test
    void rolesAsOneStringGrantNothing() {
        String departmentAndAdmin = token(XINGXIAN, claims -> claims.put("realm_access",
                Map.of("roles", "department admin")));
        assertRefused(departmentAndAdmin, "141123");
        Response administer = bearer(departmentAndAdmin).get("/api/v1/admin/projections");
        assertThat(administer.statusCode()).isEqualTo(401);
        assertThat(administer.contentType()).startsWith("application/problem+json");
        assertRefused(token(XINGXIAN, claims -> claims.put("realm_access", Map.of("roles", "department"))), "141123");
    }

    /** Refused with a problem, and the reservation it carried not stored. */
    private static Response assertRefused(String token, String region) {
        String projectId = Api.newProjectId();
        Response answer = post(token, projectId, region);
        assertThat(answer.statusCode()).as(answer.asString()).isEqualTo(401);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(Api.sqlValue("SELECT count(*) FROM events WHERE project_id = '" + projectId + "'")).isEqualTo("0");
        return answer;
    }

    private static Response post(String token, String region) {
        return post(token, Api.newProjectId(), region);
    }

    private static Response post(String token, String projectId, String region) {
        return bearer(token).body(envelope("ProjectReserved", DAY, Api.reservation("令牌测试项目", Api.CAMPAIGN, region,
                "coal", List.of(), "100"))).post("/api/v1/projects/{id}/events", projectId);
    }

    private static String token(Claims claims) {
        return PipelineInfrastructure.issuer().token(claims);
    }

    private static String token(Claims claims, Consumer<Map<String, Object>> edit) {
        return PipelineInfrastructure.issuer().token(claims, edit);
    }

    private static RequestSpecification bearer(String token) {
        return RestAssured.given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON);
    }
}
