package cn.qxqy.pipeline.demo;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * One event as the demo posts it.
 *
 * @param postedOn when its department would have posted it: never before the project's previous event was posted, and
 *                 the order in which the whole campaign is posted
 * @param expectedVersion null to post without one (the README walkthrough's events do)
 */
record DemoEvent(String projectId, UUID eventId, String type, LocalDate occurredOn, Long expectedVersion,
                 Map<String, Object> data, LocalDate postedOn) {

    /** The batch item: the envelope of POST /api/v1/projects/{id}/events with its projectId. */
    Map<String, Object> envelope() {
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("projectId", projectId);
        envelope.put("eventId", eventId.toString());
        envelope.put("type", type);
        envelope.put("occurredOn", occurredOn.toString());
        if (expectedVersion != null) {
            envelope.put("expectedVersion", expectedVersion);
        }
        if (!data.isEmpty()) {
            envelope.put("data", data);
        }
        return envelope;
    }
}
