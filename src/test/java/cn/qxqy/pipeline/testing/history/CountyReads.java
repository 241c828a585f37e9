package cn.qxqy.pipeline.testing.history;

import cn.qxqy.pipeline.testing.Api;
import com.fasterxml.jackson.databind.JsonNode;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;

/**
 * Reads GET /rankings and GET /follow-ups of a {@link CountyHistory} and compares every row with
 * {@link RankingModel} and {@link FollowUpModel}; each row is compared as one line of text, so that a difference
 * shows the whole row.
 */
public final class CountyReads {

    private static final int PAGE = 7;

    private final CountyHistory history;
    private final SoftAssertions softly;
    private int reads;

    public CountyReads(CountyHistory history, SoftAssertions softly) {
        this.history = history;
        this.softly = softly;
    }

    public int reads() {
        return reads;
    }

    /** The rankings at the axes (a null is a parameter left out) against the model; answers the body's text. */
    public String checkRankings(String campaignId, LocalDate asOf, boolean midway) {
        RankingModel.Campaign campaign = history.campaigns.get(campaignId);
        Instant knownAt = midway ? history.midway() : null;
        int known = midway ? history.knownMidway() : history.stored.size();
        LocalDate day = RankingModel.day(asOf, history.today, campaign);
        RankingModel.Rankings expected = RankingModel.rankings(history.stored, known, campaign, day);
        RequestSpecification request = Api.given();
        if (asOf != null) {
            request = request.queryParam("asOf", asOf.toString());
        }
        if (knownAt != null) {
            request = request.queryParam("knownAt", knownAt.toString());
        }
        Response r = request.get("/api/v1/campaigns/{id}/rankings", campaignId);
        reads++;
        String where = "rankings of " + campaignId + " asOf=" + asOf + " knownAt=" + knownAt + ": ";
        if (r.statusCode() != 200) {
            softly.fail(where + r.statusCode() + " " + r.asString());
            return "";
        }
        JsonNode body = Json.parse(r.asString());
        softly.assertThat(List.of(body.path("day").asText(), body.path("schedule").path("elapsedDays").asText(),
                        body.path("schedule").path("totalDays").asText(), number(body.path("schedule").path("percentage")),
                        body.path("previousDay").isNull() ? "null" : body.path("previousDay").asText(),
                        number(body.path("thresholds").path("leading")), number(body.path("thresholds").path("normal")),
                        number(body.path("thresholds").path("lagging"))))
                .as(where + "day, schedule, previous day, thresholds")
                .containsExactly(day.toString(), String.valueOf(expected.elapsedDays()),
                        String.valueOf(expected.totalDays()), number(expected.percentage()), String.valueOf(
                                expected.previousDay()), number(campaign.leading()), number(campaign.normal()),
                        number(campaign.lagging()));
        List<String> targets = new ArrayList<>();
        for (JsonNode t : body.path("targets")) {
            targets.add(t.path("code").asText() + " target " + number(t.path("cityTarget")) + " shares "
                    + number(t.path("sharesTotal")) + " difference " + number(t.path("sharesDifference")) + " city "
                    + number(t.path("cityLevel").path("reached")));
            for (JsonNode c : t.path("counties")) {
                targets.add(t.path("code").asText() + " " + String.join(" ", c.path("regionCode").asText(),
                        number(c.path("share")), number(c.path("reached")), number(c.path("completionRate")),
                        number(c.path("ratioToSchedule")), text(c.path("band")), text(c.path("rank")),
                        text(c.path("previousRank")), text(c.path("rankChange"))));
            }
        }
        List<String> expectedTargets = new ArrayList<>();
        for (RankingModel.TargetRanking t : expected.targets()) {
            expectedTargets.add(t.code() + " target " + number(t.cityTarget()) + " shares " + number(t.sharesTotal())
                    + " difference " + number(t.sharesDifference()) + " city " + number(t.cityLevelReached()));
            for (RankingModel.CountyRank c : t.counties()) {
                expectedTargets.add(t.code() + " " + String.join(" ", c.regionCode(), number(c.share()),
                        number(c.reached()), number(c.completionRate()), number(c.ratioToSchedule()),
                        String.valueOf(c.band()), String.valueOf(c.rank()), String.valueOf(c.previousRank()),
                        String.valueOf(c.rankChange())));
            }
        }
        softly.assertThat(targets).as(where + "targets").containsExactlyElementsOf(expectedTargets);
        List<String> investments = new ArrayList<>();
        for (JsonNode i : body.path("investments")) {
            investments.add(i.path("code").asText() + " city " + number(i.path("cityLevel").path("value")));
            for (JsonNode c : i.path("counties")) {
                investments.add(i.path("code").asText() + " " + String.join(" ", c.path("regionCode").asText(),
                        number(c.path("value")), text(c.path("rank")), text(c.path("previousRank")),
                        text(c.path("rankChange"))));
            }
        }
        List<String> expectedInvestments = new ArrayList<>();
        for (RankingModel.InvestmentRanking i : expected.investments()) {
            expectedInvestments.add(i.code() + " city " + number(i.cityLevelValue()));
            for (RankingModel.InvestmentRank c : i.counties()) {
                expectedInvestments.add(i.code() + " " + String.join(" ", c.regionCode(), number(c.value()),
                        String.valueOf(c.rank()), String.valueOf(c.previousRank()), String.valueOf(c.rankChange())));
            }
        }
        softly.assertThat(investments).as(where + "investments").containsExactlyElementsOf(expectedInvestments);
        return r.asString();
    }

    /**
     * The follow-up list at the day (null: today), open and closed, each paged through, and one county's items of one
     * rule, against the model; the counts per county and per rule too. Answers the items the model lists.
     */
    public List<FollowUpModel.Item> checkFollowUps(String campaignId, LocalDate asOf, String county, String rule) {
        // A follow-up list without asOf is today's, also after the campaign's last day.
        LocalDate day = asOf != null ? asOf : history.today;
        List<FollowUpModel.Item> items = FollowUpModel.items(history.stored, campaignId, history.startsOn,
                history.endsOn, history.settings.get(campaignId), history.answers, day);
        String where = "follow-ups of " + campaignId + " asOf=" + asOf + " (day " + day + "): ";
        for (String status : List.of("open", "closed")) {
            List<FollowUpModel.Item> expected = items.stream().filter(i -> status.equals("open")
                    == FollowUpModel.OPEN_STATUSES.contains(i.status())).toList();
            JsonNode first = page(campaignId, asOf, Map.of("status", status), expected, where + status);
            if (first != null && status.equals("open")) {
                checkCounts(first, items, day, campaignId, where);
            }
        }
        List<FollowUpModel.Item> filtered = items.stream().filter(i -> i.regionCode().equals(county)
                && i.rule().equals(rule) && FollowUpModel.OPEN_STATUSES.contains(i.status())).toList();
        page(campaignId, asOf, Map.of("regionCode", county, "rule", rule), filtered,
                where + "open of " + county + " on " + rule);
        return items;
    }

    /** Pages through one list; answers its first page, null when it could not be read. */
    private JsonNode page(String campaignId, LocalDate asOf, Map<String, String> filters,
                          List<FollowUpModel.Item> expected, String where) {
        List<String> rows = new ArrayList<>();
        JsonNode first = null;
        long total = -1;
        for (int offset = 0; total < 0 || offset < total; offset += PAGE) {
            RequestSpecification request = Api.given().queryParams(filters).queryParam("limit", PAGE)
                    .queryParam("offset", offset);
            if (asOf != null) {
                request = request.queryParam("asOf", asOf.toString());
            }
            Response r = request.get("/api/v1/campaigns/{id}/follow-ups", campaignId);
            reads++;
            if (r.statusCode() != 200) {
                softly.fail(where + ": " + r.statusCode() + " " + r.asString());
                return null;
            }
            JsonNode body = Json.parse(r.asString());
            first = first == null ? body : first;
            total = body.path("total").asLong();
            body.path("items").forEach(i -> rows.add(row(i)));
            if (body.path("items").isEmpty()) {
                break;
            }
        }
        softly.assertThat(total).as(where + ": total").isEqualTo(expected.size());
        softly.assertThat(rows).as(where + ": items").containsExactlyElementsOf(expected.stream().map(CountyReads::row)
                .toList());
        return first;
    }

    private void checkCounts(JsonNode body, List<FollowUpModel.Item> items, LocalDate day, String campaignId,
                             String where) {
        softly.assertThat(body.path("day").asText()).as(where + "day").isEqualTo(day.toString());
        List<String> units = new ArrayList<>(history.countyUnits());
        units.add(CountyHistory.CITY);
        List<String> counties = new ArrayList<>();
        body.path("counties").forEach(c -> counties.add(c.path("regionCode").asText() + " " + c.path("open").asLong()
                + "/" + c.path("answered").asLong() + "/" + c.path("overdueAgain").asLong() + "/"
                + c.path("closedLate").asLong()));
        softly.assertThat(counties).as(where + "counts per county").containsExactlyElementsOf(
                FollowUpModel.byCounty(items, units).entrySet().stream().map(e -> e.getKey() + " " + counts(e.getValue()))
                        .toList());
        FollowUpModel.Settings settings = history.settings.get(campaignId);
        List<String> rules = new ArrayList<>();
        body.path("rules").forEach(c -> rules.add(c.path("rule").asText() + " " + c.path("on").asBoolean() + " "
                + c.path("open").asLong() + "/" + c.path("answered").asLong() + "/" + c.path("overdueAgain").asLong()
                + "/" + c.path("closedLate").asLong()));
        softly.assertThat(rules).as(where + "counts per rule").containsExactlyElementsOf(
                FollowUpModel.byRule(items).entrySet().stream().map(e -> e.getKey() + " " + settings.on(e.getKey())
                        + " " + counts(e.getValue())).toList());
    }

    private static String counts(FollowUpModel.Counts c) {
        return c.open() + "/" + c.answered() + "/" + c.overdueAgain() + "/" + c.closedLate();
    }

    private static String row(JsonNode i) {
        JsonNode a = i.path("answer");
        return String.join(" ", i.path("itemId").asText(), i.path("projectId").asText(), i.path("regionCode").asText(),
                i.path("rule").asText(), text(i.path("qualifier")), i.path("dueOn").asText(),
                i.path("daysOverdue").asText(), i.path("status").asText(), text(i.path("closedOn")),
                a.isMissingNode() || a.isNull() ? "no answer" : a.path("reason").asText() + " "
                        + a.path("expectedOn").asText() + " " + a.path("answeredOn").asText());
    }

    private static String row(FollowUpModel.Item i) {
        FollowUpModel.Answer a = i.answer();
        return String.join(" ", i.itemId(), i.projectId(), i.regionCode(), i.rule(), String.valueOf(i.qualifier()),
                i.dueOn().toString(), String.valueOf(i.daysOverdue()), i.status(), String.valueOf(i.closedOn()),
                a == null ? "no answer" : a.reason() + " " + a.expectedOn() + " " + a.answeredOn());
    }

    /** A JSON value as text, "null" for a null or a missing one. */
    private static String text(JsonNode node) {
        return node.isMissingNode() || node.isNull() ? "null" : node.asText();
    }

    /** A number without its trailing zeros, "null" for none: the scale is the API's, the value is what counts. */
    private static String number(JsonNode node) {
        return node.isMissingNode() || node.isNull() ? "null" : number(node.decimalValue());
    }

    private static String number(BigDecimal value) {
        return value == null ? "null" : value.stripTrailingZeros().toPlainString();
    }
}
