package cn.qxqy.pipeline.campaign;

import cn.qxqy.pipeline.testing.Api;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static cn.qxqy.pipeline.testing.Api.admin;
import static cn.qxqy.pipeline.testing.Api.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Campaigns and their targets as administrators edit them over HTTP: created, replaced and read back, refused with a
 * problem naming each bad field (each field's rules: {@link CampaignDefinitionTest}, {@link TargetDefinitionTest}),
 * and only by administrators.
 */
@QuarkusTest
class CampaignAdminTest {

    @Inject
    Campaigns campaigns;

    @Inject
    ObjectMapper json;

    private static final Map<String, Object> CAMPAIGN = Map.of("nameZh", "2025年“千项千亿”项目大会战",
            "nameEn", "2025 campaign", "year", 2025, "cityCode", "141100", "launchedOn", "2025-02-10");

    private static Map<String, Object> target(String code) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("code", code);
        t.put("nameZh", "项目总数");
        t.put("nameEn", "Projects");
        t.put("measure", "projects");
        t.put("target", 1000);
        return t;
    }

    private static String newId() {
        return "c-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aCampaignIsCreatedThenReplacedAndReadBack() {
        String id = newId();
        admin().body(CAMPAIGN).put("/api/v1/admin/campaigns/{id}", id).then().statusCode(201)
                .header("Location", org.hamcrest.Matchers.endsWith("/api/v1/campaigns/" + id))
                .body("campaignId", equalTo(id)).body("year", equalTo(2025)).body("launchedOn", equalTo("2025-02-10"));
        Map<String, Object> renamed = new LinkedHashMap<>(CAMPAIGN);
        renamed.put("nameEn", "2025 Thousand Projects campaign");
        renamed.remove("launchedOn");
        admin().body(renamed).put("/api/v1/admin/campaigns/{id}", id).then().statusCode(200);

        given().get("/api/v1/campaigns/{id}", id).then().statusCode(200)
                .body("nameZh", equalTo("2025年“千项千亿”项目大会战"))
                .body("nameEn", equalTo("2025 Thousand Projects campaign"))
                .body("launchedOn", equalTo(null))
                .body("cityCode", equalTo("141100"));
    }

    @Test
    void targetsAreReplacedAsAWholeAndReadBackInOrder() {
        String id = newId();
        admin().body(CAMPAIGN).put("/api/v1/admin/campaigns/{id}", id).then().statusCode(201);
        Map<String, Object> money = new LinkedHashMap<>(target("annual"));
        money.put("measure", "annualPlannedInvestment");
        money.put("target", "10000000");
        Map<String, Object> signed = new LinkedHashMap<>(target("private-signed"));
        signed.put("categories", List.of("private-capital"));
        signed.put("reachedStage", "SIGNED");
        signed.put("target", 30);
        admin().body(Map.of("targets", List.of(target("projects"), money, signed)))
                .put("/api/v1/admin/campaigns/{id}/targets", id).then().statusCode(200)
                .body("targets.code", equalTo(List.of("projects", "annual", "private-signed")));

        String body = given().get("/api/v1/campaigns/{id}", id).then().statusCode(200).extract().asString();
        // A count shows as a whole number, an amount with its 2 fraction digits.
        assertTrue(body.matches(".*\"target\":1000[,}].*"), body);
        assertTrue(body.matches(".*\"target\":10000000\\.00[,}].*"), body);
        JsonPath campaign = new JsonPath(body);
        assertEquals(List.of("projects", "annual", "private-signed"), campaign.getList("targets.code"));
        assertEquals(List.of("private-capital"), campaign.getList("targets[2].categories"));
        assertEquals(List.of(), campaign.getList("targets[0].categories"));

        // What GET shows, PUT takes back; a shorter list replaces the whole list.
        List<Map<String, Object>> shown = campaign.getList("targets");
        admin().body(Map.of("targets", shown.subList(2, 3))).put("/api/v1/admin/campaigns/{id}/targets", id)
                .then().statusCode(200);
        given().get("/api/v1/campaigns/{id}", id).then().statusCode(200)
                .body("targets.code", equalTo(List.of("private-signed")));
        admin().body(Map.of("targets", List.of())).put("/api/v1/admin/campaigns/{id}/targets", id)
                .then().statusCode(200);
        given().get("/api/v1/campaigns/{id}", id).then().statusCode(200).body("targets", equalTo(List.of()));
    }

    @Test
    void badTargetsAreA400ProblemNamingEachFieldUnknownCategoriesIncludedAndNothingIsReplaced() {
        Map<String, Object> badCode = target("Bad Code!");
        Map<String, Object> badCategories = target("categories");
        badCategories.put("categories", List.of("private-capital", "no-such-category"));

        admin().body(Map.of("targets", List.of(badCode, badCategories)))
                .put("/api/v1/admin/campaigns/2024-qxqy/targets").then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", containsInAnyOrder("targets[0].code", "targets[1].categories[1]"));

        given().get("/api/v1/campaigns/2024-qxqy").then().statusCode(200)
                .body("targets.code", hasItem("private-capital-started"));
    }

    @Test
    void theTargetsBodyIsAJsonObject() {
        admin().body("[]").put("/api/v1/admin/campaigns/2024-qxqy/targets").then().statusCode(400)
                .contentType("application/problem+json");
        admin().body("{\"targets\": [").put("/api/v1/admin/campaigns/2024-qxqy/targets").then().statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void aBadCampaignIsA400ProblemNamingEachField() {
        admin().body(Map.of("nameZh", " ", "year", "2025", "cityCode", "14110", "launchedOn", "2025-13-01",
                        "targets", List.of()))
                .put("/api/v1/admin/campaigns/{id}", "Bad_Id").then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", containsInAnyOrder("campaignId", "nameZh", "nameEn", "year", "cityCode",
                        "launchedOn", "targets"));
    }

    @Test
    void aCampaignRunsThroughItsYearUnlessItsCalendarSaysOtherwise() {
        String id = newId();
        admin().body(CAMPAIGN).put("/api/v1/admin/campaigns/{id}", id).then().statusCode(201)
                .body("startsOn", equalTo("2025-01-01")).body("endsOn", equalTo("2025-12-31"));
        given().get("/api/v1/campaigns/{id}", id).then().statusCode(200)
                .body("startsOn", equalTo("2025-01-01")).body("endsOn", equalTo("2025-12-31"));

        Map<String, Object> winter = new LinkedHashMap<>(CAMPAIGN);
        winter.put("startsOn", "2024-11-15");
        winter.put("endsOn", "2026-02-28");
        admin().body(winter).put("/api/v1/admin/campaigns/{id}", id).then().statusCode(200)
                .body("startsOn", equalTo("2024-11-15")).body("endsOn", equalTo("2026-02-28"));
        given().get("/api/v1/campaigns").then().statusCode(200)
                .body("find { it.campaignId == '%s' }.startsOn".formatted(id), equalTo("2024-11-15"))
                .body("find { it.campaignId == '%s' }.endsOn".formatted(id), equalTo("2026-02-28"));
        given().get("/api/v1/campaigns/2024-qxqy").then().statusCode(200)
                .body("startsOn", equalTo("2024-01-01")).body("endsOn", equalTo("2024-12-31"));
    }

    @Test
    void aCalendarEndingBeforeItStartsOrFarFromTheYearIsA400ProblemNamingTheFieldAndNothingChanges() {
        String id = newId();
        admin().body(CAMPAIGN).put("/api/v1/admin/campaigns/{id}", id).then().statusCode(201);
        Map<String, Object> backwards = new LinkedHashMap<>(CAMPAIGN);
        backwards.put("startsOn", "2025-07-01");
        backwards.put("endsOn", "2025-06-30");
        admin().header("Accept-Language", "zh").body(backwards).put("/api/v1/admin/campaigns/{id}", id).then()
                .statusCode(400).contentType("application/problem+json")
                .body("errors", hasSize(1)).body("errors[0].field", equalTo("endsOn"))
                .body("errors[0].message", equalTo("不得早于开始日期 startsOn（2025-07-01）"));
        Map<String, Object> far = new LinkedHashMap<>(CAMPAIGN);
        far.put("startsOn", "2023-12-31");
        admin().body(far).put("/api/v1/admin/campaigns/{id}", id).then().statusCode(400)
                .body("errors.field", equalTo(List.of("startsOn")))
                .body("errors[0].message", equalTo("must be a date in the years 2024 to 2026 (the year before the "
                        + "campaign's, its own or the one after)"));

        given().get("/api/v1/campaigns/{id}", id).then().statusCode(200)
                .body("startsOn", equalTo("2025-01-01")).body("endsOn", equalTo("2025-12-31"));
    }

    @Test
    void aCampaignAsKnownAtAnInstantHasTheDefinitionAndTargetsItHadThen() throws Exception {
        String id = newId();
        Instant beforeItExisted = Instant.now();
        admin().body(CAMPAIGN).put("/api/v1/admin/campaigns/{id}", id).then().statusCode(201);
        admin().body(Map.of("targets", List.of(target("projects")))).put("/api/v1/admin/campaigns/{id}/targets", id)
                .then().statusCode(200);
        Instant beforeTheEdit = Instant.now();
        Map<String, Object> more = target("projects");
        more.put("target", 1200);
        Map<String, Object> renamed = new LinkedHashMap<>(CAMPAIGN);
        renamed.put("nameZh", "2025年“千项千亿”项目大会战（调整后）");
        renamed.put("endsOn", "2026-01-31");
        admin().body(Map.of("targets", List.of(more, target("signed")))).put("/api/v1/admin/campaigns/{id}/targets", id)
                .then().statusCode(200);
        admin().body(renamed).put("/api/v1/admin/campaigns/{id}", id).then().statusCode(200);

        CampaignWithTargets then = asKnownAt(id, beforeTheEdit);
        assertThat(then.nameZh()).isEqualTo("2025年“千项千亿”项目大会战");
        assertThat(then.endsOn()).isEqualTo("2025-12-31");
        assertThat(then.targets()).extracting(TargetDefinition::code, TargetDefinition::target)
                .containsExactly(tuple("projects", new BigDecimal("1000")));

        CampaignWithTargets now = asKnownAt(id, Instant.now());
        assertThat(now.nameZh()).isEqualTo("2025年“千项千亿”项目大会战（调整后）");
        assertThat(now.endsOn()).isEqualTo("2026-01-31");
        assertThat(now.targets()).extracting(TargetDefinition::code, TargetDefinition::target).containsExactly(
                tuple("projects", new BigDecimal("1200")),
                tuple("signed", new BigDecimal("1000")));
        assertThat(json.writeValueAsString(now)).as("as a read shows it now").isEqualTo(
                given().get("/api/v1/campaigns/{id}", id).then().statusCode(200).extract().asString());

        CampaignWithTargets first = asKnownAt(id, beforeItExisted);
        assertThat(first.launchedOn()).as("the earliest definition known").isEqualTo(LocalDate.of(2025, 2, 10));
        assertThat(first.targets()).as("defined without targets").isEmpty();
        assertThat(asKnownAt(newId(), Instant.now())).as("a campaign that never existed").isNull();
    }

    @Test
    void aCampaignTheMigrationsDefinedIsKnownAsTheyDefinedItAtAnyEarlierInstant() {
        CampaignWithTargets seeded = asKnownAt("2023-qxqy", Instant.parse("2023-01-01T00:00:00Z"));

        assertThat(seeded.year()).isEqualTo(2023);
        assertThat(seeded.startsOn()).isEqualTo("2023-01-01");
        assertThat(seeded.endsOn()).isEqualTo("2023-12-31");
        assertThat(seeded.targets()).extracting(TargetDefinition::code).containsExactly("projects",
                "annual-planned-investment", "central-budget-and-special-bond", "chain-extension",
                "private-capital-offered", "private-capital-signed", "private-capital-started");
        assertThat(seeded.targets().get(5).categories()).containsExactly("private-capital");
    }

    private CampaignWithTargets asKnownAt(String campaignId, Instant knownAt) {
        try {
            return VertxContextSupport.subscribeAndAwait(() -> campaigns.asKnownAt(campaignId, knownAt));
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void targetsOfAnUnknownCampaignAreA404() {
        admin().body(Map.of("targets", List.of(target("projects"))))
                .put("/api/v1/admin/campaigns/{id}/targets", newId()).then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void onlyAdministratorsEditCampaigns() {
        String id = newId();
        RestAssured.given().contentType(ContentType.JSON).body(CAMPAIGN).put("/api/v1/admin/campaigns/{id}", id)
                .then().statusCode(401).contentType("application/problem+json");
        RestAssured.given().auth().preemptive().basic("admin", "wrong").contentType(ContentType.JSON).body(CAMPAIGN)
                .put("/api/v1/admin/campaigns/{id}", id).then().statusCode(401);
        Api.department().body(CAMPAIGN).put("/api/v1/admin/campaigns/{id}", id).then().statusCode(403)
                .contentType("application/problem+json");
        Api.department().body(Map.of("targets", List.of())).put("/api/v1/admin/campaigns/2024-qxqy/targets")
                .then().statusCode(403);
        given().get("/api/v1/campaigns/{id}", id).then().statusCode(404);
        given().get("/api/v1/campaigns/2024-qxqy").then().statusCode(200)
                .body("targets", not(equalTo(List.of())))
                .body("targets.code", hasItems("projects", "private-capital-signed"));
    }
}
