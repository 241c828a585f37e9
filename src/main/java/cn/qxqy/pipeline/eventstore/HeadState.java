package cn.qxqy.pipeline.eventstore;

import cn.qxqy.pipeline.domain.ProjectFields;
import cn.qxqy.pipeline.domain.ProjectFields.Field;
import cn.qxqy.pipeline.domain.ProjectState;
import cn.qxqy.pipeline.domain.Stage;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;

/**
 * A project's current state as kept with its stream head (column {@code stream_heads.state}), so that an append
 * decides without replaying the history. Amounts are written as strings: their scale survives exactly.
 */
final class HeadState {

    private HeadState() {
    }

    static ObjectNode write(ProjectState s) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("version", s.version());
        json.put("stage", s.stage().name());
        for (Field field : ProjectFields.ALL) {
            Object value = field.of(s);
            if (field.kind() == ProjectFields.Kind.TEXT_LIST) {
                ArrayNode items = json.putArray(field.name());
                ((List<?>) value).forEach(item -> items.add((String) item));
            } else {
                put(json, field.name(), value);
            }
        }
        return json;
    }

    static ProjectState read(JsonNode json) {
        return ProjectFields.state(json.path("version").asLong(), Stage.valueOf(text(json, "stage")),
                field -> switch (field.kind()) {
                    case TEXT -> text(json, field.name());
                    case AMOUNT -> amount(json, field.name());
                    case DATE -> date(json, field.name());
                    case MONTH -> month(json, field.name());
                    case TEXT_LIST -> list(json, field.name());
                });
    }

    private static void put(ObjectNode json, String field, Object value) {
        if (value != null) {
            json.put(field, value.toString());
        }
    }

    private static String text(JsonNode json, String field) {
        JsonNode value = json.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static BigDecimal amount(JsonNode json, String field) {
        String value = text(json, field);
        return value == null ? null : new BigDecimal(value);
    }

    private static YearMonth month(JsonNode json, String field) {
        String value = text(json, field);
        return value == null ? null : YearMonth.parse(value);
    }

    private static List<String> list(JsonNode json, String field) {
        List<String> items = new ArrayList<>();
        json.path(field).forEach(item -> items.add(item.asText()));
        return items;
    }

    private static LocalDate date(JsonNode json, String field) {
        String value = text(json, field);
        return value == null ? null : LocalDate.parse(value);
    }
}
