package cn.qxqy.pipeline.testing.history;

import cn.qxqy.pipeline.testing.Api;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import org.assertj.core.api.SoftAssertions;
import org.awaitility.core.ConditionTimeoutException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static cn.qxqy.pipeline.testing.history.BodyFields.assertFields;

/**
 * What the service's read side shows, against the test's recomputation from the events it accepted: the summary,
 * the three breakdowns and the timeline of both campaigns, every project's view and history, and the service's own
 * consistency check. Every difference is collected, none stops the others.
 */
public final class ReadModelAssertions {

    private final RandomHistory history;
    private final SoftAssertions softly;

    public ReadModelAssertions(RandomHistory history, SoftAssertions softly) {
        this.history = history;
        this.softly = softly;
    }

    /**
     * Waits until the read models include every stored event; if they never do (events lost), says so with the
     * projector's status and goes on, so that the checks after it show what is missing.
     */
    public void awaitProjected(String phase) {
        try {
            Api.awaitProjected();
        } catch (ConditionTimeoutException e) {
            Response status = Api.admin().accept("application/json").get("/api/v1/admin/projections");
            softly.fail(phase + ": the read models never caught up with the event store within 60 s (events lost?): "
                    + "GET /api/v1/admin/projections -> " + Json.abbreviate(status.asString(), 1200));
        }
    }

    /** Summary, the three breakdowns and the timeline of both campaigns, and every project's view. */
    public void checkEverything(String phase, Map<String, ModelProject> recomputed, boolean withHistories) {
        for (String campaign : List.of(history.campaignA, history.campaignB)) {
            checkSummary(phase, campaign, recomputed);
            for (String by : List.of("region", "chain", "category")) {
                checkBreakdown(phase, campaign, by, recomputed);
            }
            checkTimeline(phase, campaign, recomputed);
        }
        for (ModelProject p : recomputed.values()) {
            checkProject(phase, p, withHistories);
        }
    }

    private void checkSummary(String phase, String campaign, Map<String, ModelProject> recomputed) {
        JsonNode summary = get("/api/v1/campaigns/" + campaign + "/summary");
        String where = phase + ": summary of " + campaign;
        softly.assertThat(summary.path("campaignId").asText()).as(where + ": campaignId").isEqualTo(campaign);
        assertFields(softly, where, summary, ExpectedFigures.summary(recomputed, campaign).fields());
    }

    private void checkBreakdown(String phase, String campaign, String by, Map<String, ModelProject> recomputed) {
        Map<String, ExpectedFigures.Row> expected = ExpectedFigures.breakdown(recomputed, campaign, by);
        String where = phase + ": breakdown of " + campaign + " by " + by;
        JsonNode breakdown = get("/api/v1/campaigns/" + campaign + "/breakdown?by=" + by);
        softly.assertThat(List.of(breakdown.path("campaignId").asText(), breakdown.path("by").asText()))
                .as(where + ": campaignId and by").containsExactly(campaign, by);
        List<String> keys = new ArrayList<>();
        Map<String, JsonNode> items = new LinkedHashMap<>();
        for (JsonNode item : breakdown.path("items")) {
            String key = item.path("key").asText();
            keys.add(key);
            items.put(key, item);
            softly.assertThat(List.of(item.path("name").asText(""), item.path("nameEn").asText("")))
                    .as(where + ": name and nameEn of item " + key + " (" + item + ")").noneMatch(String::isBlank);
        }
        List<String> reference = Catalog.BY_DIMENSION.get(by);
        softly.assertThat(keys).as(where + ": keys, every reference entry once").doesNotHaveDuplicates()
                .hasSameElementsAs(reference);
        for (String key : reference) {
            JsonNode item = items.get(key);
            if (item != null) {
                assertFields(softly, where + " [" + key + "]", item,
                        expected.getOrDefault(key, new ExpectedFigures.Row()).fields());
            }
        }
    }

    private void checkTimeline(String phase, String campaign, Map<String, ModelProject> recomputed) {
        Map<String, Map<String, Object>> expected = ExpectedFigures.timeline(recomputed, campaign);
        String where = phase + ": timeline of " + campaign;
        JsonNode timeline = get("/api/v1/campaigns/" + campaign + "/timeline?granularity=month");
        softly.assertThat(List.of(timeline.path("campaignId").asText(), timeline.path("granularity").asText()))
                .as(where + ": campaignId and granularity").containsExactly(campaign, "month");
        JsonNode periods = timeline.path("periods");
        if (!periods.isArray()) {
            softly.fail(where + ": no periods array: " + timeline);
            return;
        }
        List<String> months = new ArrayList<>();
        periods.forEach(period -> months.add(period.path("period").asText()));
        softly.assertThat(months).as(where + ": months, ascending, only those with a milestone")
                .containsExactlyElementsOf(expected.keySet());
        for (JsonNode period : periods) {
            String month = period.path("period").asText();
            assertFields(softly, where + " [" + month + "]", period,
                    expected.getOrDefault(month, ExpectedFigures.emptyMonth()));
        }
    }

    /** A project's view and history against the model: stage, version, amounts, dates, accepted events. */
    private void checkProject(String phase, ModelProject p, boolean withHistory) {
        String where = phase + ": project " + p.id;
        Map<String, Object> expected = p.viewFields();
        expected.put("version", p.version);
        expected.put("projectCode", p.projectCode);
        assertFields(softly, where, get("/api/v1/projects/" + p.id), expected);
        if (!withHistory) {
            return;
        }

        JsonNode recorded = get("/api/v1/projects/" + p.id + "/events");
        List<HistoryEvent> events = history.service.acceptedByProject.get(p.id);
        if (!recorded.isArray() || recorded.size() != events.size()) {
            softly.fail(where + " history: expected the " + events.size() + " accepted events, got "
                    + (recorded.isArray() ? recorded.size() + " events" : recorded.toString()));
            return;
        }
        for (int i = 0; i < events.size(); i++) {
            assertFields(softly, where + " history[" + i + "]", recorded.get(i), Map.of(
                    "eventId", events.get(i).eventId(), "version", (long) i + 1, "type", events.get(i).type));
        }
    }

    /** The service's own check: its read models equal its recomputation from the event store, nothing pending. */
    public void checkConsistency(String phase, Map<String, ModelProject> recomputed) {
        String where = phase + ": consistency check";
        Response r = Api.admin().accept("application/json").get("/api/v1/admin/projections/check");
        if (r.statusCode() != 200) {
            softly.fail(where + ": expected 200, got " + r.statusCode() + " " + r.asString());
            return;
        }
        JsonNode check = Json.parse(r.asString());
        assertFields(softly, where + ": consistent, no difference, nothing pending (first differences "
                        + Json.abbreviate(check.path("differences").toString(), 1500) + ")", check,
                Map.of("consistent", true, "differenceCount", 0L, "pendingProjects", 0L));
        softly.assertThat(check.path("differences")).as(where + ": differences").isEqualTo(Json.JSON.createArrayNode());
        // Other tests' events count too (one store, one JVM): at least this test's, not exactly.
        softly.assertThat(check.path("checkedEvents").asLong(-1))
                .as(where + ": checkedEvents, at least the events this test had accepted")
                .isGreaterThanOrEqualTo(history.acceptedCount());
        softly.assertThat(check.path("checkedProjects").asLong(-1))
                .as(where + ": checkedProjects, at least the projects this test has")
                .isGreaterThanOrEqualTo(recomputed.size());
    }

    private JsonNode get(String path) {
        Response r = Api.given().accept("application/json").get(path);
        if (r.statusCode() != 200) {
            softly.fail("GET " + path + ": expected 200, got " + r.statusCode() + " " + r.asString());
            return MissingNode.getInstance();
        }
        return Json.parse(r.asString());
    }
}
