package cn.qxqy.pipeline.eventstore;

import cn.qxqy.pipeline.domain.EventTypes.EventType;
import cn.qxqy.pipeline.domain.EventTypes;
import cn.qxqy.pipeline.domain.FieldViolation;
import cn.qxqy.pipeline.domain.ProjectEvent;
import cn.qxqy.pipeline.domain.ProjectState;
import cn.qxqy.pipeline.domain.ProjectStateMachine;
import cn.qxqy.pipeline.domain.StreamEvent;
import cn.qxqy.pipeline.domain.StreamKind;
import cn.qxqy.pipeline.wire.EventData;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.mutiny.sqlclient.Row;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * An event as the store keeps it: what the department sent plus what the server added.
 *
 * @param position global order in the store
 * @param projectId the stream's id: a projectId, or another kind of stream's ({@link StreamKind})
 * @param version the stream's version after this event (1, 2, …)
 * @param schemaVersion the version of the event's shape; older stored shapes are upcast when read
 * @param source the sending department
 */
public record RecordedEvent(
        long position,
        String projectId,
        long version,
        UUID eventId,
        int schemaVersion,
        OffsetDateTime recordedAt,
        String source,
        StreamEvent event) {

    /**
     * The state a project in state {@code from} is in after these of its events, in version order: the one fold of a
     * history, for the store, the projector, the rebuild and the consistency check.
     */
    public static ProjectState fold(ProjectState from, List<RecordedEvent> events) {
        ProjectState state = from;
        for (RecordedEvent e : events) {
            state = ProjectStateMachine.apply(state, e.projectEvent());
        }
        return state;
    }

    /** Whether the event is on a project's stream: the only ones read models are made of. */
    public boolean ofProject() {
        return StreamKind.isProject(projectId);
    }

    /** The event of a project's stream; a programming error for any other. */
    public ProjectEvent projectEvent() {
        if (event instanceof ProjectEvent projectEvent) {
            return projectEvent;
        }
        throw new IllegalStateException("event " + eventId + " of stream " + projectId + " is not a project's");
    }

    /** The event as a project's history shows it and Kafka publishes it. */
    public HistoryEntry toEntry() {
        return new HistoryEntry(projectId, version, position, eventId, event.type(), schemaVersion, event.occurredOn(),
                recordedAt, source, EventData.write(event), null);
    }

    /** The JSON published on Kafka: {@link #toEntry}. */
    public String toJson(ObjectMapper mapper) {
        try {
            return mapper.writeValueAsString(toEntry());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an event does not write as JSON", e);
        }
    }

    /** Reads what {@link #toJson} wrote. */
    public static RecordedEvent fromJson(ObjectMapper mapper, String text) {
        try {
            JsonNode json = mapper.readTree(text);
            return of(json.get("position").asLong(), json.get("projectId").asText(), json.get("version").asLong(),
                    UUID.fromString(json.get("eventId").asText()), json.get("schemaVersion").asInt(),
                    OffsetDateTime.parse(json.get("recordedAt").asText()), json.get("source").asText(),
                    json.get("type").asText(), LocalDate.parse(json.get("occurredOn").asText()), json.get("data"));
        } catch (JsonProcessingException | RuntimeException e) {
            throw new IllegalArgumentException("not a recorded event: " + e.getMessage(), e);
        }
    }

    /** Reads a row selected with {@link EventStore#EVENT_COLUMNS}, by position: a rebuild reads a million. */
    static RecordedEvent fromRow(Row row, ObjectMapper mapper) {
        try {
            return of(row.getLong(0), row.getString(1), row.getLong(2), row.getUUID(3), row.getInteger(4),
                    row.getOffsetDateTime(5), row.getString(6), row.getString(7), row.getLocalDate(8),
                    mapper.readTree(row.getString(9)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored event data is not JSON", e);
        }
    }

    private static RecordedEvent of(long position, String projectId, long version, UUID eventId, int schemaVersion,
                            OffsetDateTime recordedAt, String source, String type, LocalDate occurredOn, JsonNode data) {
        List<FieldViolation> violations = new ArrayList<>();
        EventType eventType = EventTypes.stored(type)
                .orElseThrow(() -> new IllegalStateException("stored event " + eventId + " is of unknown type " + type));
        StreamEvent event = EventData.readStored(eventType, occurredOn, Upcasters.upcast(type, schemaVersion, data), violations);
        if (event == null) {
            throw new IllegalStateException("stored event " + eventId + " does not read: " + violations);
        }
        return new RecordedEvent(position, projectId, version, eventId, eventType.schemaVersion(), recordedAt, source,
                event);
    }
}
