package cn.qxqy.pipeline.projection;

import io.vertx.mutiny.sqlclient.Row;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A project the projector parked: its events {@code fromVersion}..{@code toVersion} are held back (0 when the record
 * on the topic was unreadable), the first of them named, with the error that stopped them.
 */
@Schema(name = "ProjectorDeadLetter", description = "A project the projector parked, with the error that stopped it")
public record DeadLetter(String projectId, long fromVersion, long toVersion, @Schema(nullable = true) UUID eventId,
                         @Schema(nullable = true) String eventType,
                         String error, OffsetDateTime parkedAt, OffsetDateTime updatedAt) {

    static DeadLetter fromRow(Row row) {
        return new DeadLetter(row.getString("project_id"), row.getLong("from_version"), row.getLong("to_version"),
                row.getUUID("event_id"), row.getString("event_type"), row.getString("error"),
                row.getOffsetDateTime("parked_at"), row.getOffsetDateTime("updated_at"));
    }
}
