package cn.qxqy.pipeline.reference;

import com.fasterxml.jackson.annotation.JsonValue;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

import java.util.Arrays;
import java.util.List;

/** What a target measures: how many projects (项目数), or the sum of their annual planned investment (万元). */
public enum Measure {
    PROJECTS("projects"),
    ANNUAL_PLANNED_INVESTMENT("annualPlannedInvestment");

    /** The name on the wire and in {@code campaign_targets.measure}. */
    private final String wireName;

    Measure(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    public static final List<String> WIRE_NAMES = Arrays.stream(values()).map(Measure::wireName).toList();

    /** The measure named {@code wireName}, or null. */
    public static Measure of(String wireName) {
        return Arrays.stream(values()).filter(m -> m.wireName.equals(wireName)).findFirst().orElse(null);
    }

    /** Stores the wire name, which the table's check constraint lists. */
    @Converter(autoApply = true)
    public static class Column implements AttributeConverter<Measure, String> {

        @Override
        public String convertToDatabaseColumn(Measure measure) {
            return measure == null ? null : measure.wireName;
        }

        @Override
        public Measure convertToEntityAttribute(String wireName) {
            return wireName == null ? null : of(wireName);
        }
    }
}
