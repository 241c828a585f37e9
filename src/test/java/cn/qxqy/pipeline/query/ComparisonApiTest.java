package cn.qxqy.pipeline.query;

import cn.qxqy.pipeline.testing.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static cn.qxqy.pipeline.testing.Api.admin;
import static cn.qxqy.pipeline.testing.Api.given;
import static org.assertj.core.api.Assertions.assertThat;

/** The comparison endpoint over campaigns of the test's own: 环比 between two days, 同比 between two campaigns. */
@QuarkusTest
class ComparisonApiTest {

    private static final String XINGXIAN = "141123";

    @Test
    void monthOverMonthCountsWhatHappenedBetweenThePreviousMonthsEndAndTheDay() {
        String campaign = Api.newCampaign();
        Api.Project march = Api.reserve(campaign, "三月储备项目", XINGXIAN, "special-steel", List.of(), "1000", null,
                LocalDate.of(2024, 3, 10));
        Api.Project june = Api.reserve(campaign, "六月储备项目", XINGXIAN, "special-steel", List.of(), "250.50", null,
                LocalDate.of(2024, 6, 5));
        Api.awaitProjected(march, june);

        JsonPath comparison = comparison(campaign, Map.of("asOf", "2024-06-30", "against", "2024-05-31"));

        assertThat(comparison.getString("side.asOf")).isEqualTo("2024-06-30");
        assertThat(comparison.getString("against.asOf")).isEqualTo("2024-05-31");
        assertThat(comparison.getMap("headline.projects")).containsExactlyInAnyOrderEntriesOf(Map.of("value", 2, "against", 1, "delta", 1));
        assertThat(Api.amount(comparison, "headline.plannedInvestment.delta")).isEqualByComparingTo("250.50");
        assertThat(Api.amount(comparison, "breakdowns.region.find { it.key == '141123' }.figures.projects.delta"))
                .isEqualByComparingTo("1");
        JsonPath june30 = given().queryParam("asOf", "2024-06-30").get("/api/v1/campaigns/{id}/summary", campaign)
                .then().statusCode(200).extract().jsonPath();
        assertThat(comparison.getLong("headline.projects.value")).as("the summary's figure for that day")
                .isEqualTo(june30.getLong("projects"));
    }

    @Test
    void yearOverYearReadsTheOtherCampaignOnTheSameMonthAndDayOfItsYear() {
        String thisYear = Api.newCampaign();
        String lastYear = campaignOf(2023);
        Api.Project a = Api.reserve(thisYear, "今年项目甲", XINGXIAN, "special-steel", List.of(), "1000", null, LocalDate.of(2024, 3, 1));
        Api.Project b = Api.reserve(thisYear, "今年项目乙", XINGXIAN, "special-steel", List.of(), "500", null, LocalDate.of(2024, 4, 1));
        Api.Project c = Api.reserve(lastYear, "去年项目", XINGXIAN, "special-steel", List.of(), "300", null, LocalDate.of(2023, 4, 1));
        Api.awaitProjected(a, b, c);

        JsonPath comparison = comparison(thisYear, Map.of("asOf", "2024-06-30", "againstCampaign", lastYear));

        assertThat(comparison.getMap("against")).containsExactlyInAnyOrderEntriesOf(
                Map.of("campaignId", lastYear, "asOf", "2023-06-30", "present", true));
        assertThat(comparison.getMap("headline.projects")).containsExactlyInAnyOrderEntriesOf(Map.of("value", 2, "against", 1, "delta", 1));
        assertThat(Api.amount(comparison, "headline.plannedInvestment.delta")).isEqualByComparingTo("1200.00");
        assertThat(Api.amount(comparison, "breakdowns.chain.find { it.key == 'special-steel' }.figures.plannedInvestment.against"))
                .isEqualByComparingTo("300.00");
        assertThat(comparison.getList("rates.code")).contains("signing-rate");

        assertThat(comparison(thisYear, Map.of("asOf", "2024-02-29", "againstCampaign", lastYear)).getString("against.asOf"))
                .as("29 February reads as 28 February").isEqualTo("2023-02-28");
    }

    @Test
    void aSideBeforeItsCampaignsStartIsAbsentNotAnError() {
        String campaign = Api.newCampaign();
        Api.awaitProjected(Api.reserve(campaign, "一月项目", XINGXIAN, "special-steel", List.of(), "100", null, LocalDate.of(2024, 1, 15)));

        JsonPath comparison = comparison(campaign, Map.of("asOf", "2024-01-31", "against", "2023-12-31"));

        assertThat(comparison.getBoolean("side.present")).isTrue();
        assertThat(comparison.getBoolean("against.present")).isFalse();
        assertThat(comparison.getMap("headline.projects")).containsEntry("value", 1).containsEntry("against", null)
                .containsEntry("delta", null);
        assertThat(comparison.getList("breakdowns.region.figures.projects.delta")).isNotEmpty().containsOnlyNulls();
    }

    @Test
    void aBadValueIsA400NamingItsParameter() {
        String campaign = Api.newCampaign();
        assertThat(refused(campaign, Map.of("asOf", "2024-06-30", "against", "2024-05-31", "againstCampaign", campaign)))
                .as("both").isEqualTo("against");
        assertThat(refused(campaign, Map.of("asOf", "2024-06-30"))).as("neither").isEqualTo("against");
        assertThat(refused(campaign, Map.of("against", "2024-5-31"))).isEqualTo("against");
        assertThat(refused(campaign, Map.of("against", Api.TODAY.plusDays(1).toString()))).isEqualTo("against");
        assertThat(refused(campaign, Map.of("againstCampaign", "no-such-campaign"))).isEqualTo("againstCampaign");
        assertThat(refused(campaign, Map.of("asOf", "30.06.2024", "against", "2024-05-31"))).isEqualTo("asOf");
        assertThat(refused(campaign, Map.of("knownAt", "yesterday", "against", "2024-05-31"))).isEqualTo("knownAt");
        given().queryParam("against", "2024-05-31").get("/api/v1/campaigns/{id}/comparison", "no-such-campaign")
                .then().statusCode(404).contentType("application/problem+json");
    }

    private static String campaignOf(int year) {
        String campaignId = "test-" + UUID.randomUUID().toString().substring(0, 8);
        admin().body(Map.of("nameZh", year + "年测试会战", "nameEn", "Test campaign " + year, "year", year, "cityCode", "141100"))
                .put("/api/v1/admin/campaigns/{id}", campaignId).then().statusCode(201);
        return campaignId;
    }

    private static JsonPath comparison(String campaign, Map<String, String> query) {
        return given().queryParams(query).get("/api/v1/campaigns/{id}/comparison", campaign)
                .then().statusCode(200).extract().jsonPath();
    }

    private static String refused(String campaign, Map<String, String> query) {
        return given().queryParams(query).get("/api/v1/campaigns/{id}/comparison", campaign)
                .then().statusCode(400).contentType("application/problem+json").extract().jsonPath()
                .getString("errors[0].field");
    }
}
