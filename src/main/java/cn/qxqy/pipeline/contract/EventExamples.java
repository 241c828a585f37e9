package cn.qxqy.pipeline.contract;

import cn.qxqy.pipeline.domain.EventTypes;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/**
 * One envelope of every event type, as a department system posts it, made of the registry's example
 * ({@link EventTypes}): together, one project's lifecycle in an order the stage machine accepts (the test posts them). Shown in {@code /q/openapi} on the ingest operations and checked
 * against the Kafka contract's schemas.
 */
public final class EventExamples {

    /** An example: its event type, what it shows, and the envelope. */
    public record Example(String type, String summary, ObjectNode envelope) {
    }

    public static final String PROJECT_ID = "LL-EXAMPLE-0001";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Every type's example from the registry, in its order: one lifecycle. */
    public static final List<Example> ALL = EventTypes.ALL.stream().map(EventExamples::example).toList();

    private EventExamples() {
    }

    private static Example example(EventTypes.EventType type) {
        ObjectNode envelope = JSON.createObjectNode();
        envelope.put("projectId", PROJECT_ID);
        envelope.put("eventId", UUID.nameUUIDFromBytes((PROJECT_ID + "/" + type.name()).getBytes(StandardCharsets.UTF_8))
                .toString());
        envelope.put("type", type.name());
        envelope.put("occurredOn", type.example().occurredOn().toString());
        try {
            envelope.set("data", JSON.readTree(type.example().data()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(type.name() + "'s example", e);
        }
        return new Example(type.name(), type.example().summary(), envelope);
    }
}
