package cn.qxqy.pipeline.testing.history;

import static cn.qxqy.pipeline.testing.history.BodyFields.assertFields;

import cn.qxqy.pipeline.testing.Api;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;

/**
 * What the service answers at an (asOf, knownAt) pair, against {@link AsOfModel}: the summary, each breakdown and
 * the progress of both campaigns, and every project's view. Every difference is collected, none stops the others.
 */
public final class AsOfReads {

    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    private final AsOfHistory history;
    private final SoftAssertions softly;

    public AsOfReads(AsOfHistory history, SoftAssertions softly) {
        this.history = history;
        this.softly = softly;
    }

    /**
     * Every figure at the pair, and the views of the given projects (of the whole history: those the model does not
     * have must not exist at the axes); answers the campaign summaries the model expected.
     */
    public List<Map<String, Object>> check(AsOfHistory.Axes axes, List<String> projectIds) {
        Map<String, AsOfModel.Dated> model = history.model(axes);
        String phase = "asOf=" + axes.asOf() + " knownAt=" + history.instant(axes)
                + (axes.known() == null ? "" : " (after round " + axes.known() + ")");
        List<Map<String, Object>> summaries = new ArrayList<>();
        for (String campaign : List.of(history.random.campaignA, history.random.campaignB)) {
            Map<String, Object> expected = AsOfFigures.summary(model, campaign).fields();
            summaries.add(expected);
            JsonNode summary = get(axes, "/api/v1/campaigns/" + campaign + "/summary");
            String where = phase + ": summary of " + campaign;
            assertAxesEchoed(where, axes, summary);
            assertFields(softly, where, summary, expected);
            for (String by : List.of("region", "chain", "category")) {
                checkBreakdown(phase, axes, campaign, by, model);
            }
            checkProgress(phase, axes, campaign, model);
        }
        for (String id : projectIds) {
            checkProject(phase, axes, id, model.get(id));
        }
        return summaries;
    }

    private void checkBreakdown(String phase, AsOfHistory.Axes axes, String campaign, String by,
                                Map<String, AsOfModel.Dated> model) {
        Map<String, AsOfFigures.Row> expected = AsOfFigures.breakdown(model, campaign, by);
        String where = phase + ": breakdown of " + campaign + " by " + by;
        JsonNode breakdown = get(axes, "/api/v1/campaigns/" + campaign + "/breakdown?by=" + by);
        assertAxesEchoed(where, axes, breakdown);
        Map<String, JsonNode> items = new LinkedHashMap<>();
        breakdown.path("items").forEach(item -> items.put(item.path("key").asText(), item));
        softly.assertThat(items.keySet()).as(where + ": keys, every reference entry")
                .hasSameElementsAs(Catalog.BY_DIMENSION.get(by));
        items.forEach((key, item) -> assertFields(softly, where + " [" + key + "]", item,
                expected.getOrDefault(key, new AsOfFigures.Row()).fields()));
    }

    private void checkProgress(String phase, AsOfHistory.Axes axes, String campaign,
                               Map<String, AsOfModel.Dated> model) {
        AsOfFigures.Progress expected = AsOfFigures.progress(model, campaign);
        String where = phase + ": progress of " + campaign;
        JsonNode progress = get(axes, "/api/v1/campaigns/" + campaign + "/progress");
        assertAxesEchoed(where, axes, progress);
        assertFields(softly, where, progress, Map.of("projects", expected.projects()));
        checkByCode(where + ": target", progress.path("targets"), expected.targets());
        checkByCode(where + ": rate", progress.path("rates"), expected.rates());
    }

    private void checkByCode(String where, JsonNode list, Map<String, Map<String, Object>> expected) {
        Map<String, JsonNode> byCode = new LinkedHashMap<>();
        list.forEach(node -> byCode.put(node.path("code").asText(), node));
        softly.assertThat(byCode.keySet()).as(where + " codes").containsAll(expected.keySet());
        expected.forEach((code, fields) -> assertFields(softly, where + " " + code,
                byCode.getOrDefault(code, MissingNode.getInstance()), fields));
    }

    /** The project as it stood; 404 when it did not exist yet (reserved later, or not stored by the instant). */
    private void checkProject(String phase, AsOfHistory.Axes axes, String id, AsOfModel.Dated dated) {
        String where = phase + ": project " + id;
        Response r = request(axes).get("/api/v1/projects/" + id);
        if (dated == null) {
            softly.assertThat(r.statusCode()).as(where + " did not exist yet: " + r.asString()).isEqualTo(404);
            return;
        }
        if (r.statusCode() != 200) {
            softly.fail(where + ": expected 200, got " + r.statusCode() + " " + r.asString());
            return;
        }
        ModelProject p = dated.project();
        Map<String, Object> expected = p.viewFields();
        assertFields(softly, where, Json.parse(r.asString()), expected);
    }

    /** A campaign response names the axes it answers for: the date as asked, the instant (null when left out). */
    private void assertAxesEchoed(String where, AsOfHistory.Axes axes, JsonNode body) {
        JsonNode knownAt = body.path("knownAt");
        Instant echoed = knownAt.isTextual() ? OffsetDateTime.parse(knownAt.asText()).toInstant() : null;
        softly.assertThat(new Object[]{body.path("asOf").isTextual() ? body.path("asOf").asText() : null, echoed})
                .as(where + ": the axes echoed (asOf, knownAt)")
                .containsExactly(str(axes.asOf()), history.instant(axes));
    }

    private JsonNode get(AsOfHistory.Axes axes, String path) {
        Response r = request(axes).get(path);
        if (r.statusCode() != 200) {
            softly.fail("GET " + path + " at " + axes + ": expected 200, got " + r.statusCode() + " " + r.asString());
            return MissingNode.getInstance();
        }
        return Json.parse(r.asString());
    }

    /** The axes as query parameters; knownAt in Shanghai's offset, as a client there would write it. */
    private RequestSpecification request(AsOfHistory.Axes axes) {
        RequestSpecification request = Api.given().accept("application/json");
        if (axes.asOf() != null) {
            request.queryParam("asOf", axes.asOf().toString());
        }
        Instant knownAt = history.instant(axes);
        if (knownAt != null) {
            request.queryParam("knownAt", OffsetDateTime.ofInstant(knownAt, SHANGHAI).toString());
        }
        return request;
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }
}
