package cn.qxqy.pipeline.problem;

import java.util.Locale;

/**
 * Every kind of problem a client can get, with its status and title. Its {@code type} is a relative URI such as
 * {@code /problems/version-conflict}: clients and the refusal metric key on it, not on the words of the title.
 */
public enum ProblemType {
    INVALID_EVENT(400, "Invalid event"),
    INVALID_QUERY(400, "Invalid query"),
    INVALID_REQUEST(400, "Invalid request"),
    UNAUTHORIZED(401, "Unauthorized"),
    FORBIDDEN(403, "Forbidden"),
    REQUEST_TIMEOUT(408, "Request timeout"),
    REGION_NOT_HELD(403, "Region not held"),
    RESERVED_BY_ANOTHER_DEPARTMENT(403, "Reserved by another department"),
    TOO_MANY_EVENTS(429, "Too many events"),
    UNKNOWN_PROJECT(404, "Unknown project"),
    UNKNOWN_CAMPAIGN(404, "Unknown campaign"),
    UNKNOWN_REFERENCE_LIST(404, "Unknown reference list"),
    ILLEGAL_TRANSITION(409, "Illegal transition"),
    VERSION_CONFLICT(409, "Version conflict"),
    EVENT_ID_REUSED(409, "Event id reused"),
    PROJECT_CODE_IN_USE(409, "Project code in use"),
    REBUILD_RUNNING(409, "Rebuild running"),
    NO_RECOVERY_PENDING(409, "No recovery pending"),
    REPUBLISH_RUNNING(409, "Republish running"),
    EVENT_TOO_LARGE(413, "Event too large"),
    BATCH_TOO_LARGE(413, "Batch too large"),
    BODY_TOO_LARGE(413, "Body too large"),
    INTERNAL_ERROR(500, "Internal error"),
    NOT_YET_PROJECTED(503, "Not yet projected"),
    DATABASE_UNAVAILABLE(503, "Database unavailable"),
    KAFKA_UNAVAILABLE(503, "Kafka unavailable"),
    SERVER_BUSY(503, "Server busy"),
    RECOVERY_PENDING(503, "Recovery pending");

    private final int status;
    private final String title;

    ProblemType(int status, String title) {
        this.status = status;
        this.title = title;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** e.g. {@code version-conflict} */
    public String slug() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** e.g. {@code /problems/version-conflict} */
    public String uri() {
        return "/problems/" + slug();
    }
}
