package cn.qxqy.pipeline.problem;

import cn.qxqy.pipeline.domain.Decision;
import cn.qxqy.pipeline.domain.FieldViolation;
import cn.qxqy.pipeline.domain.Writer;
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

    public static Problem of(ProblemType type, String detail) {
        return of(type, detail, List.of());
    }

    public static Problem of(ProblemType type, String detail, List<FieldViolation> errors) {
        return new Problem(type.uri(), type.title(), type.status(), detail, errors);
    }

    /** A plain HTTP status (a route that does not exist, a method not allowed): its phrase is the title. */
    public static Problem ofStatus(int status, String title, String detail) {
        return new Problem(null, title, status, detail, List.of());
    }

    /** The HTTP answer to the stage machine's refusal. */
    public static Problem rejected(Decision.Rejected rejected) {
        return switch (rejected.kind()) {
            case INVALID_FIELD -> invalid(rejected.detail(), rejected.violations());
            case UNKNOWN_PROJECT -> of(ProblemType.UNKNOWN_PROJECT, rejected.detail(), rejected.violations());
            case ILLEGAL_TRANSITION -> of(ProblemType.ILLEGAL_TRANSITION, rejected.detail(), rejected.violations());
        };
    }

    /** The HTTP answer to a department writing where it may not; the message names the region. */
    public static Problem denied(Writer.Denial denial) {
        ProblemType type = switch (denial.refusal()) {
            case REGION_NOT_HELD -> ProblemType.REGION_NOT_HELD;
            case RESERVED_BY_ANOTHER -> ProblemType.RESERVED_BY_ANOTHER_DEPARTMENT;
        };
        return of(type, denial.message(), List.of(new FieldViolation(denial.field(), denial.message())));
    }

    public static Problem invalid(String detail, List<FieldViolation> errors) {
        return of(ProblemType.INVALID_EVENT, detail, errors);
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
