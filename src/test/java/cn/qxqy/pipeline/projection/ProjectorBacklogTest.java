package cn.qxqy.pipeline.projection;

import cn.qxqy.pipeline.testing.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static cn.qxqy.pipeline.testing.Api.envelope;
import static cn.qxqy.pipeline.testing.Api.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Ingest faster than the projector: the service says so (503 projector-behind with Retry-After, nothing of the refused
 * request stored) instead of falling behind in silence, takes events again once the projector has caught up, and every
 * event it acknowledged reaches the read models.
 */
@QuarkusTest
@TestProfile(ProjectorBacklogTest.SmallBacklog.class)
class ProjectorBacklogTest {

    public static class SmallBacklog implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("pipeline.backpressure.max-backlog", "20", "pipeline.backpressure.sample-interval", "PT0.1S");
        }
    }

    @Test
    void ingestFasterThanTheProjectorIsRefusedUntilItCatchesUpAndNothingAcknowledgedIsLost() throws Exception {
        List<String> acknowledged = new ArrayList<>();
        AtomicReference<Response> refused = new AtomicReference<>();
        AtomicReference<String> refusedProject = new AtomicReference<>();
        try (Connection conn = Api.connect(); Statement st = conn.createStatement()) {
            // Stands for a projector slower than ingest: it waits at its first statement while the lock is held.
            st.execute("SELECT pg_advisory_lock(" + ProjectionTables.SWAP_LOCK + ")");
            List<Map<String, Object>> batch = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                String projectId = Api.newProjectId();
                batch.add(item(projectId));
                acknowledged.add(projectId);
            }
            Api.department().body(batch).post("/api/v1/events").then().statusCode(200);

            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
                String projectId = Api.newProjectId();
                Response answer = Api.post(projectId, reservation());
                if (answer.statusCode() == 201) {
                    acknowledged.add(projectId);
                    return false;
                }
                refused.set(answer);
                refusedProject.set(projectId);
                return true;
            });
            Response answer = refused.get();
            assertThat(answer.statusCode()).isEqualTo(503);
            assertThat(answer.header("Retry-After")).isEqualTo("1");
            assertThat(answer.jsonPath().getString("type")).isEqualTo("/problems/projector-behind");
            assertThat(Api.department().body(List.of(item(Api.newProjectId()))).post("/api/v1/events").statusCode())
                    .as("a batch is refused whole").isEqualTo(503);
            assertThat(given().get("/q/metrics").then().extract().asString())
                    .containsPattern("(?m)^pipeline_ingest_backpressured_total [1-9]")
                    .containsPattern("(?m)^pipeline_projector_backlog_events [1-9]");
            st.execute("SELECT pg_advisory_unlock(" + ProjectionTables.SWAP_LOCK + ")");
        }

        String afterwards = Api.newProjectId();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> Api.post(afterwards, reservation()).statusCode() == 201);
        acknowledged.add(afterwards);
        Api.awaitProjected();
        for (String projectId : acknowledged) {
            given().get("/api/v1/projects/{id}", projectId).then().statusCode(200);
        }
        given().get("/api/v1/projects/{id}", refusedProject.get()).then().statusCode(404);
        assertThat(Api.admin().get("/api/v1/admin/projections/check").then().statusCode(200).extract().jsonPath()
                .getLong("differenceCount")).isZero();
    }

    private static Map<String, Object> reservation() {
        return envelope("ProjectReserved", LocalDate.of(2024, 3, 1),
                Api.reservation(Api.CAMPAIGN, "141102", "coal", List.of("special-bond"), "10.00"));
    }

    private static Map<String, Object> item(String projectId) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("projectId", projectId);
        item.putAll(reservation());
        return item;
    }
}
