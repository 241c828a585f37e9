package cn.qxqy.pipeline.wire;

import cn.qxqy.pipeline.domain.FieldViolation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What no field may carry, refused where JSON is read, whatever the channel. */
class JsonFieldsTest {

    private static final ObjectMapper STRICT = JsonFields.strict(new ObjectMapper());

    private final List<FieldViolation> violations = new ArrayList<>();

    /**
     * A BigDecimal on which every computation fails the test: only what it is made of (precision, scale, sign, unscaled
     * value) may be read. For 1e150000, normalising to 2 fraction digits alone builds a 150,000-digit integer, and each
     * comparison, digit strip or printing of it afterwards costs its square: 11 s of an event loop in the issue.
     */
    static final class NoArithmetic extends BigDecimal {

        NoArithmetic(String value) {
            super(new BigDecimal(value).unscaledValue(), new BigDecimal(value).scale());
        }

        private static AssertionError used(String what) {
            return new AssertionError("arithmetic on an amount not yet bounded: " + what);
        }

        @Override public BigDecimal setScale(int scale) { throw used("setScale"); }
        @Override public BigDecimal setScale(int scale, RoundingMode mode) { throw used("setScale"); }
        @Override @SuppressWarnings("deprecation") public BigDecimal setScale(int scale, int mode) { throw used("setScale"); }
        @Override public BigDecimal stripTrailingZeros() { throw used("stripTrailingZeros"); }
        @Override public int compareTo(BigDecimal other) { throw used("compareTo"); }
        @Override public BigDecimal add(BigDecimal other) { throw used("add"); }
        @Override public BigDecimal add(BigDecimal other, MathContext mc) { throw used("add"); }
        @Override public BigDecimal subtract(BigDecimal other) { throw used("subtract"); }
        @Override public BigDecimal subtract(BigDecimal other, MathContext mc) { throw used("subtract"); }
        @Override public BigDecimal multiply(BigDecimal other) { throw used("multiply"); }
        @Override public BigDecimal multiply(BigDecimal other, MathContext mc) { throw used("multiply"); }
        @Override public BigDecimal divide(BigDecimal other) { throw used("divide"); }
        @Override public BigDecimal divide(BigDecimal other, MathContext mc) { throw used("divide"); }
        @Override public BigDecimal divide(BigDecimal other, RoundingMode mode) { throw used("divide"); }
        @Override public BigDecimal divide(BigDecimal other, int scale, RoundingMode mode) { throw used("divide"); }
        @Override public BigDecimal remainder(BigDecimal other) { throw used("remainder"); }
        @Override public BigDecimal pow(int n) { throw used("pow"); }
        @Override public BigDecimal pow(int n, MathContext mc) { throw used("pow"); }
        @Override public BigDecimal round(MathContext mc) { throw used("round"); }
        @Override public BigDecimal movePointLeft(int n) { throw used("movePointLeft"); }
        @Override public BigDecimal movePointRight(int n) { throw used("movePointRight"); }
        @Override public BigDecimal scaleByPowerOfTen(int n) { throw used("scaleByPowerOfTen"); }
        @Override public BigDecimal abs() { throw used("abs"); }
        @Override public BigDecimal negate() { throw used("negate"); }
        @Override public BigInteger toBigInteger() { throw used("toBigInteger"); }
        @Override public BigInteger toBigIntegerExact() { throw used("toBigIntegerExact"); }
        @Override public String toPlainString() { throw used("toPlainString"); }
        @Override public String toEngineeringString() { throw used("toEngineeringString"); }
        @Override public double doubleValue() { throw used("doubleValue"); }
        @Override public long longValue() { throw used("longValue"); }
        @Override public long longValueExact() { throw used("longValueExact"); }
        @Override public int intValue() { throw used("intValue"); }
        @Override public int intValueExact() { throw used("intValueExact"); }
        @Override public boolean equals(Object other) { throw used("equals"); }
        @Override public int hashCode() { throw used("hashCode"); }
    }

    private JsonFields fields(JsonNode node) {
        return new JsonFields(node, "data.", violations);
    }

    private JsonFields amountOf(BigDecimal amount) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.set("plannedInvestment", DecimalNode.valueOf(amount));
        return fields(node);
    }

    private JsonFields parsed(String json) throws Exception {
        return fields(STRICT.readTree(json));
    }

    @Test
    void anAmountOf1e150000IsRefusedByItsExponentWithoutArithmetic() {
        assertThat(amountOf(new NoArithmetic("1e150000")).amount("plannedInvestment")).isNull();
        assertThat(violations).singleElement().satisfies(v -> {
            assertThat(v.field()).isEqualTo("data.plannedInvestment");
            assertThat(v.message()).startsWith("exponent out of range").contains("-32 to 32");
        });
    }

    @Test
    void tinyAndLongAmountsAreRefusedWithoutArithmeticToo() {
        assertThat(amountOf(new NoArithmetic("-1e150000")).amount("plannedInvestment")).isNull();
        assertThat(amountOf(new NoArithmetic("1e-150000")).amount("plannedInvestment")).isNull();
        assertThat(amountOf(new NoArithmetic("0e150000")).amount("plannedInvestment")).isNull();
        assertThat(amountOf(new NoArithmetic("1e33")).amount("plannedInvestment")).isNull();
        assertThat(amountOf(new NoArithmetic("1" + "0".repeat(40))).amount("plannedInvestment")).isNull();
        assertThat(violations).extracting(FieldViolation::message).containsExactly(
                "exponent out of range: must be from -32 to 32 (at most 33 digits before the decimal point)",
                "exponent out of range: must be from -32 to 32 (at most 33 digits before the decimal point)",
                "exponent out of range: must be from -32 to 32 (at most 33 digits before the decimal point)",
                "exponent out of range: must be from -32 to 32 (at most 33 digits before the decimal point)",
                "must have at most 32 significant digits");
    }

    @Test
    void theParserKeeps1e150000AsADigitAndAScaleAndTheReaderRefusesIt() throws Exception {
        JsonNode json = STRICT.readTree("{\"plannedInvestment\": 1e150000}");
        assertThat(json.get("plannedInvestment").decimalValue().unscaledValue()).isEqualTo(BigInteger.ONE);
        assertThat(json.get("plannedInvestment").decimalValue().scale()).isEqualTo(-150000);
        assertThat(fields(json).amount("plannedInvestment")).isNull();
        assertThat(violations).extracting(FieldViolation::field).containsExactly("data.plannedInvestment");
    }

    @Test
    void theParserRefusesNumbersOfMoreThan100Characters() {
        assertThatThrownBy(() -> STRICT.readTree("{\"plannedInvestment\": 1" + "0".repeat(100) + "}"))
                .isInstanceOf(StreamConstraintsException.class);
        assertThatThrownBy(() -> STRICT.readTree("[".repeat(40) + "]".repeat(40)))
                .isInstanceOf(StreamConstraintsException.class);
        // Jackson's own NumberFormatException, as malformed JSON.
        assertThatThrownBy(() -> STRICT.readTree("{\"plannedInvestment\": 1e9999999999}"))
                .isInstanceOf(JsonProcessingException.class).hasMessageContaining("out of range");
    }

    @Test
    void anAmountStringIsANumberAndNothingAroundIt() throws Exception {
        for (String bad : List.of(" 12.5 ", "12.5 ", " 12.5", "\u00a012.5", "１２.５", "١٢", "+12.5", ".5", "5.", "0x10",
                "NaN", "Infinity", "1,000", "12.5\u0000", "1e9999999999", "", "1e", "--1")) {
            violations.clear();
            assertThat(fields(JsonNodeFactory.instance.objectNode().put("a", bad)).amount("a")).as(bad).isNull();
            assertThat(violations).as(bad).singleElement().extracting(FieldViolation::message)
                    .asString().startsWith("must be a decimal number");
        }
        violations.clear();
        assertThat(parsed("{\"a\": \"1e150000\"}").amount("a")).isNull();
        assertThat(violations).singleElement().extracting(FieldViolation::message).asString().startsWith("exponent");
        violations.clear();
        JsonFields good = parsed("{\"a\": \"12.5\", \"b\": \"1e3\", \"c\": 8000, \"d\": 0.10, \"e\": \"-3\"}");
        assertThat(List.of(good.amount("a"), good.amount("b"), good.amount("c"), good.amount("d"), good.amount("e")))
                .containsExactly(new BigDecimal("12.50"), new BigDecimal("1000.00"), new BigDecimal("8000.00"),
                        new BigDecimal("0.10"), new BigDecimal("-3.00"));
        assertThat(violations).isEmpty();
    }

    @Test
    void stringsWithForbiddenCharactersAreRefusedByName() throws Exception {
        JsonFields f = parsed("""
                {"nul": "abc\\u0000def", "lone": "x\\ud800", "low": "\\udc00y", "esc": "\\u001b[31mred",
                 "rlo": "a\\u202eb", "lri": "\\u2066x\\u2069", "rlm": "\\u200fname", "nl": "a\\nb", "c1": "a\\u0085",
                 "del": "a\\u007f", "ls": "a\\u2028b", "tag": "a\\udb40\\udc41", "nonchar": "a\\uffff",
                 "zwj": "👩\\u200d💻 项目", "emoji": "\\ud83d\\ude00", "cats": ["ok", "b\\u0000d"]}""");
        for (String field : List.of("nul", "lone", "low", "esc", "rlo", "lri", "rlm", "nl", "c1", "del", "ls", "tag",
                "nonchar")) {
            assertThat(f.text(field)).as(field).isNull();
        }
        assertThat(f.text("zwj")).isEqualTo("👩\u200d💻 项目");
        assertThat(f.text("emoji")).isEqualTo("😀");
        assertThat(f.textList("cats")).isNull();
        assertThat(violations).extracting(FieldViolation::field).containsExactly("data.nul", "data.lone", "data.low",
                "data.esc", "data.rlo", "data.lri", "data.rlm", "data.nl", "data.c1", "data.del", "data.ls", "data.tag",
                "data.nonchar", "data.cats[1]");
        assertThat(violations.get(0).message()).isEqualTo("must not contain NUL (U+0000 at character 4)");
        assertThat(violations.get(1).message()).isEqualTo("must not contain a lone surrogate (U+D800 at character 2)");
        assertThat(violations.get(4).message()).startsWith("must not contain bidirectional formatting characters");
    }

    @Test
    void listsAreBounded() throws Exception {
        assertThat(parsed("{\"cats\": [" + "\"a\",".repeat(100) + "\"a\"]}").textList("cats")).isNull();
        assertThat(violations).singleElement().extracting(FieldViolation::message)
                .isEqualTo("must have at most 100 items");
    }

    @Test
    void aMisspeltFieldIsEchoedPrintably() throws Exception {
        parsed("{\"na\\u0000me\": 1, \"" + "x".repeat(100) + "\": 2}").allowOnly(Set.of("name"));
        assertThat(violations).extracting(FieldViolation::field)
                .containsExactly("data.na\\u0000me", "data." + "x".repeat(64) + "…");
    }

    @Test
    void datesHaveFourDigitYears() throws Exception {
        JsonFields f = parsed("""
                {"min": "-999999999-01-01", "big": "+10000-01-01", "five": "10000-01-01", "short": "2024-4-1",
                 "feb30": "2024-02-30", "padded": " 2024-04-01", "wide": "２０２４-04-01", "zero": "0000-01-01",
                 "month": "-0001-01", "bigMonth": "+10000-01"}""");
        for (String field : List.of("min", "big", "five", "short", "feb30", "padded", "wide")) {
            assertThat(f.date(field)).as(field).isNull();
        }
        // Well formed: the domain refuses it as before 2000-01-01.
        assertThat(f.date("zero")).isEqualTo(LocalDate.of(0, 1, 1));
        assertThat(f.yearMonth("month")).isNull();
        assertThat(f.yearMonth("bigMonth")).isNull();
        assertThat(violations).hasSize(9);
    }
}
