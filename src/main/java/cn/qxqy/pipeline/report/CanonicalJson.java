package cn.qxqy.pipeline.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one text of an issued report's figures, so that its digest is the digest of the figures, in the spirit of RFC
 * 8785 (JSON Canonicalization Scheme): object keys sorted by their UTF-16 code units, no white space between tokens,
 * strings escaped as JSON must and no more (Jackson's escaping: quotation mark, backslash, control characters; the rest,
 * Chinese included, as is, UTF-8). Unlike RFC 8785, which writes numbers as ECMAScript doubles, every decimal is a
 * string in plain notation with at least 2 fraction digits ({@code "12000.50"}): an amount of 万元 survives exactly,
 * whatever a reader's number type. Whole numbers (counts, revisions) are JSON integers.
 */
final class CanonicalJson {

    private CanonicalJson() {
    }

    static String write(JsonNode node) {
        StringBuilder out = new StringBuilder();
        write(node, out);
        return out.toString();
    }

    private static void write(JsonNode node, StringBuilder out) {
        if (node.isObject()) {
            Map<String, JsonNode> sorted = new TreeMap<>();
            node.fields().forEachRemaining(field -> sorted.put(field.getKey(), field.getValue()));
            out.append('{');
            Iterator<Map.Entry<String, JsonNode>> fields = sorted.entrySet().iterator();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                out.append(JsonNodeFactory.instance.textNode(field.getKey())).append(':');
                write(field.getValue(), out);
                if (fields.hasNext()) {
                    out.append(',');
                }
            }
            out.append('}');
        } else if (node.isArray()) {
            out.append('[');
            for (int i = 0; i < node.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                write(node.get(i), out);
            }
            out.append(']');
        } else if (node.isIntegralNumber()) {
            out.append(node.bigIntegerValue());
        } else if (node.isNumber()) {
            out.append('"').append(amount(node.decimalValue())).append('"');
        } else {
            out.append(node);
        }
    }

    /** Plain notation, at least 2 fraction digits. */
    static String amount(BigDecimal value) {
        return (value.scale() < 2 ? value.setScale(2) : value).toPlainString();
    }
}
