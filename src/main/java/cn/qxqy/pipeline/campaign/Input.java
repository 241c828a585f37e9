package cn.qxqy.pipeline.campaign;

import cn.qxqy.pipeline.domain.FieldViolation;
import cn.qxqy.pipeline.domain.Text;
import cn.qxqy.pipeline.wire.JsonFields;

import java.util.List;

/** Checks shared by the campaign and target definitions, on top of the type checks of {@link JsonFields}. */
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

    /** Adds "is required" unless the field is there with a wrong type, which {@link JsonFields} reported already. */
    static void required(JsonFields f, String prefix, String field, List<FieldViolation> violations) {
        if (!f.has(field)) {
            violations.add(FieldViolation.of(prefix + field, "field.required"));
        }
    }
}
