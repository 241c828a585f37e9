package cn.qxqy.pipeline.eventstore;

import cn.qxqy.pipeline.domain.ProjectEvent;

import java.util.UUID;

/**
 * An event a department asks to append.
 *
 * @param expectedVersion the project's version the sender saw, or null to skip the check
 * @param author who sends it
 * @param requestHash digest of what was sent, telling a re-post of the same event from a reuse of its eventId
 */
public record NewEvent(String projectId, UUID eventId, Long expectedVersion, Author author, ProjectEvent event,
                       String requestHash) {
}
