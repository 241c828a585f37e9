package cn.qxqy.pipeline.ops;

import cn.qxqy.pipeline.testing.Api;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;

import static cn.qxqy.pipeline.testing.Api.envelope;
import static cn.qxqy.pipeline.testing.Api.given;
import static cn.qxqy.pipeline.testing.Api.post;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

/**
 * Readiness describes this pod, not what every replica shares: when the read models fall further behind than
 * PROJECTOR_MAX_LAG (a burst), the dependencies group says so, and the pod stays in the Service, taking writes and
 * answering reads.
 */
@QuarkusTest
class ReadinessTest {

    private static final String DEPENDENCIES = "/q/health/group/dependencies";

    @ConfigProperty(name = "pipeline.health.max-projector-lag")
    long maxLag;

    @Test
    void readinessStaysUpWhileTheProjectorLagsBeyondItsBound() {
        // A stream head further ahead of the views than the bound allows: the lag a burst leaves behind.
        String behind = Api.newProjectId();
        Api.sql("INSERT INTO stream_heads (project_id, version, stage) VALUES ('" + behind + "', " + (maxLag + 1)
                + ", 'RESERVED')");
        try {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().get(DEPENDENCIES).then()
                    .statusCode(503)
                    .body("checks.find { it.name == 'projector-lag' }.status", equalTo("DOWN"))
                    .body("checks.find { it.name == 'projector-lag' }.data.lagEvents", greaterThan((int) maxLag)));
            given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));

            String campaign = Api.newCampaign();
            String projectId = Api.newProjectId();
            int version = post(projectId, envelope("ProjectReserved", LocalDate.of(2024, 9, 1),
                    Api.reservation(campaign, "141121", "other", List.of(), "50"))).then().statusCode(201)
                    .extract().path("version");
            given().queryParam("waitFor", projectId + ":" + version).get("/api/v1/projects/{id}", projectId)
                    .then().statusCode(200).body("version", equalTo(version));
        } finally {
            Api.sql("DELETE FROM stream_heads WHERE project_id = '" + behind + "'");
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().get(DEPENDENCIES).then()
                .statusCode(200).body("status", equalTo("UP")));
    }
}
