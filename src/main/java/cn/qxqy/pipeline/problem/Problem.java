package cn.qxqy.pipeline.problem;

import cn.qxqy.pipeline.domain.Decision;
import cn.qxqy.pipeline.domain.FieldViolation;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * An RFC 7807 problem detail, with {@code errors} naming each bad field.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, List<FieldViolation> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public Problem {
        errors = errors == null ? List.of() : List.copyOf(errors);
    }

    public static Problem of(int status, String title, String detail) {
        return new Problem(null, title, status, detail, List.of());
    }

    /** The HTTP answer to the stage machine's refusal. */
    public static Problem rejected(Decision.Rejected rejected) {
        return switch (rejected.kind()) {
            case INVALID_FIELD -> invalid(rejected.detail(), rejected.violations());
            case UNKNOWN_PROJECT -> new Problem(null, "Unknown project", 404, rejected.detail(), rejected.violations());
            case ILLEGAL_TRANSITION -> new Problem(null, "Illegal transition", 409, rejected.detail(), rejected.violations());
        };
    }

    public static Problem invalid(String detail, List<FieldViolation> errors) {
        return new Problem(null, "Invalid event", 400, detail, errors);
    }

    /** RFC 7807: an absent type means about:blank, where the title is the status's own phrase. */
    @Override
    public String type() {
        return type == null ? "about:blank" : type;
    }

    public ProblemException exception() {
        return new ProblemException(this);
    }
}
