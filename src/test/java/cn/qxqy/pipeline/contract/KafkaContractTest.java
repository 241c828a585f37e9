package cn.qxqy.pipeline.contract;

import cn.qxqy.pipeline.domain.EventTypes;
import cn.qxqy.pipeline.testing.Api;
import cn.qxqy.pipeline.testing.Topics;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the service really accepts on its intake topics and publishes on project-events, and the examples of
 * {@code /q/openapi}, validated against the schemas of the AsyncAPI document it serves at {@code /q/asyncapi}.
 */
@QuarkusTest
class KafkaContractTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonNode contract;

    @BeforeEach
    void readTheContract() throws Exception {
        contract = JSON.readTree(RestAssured.given().get("/q/asyncapi").then().statusCode(200).extract().asString());
        assertThat(contract.path("asyncapi").asText()).isEqualTo("3.0.0");
    }

    @Test
    void theOpenApiShowsAnExampleOfEveryEventTypeThatTheContractAndTheServiceAccept() throws Exception {
        JsonNode openApi = JSON.readTree(RestAssured.given().get("/q/openapi?format=json").asString());
        JsonNode examples = openApi.at("/paths/~1api~1v1~1projects~1{projectId}~1events/post/requestBody/content"
                + "/application~1json/examples");
        List<String> types = new ArrayList<>();
        examples.fields().forEachRemaining(example -> types.add(example.getKey()));
        assertThat(types).containsExactlyInAnyOrderElementsOf(EventTypes.NAMES);
        assertThat(openApi.at("/paths/~1api~1v1~1events/post/requestBody/content/application~1json/examples/lifecycle/value"))
                .hasSize(types.size());

        Schema envelope = schema("IntakeEnvelope");
        for (EventExamples.Example example : EventExamples.ALL) {
            JsonNode shown = examples.path(example.type()).path("value");
            assertThat(envelope.validate(shown)).as("the example of %s", example.type()).isEmpty();
            // Each is a real event: in their order they are one project's lifecycle.
            Api.department().body(JSON.writeValueAsString(shown))
                    .post("/api/v1/projects/{id}/events", shown.path("projectId").asText())
                    .then().statusCode(201);
        }
    }

    @Test
    void everyAcceptedIntakeRecordAndEveryPublishedEventFollowTheContract() throws Exception {
        Schema envelope = schema("IntakeEnvelope");
        String projectId = Api.newProjectId();
        try (KafkaProducer<String, String> producer = Topics.producer()) {
            for (EventExamples.Example example : EventExamples.ALL) {
                ObjectNode record = example.envelope().deepCopy();
                record.put("projectId", projectId);
                record.put("eventId", UUID.randomUUID().toString());
                assertThat(envelope.validate(record)).as("intake record %s", example.type()).isEmpty();
                producer.send(new ProducerRecord<>("project-intake.fgw", projectId, JSON.writeValueAsString(record))).get();
            }
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(Api.sqlValue(
                "SELECT count(*) FROM events WHERE project_id = '" + projectId + "'"))
                .as("every intake record accepted").isEqualTo(String.valueOf(EventExamples.ALL.size())));

        Schema event = schema("ProjectEvent");
        Schema headers = schema("CloudEventsHeaders");
        List<ConsumerRecord<String, String>> published = published(projectId, EventExamples.ALL.size());
        for (ConsumerRecord<String, String> record : published) {
            assertThat(event.validate(JSON.readTree(record.value()))).as("published %s", record.value()).isEmpty();
            ObjectNode headerValues = JSON.createObjectNode();
            for (Header header : record.headers()) {
                headerValues.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
            }
            assertThat(headers.validate(headerValues)).as("headers of %s", record.value()).isEmpty();
        }
        // The schemas are not vacuous: a field a type does not have, or a wrong type name, is refused.
        ObjectNode wrong = (ObjectNode) JSON.readTree(published.get(1).value());
        ((ObjectNode) wrong.get("data")).put("signedInvestmen", 1);
        assertThat(event.validate(wrong)).isNotEmpty();
        ObjectNode renamed = (ObjectNode) JSON.readTree(published.get(0).value());
        renamed.put("type", "ProjectSigned");
        assertThat(event.validate(renamed)).isNotEmpty();
    }

    /** The schema of components.schemas.{@code name}, its references resolved within the document. */
    private Schema schema(String name) {
        ObjectNode root = contract.deepCopy();
        root.put("$ref", "#/components/schemas/" + name);
        return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7).getSchema(root);
    }

    /** The first {@code count} records of project-events with this key, read from offset 0. */
    private static List<ConsumerRecord<String, String>> published(String key, int count) {
        List<ConsumerRecord<String, String>> found = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = Topics.consumer()) {
            consumer.subscribe(Set.of("project-events"));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (found.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(record -> {
                    if (key.equals(record.key())) {
                        found.add(record);
                    }
                });
            }
        }
        assertThat(found).as("events of %s on project-events", key).hasSize(count);
        return found;
    }
}
