package cn.qxqy.pipeline.problem;

import cn.qxqy.pipeline.domain.Decision;
import cn.qxqy.pipeline.domain.FieldViolation;
import cn.qxqy.pipeline.domain.Language;
import cn.qxqy.pipeline.domain.Wording;
import cn.qxqy.pipeline.domain.Writer;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Arrays;
import java.util.List;

/**
 * An RFC 7807 problem detail, with {@code errors} naming each bad field. It is made in English; {@code wording}, the
 * detail as the catalogue's key and arguments, stays on the server and lets the edge answer in the reader's language
 * ({@link #in}). A problem made from text alone (or read back from a dead letter) is shown as it is.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, List<FieldViolation> errors,
                      @JsonIgnore Wording wording) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public Problem {
        errors = errors == null ? List.of() : List.copyOf(errors);
    }

    public Problem(String type, String title, int status, String detail, List<FieldViolation> errors) {
        this(type, title, status, detail, errors, null);
    }

    public static Problem of(ProblemType type, String detail) {
        return of(type, detail, List.of());
    }

    public static Problem of(ProblemType type, String detail, List<FieldViolation> errors) {
        return new Problem(type.uri(), type.title(), type.status(), detail, errors);
    }

    public static Problem of(ProblemType type, Wording detail) {
        return of(type, detail, List.of());
    }

    public static Problem of(ProblemType type, Wording detail, List<FieldViolation> errors) {
        return new Problem(type.uri(), type.title(), type.status(), detail.english(), errors, detail);
    }

    /** A plain HTTP status (a route that does not exist, a method not allowed): its phrase is the title. */
    public static Problem ofStatus(int status, String title, Wording detail) {
        return new Problem(null, title, status, detail.english(), List.of(), detail);
    }

    /** The HTTP answer to the stage machine's refusal. */
    public static Problem rejected(Decision.Rejected rejected) {
        return switch (rejected.kind()) {
            case INVALID_FIELD -> invalid(rejected.reason(), rejected.violations());
            case UNKNOWN_PROJECT -> of(ProblemType.UNKNOWN_PROJECT, rejected.reason(), rejected.violations());
            case ILLEGAL_TRANSITION -> of(ProblemType.ILLEGAL_TRANSITION, rejected.reason(), rejected.violations());
        };
    }

    /** The HTTP answer to a department writing where it may not; the message names the region. */
    public static Problem denied(Writer.Denial denial) {
        ProblemType type = switch (denial.refusal()) {
            case REGION_NOT_HELD -> ProblemType.REGION_NOT_HELD;
            case RESERVED_BY_ANOTHER -> ProblemType.RESERVED_BY_ANOTHER_DEPARTMENT;
        };
        return of(type, denial.reason(), List.of(FieldViolation.of(denial.field(), denial.reason())));
    }

    public static Problem invalid(String detail, List<FieldViolation> errors) {
        return of(ProblemType.INVALID_EVENT, detail, errors);
    }

    public static Problem invalid(Wording detail, List<FieldViolation> errors) {
        return of(ProblemType.INVALID_EVENT, detail, errors);
    }

    /**
     * The same problem with {@code detail} as its English, where its source words it better than the catalogue can
     * (the store names the project's version; JAX-RS says what did not match); other languages keep the wording.
     */
    public Problem withEnglishDetail(String detail) {
        return new Problem(type, title, status, detail, errors, wording);
    }

    /** RFC 7807: an absent type means about:blank, where the title is the status's own phrase. */
    @Override
    public String type() {
        return type == null ? "about:blank" : type;
    }

    /**
     * The problem as a reader of {@code language} gets it: title, detail and each field's message in that language
     * where the catalogue words them; its type, status and field names as they are.
     */
    public Problem in(Language language) {
        if (language == Language.ENGLISH) {
            return this; // made in English
        }
        return new Problem(type, titleIn(language), status, wording == null ? detail : wording.in(language),
                errors.stream().map(error -> error.in(language)).toList(), wording);
    }

    private String titleIn(Language language) {
        if (type == null) {
            String phrase = "status." + status;
            return Wording.known(phrase) ? Wording.of(phrase).in(language) : title;
        }
        return Arrays.stream(ProblemType.values()).filter(known -> known.uri().equals(type)).findFirst()
                .map(known -> known.title(language)).orElse(title);
    }

    public ProblemException exception() {
        return new ProblemException(this);
    }
}
