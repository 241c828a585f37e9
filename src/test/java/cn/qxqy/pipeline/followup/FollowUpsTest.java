package cn.qxqy.pipeline.followup;

import cn.qxqy.pipeline.domain.CampaignEvent.FollowUpAnswered;
import cn.qxqy.pipeline.domain.StreamKind;
import cn.qxqy.pipeline.eventstore.Author;
import cn.qxqy.pipeline.eventstore.EventStore;
import cn.qxqy.pipeline.testing.Api;
import cn.qxqy.pipeline.testing.Api.Project;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static cn.qxqy.pipeline.testing.Api.TODAY;
import static cn.qxqy.pipeline.testing.Api.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The follow-up list (督办) against the rules of README "Follow-ups (督办)": each rule's item listed the day after it
 * falls due and not on that day, closed late by its own event, answered, overdue again, moved with its project.
 * The campaign runs from 330 days before today to 30 days after, so that today's items can be answered.
 */
@QuarkusTest
class FollowUpsTest {

    private static final LocalDate STARTS = TODAY.minusDays(330);
    private static final String XING = "141123";
    private static final String LIN = "141124";

    @Inject
    EventStore store;

    private static String campaign() {
        String campaignId = "fu-" + UUID.randomUUID().toString().substring(0, 8);
        Api.admin().body(Map.of("nameZh", "督办测试", "nameEn", "Follow-up test", "year", TODAY.getYear(),
                        "cityCode", "141100", "startsOn", STARTS.toString(), "endsOn", TODAY.plusDays(30).toString()))
                .put("/api/v1/admin/campaigns/{id}", campaignId).then().statusCode(201);
        return campaignId;
    }

    private static Project reserve(String campaign, String region, LocalDate on) {
        return new Project(Api.newProjectId()).post("ProjectReserved", on,
                Api.reservation(campaign, region, "aluminium-magnesium", List.of("private-capital"), "100"));
    }

    private static JsonPath list(String campaign, LocalDate asOf, String... query) {
        RequestSpecification request = given();
        if (asOf != null) {
            request.queryParam("asOf", asOf.toString());
        }
        for (int i = 0; i < query.length; i += 2) {
            request.queryParam(query[i], query[i + 1]);
        }
        Response answer = request.get("/api/v1/campaigns/{id}/follow-ups", campaign);
        assertThat(answer.statusCode()).as(answer.asString()).isEqualTo(200);
        return answer.jsonPath();
    }

    private static List<String> ids(String campaign, LocalDate asOf, String... query) {
        return list(campaign, asOf, query).getList("items.itemId");
    }

    private static Map<String, Object> item(JsonPath list, String itemId) {
        return list.getList("items", Map.class).stream().map(item -> (Map<String, Object>) item)
                .filter(item -> itemId.equals(item.get("itemId"))).findFirst().orElseThrow(() ->
                        new AssertionError(itemId + " not in " + list.prettify()));
    }

    private static RequestSpecification as(String user) {
        return RestAssured.given().auth().preemptive().basic(user, user + "-secret").contentType(ContentType.JSON);
    }

    private static Response answer(RequestSpecification as, String campaign, String itemId, Object body) {
        return as.body(body).post("/api/v1/campaigns/{id}/follow-ups/{item}/answers", campaign, itemId);
    }

    @Test
    void eachStageRuleListsItsItemTheDayAfterItFallsDueAndNotOnThatDay() {
        String campaign = campaign();
        Project signed = reserve(campaign, XING, STARTS.plusDays(1))
                .post("ProjectSigned", STARTS.plusDays(10), Map.of("signedInvestment", 50, "investor", "某公司"));
        Project reserved = reserve(campaign, XING, STARTS.plusDays(2));
        Api.awaitProjected(signed, reserved);
        String signedItem = signed.id() + ":signed-not-started";
        String reservedItem = reserved.id() + ":reserved-not-signed";

        assertThat(ids(campaign, STARTS.plusDays(100))).doesNotContain(signedItem);
        JsonPath dayAfter = list(campaign, STARTS.plusDays(101));
        assertThat(item(dayAfter, signedItem)).containsEntry("dueOn", STARTS.plusDays(100).toString())
                .containsEntry("daysOverdue", 1).containsEntry("status", "OPEN").containsEntry("regionCode", XING)
                .containsEntry("rule", "signed-not-started").containsEntry("ruleNameZh", "签约未开工");
        assertThat(dayAfter.getString("day")).isEqualTo(STARTS.plusDays(101).toString());

        assertThat(ids(campaign, STARTS.plusDays(182))).doesNotContain(reservedItem);
        assertThat(item(list(campaign, STARTS.plusDays(183)), reservedItem))
                .containsEntry("dueOn", STARTS.plusDays(182).toString()).containsEntry("daysOverdue", 1);
        assertThat(ids(campaign, STARTS.plusDays(183))).as("signed in time: never reserved-not-signed")
                .doesNotContain(signed.id() + ":reserved-not-signed");
    }

    @Test
    void aStartClosesTheSignedItemLateAndAWithdrawalDropsTheProject() {
        String campaign = campaign();
        Project late = reserve(campaign, XING, STARTS.plusDays(1))
                .post("ProjectSigned", STARTS.plusDays(10), Map.of("signedInvestment", 50, "investor", "某公司"))
                .post("ConstructionStarted", STARTS.plusDays(120), Map.of());
        Project withdrawn = reserve(campaign, XING, STARTS.plusDays(1))
                .post("ProjectSigned", STARTS.plusDays(10), Map.of("signedInvestment", 50, "investor", "某公司"))
                .post("ProjectWithdrawn", STARTS.plusDays(150), Map.of("reason", "投资方退出"));
        Api.awaitProjected(late, withdrawn);

        assertThat(item(list(campaign, STARTS.plusDays(119)), late.id() + ":signed-not-started"))
                .containsEntry("daysOverdue", 19).containsEntry("status", "OPEN");
        assertThat(ids(campaign, STARTS.plusDays(120))).doesNotContain(late.id() + ":signed-not-started");
        JsonPath closed = list(campaign, STARTS.plusDays(120), "status", "closed");
        assertThat(item(closed, late.id() + ":signed-not-started")).containsEntry("status", "CLOSED_LATE")
                .containsEntry("closedOn", STARTS.plusDays(120).toString());
        assertThat(closed.getList("items.status")).containsOnly("CLOSED_LATE");

        assertThat(ids(campaign, STARTS.plusDays(149))).contains(withdrawn.id() + ":signed-not-started");
        assertThat(ids(campaign, STARTS.plusDays(150))).noneMatch(id -> id.startsWith(withdrawn.id()));
        assertThat(ids(campaign, STARTS.plusDays(150), "status", "closed")).noneMatch(id -> id.startsWith(withdrawn.id()));
    }

    @Test
    void aMonthsReportIsOwedFromItsDueDayAndItsLateReportClosesItLate() {
        String campaign = campaign();
        LocalDate startedOn = STARTS.plusDays(5);
        YearMonth first = YearMonth.from(startedOn);
        LocalDate due = first.plusMonths(1).atDay(10);
        Project started = reserve(campaign, XING, STARTS)
                .post("ProjectSigned", STARTS.plusDays(3), Map.of("signedInvestment", 50, "investor", "某公司"))
                .post("ConstructionStarted", startedOn, Map.of())
                .post("InvestmentReported", due.plusDays(5), Map.of("period", first.toString(), "investmentToDate", 10));
        Api.awaitProjected(started);
        String itemId = started.id() + ":report-missing:" + first;

        assertThat(ids(campaign, due)).doesNotContain(itemId);
        assertThat(item(list(campaign, due.plusDays(1)), itemId)).containsEntry("qualifier", first.toString())
                .containsEntry("dueOn", due.toString()).containsEntry("status", "OPEN");
        assertThat(item(list(campaign, due.plusDays(4)), itemId)).containsEntry("daysOverdue", 4);
        assertThat(ids(campaign, due.plusDays(5))).doesNotContain(itemId);
        assertThat(item(list(campaign, due.plusDays(5), "status", "closed"), itemId))
                .containsEntry("status", "CLOSED_LATE").containsEntry("closedOn", due.plusDays(5).toString());
        assertThat(ids(campaign, first.plusMonths(2).atDay(11)))
                .as("the next month, never reported, is owed from the day after its due day")
                .contains(started.id() + ":report-missing:" + first.plusMonths(1))
                .doesNotContain(started.id() + ":report-missing:" + first.plusMonths(2));
    }

    @Test
    void aProjectCountsInTheCountyAndCampaignItWasPlacedInOnTheDay() {
        String campaign = campaign();
        String other = campaign();
        Project moved = reserve(campaign, XING, STARTS.plusDays(1))
                .post("ProjectSigned", STARTS.plusDays(10), Map.of("signedInvestment", 50, "investor", "某公司"))
                .post("ProjectCorrected", STARTS.plusDays(150), Map.of("regionCode", LIN))
                .post("ProjectCorrected", STARTS.plusDays(200), Map.of("campaignId", other));
        Api.awaitProjected(moved);
        String itemId = moved.id() + ":signed-not-started";

        assertThat(item(list(campaign, STARTS.plusDays(149)), itemId)).containsEntry("regionCode", XING);
        assertThat(item(list(campaign, STARTS.plusDays(150)), itemId)).containsEntry("regionCode", LIN);
        assertThat(list(campaign, STARTS.plusDays(150), "regionCode", XING).getList("items.itemId"))
                .doesNotContain(itemId);
        assertThat(ids(campaign, STARTS.plusDays(200))).doesNotContain(itemId);
        assertThat(item(list(other, STARTS.plusDays(200)), itemId)).containsEntry("regionCode", LIN);
        assertThat(ids(other, STARTS.plusDays(199))).doesNotContain(itemId);
    }

    @Test
    void theCountyAnswersAndTheItemIsAnsweredUntilItsExpectedDatePassesWithoutTheStart() {
        String campaign = campaign();
        Project stalled = reserve(campaign, XING, TODAY.minusDays(120))
                .post("ProjectSigned", TODAY.minusDays(100), Map.of("signedInvestment", 50, "investor", "某公司"));
        Project earlier = reserve(campaign, XING, TODAY.minusDays(120))
                .post("ProjectSigned", TODAY.minusDays(100), Map.of("signedInvestment", 50, "investor", "某公司"));
        Api.awaitProjected(stalled, earlier);
        String itemId = stalled.id() + ":signed-not-started";
        long version = given().get("/api/v1/projects/{id}", stalled.id()).jsonPath().getLong("version");
        String summary = given().get("/api/v1/campaigns/{id}/summary", campaign).asString();

        Response answered = answer(as("xingxian"), campaign, itemId,
                Map.of("reason", "土地手续未办结", "expectedOn", TODAY.plusDays(30).toString()));
        assertThat(answered.statusCode()).as(answered.asString()).isEqualTo(201);
        assertThat(answered.jsonPath().getString("reason")).isEqualTo("土地手续未办结");
        assertThat(answered.jsonPath().getString("answeredOn")).isEqualTo(TODAY.toString());
        assertThat(answered.jsonPath().getString("department")).isEqualTo("xingxian");
        assertThat(answered.jsonPath().getString("recordedAt")).isNotNull();

        JsonPath now = list(campaign, null);
        assertThat(item(now, itemId)).containsEntry("status", "ANSWERED");
        assertThat(now.getString("items.find { it.itemId == '" + itemId + "' }.answer.expectedOn"))
                .isEqualTo(TODAY.plusDays(30).toString());
        assertThat(now.getLong("counties.find { it.regionCode == '" + XING + "' }.answered")).isEqualTo(1);
        assertThat(now.getLong("counties.find { it.regionCode == '" + XING + "' }.open")).isEqualTo(1);
        assertThat(now.getLong("rules.find { it.rule == 'signed-not-started' }.answered")).isEqualTo(1);
        assertThat(given().get("/api/v1/projects/{id}", stalled.id()).jsonPath().getLong("version"))
                .as("the answer is on the item's own stream").isEqualTo(version);
        assertThat(given().get("/api/v1/campaigns/{id}/summary", campaign).asString()).isEqualTo(summary);

        JsonPath one = given().get("/api/v1/campaigns/{id}/follow-ups/{item}", campaign, itemId).then().statusCode(200)
                .extract().jsonPath();
        assertThat(one.getString("item.status")).isEqualTo("ANSWERED");
        assertThat(one.getList("answers.reason")).containsExactly("土地手续未办结");

        // An answer given 8 days ago expecting the start 5 days ago: overdue again since.
        String earlierItem = earlier.id() + ":signed-not-started";
        store.appendToStream(StreamKind.FOLLOW_UP.streamId(earlierItem), 0, UUID.randomUUID(),
                new Author("xingxian", "xingxian", null, "http", UUID.randomUUID().toString()),
                new FollowUpAnswered(TODAY.minusDays(8), earlierItem, earlier.id(), "signed-not-started", XING,
                        "等待环评批复", TODAY.minusDays(5), "xingxian", "xingxian")).await().indefinitely();
        assertThat(item(list(campaign, TODAY.minusDays(9)), earlierItem)).containsEntry("status", "OPEN");
        assertThat(item(list(campaign, TODAY.minusDays(5)), earlierItem)).containsEntry("status", "ANSWERED");
        assertThat(item(list(campaign, TODAY.minusDays(4)), earlierItem)).containsEntry("status", "OVERDUE_AGAIN");
        assertThat(list(campaign, null).getLong("counties.find { it.regionCode == '" + XING + "' }.overdueAgain"))
                .isEqualTo(1);
        answer(Api.department(), campaign, earlierItem, Map.of("reason", "已获批复", "expectedOn", TODAY.toString()))
                .then().statusCode(201);
        assertThat(item(list(campaign, null), earlierItem)).containsEntry("status", "ANSWERED");
    }

    @Test
    void onlyTheItemsCountyOrTheCityAnswersAnOpenItemAndNothingIsStoredOtherwise() {
        String campaign = campaign();
        Project lin = reserve(campaign, LIN, TODAY.minusDays(120))
                .post("ProjectSigned", TODAY.minusDays(100), Map.of("signedInvestment", 50, "investor", "某公司"));
        Project started = reserve(campaign, XING, TODAY.minusDays(120))
                .post("ProjectSigned", TODAY.minusDays(100), Map.of("signedInvestment", 50, "investor", "某公司"))
                .post("ConstructionStarted", TODAY.minusDays(1), Map.of());
        Api.awaitProjected(lin, started);
        String linItem = lin.id() + ":signed-not-started";
        Map<String, String> body = Map.of("reason", "原因", "expectedOn", TODAY.toString());

        answer(as("xingxian"), campaign, linItem, body).then().statusCode(403);
        answer(given().contentType(ContentType.JSON), campaign, linItem, body).then().statusCode(403);
        Response closed = answer(as("xingxian"), campaign, started.id() + ":signed-not-started", body);
        assertThat(closed.statusCode()).isEqualTo(409);
        assertThat(closed.jsonPath().getString("type")).isEqualTo("/problems/follow-up-not-open");
        Response malformed = answer(Api.department(), campaign, lin.id() + ":no-such-rule", body);
        assertThat(malformed.statusCode()).isEqualTo(404);
        assertThat(malformed.jsonPath().getString("type")).isEqualTo("/problems/unknown-follow-up");

        for (Map<String, Object> invalid : List.<Map<String, Object>>of(
                Map.of("reason", " ", "expectedOn", TODAY.toString()),
                Map.of("reason", "x".repeat(501), "expectedOn", TODAY.plusDays(367).toString()),
                Map.of("expectedOn", TODAY.minusDays(1).toString()),
                Map.of("reason", "原因", "expectedOn", TODAY.toString(), "extra", 1))) {
            Response refused = answer(Api.department(), campaign, linItem, invalid);
            assertThat(refused.statusCode()).as(refused.asString()).isEqualTo(400);
        }
        assertThat(answer(Api.department(), campaign, linItem, Map.of("reason", " ", "expectedOn", "tomorrow"))
                .jsonPath().getList("errors.field")).containsExactlyInAnyOrder("reason", "expectedOn");

        assertThat(given().get("/api/v1/campaigns/{id}/follow-ups/{item}", campaign, linItem).jsonPath()
                .getList("answers")).isEmpty();
        assertThat(store.history(StreamKind.FOLLOW_UP.streamId(linItem)).await().indefinitely()).isEmpty();
        answer(Api.department(), campaign, linItem, body).then().statusCode(201);
        assertThat(store.history(StreamKind.FOLLOW_UP.streamId(linItem)).await().indefinitely()).hasSize(1);
    }

    @Test
    void noDepartmentPostsToAFollowUpStreamNorItsEventType() {
        String campaign = campaign();
        Api.post(StreamKind.FOLLOW_UP.streamId(Api.newProjectId() + ":signed-not-started"),
                Api.envelope("ProjectReserved", STARTS, Api.reservation(campaign, XING, "aluminium-magnesium",
                        List.of("private-capital"), "10"))).then().statusCode(400);
        Api.post(Api.newProjectId(), Api.envelope("FollowUpAnswered", STARTS, Map.of("reason", "x")))
                .then().statusCode(400);
    }

    @Test
    void theListIsFilteredByCountyRuleAndStatusAndPagedInItsOrder() {
        String campaign = campaign();
        Project a = reserve(campaign, XING, STARTS.plusDays(1))
                .post("ProjectSigned", STARTS.plusDays(10), Map.of("signedInvestment", 50, "investor", "某公司"));
        Project b = reserve(campaign, XING, STARTS.plusDays(1))
                .post("ProjectSigned", STARTS.plusDays(20), Map.of("signedInvestment", 50, "investor", "某公司"));
        Project c = reserve(campaign, LIN, STARTS.plusDays(1));
        Api.awaitProjected(a, b, c);
        LocalDate day = STARTS.plusDays(190);

        JsonPath all = list(campaign, day);
        assertThat(all.getList("items.itemId")).containsExactly(a.id() + ":signed-not-started",
                b.id() + ":signed-not-started", c.id() + ":reserved-not-signed");
        assertThat(all.getLong("total")).isEqualTo(3);
        assertThat(all.getList("counties.regionCode")).hasSize(14).startsWith("141102").endsWith("141100");
        assertThat(all.getList("rules.rule")).containsExactly("signed-not-started", "reserved-not-signed",
                "report-missing", "planned-date-passed");
        assertThat(all.getInt("settings.signedNotStartedDays")).isEqualTo(90);

        JsonPath page = list(campaign, day, "limit", "1", "offset", "1");
        assertThat(page.getList("items.itemId")).containsExactly(b.id() + ":signed-not-started");
        assertThat(page.getLong("total")).isEqualTo(3);
        assertThat(list(campaign, day, "regionCode", LIN).getList("items.itemId"))
                .containsExactly(c.id() + ":reserved-not-signed");
        JsonPath byRule = list(campaign, day, "rule", "reserved-not-signed");
        assertThat(byRule.getList("items.itemId")).containsExactly(c.id() + ":reserved-not-signed");
        assertThat(byRule.getLong("counties.find { it.regionCode == '" + XING + "' }.open"))
                .as("the counts ignore the filters").isEqualTo(2);
        assertThat(list(campaign, day, "status", "closed").getList("items")).isEmpty();

        for (String[] bad : new String[][]{{"rule", "late"}, {"status", "all"}, {"limit", "0"}, {"limit", "1001"},
                {"offset", "-1"}, {"asOf", STARTS.minusDays(1).toString()}}) {
            Response refused = given().queryParam(bad[0], bad[1]).get("/api/v1/campaigns/{id}/follow-ups", campaign);
            assertThat(refused.statusCode()).as(bad[0] + "=" + bad[1]).isEqualTo(400);
            assertThat(refused.jsonPath().getList("errors.field")).as(bad[0]).containsExactly(bad[0]);
        }
    }
}
