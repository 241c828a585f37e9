package cn.qxqy.pipeline.query;

import cn.qxqy.pipeline.testing.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static cn.qxqy.pipeline.testing.Api.given;
import static org.assertj.core.api.Assertions.assertThat;

/** A knownAt replay reads the whole store: one at a time per pod, the others told to come back. */
@QuarkusTest
class KnownAtReplayLimitsTest {

    @Test
    void aSecondReplayWhileOneRunsIsRefusedWithRetryAfterAndTheFirstStillAnswers() throws Exception {
        String summary = "/api/v1/campaigns/" + Api.CAMPAIGN + "/summary";
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.ofHours(8));
        try (Connection lock = Api.connect(); Statement st = lock.createStatement()) {
            // The first replay's first read of the store waits on this lock, holding the one replay a pod runs.
            lock.setAutoCommit(false);
            st.execute("LOCK TABLE stream_heads IN ACCESS EXCLUSIVE MODE");
            CompletableFuture<Response> first = CompletableFuture.supplyAsync(() ->
                    given().queryParam("knownAt", now.minusMinutes(7).toString()).get(summary));
            Thread.sleep(1000);
            CompletableFuture<Response> second = CompletableFuture.supplyAsync(() ->
                    given().queryParam("knownAt", now.minusMinutes(8).toString()).get(summary));

            Response refused = second.get(15, TimeUnit.SECONDS);
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.jsonPath().getString("type")).isEqualTo("/problems/server-busy");
            assertThat(refused.header("Retry-After")).isNotBlank();
            assertThat(first).isNotDone();

            lock.rollback();
            assertThat(first.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
    }
}
