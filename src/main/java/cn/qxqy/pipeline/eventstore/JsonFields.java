package cn.qxqy.pipeline.eventstore;

import cn.qxqy.pipeline.domain.FieldViolation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Reads typed fields of one JSON object and collects a violation, named by its path, for each field of
 * the wrong type. An absent or null field reads as null: whether it is required is the domain's rule.
 */
public final class JsonFields {

    private final JsonNode node;
    private final String prefix;
    private final List<FieldViolation> violations;

    /** The mapper for what clients send: exact decimals, and no silent pick between duplicate keys or past trailing garbage. */
    public static ObjectMapper strict(ObjectMapper mapper) {
        return mapper.copy()
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    }

    public JsonFields(JsonNode node, String prefix, List<FieldViolation> violations) {
        this.node = node;
        this.prefix = prefix;
        this.violations = violations;
    }

    public boolean has(String field) {
        return node.hasNonNull(field);
    }

    /** Refuses every field not in {@code allowed}, so that a misspelt field is not silently dropped. */
    public void allowOnly(Set<String> allowed) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                violate(name, "unknown field");
            }
        }
    }

    public String text(String field) {
        JsonNode value = value(field);
        if (value == null) {
            return null;
        }
        if (!value.isTextual()) {
            return violate(field, "must be a string");
        }
        return value.textValue();
    }

    /** An amount in 万元, as a JSON number or a numeric string; normalised to 2 fraction digits when it has at most 2. */
    public BigDecimal amount(String field) {
        JsonNode value = value(field);
        if (value == null) {
            return null;
        }
        BigDecimal amount;
        if (value.isNumber()) {
            amount = value.decimalValue();
        } else if (value.isTextual()) {
            try {
                amount = new BigDecimal(value.textValue().trim());
            } catch (NumberFormatException e) {
                return violate(field, "must be a decimal number");
            }
        } else {
            return violate(field, "must be a decimal number");
        }
        return normalise(amount);
    }

    public Long integer(String field) {
        JsonNode value = value(field);
        if (value == null) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            return violate(field, "must be an integer");
        }
        return value.longValue();
    }

    public LocalDate date(String field) {
        String text = text(field);
        if (text == null) {
            return null;
        }
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            return violate(field, "must be an ISO date (YYYY-MM-DD)");
        }
    }

    public YearMonth yearMonth(String field) {
        String text = text(field);
        if (text == null) {
            return null;
        }
        try {
            return YearMonth.parse(text);
        } catch (DateTimeParseException e) {
            return violate(field, "must be a month (YYYY-MM)");
        }
    }

    public UUID uuid(String field) {
        String text = text(field);
        if (text == null) {
            return null;
        }
        try {
            UUID uuid = UUID.fromString(text);
            // UUID.fromString accepts abbreviated forms; only the canonical one identifies an event.
            return uuid.toString().equalsIgnoreCase(text) ? uuid : violate(field, "must be a UUID");
        } catch (IllegalArgumentException e) {
            return violate(field, "must be a UUID");
        }
    }

    public List<String> textList(String field) {
        JsonNode value = value(field);
        if (value == null) {
            return null;
        }
        if (!value.isArray()) {
            return violate(field, "must be an array of strings");
        }
        List<String> texts = new ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isTextual()) {
                return violate(field, "must be an array of strings");
            }
            texts.add(item.textValue());
        }
        return texts;
    }

    static BigDecimal normalise(BigDecimal amount) {
        BigDecimal stripped = amount.stripTrailingZeros();
        return stripped.scale() <= 2 ? stripped.setScale(2) : stripped;
    }

    private JsonNode value(String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value;
    }

    private <T> T violate(String field, String message) {
        violations.add(new FieldViolation(prefix + field, message));
        return null;
    }
}
