package cn.qxqy.pipeline.campaign;

import cn.qxqy.pipeline.domain.FollowUpSettings;
import cn.qxqy.pipeline.domain.Ranking;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import io.smallrye.mutiny.Uni;

import static cn.qxqy.pipeline.testing.Api.admin;
import static cn.qxqy.pipeline.testing.Api.amount;
import static cn.qxqy.pipeline.testing.Api.department;
import static cn.qxqy.pipeline.testing.Api.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Each county's share of each campaign target and the campaign's ranking and follow-up settings, over HTTP: set by
 * the city or an administrator, refused with a problem naming each bad field, read by everybody with a role, and kept
 * in their history for reads with knownAt.
 */
@QuarkusTest
class CountySharesTest {

    private static final String LISHI = "141102";
    private static final String XING = "141123";
    private static final String FENYANG = "141182";

    @Inject
    Campaigns campaigns;

    /** A campaign of its own with a target of projects and one of 万元. */
    private static String newCampaign() {
        String id = "s-" + UUID.randomUUID().toString().substring(0, 8);
        admin().body(Map.of("nameZh", "测试会战", "nameEn", "Test campaign", "year", 2024, "cityCode", "141100"))
                .put("/api/v1/admin/campaigns/{id}", id).then().statusCode(201);
        admin().body(Map.of("targets", List.of(
                        target("signed", "projects", 30),
                        target("investment", "annualPlannedInvestment", new BigDecimal("5000.5")))))
                .put("/api/v1/admin/campaigns/{id}/targets", id).then().statusCode(200);
        return id;
    }

    private static Map<String, Object> target(String code, String measure, Object target) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("code", code);
        t.put("nameZh", "指标 " + code);
        t.put("nameEn", "Target " + code);
        t.put("measure", measure);
        t.put("target", target);
        return t;
    }

    private static Map<String, Object> share(String targetCode, String regionCode, Object share) {
        Map<String, Object> s = new HashMap<>();
        s.put("targetCode", targetCode);
        s.put("regionCode", regionCode);
        s.put("share", share);
        return s;
    }

    private static Map<String, Object> settings(Object leading, Object normal, Object lagging, Object signedNotStarted,
                                                Object reservedNotSigned, Object reportDueDay, Object plannedDates) {
        Map<String, Object> bands = new HashMap<>();
        bands.put("leading", leading);
        bands.put("normal", normal);
        bands.put("lagging", lagging);
        Map<String, Object> followUps = new HashMap<>();
        followUps.put("signedNotStartedDays", signedNotStarted);
        followUps.put("reservedNotSignedDays", reservedNotSigned);
        followUps.put("reportDueDay", reportDueDay);
        followUps.put("plannedDates", plannedDates);
        return Map.of("bands", bands, "followUps", followUps);
    }

    private static RequestSpecification xingCounty() {
        return RestAssured.given().auth().preemptive().basic("xingxian", "xingxian-secret").contentType(ContentType.JSON);
    }

    private static JsonPath sharesOf(String campaignId) {
        return given().get("/api/v1/campaigns/{id}/county-shares", campaignId).then().statusCode(200).extract().jsonPath();
    }

    @Test
    void theCityReplacesAllSharesAtOnceAndEveryReaderSeesEachTargetWithItsTotalAndDifference() {
        String id = newCampaign();
        department().body(Map.of("shares", List.of(share("signed", LISHI, 1), share("investment", LISHI, 99))))
                .put("/api/v1/campaigns/{id}/county-shares", id).then().statusCode(200);

        JsonPath stored = department().body(Map.of("shares", List.of(
                        share("signed", FENYANG, 18), share("signed", XING, 15),
                        share("investment", XING, "2600.5"), share("investment", LISHI, 2600))))
                .put("/api/v1/campaigns/{id}/county-shares", id).then().statusCode(200).extract().jsonPath();

        String body = given().get("/api/v1/campaigns/{id}/county-shares", id).then().statusCode(200).extract().asString();
        JsonPath read = new JsonPath(body);
        assertThat(read.prettify()).as("the PUT answers what the GET shows").isEqualTo(stored.prettify());
        assertThat(read.getString("campaignId")).isEqualTo(id);
        assertThat(read.getList("targets.code")).containsExactly("signed", "investment");
        assertThat(read.getString("targets[0].measure")).isEqualTo("projects");
        assertThat(amount(read, "targets[0].target")).isEqualByComparingTo(new BigDecimal("30"));
        assertThat(amount(read, "targets[0].sharesTotal")).isEqualByComparingTo(new BigDecimal("33"));
        assertThat(amount(read, "targets[0].difference")).isEqualByComparingTo(new BigDecimal("3"));
        assertThat(read.getList("targets[0].shares.regionCode")).as("in the regions' order, the earlier shares gone")
                .containsExactly(XING, FENYANG);
        assertThat(read.getList("targets[0].shares.nameZh")).containsExactly("兴县", "汾阳市");
        assertThat(amount(read, "targets[0].shares[1].share")).isEqualByComparingTo(new BigDecimal("18"));
        assertThat(amount(read, "targets[1].target")).isEqualByComparingTo(new BigDecimal("5000.50"));
        assertThat(amount(read, "targets[1].sharesTotal")).isEqualByComparingTo(new BigDecimal("5200.50"));
        assertThat(amount(read, "targets[1].difference")).isEqualByComparingTo(new BigDecimal("200.00"));
        assertThat(body).as("a count whole, 万元 with 2 decimals").contains(
                "\"target\":30,\"sharesTotal\":33,\"difference\":3,",
                "\"target\":5000.50,\"sharesTotal\":5200.50,\"difference\":200.00,",
                "\"share\":18}", "\"share\":2600.00}", "\"share\":2600.50}");

        JsonPath none = department().body(Map.of("shares", List.of()))
                .put("/api/v1/campaigns/{id}/county-shares", id).then().statusCode(200).extract().jsonPath();
        assertThat(none.getList("targets.shares")).containsExactly(List.of(), List.of());
        assertThat(amount(none, "targets[0].difference")).isEqualByComparingTo(new BigDecimal("-30"));
    }

    @Test
    void aTargetRedefinedFromTenThousandYuanToProjectsKeepsOnlyTheSharesThatAreWholeProjects() {
        String id = newCampaign();
        department().body(Map.of("shares", List.of(share("investment", XING, "1500.5"), share("investment", LISHI, 20))))
                .put("/api/v1/campaigns/{id}/county-shares", id).then().statusCode(200);

        admin().body(Map.of("targets", List.of(target("signed", "projects", 30), target("investment", "projects", 40))))
                .put("/api/v1/admin/campaigns/{id}/targets", id).then().statusCode(200);

        JsonPath read = sharesOf(id);
        assertThat(read.getList("targets[1].shares.regionCode")).as("1500.5 projects is no share").containsExactly(LISHI);
        given().get("/api/v1/campaigns/{id}/rankings", id).then().statusCode(200);
    }

    @Test
    void eachBadShareIsNamedAndNothingIsStored() {
        String id = newCampaign();
        department().body(Map.of("shares", List.of(share("signed", LISHI, 4))))
                .put("/api/v1/campaigns/{id}/county-shares", id).then().statusCode(200);

        JsonPath problem = department().body(Map.of("shares", List.of(
                        share("no-such-target", XING, 1),
                        share("signed", "141100", 1),
                        share("signed", "140100", 1),
                        share("signed", XING, "1.5"),
                        share("investment", XING, 0),
                        share("signed", XING, 2),
                        share("investment", LISHI, "10.005"))))
                .put("/api/v1/campaigns/{id}/county-shares", id).then().statusCode(400)
                .contentType("application/problem+json").extract().jsonPath();

        assertThat(problem.getList("errors.field")).containsExactlyInAnyOrder("shares[0].targetCode",
                "shares[1].regionCode", "shares[2].regionCode", "shares[3].share", "shares[4].share",
                "shares[5].regionCode", "shares[6].share");
        assertThat(problem.getString("errors.find { it.field == 'shares[1].regionCode' }.message"))
                .contains("city level");
        assertThat(problem.getString("errors.find { it.field == 'shares[5].regionCode' }.message"))
                .contains("shares[3]");
        assertThat(sharesOf(id).getList("targets[0].shares.regionCode")).containsExactly(LISHI);

        department().body(Map.of("shares", Map.of())).put("/api/v1/campaigns/{id}/county-shares", id)
                .then().statusCode(400).body("errors[0].field", org.hamcrest.Matchers.equalTo("shares"));
    }

    @Test
    void onlyTheCityOrAnAdministratorSetsSharesAndSettings() {
        String id = newCampaign();
        Map<String, Object> body = Map.of("shares", List.of(share("signed", XING, 40)));
        Map<String, Object> lenient = settings(2, 1, "0.5", null, null, null, false);

        xingCounty().body(body).put("/api/v1/campaigns/{id}/county-shares", id).then().statusCode(403)
                .contentType("application/problem+json");
        given().contentType(ContentType.JSON).body(body).put("/api/v1/campaigns/{id}/county-shares", id)
                .then().statusCode(403);
        xingCounty().body(lenient).put("/api/v1/campaigns/{id}/settings", id).then().statusCode(403);
        given().contentType(ContentType.JSON).body(lenient).put("/api/v1/campaigns/{id}/settings", id)
                .then().statusCode(403);
        assertThat(sharesOf(id).getList("targets[0].shares")).as("nothing stored").isEmpty();
        assertThat(given().get("/api/v1/campaigns/{id}/settings", id).then().statusCode(200).extract()
                .jsonPath().getBoolean("followUps.plannedDates")).isTrue();

        admin().body(body).put("/api/v1/campaigns/{id}/county-shares", id).then().statusCode(200);
        admin().body(lenient).put("/api/v1/campaigns/{id}/settings", id).then().statusCode(200);
        xingCounty().get("/api/v1/campaigns/{id}/county-shares", id).then().statusCode(200);
        assertThat(sharesOf(id).getList("targets[0].shares.regionCode")).containsExactly(XING);
    }

    @Test
    void anUnknownCampaignHasNoSharesNorSettings() {
        for (String path : List.of("/api/v1/campaigns/{id}/county-shares", "/api/v1/campaigns/{id}/settings")) {
            given().get(path, "no-such-campaign").then().statusCode(404);
        }
        admin().body(Map.of("shares", List.of())).put("/api/v1/campaigns/{id}/county-shares", "no-such-campaign")
                .then().statusCode(404);
        admin().body(settings("1.1", "0.9", "0.7", 90, 180, 10, true))
                .put("/api/v1/campaigns/{id}/settings", "no-such-campaign").then().statusCode(404);
    }

    @Test
    void settingsAreTheDefaultsUntilSetAndThenAsSet() {
        String id = newCampaign();
        JsonPath defaults = given().get("/api/v1/campaigns/{id}/settings", id).then().statusCode(200)
                .extract().jsonPath();
        assertThat(amount(defaults, "bands.leading")).isEqualByComparingTo(new BigDecimal("1.1"));
        assertThat(amount(defaults, "bands.normal")).isEqualByComparingTo(new BigDecimal("0.9"));
        assertThat(amount(defaults, "bands.lagging")).isEqualByComparingTo(new BigDecimal("0.7"));
        assertThat(defaults.getInt("followUps.signedNotStartedDays")).isEqualTo(90);
        assertThat(defaults.getInt("followUps.reservedNotSignedDays")).isEqualTo(180);
        assertThat(defaults.getInt("followUps.reportDueDay")).isEqualTo(10);
        assertThat(defaults.getBoolean("followUps.plannedDates")).isTrue();

        JsonPath stored = department().body(settings("1.20", "1", "0.755", null, 365, 15, false))
                .put("/api/v1/campaigns/{id}/settings", id).then().statusCode(200).extract().jsonPath();

        String body = given().get("/api/v1/campaigns/{id}/settings", id).then().statusCode(200).extract().asString();
        JsonPath read = new JsonPath(body);
        assertThat(read.prettify()).isEqualTo(stored.prettify());
        assertThat(body).as("the thresholds as given, without trailing zeros")
                .contains("\"bands\":{\"leading\":1.2,\"normal\":1,\"lagging\":0.755}");
        assertThat(amount(read, "bands.leading")).isEqualByComparingTo(new BigDecimal("1.2"));
        assertThat(amount(read, "bands.normal")).isEqualByComparingTo(new BigDecimal("1"));
        assertThat(amount(read, "bands.lagging")).isEqualByComparingTo(new BigDecimal("0.755"));
        assertThat(read.getString("followUps.signedNotStartedDays")).as("turned off").isNull();
        assertThat(read.getInt("followUps.reservedNotSignedDays")).isEqualTo(365);
        assertThat(read.getInt("followUps.reportDueDay")).isEqualTo(15);
        assertThat(read.getBoolean("followUps.plannedDates")).isFalse();
    }

    @Test
    void eachBadSettingIsNamedAndNothingIsStored() {
        String id = newCampaign();
        Map<String, Object> bad = settings("1.1", "1.1", 0, 0, 3651, 29, "yes");
        @SuppressWarnings("unchecked")
        Map<String, Object> followUps = (Map<String, Object>) bad.get("followUps");
        followUps.remove("reservedNotSignedDays");
        followUps.put("signedNotStartedDays", 0);

        JsonPath problem = department().body(bad).put("/api/v1/campaigns/{id}/settings", id).then().statusCode(400)
                .contentType("application/problem+json").extract().jsonPath();

        assertThat(problem.getList("errors.field")).containsExactlyInAnyOrder("bands.normal", "bands.lagging",
                "followUps.signedNotStartedDays", "followUps.reservedNotSignedDays", "followUps.reportDueDay",
                "followUps.plannedDates");
        assertThat(problem.getString("errors.find { it.field == 'bands.normal' }.message"))
                .isEqualTo("must be less than bands.leading (1.1)");
        assertThat(problem.getString("errors.find { it.field == 'followUps.reportDueDay' }.message"))
                .isEqualTo("must be from 1 to 28");

        department().body(settings("1.1", "0.9", "0.95", 90, 180, 10, true))
                .put("/api/v1/campaigns/{id}/settings", id).then().statusCode(400)
                .body("errors.field", org.hamcrest.Matchers.contains("bands.lagging"));
        assertThat(given().get("/api/v1/campaigns/{id}/settings", id).then().statusCode(200).extract().jsonPath()
                .getInt("followUps.reportDueDay")).as("still the defaults").isEqualTo(10);
    }

    @Test
    void sharesAndSettingsAreKnownAsTheyStoodAtAnyInstant() {
        String id = newCampaign();
        Instant beforeAny = Instant.now();
        department().body(Map.of("shares", List.of(share("signed", XING, 10))))
                .put("/api/v1/campaigns/{id}/county-shares", id).then().statusCode(200);
        department().body(settings("1.3", "1", "0.8", 30, 60, 5, true))
                .put("/api/v1/campaigns/{id}/settings", id).then().statusCode(200);
        Instant betweenTheChanges = Instant.now();
        department().body(Map.of("shares", List.of(share("signed", XING, 12), share("investment", LISHI, 7))))
                .put("/api/v1/campaigns/{id}/county-shares", id).then().statusCode(200);
        department().body(settings("1.3", "1", "0.8", null, 60, 5, false))
                .put("/api/v1/campaigns/{id}/settings", id).then().statusCode(200);

        assertThat(await(() -> campaigns.sharesKnownAt(id, beforeAny)).byTarget()).isEmpty();
        assertThat(await(() -> campaigns.settingsKnownAt(id, beforeAny))).isEqualTo(CampaignSettings.DEFAULTS);

        CountyShares then = await(() -> campaigns.sharesKnownAt(id, betweenTheChanges));
        assertThat(then.byTarget()).containsOnlyKeys("signed");
        assertThat(then.share("signed", XING)).isEqualByComparingTo("10");
        assertThat(await(() -> campaigns.settingsKnownAt(id, betweenTheChanges))).isEqualTo(new CampaignSettings(
                new Ranking.BandThresholds(new BigDecimal("1.3"), BigDecimal.ONE, new BigDecimal("0.8")),
                new FollowUpSettings(30, 60, 5, true)));

        CountyShares now = await(() -> campaigns.sharesKnownAt(id, Instant.now()));
        assertThat(now).isEqualTo(await(() -> campaigns.shares(id)));
        assertThat(now.share("signed", XING)).isEqualByComparingTo("12");
        assertThat(now.share("investment", LISHI)).isEqualByComparingTo("7");
        assertThat(now.share("investment", XING)).isNull();
        assertThat(await(() -> campaigns.settingsKnownAt(id, Instant.now())))
                .isEqualTo(await(() -> campaigns.settings(id)))
                .extracting(s -> s.followUps().signedNotStartedDays(), s -> s.followUps().plannedDates())
                .containsExactly(null, false);
    }

    @Test
    void theCountyUnitsAreTheCitysCountiesAndTheCityLevelStandsApart() {
        List<CountyUnit> counties = await(() -> campaigns.countyUnits("2024-qxqy"));
        assertThat(counties).hasSize(13).extracting(CountyUnit::regionCode).doesNotContain("141100")
                .allMatch(code -> code.startsWith("1411")).startsWith(LISHI).endsWith(FENYANG);
        assertThat(counties).extracting(CountyUnit::sort).isSorted();
        assertThat(await(() -> campaigns.cityLevel("2024-qxqy")))
                .extracting(CountyUnit::regionCode, CountyUnit::nameZh).containsExactly("141100", "市本级");
        assertThat(await(() -> campaigns.countyUnits("no-such-campaign"))).isEmpty();
        assertThat(await(() -> campaigns.cityLevel("no-such-campaign"))).isNull();
        assertThat(counties).extracting(CountyUnit::regionCode, CountyUnit::nameEn).contains(tuple(XING, "Xing County"));
    }

    private static <T> T await(Supplier<Uni<T>> read) {
        try {
            return VertxContextSupport.subscribeAndAwait(read);
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }
}
