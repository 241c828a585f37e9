package cn.qxqy.pipeline.problem;

import cn.qxqy.pipeline.domain.Language;
import cn.qxqy.pipeline.domain.Wording;

import java.util.Locale;

/**
 * Every kind of problem a client can get, with its status; its title is the catalogue's {@code title.<slug>}. Its
 * {@code type} is a relative URI such as {@code /problems/version-conflict}: clients and the refusal metric key on it,
 * not on the words of the title, which depend on the reader's language.
 */
public enum ProblemType {
    INVALID_EVENT(400),
    INVALID_QUERY(400),
    INVALID_REQUEST(400),
    UNAUTHORIZED(401),
    FORBIDDEN(403),
    REQUEST_TIMEOUT(408),
    REGION_NOT_HELD(403),
    RESERVED_BY_ANOTHER_DEPARTMENT(403),
    TOO_MANY_EVENTS(429),
    UNKNOWN_PROJECT(404),
    UNKNOWN_CAMPAIGN(404),
    UNKNOWN_REPORT(404),
    UNKNOWN_REFERENCE_LIST(404),
    ILLEGAL_TRANSITION(409),
    VERSION_CONFLICT(409),
    EVENT_ID_REUSED(409),
    PROJECT_CODE_IN_USE(409),
    REBUILD_RUNNING(409),
    NO_RECOVERY_PENDING(409),
    REPUBLISH_RUNNING(409),
    EVENT_TOO_LARGE(413),
    BATCH_TOO_LARGE(413),
    BODY_TOO_LARGE(413),
    INTERNAL_ERROR(500),
    NOT_YET_PROJECTED(503),
    DATABASE_UNAVAILABLE(503),
    KAFKA_UNAVAILABLE(503),
    SERVER_BUSY(503),
    RECOVERY_PENDING(503),
    PROJECTOR_BEHIND(503),
    UNKNOWN_FOLLOW_UP(404),
    FOLLOW_UP_NOT_OPEN(409);

    private final int status;

    ProblemType(int status) {
        this.status = status;
    }

    public int status() {
        return status;
    }

    /** The title in English. */
    public String title() {
        return title(Language.ENGLISH);
    }

    public String title(Language language) {
        return Wording.of("title." + slug()).in(language);
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
