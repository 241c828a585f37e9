package cn.qxqy.pipeline.testing.history;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/** One event as posted: its envelope, and what the generator meant it to get. */
public final class HistoryEvent {
    public final String projectId;
    public final String type;
    public final LocalDate occurredOn;
    public final Map<String, Object> envelope;
    /** Why the generator made it, e.g. "sign" or "future date": the refusals are counted by it. */
    public final String intent;
    /** The status the generator meant it to get. */
    public final int intended;
    boolean batch;
    boolean omitProjectId;
    int predicted;

    public HistoryEvent(String projectId, Map<String, Object> envelope, String intent, int intended) {
        this.projectId = projectId;
        this.envelope = envelope;
        this.type = (String) envelope.get("type");
        Object on = envelope.get("occurredOn");
        this.occurredOn = on == null ? null : LocalDate.parse((String) on);
        this.intent = intent;
        this.intended = intended;
    }

    /** A new event with a fresh eventId. */
    public static HistoryEvent of(String intent, int intended, String projectId, String type, LocalDate on,
                                  Map<String, Object> data) {
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("eventId", UUID.randomUUID().toString());
        envelope.put("type", type);
        envelope.put("occurredOn", on.toString());
        envelope.put("data", data);
        return new HistoryEvent(projectId, envelope, intent, intended);
    }

    /** The same event with one envelope field changed; the eventId stays unless that is the field. */
    public HistoryEvent with(String intent, int intended, String field, Object value) {
        Map<String, Object> changed = new LinkedHashMap<>(envelope);
        changed.put("data", new LinkedHashMap<>(data()));
        changed.put(field, value);
        return new HistoryEvent(projectId, changed, intent, intended);
    }

    /** The same event with one data field changed, or removed when the value is null. */
    public HistoryEvent withData(String intent, int intended, String field, Object value) {
        Map<String, Object> data = new LinkedHashMap<>(data());
        if (value == null) {
            data.remove(field);
        } else {
            data.put(field, value);
        }
        return with(intent, intended, "data", data);
    }

    public String eventId() {
        return (String) envelope.get("eventId");
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> data() {
        Object d = envelope.get("data");
        return d == null ? Map.of() : (Map<String, Object>) d;
    }

    public Long expectedVersion() {
        Object v = envelope.get("expectedVersion");
        return v == null ? null : ((Number) v).longValue();
    }

    /** What the service hashes to tell a re-post from a reuse of the eventId. */
    String contentKey() {
        Map<String, Object> content = new TreeMap<>(envelope);
        content.remove("eventId");
        content.remove("projectId");
        return projectId + "|" + Json.write(Json.CANONICAL, content);
    }

    /** The body to post: the envelope alone, or as a batch item with its projectId (unless left out on purpose). */
    String json() {
        if (!batch) {
            return Json.write(Json.JSON, envelope);
        }
        Map<String, Object> item = new LinkedHashMap<>();
        if (!omitProjectId) {
            item.put("projectId", projectId);
        }
        item.putAll(envelope);
        return Json.write(Json.JSON, item);
    }

    @Override
    public String toString() {
        return intent + " " + type + " on " + projectId + " " + Json.write(Json.JSON, envelope);
    }
}
