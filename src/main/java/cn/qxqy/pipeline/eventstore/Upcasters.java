package cn.qxqy.pipeline.eventstore;

import cn.qxqy.pipeline.domain.EventTypes;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Brings the {@code data} of a stored event written at an older schema version up to the current one, one
 * version at a time, so that the store is never rewritten and readers only know the current shape.
 */
final class Upcasters {

    /** By type and the version they read: each turns that version's data into the next version's. */
    private static final Map<String, Map<Integer, UnaryOperator<ObjectNode>>> STEPS = Map.of(
            "ProjectReserved", Map.of(1, Upcasters::singleCategoryToList));

    private Upcasters() {
    }

    /** The schema version events of the type are written at now. */
    static int current(String type) {
        return EventTypes.stored(type).orElseThrow(() -> new IllegalStateException("unknown event type " + type))
                .schemaVersion();
    }

    static JsonNode upcast(String type, int version, JsonNode data) {
        int current = current(type);
        if (version == current || !data.isObject()) {
            return data;
        }
        if (version > current) {
            throw new IllegalStateException(type + " at schema version " + version + " is newer than this service ("
                    + current + ")");
        }
        ObjectNode upcast = ((ObjectNode) data).deepCopy();
        for (int v = version; v < current; v++) {
            upcast = STEPS.get(type).get(v).apply(upcast);
        }
        return upcast;
    }

    /** Version 1 of ProjectReserved had at most one category, as the optional string {@code category}. */
    private static ObjectNode singleCategoryToList(ObjectNode data) {
        JsonNode category = data.remove("category");
        ArrayNode categories = JsonNodeFactory.instance.arrayNode();
        if (category != null && category.isTextual()) {
            categories.add(category.textValue());
        }
        data.set("categories", categories);
        return data;
    }
}
