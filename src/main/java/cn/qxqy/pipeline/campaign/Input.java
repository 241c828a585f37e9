package cn.qxqy.pipeline.campaign;

import cn.qxqy.pipeline.domain.FieldViolation;
import cn.qxqy.pipeline.domain.Text;
import cn.qxqy.pipeline.domain.Wording;
import cn.qxqy.pipeline.problem.Problem;
import cn.qxqy.pipeline.problem.ProblemType;
import cn.qxqy.pipeline.wire.JsonFields;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.List;

/**
 * Checks shared by the campaign's definitions, targets, county shares and settings, on top of the type checks of
 * {@link JsonFields}.
 */
final class Input {

    static final int MAX_NAME_LENGTH = 200;

    private Input() {
    }

    /**
     * A required, non-blank text of at most {@code maxLength} characters (code points, so Chinese counts per character);
     * blank as {@link Text#isBlank} has it, so that a name of zero-width spaces is blank too.
     */
    static String requiredText(JsonFields f, String prefix, String field, int maxLength, List<FieldViolation> violations) {
        String value = f.text(field);
        if (value == null) {
            required(f, prefix, field, violations);
        } else if (Text.isBlank(value)) {
            violations.add(FieldViolation.of(prefix + field, "field.blank"));
        } else if (value.codePointCount(0, value.length()) > maxLength) {
            violations.add(FieldViolation.of(prefix + field, "field.max-length", maxLength));
        }
        return value;
    }

    /** The request's body, a JSON object; a 400 when it is no JSON or no object. */
    static JsonNode parseObject(ObjectMapper strict, String body) {
        try {
            JsonNode json = strict.readTree(body);
            if (json == null || !json.isObject()) {
                throw invalid(Wording.of("body.not-object"), List.of());
            }
            return json;
        } catch (JsonProcessingException e) {
            throw invalid(Wording.of("body.not-json", e.getOriginalMessage()), List.of());
        }
    }

    /** A 400 naming each invalid field. */
    static RuntimeException invalid(Wording detail, List<FieldViolation> violations) {
        return Problem.of(ProblemType.INVALID_REQUEST, detail, violations).exception();
    }

    /** Adds "is required" unless the field is there with a wrong type, which {@link JsonFields} reported already. */
    static void required(JsonFields f, String prefix, String field, List<FieldViolation> violations) {
        if (!f.has(field)) {
            violations.add(FieldViolation.of(prefix + field, "field.required"));
        }
    }
}
