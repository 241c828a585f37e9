package cn.qxqy.pipeline.problem;

import cn.qxqy.pipeline.testing.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static cn.qxqy.pipeline.testing.Api.envelope;
import static cn.qxqy.pipeline.testing.Api.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A request whose database connection goes away is told to come back later (503, Retry-After), not that we failed. */
@QuarkusTest
class DatabaseOutageTest {

    private static final LocalDate DAY = LocalDate.of(2024, 6, 3);

    @Test
    void aWriteCutOffFromTheDatabaseIsA503WithRetryAfterAndCanBeRepeated() throws Exception {
        String projectId = Api.newProjectId();
        post(projectId, envelope("ProjectReserved", DAY, Api.reservation(Api.newCampaign(), "141125", "coal",
                List.of(), "300"))).then().statusCode(201);
        Map<String, Object> start = envelope("ConstructionStarted", DAY.plusDays(1), Map.of());

        try (Connection holder = Api.connect(); Statement st = holder.createStatement()) {
            // The append waits for the project's stream head; its backend is then terminated, as a server shutting
            // down or a failover does to every connection.
            holder.setAutoCommit(false);
            st.execute("SELECT 1 FROM stream_heads WHERE project_id = '" + projectId + "' FOR UPDATE");
            CompletableFuture<Response> cutOff = CompletableFuture.supplyAsync(() -> post(projectId, start));
            await().atMost(Duration.ofSeconds(10)).until(() -> "1".equals(Api.sqlValue("SELECT count(*) FROM "
                    + "pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%stream_heads%FOR UPDATE%'")));
            Api.sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                    + "AND query LIKE '%stream_heads%FOR UPDATE%'");

            Response refused = cutOff.get(20, TimeUnit.SECONDS);
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.header("Retry-After")).isEqualTo("5");
            assertThat(refused.contentType()).startsWith("application/problem+json");
            assertThat(refused.jsonPath().getString("title")).isEqualTo("Database unavailable");
            holder.rollback();
        }

        // Nothing was written: the same event, posted again, is the project's version 2.
        post(projectId, start).then().statusCode(201);
        assertThat(Api.sqlValue("SELECT version FROM stream_heads WHERE project_id = '" + projectId + "'"))
                .isEqualTo("2");
    }
}
