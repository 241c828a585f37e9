package cn.qxqy.pipeline.testing.history;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.assertj.core.api.SoftAssertions;

/**
 * An API body's fields compared with the values the test expects. Each expected field, by its JSON path ("a.b"),
 * is read from the body as the expected value's type: a count must be an integral number, an amount a number or a
 * numeric string (compared by value, so 100.50 equals 100.5), a text any value; an absent or null field reads as
 * null, and a value of another kind as its JSON text, so that the difference shows it.
 */
final class BodyFields {

    private BodyFields() {
    }

    /** One soft assertion over all the fields, naming each one that differs. */
    static void assertFields(SoftAssertions softly, String where, JsonNode body, Map<String, ?> expected) {
        softly.assertThat(read(body, expected)).as(where)
                .usingRecursiveComparison()
                // Null-safe: a field the body lacks must show as a difference, not end the test.
                .withComparatorForType(Comparator.nullsFirst(BigDecimal::compareTo), BigDecimal.class)
                .isEqualTo(expected);
    }

    private static Map<String, Object> read(JsonNode body, Map<String, ?> expected) {
        Map<String, Object> actual = new LinkedHashMap<>();
        expected.forEach((path, like) -> {
            JsonNode node = body;
            for (String name : path.split("\\.")) {
                node = node.path(name);
            }
            actual.put(path, read(node, like));
        });
        return actual;
    }

    private static Object read(JsonNode node, Object like) {
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        if (like instanceof Long) {
            return node.isIntegralNumber() ? (Object) node.longValue() : node.toString();
        }
        if (like instanceof BigDecimal) {
            BigDecimal value = node.isNumber() ? node.decimalValue()
                    : node.isTextual() ? ReferenceModel.dec(node.asText()) : null;
            return value != null ? value : node.toString();
        }
        if (like instanceof Boolean) {
            return node.isBoolean() ? (Object) node.booleanValue() : node.toString();
        }
        if (like instanceof Set) {
            Set<String> texts = new TreeSet<>();
            node.forEach(element -> texts.add(element.asText()));
            return texts;
        }
        if (like instanceof String) {
            return node.asText();
        }
        return node.toString();
    }
}
