package cn.qxqy.pipeline.recovery;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * A restore of the store noticed: project-events carried events the store no longer has.
 *
 * @param storePosition the restored store's highest position when noticed: the restore point
 * @param topicPosition the highest position project-events carried; positions up to it are never handed out again
 * @param lostEvents the events past the restore point, read from the topic: to be re-posted with the same eventIds
 */
public record Recovery(long id, OffsetDateTime noticedAt, long storePosition, long topicPosition,
                       @Schema(nullable = true) OffsetDateTime acknowledgedAt,
                       @Schema(nullable = true) String acknowledgedBy, List<LostEvent> lostEvents) {

    /** An event the restore lost, as project-events carried it; the department is the one to re-post it. */
    public record LostEvent(long position, String projectId, long version, UUID eventId, String type,
                            @Schema(nullable = true) String department) {
    }

    public boolean acknowledged() {
        return acknowledgedAt != null;
    }
}
