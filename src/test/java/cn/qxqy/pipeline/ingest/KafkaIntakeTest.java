package cn.qxqy.pipeline.ingest;

import cn.qxqy.pipeline.testing.Api;
import cn.qxqy.pipeline.testing.Topics;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

import static cn.qxqy.pipeline.testing.Api.envelope;
import static cn.qxqy.pipeline.testing.Api.given;
import static cn.qxqy.pipeline.testing.Api.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What departments send on their intake topics: good records stored as their department's, refused ones
 * dead-lettered with their problem, and replayed by an admin once the cause is fixed; no record stops the intake.
 */
@QuarkusTest
class KafkaIntakeTest {

    private static final LocalDate DAY = LocalDate.of(2024, 5, 6);

    @Test
    void theKafkaIntakeStoresGoodEventsAndDeadLettersRefusedOnes() throws Exception {
        var mapper = new ObjectMapper();
        String good = Api.newProjectId();
        Map<String, Object> reserve = envelope("ProjectReserved", DAY, Api.reservation(Api.newCampaign(), "141182",
                "culture-tourism", List.of(), "700"));
        reserve.put("projectId", good);
        String bad = Api.newProjectId();
        Map<String, Object> unknown = envelope("ConstructionStarted", DAY, Map.of());
        unknown.put("projectId", bad);
        try (KafkaProducer<String, String> producer = Topics.producer()) {
            for (Map<String, Object> envelope : List.of(reserve, unknown)) {
                producer.send(new ProducerRecord<>("project-intake.sww", (String) envelope.get("projectId"),
                        mapper.writeValueAsString(envelope))).get();
            }
            producer.send(new ProducerRecord<>("project-intake.sww", bad, "{not json")).get();
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().get("/api/v1/projects/{id}/events", good).then().statusCode(200)
                        .body("[0].source", equalTo("sww")));

        List<ConsumerRecord<String, String>> dead = Topics.records("project-intake-dlq", bad, 2);
        assertEquals(2, dead.size());
        assertEquals(404, JsonPath.from(Topics.header(dead.get(0), "problem")).getInt("status"));
        assertEquals(mapper.writeValueAsString(unknown), dead.get(0).value());
        assertEquals(400, JsonPath.from(Topics.header(dead.get(1), "problem")).getInt("status"));
        given().get("/api/v1/projects/{id}/events", bad).then().statusCode(404);
    }

    @Test
    void aRecordOnADepartmentsIntakeTopicIsThatDepartmentsWhateverItsHeadersSay() throws Exception {
        String projectId = Api.newProjectId();
        Map<String, Object> reserve = envelope("ProjectReserved", DAY, Api.reservation(Api.CAMPAIGN, "141123",
                "culture-tourism", List.of(), "700"));
        reserve.put("projectId", projectId);
        try (KafkaProducer<String, String> producer = Topics.producer()) {
            ProducerRecord<String, String> record = new ProducerRecord<>("project-intake.sww", projectId,
                    new ObjectMapper().writeValueAsString(reserve));
            record.headers().add("department", "fgw".getBytes(StandardCharsets.UTF_8));
            producer.send(record).get();
        }
        ConsumerRecord<String, String> dead = Topics.records("project-intake-dlq", projectId, 1).get(0);
        assertThat(JsonPath.from(Topics.header(dead, "problem")).getString("type")).isEqualTo("/problems/region-not-held");
        assertThat(Topics.header(dead, "department")).isEqualTo("sww");
        given().get("/api/v1/projects/{id}/events", projectId).then().statusCode(404);
    }

    @Test
    void anAdminReplaysAnIntakeDeadLetterOnceTheSenderFixedItsCause() throws Exception {
        var mapper = new ObjectMapper();
        String projectId = Api.newProjectId();
        String campaign = Api.newCampaign();
        Map<String, Object> signed = envelope("ProjectSigned", DAY, Map.of("signedInvestment", 700, "investor", "某公司"));
        signed.put("projectId", projectId);
        try (KafkaProducer<String, String> producer = Topics.producer()) {
            // A header cannot make a record another department's: the topic names the sender.
            ProducerRecord<String, String> record = new ProducerRecord<>("project-intake.fgw", projectId,
                    mapper.writeValueAsString(signed));
            record.headers().add("department", "sww".getBytes(StandardCharsets.UTF_8));
            producer.send(record).get();
        }
        // Refused: the project is not reserved yet.
        ConsumerRecord<String, String> dead = Topics.records("project-intake-dlq", projectId, 1).get(0);
        List<Map<String, Object>> listed = Api.admin().queryParam("partition", dead.partition())
                .queryParam("from", dead.offset()).queryParam("limit", 1)
                .get("/api/v1/admin/intake-dead-letters").then().statusCode(200).extract().jsonPath().getList("");
        assertThat(listed).singleElement().satisfies(letter -> assertThat(letter)
                .containsEntry("key", projectId).containsEntry("department", "fgw")
                .hasEntrySatisfying("problem", problem -> assertThat(((Map<?, ?>) problem).get("status")).isEqualTo(404)));

        Map<String, Object> reserve = envelope("ProjectReserved", DAY.minusDays(1), Api.reservation(campaign, "141126",
                "culture-tourism", List.of(), "700"));
        Api.post(projectId, reserve).then().statusCode(201);
        Map<String, Object> replay = Map.of("partition", dead.partition(), "offsets", List.of(dead.offset(), dead.offset() + 1_000_000));
        List<Map<String, Object>> outcomes = Api.admin().contentType("application/json").body(replay)
                .post("/api/v1/admin/intake-dead-letters/replay").then().statusCode(200).extract().jsonPath().getList("");
        assertThat(outcomes.stream().map(outcome -> outcome.get("outcome"))).containsExactly("STORED", "NOT_FOUND");
        given().get("/api/v1/projects/{id}/events", projectId).then().statusCode(200)
                .body("[1].type", equalTo("ProjectSigned")).body("[1].source", equalTo("fgw"));
        // Replayed twice, stored once.
        assertThat(Api.admin().contentType("application/json").body(Map.of("partition", dead.partition(),
                        "offsets", List.of(dead.offset())))
                .post("/api/v1/admin/intake-dead-letters/replay").then().statusCode(200).extract().jsonPath()
                .getString("[0].outcome")).isEqualTo("ALREADY_STORED");
        Api.admin().contentType("application/json").body(Map.of("offsets", List.of(1)))
                .post("/api/v1/admin/intake-dead-letters/replay").then().statusCode(400)
                .body("errors[0].field", equalTo("partition"));
    }

    @Test
    void oversizedIntakeRecordsAreDeadLetteredAndTheIntakeGoesOn() throws Exception {
        var mapper = new ObjectMapper();
        double deadLettersBefore = metric("pipeline_intake_dead_letters_total");
        double truncatedBefore = metric("pipeline_intake_dead_letters_truncated_total");
        String notJson = Api.newProjectId();
        String misspelt = Api.newProjectId();
        String value = "not json ".repeat(NON_JSON_BYTES / 9 + 1).substring(0, NON_JSON_BYTES);
        Map<String, Object> unknownFields = envelope("ProjectReserved", DAY, withUnknownFields(
                Api.reservation(Api.CAMPAIGN, "141182", "culture-tourism", List.of(), "700"), UNKNOWN_FIELDS));
        unknownFields.put("projectId", misspelt);
        String afterThem = Api.newProjectId();
        String otherDepartment = Api.newProjectId();
        RecordMetadata oversized;
        try (KafkaProducer<String, String> producer = Topics.producer()) {
            oversized = producer.send(new ProducerRecord<>("project-intake.sww", notJson, value)).get();
            producer.send(new ProducerRecord<>("project-intake.sww", misspelt,
                    padded(mapper.writeValueAsString(unknownFields), UNKNOWN_FIELDS_BYTES))).get();
            producer.send(new ProducerRecord<>("project-intake.sww", afterThem,
                    mapper.writeValueAsString(intakeReservation(afterThem, "141182")))).get();
            producer.send(new ProducerRecord<>("project-intake.fgw", otherDepartment,
                    mapper.writeValueAsString(intakeReservation(otherDepartment, "141121")))).get();
        }

        // The records behind them, on the same topic and on another department's, are stored.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            given().get("/api/v1/projects/{id}/events", afterThem).then().statusCode(200).body("[0].source", equalTo("sww"));
            given().get("/api/v1/projects/{id}/events", otherDepartment).then().statusCode(200);
        });
        ConsumerRecord<String, String> truncated = Topics.records("project-intake-dlq", notJson, 1).get(0);
        assertThat(Topics.header(truncated, "original-topic")).isEqualTo("project-intake.sww");
        assertThat(Topics.header(truncated, "original-partition")).isEqualTo(String.valueOf(oversized.partition()));
        assertThat(Topics.header(truncated, "original-offset")).isEqualTo(String.valueOf(oversized.offset()));
        assertThat(Topics.header(truncated, "original-size")).isEqualTo(String.valueOf(NON_JSON_BYTES));
        assertThat(Topics.header(truncated, "original-sha256")).isEqualTo(sha256(value));
        assertThat(Topics.header(truncated, "department")).isEqualTo("sww");
        assertThat(JsonPath.from(Topics.header(truncated, "problem")).getInt("status")).isEqualTo(400);
        assertThat(value).startsWith(truncated.value());
        assertThat(truncated.value().length()).isLessThan(NON_JSON_BYTES / 100);

        ConsumerRecord<String, String> bounded = Topics.records("project-intake-dlq", misspelt, 1).get(0);
        assertThat(Topics.header(bounded, "original-sha256")).as("a dead letter that fits is whole").isNull();
        assertThat(bounded.serializedValueSize()).isEqualTo(UNKNOWN_FIELDS_BYTES);
        List<Map<String, String>> errors = JsonPath.from(Topics.header(bounded, "problem")).getList("errors");
        assertThat(errors).hasSize(21);
        assertThat(errors.get(0)).containsEntry("field", "data.u00000").containsEntry("message", "unknown field");
        assertThat(errors.get(20)).containsEntry("message", "… and 24,980 more unknown fields");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(metric("pipeline_intake_dead_letters_total") - deadLettersBefore).isEqualTo(2);
            assertThat(metric("pipeline_intake_dead_letters_truncated_total") - truncatedBefore).isEqualTo(1);
        });
        assertThat(metric("pipeline_intake_dead_letters_waiting")).isZero();
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/group/dependencies").then()
                .body("checks.find { it.name == 'project-intake' }.status", equalTo("UP"));
    }

    @Test
    void aProblemNamesTheFirstUnknownFieldsAndCountsTheOthers() {
        Map<String, Object> reserve = envelope("ProjectReserved", DAY, withUnknownFields(
                Api.reservation(Api.CAMPAIGN, "141182", "culture-tourism", List.of(), "700"), 5_000));
        post(Api.newProjectId(), reserve).then().statusCode(400)
                .body("errors.size()", equalTo(21))
                .body("errors[19].field", equalTo("data.u00019"))
                .body("errors[20].message", equalTo("… and 4,980 more unknown fields"));
    }

    @Test
    void aTruncatedDeadLetterIsReplayedFromItsOriginalRecord() throws Exception {
        String projectId = Api.newProjectId();
        Map<String, Object> signed = envelope("ProjectSigned", DAY, Map.of("signedInvestment", 700, "investor", "某公司"));
        signed.put("projectId", projectId);
        // Whitespace makes the envelope as large as a department's producer sends with Kafka's default limits: with its
        // problem and headers, its dead letter is over them.
        String value = padded(new ObjectMapper().writeValueAsString(signed), LARGEST_RECORD_BYTES);
        RecordMetadata original;
        try (KafkaProducer<String, String> producer = Topics.producer()) {
            original = producer.send(new ProducerRecord<>("project-intake.fgw", projectId, value)).get();
        }
        // Refused: the project is not reserved yet.
        ConsumerRecord<String, String> dead = Topics.records("project-intake-dlq", projectId, 1).get(0);
        assertThat(Topics.header(dead, "original-offset")).isEqualTo(String.valueOf(original.offset()));
        assertThat(dead.value()).hasSizeLessThan(value.length());
        List<Map<String, Object>> listed = Api.admin().queryParam("partition", dead.partition())
                .queryParam("from", dead.offset()).queryParam("limit", 1)
                .get("/api/v1/admin/intake-dead-letters").then().statusCode(200).extract().jsonPath().getList("");
        assertThat(listed).singleElement().satisfies(letter -> assertThat(letter)
                .containsEntry("key", projectId).containsEntry("department", "fgw").containsEntry("value", dead.value()));

        Api.post(projectId, envelope("ProjectReserved", DAY.minusDays(1), Api.reservation(Api.newCampaign(), "141126",
                "culture-tourism", List.of(), "700"))).then().statusCode(201);
        Api.admin().contentType("application/json").body(Map.of("partition", dead.partition(),
                        "offsets", List.of(dead.offset())))
                .post("/api/v1/admin/intake-dead-letters/replay").then().statusCode(200)
                .body("[0].outcome", equalTo("STORED"));
        given().get("/api/v1/projects/{id}/events", projectId).then().statusCode(200)
                .body("[1].type", equalTo("ProjectSigned")).body("[1].source", equalTo("fgw"))
                .body("[1].eventId", equalTo(signed.get("eventId")));
    }

    @Test
    void aReplayAfterTheReferenceDataExpiredIsStored() throws Exception {
        String campaign = "test-" + UUID.randomUUID().toString().substring(0, 8);
        String projectId = Api.newProjectId();
        Map<String, Object> reserve = envelope("ProjectReserved", DAY, Api.reservation(campaign, "141121", "coal",
                List.of(), "300"));
        reserve.put("projectId", projectId);
        try (KafkaProducer<String, String> producer = Topics.producer()) {
            producer.send(new ProducerRecord<>("project-intake.fgw", projectId,
                    new ObjectMapper().writeValueAsString(reserve))).get();
        }
        // Refused: the campaign does not exist yet.
        ConsumerRecord<String, String> dead = Topics.records("project-intake-dlq", projectId, 1).get(0);
        assertThat(JsonPath.from(Topics.header(dead, "problem")).getString("errors[0].field")).isEqualTo("data.campaignId");
        Api.admin().body(Map.of("nameZh", "测试会战", "nameEn", "Test campaign", "year", 2024, "cityCode", "141100"))
                .put("/api/v1/admin/campaigns/{id}", campaign).then().statusCode(201);

        // No request reads the reference data meanwhile: the replay is the first to read them again from the database.
        Duration ttl = ConfigProvider.getConfig().getValue("pipeline.reference.ttl", Duration.class);
        Thread.sleep(ttl.plusSeconds(1).toMillis());
        Api.admin().contentType("application/json").body(Map.of("partition", dead.partition(),
                        "offsets", List.of(dead.offset())))
                .post("/api/v1/admin/intake-dead-letters/replay").then().statusCode(200)
                .body("[0].outcome", equalTo("STORED"));
        given().get("/api/v1/projects/{id}/events", projectId).then().statusCode(200)
                .body("[0].source", equalTo("fgw"));
    }

    @Test
    void aDeadLetterKafkaRefusesWaitsWithItsOffsetAndIsWrittenOnceKafkaTakesIt() throws Exception {
        String projectId = Api.newProjectId();
        Map<String, Object> started = envelope("ConstructionStarted", DAY, Map.of());
        started.put("projectId", projectId);
        ConfigResource deadLetters = new ConfigResource(ConfigResource.Type.TOPIC, "project-intake-dlq");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class)))) {
            try {
                admin.createTopics(List.of(new NewTopic("project-intake-dlq", Optional.empty(), Optional.empty())))
                        .all().get();
            } catch (ExecutionException e) {
                assertThat(e).hasCauseInstanceOf(TopicExistsException.class);
            }
            // The broker refuses every dead letter, truncated or not, as a misconfigured topic would.
            admin.incrementalAlterConfigs(Map.of(deadLetters, List.of(new AlterConfigOp(
                    new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "64"), AlterConfigOp.OpType.SET)))).all().get();
            try {
                try (KafkaProducer<String, String> producer = Topics.producer()) {
                    producer.send(new ProducerRecord<>("project-intake.fgw", projectId,
                            new ObjectMapper().writeValueAsString(started))).get();
                }
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                        assertThat(metric("pipeline_intake_dead_letters_waiting")).isEqualTo(1));
                given().get("/q/health/group/dependencies").then().statusCode(503)
                        .body("checks.find { it.name == 'project-intake' }.status", equalTo("DOWN"))
                        .body("checks.find { it.name == 'project-intake' }.data.deadLettersWaiting", equalTo(1));
                given().get("/q/health/live").then().statusCode(200);
            } finally {
                admin.incrementalAlterConfigs(Map.of(deadLetters, List.of(new AlterConfigOp(
                        new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, ""), AlterConfigOp.OpType.DELETE)))).all().get();
            }
        }
        // Tried again with back-off (at most 30 s apart): written whole once the broker takes it.
        ConsumerRecord<String, String> dead = Topics.records("project-intake-dlq", projectId, 1).get(0);
        assertThat(dead.value()).isEqualTo(new ObjectMapper().writeValueAsString(started));
        assertThat(JsonPath.from(Topics.header(dead, "problem")).getInt("status")).isEqualTo(404);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(metric("pipeline_intake_dead_letters_waiting")).isZero());
    }

    /** The record: just under the producer's max.request.size of 1 MiB. */
    private static final int NON_JSON_BYTES = 1_048_200;
    /** About the largest value a producer sends with the default max.request.size, to a broker's default message.max.bytes. */
    private static final int LARGEST_RECORD_BYTES = 1_048_400;
    private static final int UNKNOWN_FIELDS = 25_000;
    private static final int UNKNOWN_FIELDS_BYTES = 314_219;

    private static Map<String, Object> intakeReservation(String projectId, String region) {
        Map<String, Object> reserve = envelope("ProjectReserved", DAY, Api.reservation(Api.CAMPAIGN, region,
                "culture-tourism", List.of(), "70"));
        reserve.put("projectId", projectId);
        return reserve;
    }

    private static Map<String, Object> withUnknownFields(Map<String, Object> data, int count) {
        Map<String, Object> with = new LinkedHashMap<>(data);
        for (int i = 0; i < count; i++) {
            with.put(String.format("u%05d", i), 1);
        }
        return with;
    }

    /** The JSON text followed by spaces, {@code bytes} long in UTF-8. */
    private static String padded(String json, int bytes) {
        return json + " ".repeat(bytes - json.getBytes(StandardCharsets.UTF_8).length);
    }

    private static String sha256(String value) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
    }

    /** A metric of /q/metrics without labels; 0 when there is none. */
    private static double metric(String name) {
        return given().get("/q/metrics").then().statusCode(200).extract().asString().lines()
                .filter(line -> line.startsWith(name + " ")).mapToDouble(line -> Double.parseDouble(line.substring(name.length() + 1)))
                .findFirst().orElse(0);
    }
}
