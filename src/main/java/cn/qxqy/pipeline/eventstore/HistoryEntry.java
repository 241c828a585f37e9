package cn.qxqy.pipeline.eventstore;

import cn.qxqy.pipeline.wire.EventData;
import cn.qxqy.pipeline.wire.EventDataSchemas;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * An event as a project's history shows it and {@code project-events} publishes it.
 *
 * @param position global order in the store
 * @param version the project's version after this event (1, 2, …)
 * @param schemaVersion the version of {@code data}'s shape
 * @param source the sending department
 * @param author who appended the event: in the history as administrators read it, never on Kafka
 */
@Schema(description = "An event of a project's history, as project-events also publishes it")
public record HistoryEntry(
        String projectId,
        long version,
        long position,
        UUID eventId,
        @Schema(description = "The event type, one of the EventData variants") String type,
        int schemaVersion,
        LocalDate occurredOn,
        OffsetDateTime recordedAt,
        String source,
        @Schema(ref = EventDataSchemas.EVENT_DATA) ObjectNode data,
        @JsonInclude(JsonInclude.Include.NON_NULL) Author author) {

    public HistoryEntry withAuthor(Author by) {
        return new HistoryEntry(projectId, version, position, eventId, type, schemaVersion, occurredOn, recordedAt,
                source, data, by);
    }
}
