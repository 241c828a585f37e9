package cn.qxqy.pipeline.contract;

import cn.qxqy.pipeline.domain.EventTypes.EventType;
import cn.qxqy.pipeline.domain.EventTypes;
import cn.qxqy.pipeline.wire.EventData;
import cn.qxqy.pipeline.wire.JsonFields;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * The contract of the Kafka topics, as an AsyncAPI 3.0 document: {@code project-intake.<department>} (what
 * department systems produce), {@code project-intake-dlq} (what the service refused) and {@code project-events} (what
 * it publishes): the envelope, the key, the CloudEvents headers, and a JSON Schema of each event type's data at its
 * schema version. Built from the event-type registry ({@link EventTypes}, {@link EventData#fields}), never written by
 * hand: a new type or field is in the contract as soon as it is in the code.
 */
public final class KafkaContract {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCHEMAS = "#/components/schemas/";

    private KafkaContract() {
    }

    /** The AsyncAPI document. */
    public static ObjectNode document() {
        ObjectNode doc = JSON.createObjectNode();
        doc.put("asyncapi", "3.0.0");
        ObjectNode info = doc.putObject("info");
        info.put("title", "千项千亿 project pipeline: Kafka topics");
        info.put("version", "1.0");
        info.put("description", "Department systems produce lifecycle events to their own intake topic; the service "
                + "stores them in its event store and publishes each stored event, in each project's version order, "
                + "to project-events. Amounts are 万元. See the README, \"Consuming project-events\".");
        doc.put("defaultContentType", "application/json");

        ObjectNode channels = doc.putObject("channels");
        ObjectNode intake = channels.putObject("projectIntake");
        intake.put("address", "project-intake.{department}");
        intake.put("description", "One topic per department, which only that department's principal may write (ACL): "
                + "the topic names the sender. Key: any (the projectId keeps a project's records in order).");
        intake.putObject("parameters").putObject("department").put("description",
                "the department, as its OAuth client is named, e.g. xingxian-fgj");
        intake.putObject("messages").putObject("intakeEnvelope").put("$ref", "#/components/messages/IntakeEnvelope");
        ObjectNode dlq = channels.putObject("projectIntakeDlq");
        dlq.put("address", "project-intake-dlq");
        dlq.put("description", "Intake records the service refused, unchanged, with the problem in the header problem.");
        dlq.putObject("messages").putObject("deadLetter").put("$ref", "#/components/messages/IntakeDeadLetter");
        ObjectNode events = channels.putObject("projectEvents");
        events.put("address", "project-events");
        events.put("description", "Every stored event, kept forever: a consumer can rebuild any view from offset 0.");
        ObjectNode eventMessages = events.putObject("messages");
        eventMessages.putObject("projectEvent").put("$ref", "#/components/messages/ProjectEvent");
        eventMessages.putObject("recoveryMarker").put("$ref", "#/components/messages/RecoveryMarker");

        ObjectNode operations = doc.putObject("operations");
        operation(operations, "receiveIntake", "receive", "projectIntake", "intakeEnvelope");
        operation(operations, "sendDeadLetter", "send", "projectIntakeDlq", "deadLetter");
        operation(operations, "publishEvent", "send", "projectEvents", "projectEvent");
        operation(operations, "publishRecoveryMarker", "send", "projectEvents", "recoveryMarker");

        ObjectNode components = doc.putObject("components");
        ObjectNode messages = components.putObject("messages");
        ObjectNode envelope = messages.putObject("IntakeEnvelope");
        envelope.put("summary", "A lifecycle event as a department system sends it (as an item of POST /api/v1/events)");
        envelope.putObject("payload").put("$ref", SCHEMAS + "IntakeEnvelope");
        ObjectNode deadLetter = messages.putObject("IntakeDeadLetter");
        deadLetter.put("summary", "A refused intake record, its value unchanged");
        ObjectNode dlqHeaders = deadLetter.putObject("headers");
        dlqHeaders.put("type", "object");
        dlqHeaders.putObject("properties").putObject("problem").put("type", "string")
                .put("description", "the RFC 7807 problem that refused it, as JSON");
        ((ObjectNode) dlqHeaders.get("properties")).putObject("department").put("type", "string")
                .put("description", "the department whose intake topic the record came from");
        deadLetter.putObject("payload").put("type", "string");
        ObjectNode event = messages.putObject("ProjectEvent");
        event.put("summary", "A stored event, as a project's history also shows it");
        event.putObject("headers").put("$ref", SCHEMAS + "CloudEventsHeaders");
        event.putObject("payload").put("$ref", SCHEMAS + "ProjectEvent");
        ObjectNode key = event.putObject("bindings").putObject("kafka");
        key.putObject("key").put("type", "string").put("description",
                "the stream's id (projectId): a stream's events share a partition and arrive in version order");
        key.put("bindingVersion", "0.5.0");
        messages.set("RecoveryMarker", recoveryMarker());

        ObjectNode schemas = components.putObject("schemas");
        for (EventType type : EventTypes.STORED) {
            schemas.set(dataSchemaName(type), data(type));
        }
        schemas.set("IntakeEnvelope", intakeEnvelope());
        schemas.set("ProjectEvent", projectEvent());
        schemas.set("CloudEventsHeaders", cloudEventsHeaders());
        return doc;
    }

    /** e.g. {@code ProjectSignedData.v1}: a new schema version gets a schema of its own. */
    public static String dataSchemaName(EventType type) {
        return type.name() + "Data.v" + type.schemaVersion();
    }

    private static void operation(ObjectNode operations, String name, String action, String channel, String message) {
        ObjectNode operation = operations.putObject(name);
        operation.put("action", action);
        operation.putObject("channel").put("$ref", "#/channels/" + channel);
        operation.putArray("messages").addObject().put("$ref", "#/channels/" + channel + "/messages/" + message);
    }

    private static ObjectNode data(EventType type) {
        ObjectNode schema = JSON.createObjectNode();
        schema.put("type", "object");
        schema.put("description", "The data of " + type.name() + ", schema version " + type.schemaVersion()
                + "; a field left out is not given");
        schema.put("additionalProperties", false);
        ObjectNode properties = schema.putObject("properties");
        for (EventData.Field field : EventData.fields(type)) {
            properties.set(field.name(), kind(field.kind()));
        }
        return schema;
    }

    private static ObjectNode kind(EventData.Kind kind) {
        ObjectNode schema = JSON.createObjectNode();
        switch (kind) {
            case TEXT -> schema.put("type", "string").put("minLength", 1);
            case AMOUNT -> {
                // Published as a JSON number; a sender may also give a numeric string.
                schema.putArray("type").add("number").add("string");
                schema.put("pattern", "^" + JsonFields.DECIMAL.pattern() + "$");
                schema.put("description", "万元, at most 2 fraction digits");
            }
            case DATE -> schema.put("type", "string").put("format", "date");
            case MONTH -> schema.put("type", "string").put("pattern", "^[0-9]{4}-[0-9]{2}$");
            case TEXT_LIST -> schema.put("type", "array").putObject("items").put("type", "string");
            case INTEGER -> schema.put("type", "integer").put("minimum", 1);
        }
        return schema;
    }

    /** Per type of {@code types}, its name and its data schema, so that a validator checks the data the type names. */
    private static ArrayNode variants(List<EventType> types, boolean withSchemaVersion) {
        ArrayNode variants = JSON.createArrayNode();
        for (EventType type : types) {
            ObjectNode variant = variants.addObject();
            ObjectNode properties = variant.putObject("properties");
            properties.putObject("type").put("const", type.name());
            if (withSchemaVersion) {
                properties.putObject("schemaVersion").put("const", type.schemaVersion());
            }
            properties.putObject("data").put("$ref", SCHEMAS + dataSchemaName(type));
        }
        return variants;
    }

    private static ObjectNode intakeEnvelope() {
        ObjectNode schema = JSON.createObjectNode();
        schema.put("type", "object");
        schema.put("additionalProperties", false);
        schema.putArray("required").add("projectId").add("eventId").add("type").add("occurredOn");
        ObjectNode p = schema.putObject("properties");
        p.putObject("projectId").put("type", "string").put("pattern", "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$");
        p.putObject("eventId").put("type", "string").put("format", "uuid")
                .put("description", "chosen by the sender; the same eventId again is the same event (idempotent)");
        p.set("type", typeEnum(EventTypes.ALL));
        p.putObject("occurredOn").put("type", "string").put("format", "date");
        p.putObject("expectedVersion").put("type", "integer").put("minimum", 0)
                .put("description", "the project's version the sender saw; refused if the project moved on");
        p.putObject("data").put("type", "object");
        schema.set("oneOf", variants(EventTypes.ALL, false));
        return schema;
    }

    private static ObjectNode projectEvent() {
        ObjectNode schema = JSON.createObjectNode();
        schema.put("type", "object");
        ArrayNode required = schema.putArray("required");
        for (String field : new String[]{"projectId", "version", "position", "eventId", "type", "schemaVersion",
                "occurredOn", "recordedAt", "source", "data"}) {
            required.add(field);
        }
        ObjectNode p = schema.putObject("properties");
        p.putObject("projectId").put("type", "string").put("description", "the stream's id: the projectId, or for a "
                + "campaign's own stream (its issued reports and bulletins, MonthlyReportIssued and BulletinIssued) "
                + "campaign:<campaignId>, which no projectId can be (a projectId holds no colon)");
        p.putObject("version").put("type", "integer").put("minimum", 1)
                .put("description", "the stream's version after this event: 1, 2, … without gaps");
        p.putObject("position").put("type", "integer").put("minimum", 1)
                .put("description", "the global order of the event store (gaps possible)");
        p.putObject("eventId").put("type", "string").put("format", "uuid");
        p.set("type", typeEnum(EventTypes.STORED));
        p.putObject("schemaVersion").put("type", "integer").put("minimum", 1);
        p.putObject("occurredOn").put("type", "string").put("format", "date");
        p.putObject("recordedAt").put("type", "string").put("format", "date-time");
        p.putObject("source").put("type", "string").put("description", "the department that sent it");
        p.putObject("data").put("type", "object");
        schema.set("oneOf", variants(EventTypes.STORED, true));
        return schema;
    }

    private static ObjectNode typeEnum(List<EventType> types) {
        ObjectNode type = JSON.createObjectNode();
        type.put("type", "string");
        ArrayNode names = type.putArray("enum");
        types.forEach(t -> names.add(t.name()));
        return type;
    }

    private static ObjectNode cloudEventsHeaders() {
        ObjectNode schema = JSON.createObjectNode();
        schema.put("type", "object");
        schema.put("description", "CloudEvents 1.0, Kafka binary mode: the attributes as ce_ headers");
        ArrayNode required = schema.putArray("required");
        ObjectNode p = schema.putObject("properties");
        p.putObject("ce_specversion").put("const", "1.0");
        p.putObject("ce_id").put("type", "string").put("format", "uuid").put("description", "the eventId");
        p.set("ce_type", typeEnum(EventTypes.STORED));
        p.putObject("ce_source").put("type", "string").put("pattern", "^/departments/.+");
        p.putObject("ce_subject").put("type", "string").put("description", "the stream's id, as projectId");
        p.putObject("ce_time").put("type", "string").put("format", "date-time").put("description", "recordedAt");
        p.putObject("content-type").put("const", "application/json");
        p.fieldNames().forEachRemaining(required::add);
        return schema;
    }

    /**
     * Not an event: put on every partition when an admin acknowledges a restore of the store (README, "Backup and
     * recovery"), ahead of the re-posted events that use the lost versions again.
     */
    private static ObjectNode recoveryMarker() {
        ObjectNode marker = JSON.createObjectNode();
        marker.put("summary", "The store was restored: versions above each listed project's lastKeptVersion are used "
                + "again by re-posted events. No key; skip it as an event, and forget what you applied above "
                + "lastKeptVersion of each listed project.");
        ObjectNode headers = marker.putObject("headers");
        headers.put("type", "object");
        headers.putArray("required").add("pipeline-recovery");
        headers.putObject("properties").putObject("pipeline-recovery").put("type", "string")
                .put("description", "the recovery's id; a record with this header is a marker, not an event");
        ObjectNode payload = marker.putObject("payload");
        payload.put("type", "object");
        payload.putArray("required").add("recovery").add("restoredThroughPosition").add("lostThroughPosition")
                .add("projects");
        ObjectNode properties = payload.putObject("properties");
        properties.putObject("recovery").put("type", "integer");
        properties.putObject("restoredThroughPosition").put("type", "integer")
                .put("description", "the restored store's highest position");
        properties.putObject("lostThroughPosition").put("type", "integer")
                .put("description", "the highest position published before the restore; new events come above it");
        ObjectNode project = properties.putObject("projects").put("type", "array").putObject("items");
        project.put("type", "object");
        project.putArray("required").add("projectId").add("lastKeptVersion");
        project.putObject("properties").putObject("projectId").put("type", "string");
        ((ObjectNode) project.get("properties")).putObject("lastKeptVersion").put("type", "integer");
        return marker;
    }
}
