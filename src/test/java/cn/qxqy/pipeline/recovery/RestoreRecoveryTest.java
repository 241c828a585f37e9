package cn.qxqy.pipeline.recovery;

import cn.qxqy.pipeline.eventstore.OutboxRelay;
import cn.qxqy.pipeline.testing.Api;
import cn.qxqy.pipeline.testing.Topics;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static cn.qxqy.pipeline.testing.Api.admin;
import static cn.qxqy.pipeline.testing.Api.envelope;
import static cn.qxqy.pipeline.testing.Api.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The store restored to a point behind project-events: an event the topic carries and the store does not have is
 * what a restore leaves behind, so the test puts one on the topic, as the relay published it before the loss.
 */
@QuarkusTest
class RestoreRecoveryTest {

    private static final LocalDate DAY = LocalDate.of(2024, 9, 2);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void aStoreBehindTheTopicHoldsAppendsUntilAnAdminAcknowledgesThenTheLostEventIsRepostedOnce() throws Exception {
        String campaign = Api.newCampaign();
        Api.Project project = Api.reserve(campaign, "恢复的项目", "141102", "coal", List.of("special-bond"), "100.00",
                null, DAY).post("ProjectSigned", DAY, Map.of("signedInvestment", "80.00", "investor", "某公司"));
        Api.awaitProjected(project);
        Map<String, Object> lostStart = envelope("ConstructionStarted", DAY, Map.of());
        String lostEventId = (String) lostStart.get("eventId");
        long lostPosition = Long.parseLong(Api.sqlValue("SELECT max(position) FROM events")) + 50;
        publishAsTheRelayDid(project.id(), 3, lostPosition, lostEventId, "ConstructionStarted", project.id());

        JsonPath noticed = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(this::status, status -> status.getBoolean("appendsHeld"));
        assertThat(noticed.getList("unacknowledged.lostEvents", Map.class))
                .containsExactly(Map.of("position", (int) lostPosition, "projectId", project.id(), "version", 3,
                        "eventId", lostEventId, "type", "ConstructionStarted", "department", "fgw"));
        assertThat(metrics()).contains("pipeline_recovery_pending 1.0").contains("pipeline_recovery_lost_events 1.0");

        Response held = Api.post(project.id(), lostStart);
        assertThat(held.statusCode()).isEqualTo(503);
        assertThat(held.jsonPath().getString("type")).isEqualTo("/problems/recovery-pending");
        assertThat(held.jsonPath().getString("detail")).contains("acknowledges the recovery");
        Response heldBatch = Api.department().body(List.of(lostStart)).post("/api/v1/events");
        assertThat(heldBatch.statusCode()).isEqualTo(503);
        assertThat(Api.sqlValue("SELECT count(*) FROM events WHERE event_id = '" + lostEventId + "'")).isEqualTo("0");

        JsonPath acknowledged = admin().post("/api/v1/admin/recovery/acknowledge").then().statusCode(200)
                .extract().jsonPath();
        assertThat(acknowledged.getString("acknowledgedBy")).isEqualTo("admin");
        assertThat(acknowledged.getList("lostEvents.eventId")).containsExactly(lostEventId);
        admin().post("/api/v1/admin/recovery/acknowledge").then().statusCode(409);
        assertThat(metrics()).contains("pipeline_recovery_pending 0.0");

        Response reposted = Api.post(project.id(), lostStart);
        assertThat(reposted.statusCode()).isEqualTo(201);
        assertThat(reposted.jsonPath().getLong("version")).isEqualTo(3);
        assertThat(reposted.jsonPath().getLong("position")).isGreaterThan(lostPosition);
        await().atMost(Duration.ofSeconds(60)).until(() -> admin().get("/api/v1/admin/projections").then()
                .extract().jsonPath().getString("find { it.name == 'rebuild' }.state"), state -> !"RUNNING".equals(state));
        Api.awaitProjected();
        JsonPath view = given().get("/api/v1/projects/{id}", project.id()).then().statusCode(200).extract().jsonPath();
        assertThat(view.getInt("version")).isEqualTo(3);
        JsonPath summary = given().get("/api/v1/campaigns/{id}/summary", campaign).then().statusCode(200)
                .extract().jsonPath();
        assertThat(summary.getInt("projects")).isEqualTo(1);
        assertThat(summary.getInt("stages.STARTED.reached")).isEqualTo(1);

        JsonPath marker = JsonPath.from(markerOnThePartitionOf(project.id()));
        assertThat(marker.getLong("restoredThroughPosition")).isLessThan(lostPosition);
        assertThat(marker.getLong("lostThroughPosition")).isEqualTo(lostPosition);
        assertThat(marker.getList("projects", Map.class))
                .containsExactly(Map.of("projectId", project.id(), "lastKeptVersion", 2));
    }

    private JsonPath status() {
        return admin().get("/api/v1/admin/recovery").then().statusCode(200).extract().jsonPath();
    }

    private static String metrics() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /** The event as the outbox relay publishes it: the store's JSON of an event, keyed by its project. */
    private static void publishAsTheRelayDid(String projectId, long version, long position, String eventId, String type,
                                             String key) throws Exception {
        String history = given().get("/api/v1/projects/{id}/events", projectId).then().statusCode(200).extract().asString();
        ObjectNode event = (ObjectNode) MAPPER.readTree(history).get(0).deepCopy();
        event.put("version", version).put("position", position).put("eventId", eventId).put("type", type)
                .put("schemaVersion", 1).put("occurredOn", DAY.toString()).put("source", "fgw");
        event.putObject("data");
        try (KafkaProducer<String, String> producer = Topics.producer()) {
            producer.send(new ProducerRecord<>("project-events", key, MAPPER.writeValueAsString(event))).get();
        }
    }

    /** The recovery's marker on the partition that carries the project's events. */
    private static String markerOnThePartitionOf(String projectId) {
        try (KafkaConsumer<String, String> consumer = Topics.consumer()) {
            consumer.subscribe(Set.of("project-events"));
            List<ConsumerRecord<String, String>> seen = new ArrayList<>();
            return await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(500)).forEach(seen::add);
                Integer partition = seen.stream().filter(r -> projectId.equals(r.key())).map(ConsumerRecord::partition)
                        .findFirst().orElse(null);
                return seen.stream().filter(r -> partition != null && r.partition() == partition
                                && r.headers().lastHeader(OutboxRelay.MARKER_HEADER) != null)
                        .map(ConsumerRecord::value)
                        .reduce((a, b) -> b).orElse(null);
            }, found -> found != null);
        }
    }
}
