package cn.qxqy.pipeline.ingest;

import cn.qxqy.pipeline.domain.EventTypes;
import cn.qxqy.pipeline.domain.FieldViolation;
import cn.qxqy.pipeline.domain.ProjectEvent;
import cn.qxqy.pipeline.domain.ProjectIds;
import cn.qxqy.pipeline.domain.Wording;
import cn.qxqy.pipeline.eventstore.Author;
import cn.qxqy.pipeline.eventstore.NewEvent;
import cn.qxqy.pipeline.problem.Problem;
import cn.qxqy.pipeline.wire.EventData;
import cn.qxqy.pipeline.wire.JsonFields;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Reads the envelope a department posts: eventId, type, occurredOn, optional expectedVersion, data. */
final class Envelope {


    private static final Set<String> FIELDS = Set.of("eventId", "type", "occurredOn", "expectedVersion", "data");

    private Envelope() {
    }

    /**
     * The event in {@code json}, for {@code projectId} when the URL names it, else for the envelope's own
     * {@code projectId} (batch items).
     *
     * @throws cn.qxqy.pipeline.problem.ProblemException 400 listing every malformed field
     */
    static NewEvent read(JsonNode json, String projectIdFromPath, Author author) {
        List<FieldViolation> violations = new ArrayList<>();
        if (json == null || !json.isObject()) {
            throw Problem.invalid(Wording.of("event.not-object"), List.of()).exception();
        }
        JsonFields f = new JsonFields(json, "", violations);
        Set<String> allowed = new HashSet<>(FIELDS);
        allowed.add("projectId");
        f.allowOnly(allowed);
        String projectId = f.text("projectId");
        if (projectIdFromPath != null) {
            if (projectId != null && !projectId.equals(projectIdFromPath)) {
                violations.add(FieldViolation.of("projectId", "event.project-differs"));
            }
            projectId = projectIdFromPath;
        }
        if (projectId == null) {
            violations.add(FieldViolation.of("projectId", "field.required"));
        } else if (!ProjectIds.isProjectId(projectId)) {
            violations.add(FieldViolation.of("projectId", "project-id.pattern", ProjectIds.PATTERN.pattern()));
        }
        UUID eventId = f.uuid("eventId");
        if (eventId == null && !f.has("eventId")) {
            violations.add(FieldViolation.of("eventId", "field.required"));
        }
        Long expectedVersion = f.integer("expectedVersion");
        if (expectedVersion != null && expectedVersion < 0) {
            violations.add(FieldViolation.of("expectedVersion", "field.not-negative"));
        }
        LocalDate occurredOn = f.date("occurredOn");
        String type = f.text("type");
        ProjectEvent event = null;
        if (type == null) {
            if (!f.has("type")) {
                violations.add(FieldViolation.of("type", "field.required"));
            }
        } else if (EventTypes.named(type).isEmpty()) {
            violations.add(FieldViolation.of("type", "event.unknown-type", EventTypes.NAMES));
        } else {
            event = EventData.read(EventTypes.named(type).get(), occurredOn, json.get("data"), violations);
        }
        if (!violations.isEmpty()) {
            throw Problem.invalid(Wording.of("event.malformed"), violations).exception();
        }
        return new NewEvent(projectId, eventId, expectedVersion, author, event,
                hash(projectId, expectedVersion, event));
    }

    /** Digest of the event as read, so that a re-post differing only in key order or number format is the same event. */
    private static String hash(String projectId, Long expectedVersion, ProjectEvent event) {
        ObjectNode canonical = JsonNodeFactory.instance.objectNode();
        canonical.put("projectId", projectId);
        canonical.put("expectedVersion", expectedVersion);
        canonical.put("type", event.type());
        canonical.put("occurredOn", String.valueOf(event.occurredOn()));
        canonical.set("data", EventData.write(event));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
