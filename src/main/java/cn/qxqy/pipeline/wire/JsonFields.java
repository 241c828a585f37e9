package cn.qxqy.pipeline.wire;

import cn.qxqy.pipeline.domain.FieldViolation;
import cn.qxqy.pipeline.domain.Text;
import cn.qxqy.pipeline.domain.Wording;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
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
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Reads typed fields of one JSON object and collects a violation, named by its path, for each field of
 * the wrong type. An absent or null field reads as null: whether it is required is the domain's rule.
 *
 * <p>What no field may carry is refused here, for every reader (the REST and Kafka intakes, campaign admin): a string
 * with a character {@link Text#forbidden} names, a list of more than {@value #MAX_LIST_ITEMS} items, a date outside
 * the years 0000–9999 written other than YYYY-MM-DD, and an amount whose size alone would make arithmetic costly (see
 * {@link #amount}).
 */
public final class JsonFields {

    /** Significant digits an amount may have: a numeric(14,2) holds 14, so this leaves room for trailing zeros. */
    public static final int MAX_AMOUNT_DIGITS = 32;
    /**
     * The largest decimal exponent of an amount in scientific notation, either way: 1e32 and 1e-32 are read, 1e33 is
     * not. The domain refuses anything from 1e12 on, or with more than 2 fraction digits; this bound only keeps the
     * numbers small enough that reading them costs nothing.
     */
    public static final int MAX_AMOUNT_EXPONENT = 32;
    /** Characters of a number token in the JSON text (Jackson refuses longer ones before converting them). */
    public static final int MAX_NUMBER_LENGTH = 100;
    public static final int MAX_LIST_ITEMS = 100;
    /** Unknown fields of one object named in its violations; the rest are counted. */
    public static final int MAX_UNKNOWN_NAMED = 20;

    /** An amount given as text: a JSON number's form, nothing around it. */
    public static final Pattern DECIMAL = Pattern.compile("-?[0-9]+(\\.[0-9]+)?([eE][+-]?[0-9]{1,9})?");
    private static final Pattern DATE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");
    private static final Pattern MONTH = Pattern.compile("[0-9]{4}-[0-9]{2}");
    /** Characters of a misspelt field name echoed in its violation. */
    private static final int MAX_NAME_SHOWN = 64;

    private final JsonNode node;
    private final String prefix;
    private final List<FieldViolation> violations;

    /**
     * The mapper for what clients send: exact decimals, and no silent pick between duplicate keys or past trailing
     * garbage. Its parser refuses, before building anything, a number token of more than {@value #MAX_NUMBER_LENGTH}
     * characters (so that Jackson never converts a long run of digits), nesting deeper than 32 and field names longer
     * than 256 characters: no request of the API comes near those. A number whose exponent no BigDecimal holds
     * ({@code 1e9999999999}) fails its {@code readTree} as malformed JSON, not with the NumberFormatException Jackson
     * lets through.
     */
    public static ObjectMapper strict(ObjectMapper mapper) {
        ObjectMapper strict = new StrictMapper(mapper)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        // The copy has a factory of its own: the application's mapper keeps its own, looser limits (problem.StrictJson).
        strict.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNumberLength(MAX_NUMBER_LENGTH)
                .maxNestingDepth(32)
                .maxNameLength(256)
                .build());
        return strict;
    }

    /** Reads as its source mapper does, with the failure of a number out of BigDecimal's range as malformed JSON. */
    private static final class StrictMapper extends ObjectMapper {

        StrictMapper(ObjectMapper source) {
            super(source); // copies the factory too
        }

        @Override
        public JsonNode readTree(String content) throws JsonProcessingException {
            try {
                return super.readTree(content);
            } catch (NumberFormatException | ArithmeticException e) {
                throw new JsonParseException(null, "a number is out of range: " + e.getMessage());
            }
        }

        @Override
        public ObjectMapper copy() {
            return new StrictMapper(this);
        }
    }

    public JsonFields(JsonNode node, String prefix, List<FieldViolation> violations) {
        this.node = node;
        this.prefix = prefix;
        this.violations = violations;
    }

    public boolean has(String field) {
        return node.hasNonNull(field);
    }

    /**
     * Refuses every field not in {@code allowed}, so that a misspelt field is not silently dropped. The first
     * {@value #MAX_UNKNOWN_NAMED} are named, the others counted in one more violation: an object of 25,000 unknown
     * fields would otherwise make a problem larger than the request, too large for an answer or a dead letter.
     */
    public void allowOnly(Set<String> allowed) {
        int unknown = 0;
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name) && ++unknown <= MAX_UNKNOWN_NAMED) {
                violate(Text.printable(name, MAX_NAME_SHOWN), Wording.of("json.unknown-field"));
            }
        }
        if (unknown > MAX_UNKNOWN_NAMED) {
            violate("…", Wording.of("json.more-unknown-fields", String.format(Locale.ROOT, "%,d", unknown - MAX_UNKNOWN_NAMED)));
        }
    }

    public String text(String field) {
        JsonNode value = value(field);
        if (value == null) {
            return null;
        }
        if (!value.isTextual()) {
            return violate(field, Wording.of("json.string"));
        }
        Wording forbidden = Text.whyForbidden(value.textValue());
        return forbidden == null ? value.textValue() : violate(field, forbidden);
    }

    /**
     * An amount in 万元, as a JSON number or a numeric string; normalised to 2 fraction digits when it has at most 2.
     *
     * <p>Its size is bounded before any arithmetic: at most {@value #MAX_AMOUNT_DIGITS} significant digits and a
     * decimal exponent from -{@value #MAX_AMOUNT_EXPONENT} to {@value #MAX_AMOUNT_EXPONENT}. A JSON number reaches
     * this method as Jackson parsed it, which costs nothing whatever its exponent ({@code 1e150000} is the digit 1 and
     * the scale -150000) and is refused by the parser beyond {@value #MAX_NUMBER_LENGTH} characters; a string is
     * matched against a JSON number's form first (no padding, ASCII digits only) and then converted, in time linear in
     * its bounded length. Only the number's precision and scale are looked at until it passes: normalising
     * {@code 1e150000} to 2 fraction digits alone would build a 150,000-digit integer, and every comparison or digit
     * count after that costs the square of it, seconds on an event loop.
     */
    public BigDecimal amount(String field) {
        JsonNode value = value(field);
        if (value == null) {
            return null;
        }
        BigDecimal amount;
        if (value.isNumber()) {
            amount = value.decimalValue();
        } else if (value.isTextual()) {
            String text = value.textValue();
            if (text.length() > MAX_NUMBER_LENGTH || !DECIMAL.matcher(text).matches()) {
                return violate(field, Wording.of("json.decimal-text"));
            }
            try {
                amount = new BigDecimal(text);
            } catch (NumberFormatException e) {
                return violate(field, Wording.of("json.decimal"));
            }
        } else {
            return violate(field, Wording.of("json.decimal"));
        }
        Wording outOfBounds = outOfBounds(amount);
        return outOfBounds == null ? normalise(amount) : violate(field, outOfBounds);
    }

    /**
     * Why the amount is too large to read, or null: looks at its precision and scale only, no arithmetic (the digits
     * of an unscaled value Jackson or the string check let through are at most {@value #MAX_NUMBER_LENGTH}).
     */
    static Wording outOfBounds(BigDecimal amount) {
        int digits = amount.precision();
        if (digits > MAX_AMOUNT_DIGITS) {
            return Wording.of("json.significant-digits", MAX_AMOUNT_DIGITS);
        }
        // The exponent of its scientific notation: 1e150000 -> 150000, 12.5 -> 1, 0.05 -> -2.
        long exponent = (long) digits - amount.scale() - 1;
        if (exponent > MAX_AMOUNT_EXPONENT || exponent < -MAX_AMOUNT_EXPONENT) {
            return Wording.of("json.exponent", MAX_AMOUNT_EXPONENT, MAX_AMOUNT_EXPONENT + 1);
        }
        return null;
    }

    public Long integer(String field) {
        JsonNode value = value(field);
        if (value == null) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            return violate(field, Wording.of("json.integer"));
        }
        return value.longValue();
    }

    public LocalDate date(String field) {
        String text = text(field);
        if (text == null) {
            return null;
        }
        try {
            // LocalDate.parse also takes signed years of any length (-999999999-01-01), which no column holds.
            if (DATE.matcher(text).matches()) {
                return LocalDate.parse(text);
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        return violate(field, Wording.of("json.date"));
    }

    public YearMonth yearMonth(String field) {
        String text = text(field);
        if (text == null) {
            return null;
        }
        try {
            if (MONTH.matcher(text).matches()) {
                return YearMonth.parse(text);
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        return violate(field, Wording.of("json.month"));
    }

    public UUID uuid(String field) {
        String text = text(field);
        if (text == null) {
            return null;
        }
        try {
            UUID uuid = UUID.fromString(text);
            // UUID.fromString accepts abbreviated forms; only the canonical one identifies an event.
            return uuid.toString().equalsIgnoreCase(text) ? uuid : violate(field, Wording.of("json.uuid"));
        } catch (IllegalArgumentException e) {
            return violate(field, Wording.of("json.uuid"));
        }
    }

    public List<String> textList(String field) {
        JsonNode value = value(field);
        if (value == null) {
            return null;
        }
        if (!value.isArray()) {
            return violate(field, Wording.of("json.strings"));
        }
        if (value.size() > MAX_LIST_ITEMS) {
            return violate(field, Wording.of("json.items", MAX_LIST_ITEMS));
        }
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            JsonNode item = value.get(i);
            if (!item.isTextual()) {
                return violate(field, Wording.of("json.strings"));
            }
            Wording forbidden = Text.whyForbidden(item.textValue());
            if (forbidden != null) {
                return violate(field + "[" + i + "]", forbidden);
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

    private <T> T violate(String field, Wording message) {
        violations.add(FieldViolation.of(prefix + field, message));
        return null;
    }
}
