package cn.qxqy.pipeline.campaign;

import cn.qxqy.pipeline.domain.FieldViolation;
import cn.qxqy.pipeline.domain.Stage;
import cn.qxqy.pipeline.reference.Measure;
import cn.qxqy.pipeline.wire.JsonFields;
import com.fasterxml.jackson.databind.JsonNode;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One target of a campaign, as an administrator defines it and {@code GET /api/v1/campaigns/{id}} shows it: it
 * counts the active projects (or sums their annual planned investment) that are in any of {@code categories}
 * (every project when empty) and have reached {@code reachedStage} (any stage when null).
 *
 * @param target a whole number of projects, or 万元 with at most 2 fraction digits
 */
@Schema(name = "Target", description = "A target of a campaign: what counts towards it and its goal")
public record TargetDefinition(String code, String nameZh, String nameEn, Measure measure, List<String> categories,
                               @Schema(enumeration = {"SIGNED", "STARTED", "COMPLETED"}, nullable = true)
                               Stage reachedStage,
                               BigDecimal target) {

    /** The stages a target may ask projects to have reached. */
    static final List<Stage> MILESTONES = List.of(Stage.SIGNED, Stage.STARTED, Stage.COMPLETED);
    static final int MAX_TARGETS = 100;

    private static final Pattern CODE = Pattern.compile("^[a-z0-9][a-z0-9-]{0,63}$");
    private static final Set<String> FIELDS = Set.of("code", "nameZh", "nameEn", "measure", "categories",
            "reachedStage", "target");
    /** The largest amount a numeric(14,2) column of the read models holds. */
    private static final BigDecimal MAX_TARGET = new BigDecimal("999999999999.99");

    /**
     * The targets of {@code {"targets": [...]}}, in order, with {@code violations} naming each bad field; null when
     * {@code targets} is no list, and a null item where it is no object.
     */
    static List<TargetDefinition> readAll(JsonNode json, List<FieldViolation> violations) {
        new JsonFields(json, "", violations).allowOnly(Set.of("targets"));
        JsonNode items = json.get("targets");
        if (items == null || !items.isArray()) {
            violations.add(FieldViolation.of("targets", items == null || items.isNull() ? "field.required"
                    : "targets.not-array"));
            return null;
        }
        if (items.size() > MAX_TARGETS) {
            violations.add(FieldViolation.of("targets", "targets.too-many", MAX_TARGETS));
            return null;
        }
        List<TargetDefinition> targets = new ArrayList<>(items.size());
        Map<String, Integer> codes = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            String prefix = "targets[" + i + "].";
            TargetDefinition target = read(items.get(i), prefix, violations);
            targets.add(target);
            if (target != null && target.code() != null) {
                Integer first = codes.putIfAbsent(target.code(), i);
                if (first != null) {
                    violations.add(FieldViolation.of(prefix + "code", "targets.duplicate-code", first));
                }
            }
        }
        return targets;
    }

    private static TargetDefinition read(JsonNode json, String prefix, List<FieldViolation> violations) {
        if (!json.isObject()) {
            violations.add(FieldViolation.of(prefix.substring(0, prefix.length() - 1), "json.object"));
            return null;
        }
        JsonFields f = new JsonFields(json, prefix, violations);
        f.allowOnly(FIELDS);
        String code = f.text("code");
        if (code == null) {
            Input.required(f, prefix, "code", violations);
        } else if (!CODE.matcher(code).matches()) {
            violations.add(FieldViolation.of(prefix + "code", "field.pattern", CODE.pattern()));
            code = null;
        }
        String nameZh = Input.requiredText(f, prefix, "nameZh", Input.MAX_NAME_LENGTH, violations);
        String nameEn = Input.requiredText(f, prefix, "nameEn", Input.MAX_NAME_LENGTH, violations);
        String measureName = f.text("measure");
        Measure measure = Measure.of(measureName);
        if (measureName == null) {
            Input.required(f, prefix, "measure", violations);
        } else if (measure == null) {
            violations.add(FieldViolation.of(prefix + "measure", "field.one-of", Measure.WIRE_NAMES));
        }
        List<String> categories = f.textList("categories");
        if (categories != null) {
            Set<String> seen = new HashSet<>();
            for (int j = 0; j < categories.size(); j++) {
                if (!seen.add(categories.get(j))) {
                    violations.add(FieldViolation.of(prefix + "categories[" + j + "]", "targets.listed-twice"));
                }
            }
        }
        String stageName = f.text("reachedStage");
        Stage reachedStage = MILESTONES.stream().filter(s -> s.name().equals(stageName)).findFirst().orElse(null);
        if (stageName != null && reachedStage == null) {
            violations.add(FieldViolation.of(prefix + "reachedStage", "field.one-of-or-null", MILESTONES));
        }
        BigDecimal target = f.amount("target");
        if (target == null) {
            Input.required(f, prefix, "target", violations);
        } else {
            target = amountOf(measure, target, prefix + "target", violations);
        }
        return new TargetDefinition(code, nameZh == null ? null : nameZh.strip(), nameEn == null ? null : nameEn.strip(),
                measure, categories == null ? List.of() : List.copyOf(categories), reachedStage, target);
    }

    /**
     * An amount of the measure, a target or a county's share of one, as {@link JsonFields#amount} read it: more than 0,
     * a whole number of projects (shown as one: 100, not 100.00) or 万元 with at most 2 fraction digits; with a
     * violation of {@code field} when it is not, and then as given.
     */
    static BigDecimal amountOf(Measure measure, BigDecimal amount, String field, List<FieldViolation> violations) {
        if (amount.signum() <= 0 || amount.compareTo(MAX_TARGET) > 0) {
            violations.add(FieldViolation.of(field, "targets.range", MAX_TARGET));
        } else if (amount.scale() > 2) {
            violations.add(FieldViolation.of(field, "targets.fraction-digits"));
        } else if (measure == Measure.PROJECTS) {
            if (amount.stripTrailingZeros().scale() > 0) {
                violations.add(FieldViolation.of(field, "targets.whole-projects"));
            } else {
                return amount.setScale(0, RoundingMode.UNNECESSARY);
            }
        }
        return amount;
    }
}
