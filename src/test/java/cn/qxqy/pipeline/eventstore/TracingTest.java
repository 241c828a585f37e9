package cn.qxqy.pipeline.eventstore;

import cn.qxqy.pipeline.testing.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import static cn.qxqy.pipeline.testing.Api.envelope;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** With tracing on, the trace of the posting request goes on through the outbox into Kafka. */
@QuarkusTest
@TestProfile(TracingTest.TracingOn.class)
class TracingTest {

    public static class TracingOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // Spans are recorded; the exporter points at a closed local port, since only propagation is checked.
            return Map.of("quarkus.otel.sdk.disabled", "false",
                    "quarkus.otel.exporter.otlp.endpoint", "http://127.0.0.1:9");
        }
    }

    @Test
    void theRequestsTraceIsCarriedInTheKafkaHeaders() {
        String traceId = UUID.randomUUID().toString().replace("-", "");
        String projectId = Api.newProjectId();
        Api.department().header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
                .body(envelope("ProjectReserved", LocalDate.of(2024, 9, 1), Api.reservation(Api.CAMPAIGN, "141100",
                        "infrastructure", List.of(), "1")))
                .post("/api/v1/projects/{id}/events", projectId).then().statusCode(201);

        Properties p = new Properties();
        p.put("bootstrap.servers", ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
        p.put("group.id", "trace-" + UUID.randomUUID());
        p.put("auto.offset.reset", "earliest");
        ConsumerRecord<String, String> published = null;
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("project-events"));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (published == null && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    if (projectId.equals(r.key())) {
                        published = r;
                    }
                }
            }
        }
        assertNotNull(published, "the event was published");
        var header = published.headers().lastHeader("traceparent");
        assertNotNull(header, "the record carries a trace context");
        String traceparent = new String(header.value(), StandardCharsets.UTF_8);
        assertTrue(traceparent.startsWith("00-" + traceId + "-"), traceparent);
    }
}
