package cn.qxqy.pipeline.projection;

import cn.qxqy.pipeline.testing.Api;
import cn.qxqy.pipeline.testing.Api.Project;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static cn.qxqy.pipeline.testing.Api.amount;
import static cn.qxqy.pipeline.testing.Api.given;
import static cn.qxqy.pipeline.testing.Api.reserve;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A campaign's figures as of several days, through the projector, PostgreSQL and the API. The expectations are written
 * by hand from the history (not by the service's fold): a project reserved in March in 兴县, signed in May, its signing
 * retracted in July (it never happened), signed again in August with another amount and started, moved to 临县 in
 * September, with reports across the year's end; beside it a project reserved in June and withdrawn in October.
 */
@QuarkusTest
class DatedFiguresReadTest {

    private static final String XING = "141123";
    private static final String LIN = "141124";

    @Test
    void theSummaryBreakdownProgressAndTimelineAreTheCampaignAsItStoodOnEachDay() {
        String campaign = Api.newCampaign();
        Project moved = reserve(campaign, "吕梁兴县铝镁项目", XING, "aluminium-magnesium", List.of("private-capital"),
                "5000", "1200", day(2024, 3, 10))
                .post("ProjectSigned", day(2024, 5, 20), Map.of("signedInvestment", 4000, "investor", "某公司"))
                .post("MilestoneRetracted", day(2024, 7, 15), Map.of("reason", "合同未生效"))
                .post("ProjectSigned", day(2024, 8, 12), Map.of("signedInvestment", 4500, "investor", "某公司"))
                .post("ConstructionStarted", day(2024, 8, 25), Map.of())
                .post("InvestmentReported", day(2024, 9, 5), Map.of("period", "2024-08", "investmentToDate", 300))
                .post("ProjectCorrected", day(2024, 9, 18), Map.of("regionCode", LIN))
                .post("InvestmentReported", day(2025, 1, 8), Map.of("period", "2024-12", "investmentToDate", 900))
                .post("InvestmentReported", day(2025, 3, 5), Map.of("period", "2025-02", "investmentToDate", 1300));
        Project withdrawn = reserve(campaign, "吕梁临县道路项目", LIN, "infrastructure", List.of("central-budget"),
                "800", "300", day(2024, 6, 1))
                .post("ProjectWithdrawn", day(2024, 10, 10), Map.of("reason", "投资方退出"));
        Api.awaitProjected(moved, withdrawn);

        // 31 May: reserved only, the retracted signing never happened; the other project not reserved yet.
        JsonPath may = summary(campaign, "2024-05-31");
        assertThat(may.getString("asOf")).isEqualTo("2024-05-31");
        assertFigures(may, 1, 0, "5000", "1200", "0", "0", "0");
        assertThat(may.getInt("stages.RESERVED.current")).isEqualTo(1);
        assertThat(may.getInt("stages.SIGNED.reached")).isZero();

        // 31 July: both reserved, nothing signed.
        assertFigures(summary(campaign, "2024-07-31"), 2, 0, "5800", "1500", "0", "0", "0");
        assertThat(timeline(campaign, "2024-07-31")).containsExactly(
                "2024-03 RESERVED 1 5000", "2024-06 RESERVED 1 800");

        // 31 August: signed again (4500) and started, August's report in, still in 兴县.
        JsonPath august = summary(campaign, "2024-08-31");
        assertFigures(august, 2, 0, "5800", "1500", "4500", "300", "300");
        assertThat(august.getInt("stages.STARTED.current")).isEqualTo(1);
        assertThat(august.getInt("stages.SIGNED.reached")).isEqualTo(1);
        assertThat(regions(campaign, "2024-08-31")).containsEntry(XING, 1).containsEntry(LIN, 1);
        assertThat(timeline(campaign, "2024-08-31")).containsExactly("2024-03 RESERVED 1 5000",
                "2024-06 RESERVED 1 800", "2024-08 SIGNED 1 4500", "2024-08 STARTED 1 5000");

        // 30 September: moved to 临县 from the 18th.
        assertThat(regions(campaign, "2024-09-30")).containsEntry(XING, 0).containsEntry(LIN, 2);
        // Before the move, it counted in 兴县.
        assertThat(regions(campaign, "2024-09-17")).containsEntry(XING, 1).containsEntry(LIN, 1);

        // 31 October: the other project withdrawn.
        assertFigures(summary(campaign, "2024-10-31"), 1, 1, "5000", "1200", "4500", "300", "300");
        assertThat(timeline(campaign, "2024-10-31")).containsExactly("2024-03 RESERVED 1 5000",
                "2024-08 SIGNED 1 4500", "2024-08 STARTED 1 5000", "2024-10 WITHDRAWN 1 800");

        // Across the year's end: 本年完成投资 starts again from December's report.
        assertFigures(summary(campaign, "2024-12-31"), 1, 1, "5000", "1200", "4500", "900", "900");
        assertFigures(summary(campaign, "2025-01-31"), 1, 1, "5000", "1200", "4500", "900", "0");
        assertFigures(summary(campaign, "2025-02-28"), 1, 1, "5000", "1200", "4500", "1300", "400");
        JsonPath progress = given().queryParam("asOf", "2025-02-28").get("/api/v1/campaigns/{id}/progress", campaign)
                .then().statusCode(200).extract().jsonPath();
        String rate = "rates.find { it.code == 'investment-completion-rate' }";
        assertThat(progress.getString(rate + ".numerator.code")).isEqualTo("investment-this-year");
        assertThat(amount(progress, rate + ".numerator.value")).isEqualByComparingTo("400");
        assertThat(amount(progress, rate + ".denominator.value")).isEqualByComparingTo("1200");
        assertThat(amount(progress, rate + ".percentage")).isEqualByComparingTo("33.3");
        assertThat(progress.getInt("projects")).isEqualTo(1);
        assertThat(progress.getString("asOf")).isEqualTo("2025-02-28");

        // Without asOf: every event counts, and this year (no report since February 2025) has no investment yet.
        JsonPath now = given().get("/api/v1/campaigns/{id}/summary", campaign).then().statusCode(200)
                .extract().jsonPath();
        assertThat(now.getString("asOf")).isNull();
        assertFigures(now, 1, 1, "5000", "1200", "4500", "1300", "0");
        assertThat(regions(campaign, null)).containsEntry(XING, 0).containsEntry(LIN, 1);
    }

    private static LocalDate day(int year, int month, int dayOfMonth) {
        return LocalDate.of(year, month, dayOfMonth);
    }

    private static JsonPath summary(String campaign, String asOf) {
        return given().queryParam("asOf", asOf).get("/api/v1/campaigns/{id}/summary", campaign).then().statusCode(200)
                .extract().jsonPath();
    }

    private static void assertFigures(JsonPath summary, int projects, int withdrawn, String planned, String annual,
                                      String signed, String toDate, String thisYear) {
        assertThat(summary.getInt("projects")).as("projects").isEqualTo(projects);
        assertThat(summary.getInt("withdrawn")).as("withdrawn").isEqualTo(withdrawn);
        assertThat(amount(summary, "plannedInvestment")).as("plannedInvestment").isEqualByComparingTo(planned);
        assertThat(amount(summary, "annualPlannedInvestment")).as("annualPlannedInvestment").isEqualByComparingTo(annual);
        assertThat(amount(summary, "signedInvestment")).as("signedInvestment").isEqualByComparingTo(signed);
        assertThat(amount(summary, "investmentToDate")).as("investmentToDate").isEqualByComparingTo(toDate);
        assertThat(amount(summary, "investmentThisYear")).as("investmentThisYear").isEqualByComparingTo(thisYear);
    }

    /** Active projects per county of the region breakdown. */
    private static Map<String, Integer> regions(String campaign, String asOf) {
        var request = given().queryParam("by", "region");
        if (asOf != null) {
            request.queryParam("asOf", asOf);
        }
        JsonPath breakdown = request.get("/api/v1/campaigns/{id}/breakdown", campaign).then().statusCode(200)
                .extract().jsonPath();
        assertThat(breakdown.getString("asOf")).isEqualTo(asOf);
        return Map.of(XING, breakdown.getInt("items.find { it.key == '" + XING + "' }.projects"),
                LIN, breakdown.getInt("items.find { it.key == '" + LIN + "' }.projects"));
    }

    /** Each month's milestones that count: "month MILESTONE projects investment". */
    private static List<String> timeline(String campaign, String asOf) {
        JsonPath timeline = given().queryParam("asOf", asOf).queryParam("granularity", "month")
                .get("/api/v1/campaigns/{id}/timeline", campaign).then().statusCode(200).extract().jsonPath();
        List<String> reached = new java.util.ArrayList<>();
        List<String> periods = timeline.getList("periods.period");
        for (int i = 0; i < periods.size(); i++) {
            for (String milestone : List.of("RESERVED", "SIGNED", "STARTED", "COMPLETED", "WITHDRAWN")) {
                String path = "periods[" + i + "]." + milestone;
                if (timeline.getInt(path + ".projects") != 0) {
                    BigDecimal investment = amount(timeline, path + ".investment");
                    reached.add(periods.get(i) + " " + milestone + " " + timeline.getInt(path + ".projects") + " "
                            + investment.stripTrailingZeros().toPlainString());
                }
            }
        }
        return reached;
    }
}
