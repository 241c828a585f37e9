package cn.qxqy.pipeline.query;

import cn.qxqy.pipeline.campaign.CampaignSettings;
import cn.qxqy.pipeline.campaign.Campaigns;
import cn.qxqy.pipeline.campaign.CountyShares;
import cn.qxqy.pipeline.domain.FollowUpSettings;
import cn.qxqy.pipeline.domain.Ranking;
import cn.qxqy.pipeline.testing.Api;
import cn.qxqy.pipeline.testing.Api.Project;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import static cn.qxqy.pipeline.testing.Api.admin;
import static cn.qxqy.pipeline.testing.Api.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rankings (排名通报) of a worked example, every figure computed by hand: a 100-day campaign read on its 50th day
 * (时序进度 50.0%), so that a county's ratio to schedule is twice its completion rate; the annual-investment shares put
 * counties exactly on, and just below, each band's threshold. README's "Rankings (排名通报)" shows the same numbers.
 */
@QuarkusTest
class RankingsReadTest {

    /** Numbers read with the scale the API writes them in (50.0, 1.10), as the frontends show them. */
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));
    private static final LocalDate APRIL = LocalDate.of(2024, 4, 1);
    private static final String DAY = "2024-05-20";

    @Inject
    Campaigns campaigns;

    @Test
    void countiesAreRankedAgainstTheirSharesAndSchedulePerTargetAndByInvestmentWithTheirPreviousMonthsRanks()
            throws Exception {
        String campaign = workedExample();

        JsonNode rankings = read(campaign, DAY, null);

        assertThat(rankings.get("day").asText()).isEqualTo(DAY);
        assertThat(rankings.get("schedule").toString()).isEqualTo("{\"startsOn\":\"2024-04-01\",\"endsOn\":\"2024-07-09\","
                + "\"elapsedDays\":50,\"totalDays\":100,\"percentage\":50.0}");
        assertThat(rankings.get("thresholds").toString()).isEqualTo("{\"leading\":1.1,\"normal\":0.9,\"lagging\":0.7}");
        assertThat(rankings.get("previousDay").asText()).isEqualTo("2024-04-30");

        JsonNode signed = target(rankings, "signed");
        assertThat(List.of(signed.get("unit").asText(), signed.get("cityTarget").toString(),
                signed.get("sharesTotal").toString(), signed.get("sharesDifference").toString()))
                .containsExactly("projects", "10", "12", "2");
        // regionCode share reached completionRate ratioToSchedule band rank previousRank rankChange
        assertThat(rows(signed)).containsExactly(
                "141122 1 1 100.0 2.00 LEADING 1 3 2",
                "141102 2 1 50.0 1.00 NORMAL 2 3 1",
                "141121 2 1 50.0 1.00 NORMAL 2 1 -1",
                "141123 4 1 25.0 0.50 SEVERELY_LAGGING 4 2 -2",
                "141124 3 0 0.0 0.00 SEVERELY_LAGGING 5 3 -2",
                // Signed, but without a share: shown, not ranked.
                "141125 — 1 — — — — — —",
                "141126 — 0 — — — — — —", "141127 — 0 — — — — — —", "141128 — 0 — — — — — —",
                "141129 — 0 — — — — — —", "141130 — 0 — — — — — —", "141181 — 0 — — — — — —",
                "141182 — 0 — — — — — —");
        assertThat(signed.get("counties").get(0).get("bandZh").asText()).isEqualTo("领先");
        assertThat(signed.get("cityLevel").toString())
                .isEqualTo("{\"regionCode\":\"141100\",\"nameZh\":\"市本级\",\"nameEn\":\"Lüliang city level\",\"reached\":1}");

        JsonNode annual = target(rankings, "annual");
        assertThat(List.of(annual.get("unit").asText(), annual.get("cityTarget").toString(),
                annual.get("sharesTotal").toString(), annual.get("sharesDifference").toString()))
                .containsExactly("万元", "1000.00", "5000.00", "4000.00");
        // On each threshold the band is the higher; a hair below it, the lower, though the rounded ratio reads the same.
        assertThat(rows(annual)).startsWith(
                "141102 1000.00 550.00 55.0 1.10 LEADING 1 5 4",
                "141121 1000.00 549.99 55.0 1.10 NORMAL 2 1 -1",
                "141122 1000.00 450.00 45.0 0.90 NORMAL 3 2 -1",
                "141123 1000.00 350.00 35.0 0.70 LAGGING 4 3 -1",
                "141124 1000.00 349.99 35.0 0.70 SEVERELY_LAGGING 5 4 -1",
                "141125 — 100.00 — — — — — —");
        assertThat(annual.get("cityLevel").get("reached").toString()).isEqualTo("200.00");

        // regionCode value rank previousRank rankChange; the seven counties without projects tie.
        assertThat(investmentRows(rankings, "planned-investment")).containsExactly(
                "141102 5000.00 1 6 5", "141121 3000.00 2 1 -1", "141122 3000.00 2 1 -1", "141123 800.00 4 3 -1",
                "141124 600.00 5 4 -1", "141125 100.00 6 5 -1", "141126 0.00 7 6 -1", "141127 0.00 7 6 -1",
                "141128 0.00 7 6 -1", "141129 0.00 7 6 -1", "141130 0.00 7 6 -1", "141181 0.00 7 6 -1",
                "141182 0.00 7 6 -1");
        assertThat(investmentRows(rankings, "signed-investment")).startsWith(
                "141102 4000.00 1 4 3", "141122 2500.00 2 4 2", "141121 2000.00 3 1 -2", "141123 700.00 4 2 -2",
                "141125 100.00 5 3 -2", "141124 0.00 6 4 -2");
        assertThat(investmentRows(rankings, "investment-this-year")).allMatch(row -> row.matches("\\d+ 0\\.00 1 1 0"));
        JsonNode planned = investment(rankings, "planned-investment");
        assertThat(planned.get("cityLevel").get("value").toString()).isEqualTo("9000.00");
        assertThat(planned.get("nameZh").asText()).isEqualTo("总投资");
    }

    @Test
    void aKnownAtAnswersWithTheProjectsSharesAndThresholdsKnownThenWhileTheRanksComparedWithAreAsKnownNow()
            throws Exception {
        String campaign = workedExample();
        JsonNode then = read(campaign, DAY, null);
        String knownAt = KnownAtReadsTest.knownAtNow();

        Project lin = projects.get("141124");
        lin.post("ProjectSigned", LocalDate.of(2024, 5, 10), Map.of("signedInvestment", 500, "investor", "某公司"));
        Api.awaitProjected(lin);
        Map<String, BigDecimal> signedShares = new LinkedHashMap<>(SIGNED_SHARES);
        signedShares.put("141124", BigDecimal.ONE);
        shares(campaign, signedShares);
        assertThat(await(() -> campaigns.replaceSettings(campaign, new CampaignSettings(
                new Ranking.BandThresholds(new BigDecimal("1.1"), new BigDecimal("0.95"), new BigDecimal("0.7")),
                FollowUpSettings.DEFAULTS)))).isTrue();

        JsonNode now = read(campaign, DAY, null);
        // 临县 signed its one: 1 of 1 ties 交城 at the top, and the two behind them share the third place (1, 1, 3).
        assertThat(rows(target(now, "signed"))).startsWith(
                "141122 1 1 100.0 2.00 LEADING 1 3 2",
                "141124 1 1 100.0 2.00 LEADING 1 3 2",
                "141102 2 1 50.0 1.00 NORMAL 3 3 0",
                "141121 2 1 50.0 1.00 NORMAL 3 1 -2",
                "141123 4 1 25.0 0.50 SEVERELY_LAGGING 5 2 -3");
        // Normal from 0.95 on: 交城's 0.90 lags now.
        assertThat(rows(target(now, "annual"))).contains("141122 1000.00 450.00 45.0 0.90 LAGGING 3 2 -1");

        JsonNode known = read(campaign, DAY, knownAt);
        assertThat(known.get("knownAt").isNull()).isFalse();
        ((ObjectNode) known).putNull("knownAt");
        assertThat(known).isEqualTo(then);
    }

    @Test
    void withoutAsOfTheDayIsTodayButNoLaterThanTheCampaignsLastDay() throws Exception {
        String campaign = workedExample();

        JsonNode rankings = read(campaign, null, null);

        assertThat(rankings.get("asOf").isNull()).isTrue();
        assertThat(rankings.get("day").asText()).isEqualTo("2024-07-09");
        assertThat(rankings.get("schedule").get("percentage").toString()).isEqualTo("100.0");
        assertThat(rankings.get("previousDay").asText()).isEqualTo("2024-06-30");
        // A hundred days passed: 1 of 2 is half the schedule.
        assertThat(rows(target(rankings, "signed"))).contains("141102 2 1 50.0 0.50 SEVERELY_LAGGING 2 2 0");
    }

    @Test
    void anUnknownCampaignIsA404AndADayBeforeItStartsA400NamingAsOf() {
        given().get("/api/v1/campaigns/{id}/rankings", "no-such-campaign").then().statusCode(404)
                .contentType("application/problem+json");
        String campaign = workedExample();
        given().queryParam("asOf", "2024-03-31").get("/api/v1/campaigns/{id}/rankings", campaign).then()
                .statusCode(400).contentType("application/problem+json");
    }

    private static final Map<String, BigDecimal> SIGNED_SHARES = shares("141102", 2, "141121", 2, "141122", 1,
            "141123", 4, "141124", 3);
    private static final Map<String, BigDecimal> ANNUAL_SHARES = shares("141102", 1000, "141121", 1000, "141122", 1000,
            "141123", 1000, "141124", 1000);

    private final Map<String, Project> projects = new LinkedHashMap<>();

    /**
     * A campaign from 1 April to 9 July 2024 (100 days), targets of 10 signed projects and 1000 万元 of annual planned
     * investment, each county's shares, and one project in each of six counties and the city level.
     */
    private String workedExample() {
        String campaign = "rank-" + UUID.randomUUID().toString().substring(0, 8);
        admin().body(Map.of("nameZh", "排名测试", "nameEn", "Ranking test", "year", 2024, "cityCode", "141100",
                        "startsOn", "2024-04-01", "endsOn", "2024-07-09"))
                .put("/api/v1/admin/campaigns/{id}", campaign).then().statusCode(201);
        admin().body(Map.of("targets", List.of(
                        Map.of("code", "signed", "nameZh", "签约项目", "nameEn", "Signed", "measure", "projects",
                                "reachedStage", "SIGNED", "target", 10),
                        Map.of("code", "annual", "nameZh", "年度计划投资", "nameEn", "Annual", "measure",
                                "annualPlannedInvestment", "target", 1000))))
                .put("/api/v1/admin/campaigns/{id}/targets", campaign).then().statusCode(200);
        shares(campaign, SIGNED_SHARES);

        // county, planned, annual, reserved on, signed on (null: not), signed investment
        project(campaign, "141102", "5000", "550", APRIL.plusDays(31), APRIL.plusDays(35), 4000);
        project(campaign, "141121", "3000", "549.99", APRIL.plusDays(4), APRIL.plusDays(19), 2000);
        project(campaign, "141122", "3000", "450", APRIL.plusDays(4), APRIL.plusDays(34), 2500);
        project(campaign, "141123", "800", "350", APRIL.plusDays(4), APRIL.plusDays(9), 700);
        project(campaign, "141124", "600", "349.99", APRIL.plusDays(4), null, 0);
        project(campaign, "141125", "100", "100", APRIL.plusDays(4), APRIL.plusDays(5), 100);
        project(campaign, "141100", "9000", "200", APRIL.plusDays(4), APRIL.plusDays(6), 8000);
        Api.awaitProjected(projects.values().iterator().next(), projects.values().toArray(Project[]::new));
        return campaign;
    }

    private void project(String campaign, String county, String planned, String annual, LocalDate reservedOn,
                         LocalDate signedOn, int signedInvestment) {
        Project project = Api.reserve(campaign, "排名测试项目 " + county, county, "coal", List.of("private-capital"),
                planned, annual, reservedOn);
        if (signedOn != null) {
            project.post("ProjectSigned", signedOn, Map.of("signedInvestment", signedInvestment, "investor", "某公司"));
        }
        projects.put(county, project);
    }

    private void shares(String campaign, Map<String, BigDecimal> signed) {
        CountyShares shares = new CountyShares(campaign, Map.of("signed", signed, "annual", ANNUAL_SHARES));
        assertThat(await(() -> campaigns.replaceShares(shares))).isTrue();
    }

    /** The campaign's settings and shares are set through the bean: Hibernate Reactive wants a Vert.x context. */
    private static <T> T await(Supplier<Uni<T>> action) {
        try {
            return VertxContextSupport.subscribeAndAwait(action);
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }

    private static Map<String, BigDecimal> shares(Object... countyAndShare) {
        Map<String, BigDecimal> shares = new LinkedHashMap<>();
        for (int i = 0; i < countyAndShare.length; i += 2) {
            shares.put((String) countyAndShare[i], new BigDecimal(countyAndShare[i + 1].toString()));
        }
        return shares;
    }

    private static JsonNode read(String campaign, String asOf, String knownAt) throws Exception {
        var request = given();
        if (asOf != null) {
            request.queryParam("asOf", asOf);
        }
        if (knownAt != null) {
            request.queryParam("knownAt", knownAt);
        }
        return JSON.readTree(request.get("/api/v1/campaigns/{id}/rankings", campaign).then().statusCode(200)
                .extract().asString());
    }

    private static JsonNode target(JsonNode rankings, String code) {
        for (JsonNode target : rankings.get("targets")) {
            if (target.get("code").asText().equals(code)) {
                return target;
            }
        }
        throw new AssertionError("no target " + code + " in " + rankings);
    }

    private static JsonNode investment(JsonNode rankings, String code) {
        for (JsonNode investment : rankings.get("investments")) {
            if (investment.get("code").asText().equals(code)) {
                return investment;
            }
        }
        throw new AssertionError("no investment " + code + " in " + rankings);
    }

    /** Each county of a target as one line, in the order listed; — for null. */
    private static List<String> rows(JsonNode target) {
        return lines(target.get("counties"), "regionCode", "share", "reached", "completionRate", "ratioToSchedule",
                "band", "rank", "previousRank", "rankChange");
    }

    private static List<String> investmentRows(JsonNode rankings, String code) {
        return lines(investment(rankings, code).get("counties"), "regionCode", "value", "rank", "previousRank",
                "rankChange");
    }

    private static List<String> lines(JsonNode counties, String... fields) {
        List<String> lines = new ArrayList<>();
        for (JsonNode county : counties) {
            List<String> values = new ArrayList<>();
            for (String field : fields) {
                JsonNode value = county.get(field);
                values.add(value == null || value.isNull() ? "—" : value.isTextual() ? value.asText() : value.toString());
            }
            lines.add(String.join(" ", values));
        }
        return lines;
    }
}
