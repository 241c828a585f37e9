package cn.qxqy.pipeline.ops;

import cn.qxqy.pipeline.testing.Api;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static cn.qxqy.pipeline.testing.Api.envelope;
import static cn.qxqy.pipeline.testing.Api.given;
import static cn.qxqy.pipeline.testing.Api.post;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What /q/metrics says after a small run, read as Prometheus scrapes it. */
@QuarkusTest
class MetricsTest {

    @Test
    void metricsCountWhatWasPostedAndFollowItThroughThePipeline() {
        String before = metrics();
        String campaign = Api.newCampaign();
        LocalDate day = LocalDate.of(2024, 8, 1);
        int reserved = 4;
        int lastVersion = 0;
        String last = null;
        for (int i = 0; i < reserved; i++) {
            last = Api.newProjectId();
            lastVersion = post(last, envelope("ProjectReserved", day, Api.reservation(campaign, "141121", "other",
                    List.of(), "10"))).then().statusCode(201).extract().path("version");
            post(last, envelope("ProjectCompleted", day, Map.of())).then().statusCode(409);
        }
        post(Api.newProjectId(), envelope("ConstructionStarted", day, Map.of())).then().statusCode(404);
        given().queryParam("waitFor", last + ":" + lastVersion).get("/api/v1/campaigns/{id}/summary", campaign)
                .then().statusCode(200);

        String after = metrics();
        assertEquals(reserved, delta(before, after, "pipeline_events_accepted_total{type=\"ProjectReserved\"}"));
        assertEquals(reserved, delta(before, after,
                "pipeline_events_refused_total{reason=\"illegal_transition\",type=\"ProjectCompleted\"}"));
        assertEquals(1, delta(before, after,
                "pipeline_events_refused_total{reason=\"unknown_project\",type=\"ConstructionStarted\"}"));
        assertEquals(2 * reserved + 1, delta(before, after, "pipeline_append_seconds_count"));
        assertTrue(delta(before, after, "pipeline_outbox_publish_seconds_count") >= reserved);
        assertTrue(delta(before, after, "pipeline_projection_latency_seconds_count") >= reserved);
        assertTrue(after.contains("pipeline_projection_latency_seconds_bucket{le="), "latency is a histogram");
        for (String gauge : List.of("pipeline_outbox_backlog", "pipeline_projector_lag_events",
                "pipeline_rebuild_progress_ratio", "pipeline_intake_dead_letters_total")) {
            assertTrue(after.contains("\n" + gauge + " ") || after.contains("\n" + gauge + "{"), gauge);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> value(metrics(), "pipeline_projector_lag_events") == 0
                && value(metrics(), "pipeline_outbox_backlog") == 0);
        for (String dependency : List.of("postgresql", "kafka")) {
            assertEquals(1, value(metrics(), "pipeline_dependency_up{dependency=\"" + dependency + "\"}"), dependency);
        }
        assertTrue(metrics().contains("pipeline_projector_partition_lag_records{partition="),
                "Kafka reports the projector's lag per partition");
    }

    @Test
    void theLagGaugeAndTheDependenciesHealthFollowTheEventStore() {
        // A stream head three events ahead of any view: what the sampler must report as lag, then no more.
        String projectId = Api.newProjectId();
        Api.sql("INSERT INTO stream_heads (project_id, version, stage) VALUES ('" + projectId + "', 3, 'RESERVED')");
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> value(metrics(), "pipeline_projector_lag_events") >= 3);
            given().get("/q/health/group/dependencies").then()
                    .body("checks.find { it.name == 'projector-lag' }.data.lagEvents", greaterThanOrEqualTo(3));
        } finally {
            Api.sql("DELETE FROM stream_heads WHERE project_id = '" + projectId + "'");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> value(metrics(), "pipeline_projector_lag_events") == 0);
    }

    @Test
    void aMissingEventIsNotHiddenByAnExtraEventOfAnotherProject() {
        // Three events missing from one project's view, three too many in another's: the sums of versions agree.
        String missing = Api.newProjectId();
        String extra = Api.newProjectId();
        Api.post(extra, Api.envelope("ProjectReserved", Api.TODAY,
                Api.reservation(Api.CAMPAIGN, "141102", "coal", List.of("special-bond"), "1.00"))).then().statusCode(201);
        given().queryParam("waitFor", extra + ":1").get("/api/v1/projects/{id}", extra).then().statusCode(200);
        Api.sql("INSERT INTO stream_heads (project_id, version, stage) VALUES ('" + missing + "', 3, 'RESERVED')",
                "UPDATE project_view SET version = version + 3 WHERE project_id = '" + extra + "'");
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> value(metrics(), "pipeline_projector_lag_events") >= 6
                    && value(metrics(), "pipeline_projector_lag_projects") >= 2);
        } finally {
            Api.sql("DELETE FROM stream_heads WHERE project_id = '" + missing + "'",
                    "UPDATE project_view SET version = version - 3 WHERE project_id = '" + extra + "'");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> value(metrics(), "pipeline_projector_lag_events") == 0);
    }

    @Test
    void theLastConsistencyCheckIsAMetric() {
        // Other tests leave differences on purpose (parked projects, corrupted rows): the metric must show what this
        // check found, whatever that is.
        Api.awaitProjected();
        long started = java.time.Instant.now().getEpochSecond();
        var check = Api.admin().get("/api/v1/admin/projections/check").then().statusCode(200).extract().jsonPath();
        await().atMost(Duration.ofSeconds(10)).until(() ->
                value(metrics(), "pipeline_consistency_finished_timestamp_seconds") >= started);
        String after = metrics();
        assertEquals(check.getLong("differenceCount"), value(after, "pipeline_consistency_differences"));
        assertEquals(check.getLong("pendingProjects"), value(after, "pipeline_consistency_pending_projects"));
    }

    private static String metrics() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    private static double delta(String before, String after, String series) {
        return value(after, series) - value(before, series);
    }

    private static double value(String metrics, String series) {
        for (String line : metrics.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim().split(" ")[0]);
            }
        }
        return 0;
    }
}
