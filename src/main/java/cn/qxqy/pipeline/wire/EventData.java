package cn.qxqy.pipeline.wire;

import cn.qxqy.pipeline.domain.EventTypes.EventType;
import cn.qxqy.pipeline.domain.EventTypes;
import cn.qxqy.pipeline.domain.FieldViolation;
import cn.qxqy.pipeline.domain.ProjectEvent;
import cn.qxqy.pipeline.domain.StreamEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The {@code data} object of each event type, read from and written to JSON: one format on the wire, in the store
 * and on Kafka. It follows the type's record ({@link EventTypes}): each component but {@code occurredOn} is a field,
 * in component order, a nested record's components in its place; nulls are left out.
 */
public final class EventData {

    /** The field types a record component may have, as JSON Schema types and formats. */
    public enum Kind {
        TEXT, AMOUNT, DATE, MONTH, TEXT_LIST, INTEGER
    }

    /** One field of a type's {@code data}. */
    public record Field(String name, Kind kind) {
    }

    /** A record's components, each a field or a nested record of fields, and how to build the record from them. */
    private record Shape(Constructor<?> constructor, List<Part> parts) {

        Object build(Object[] arguments) {
            try {
                return constructor.newInstance(arguments);
            } catch (InvocationTargetException e) {
                throw new IllegalStateException(e.getCause());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** A component: a field ({@code nested} null), the event's {@code occurredOn}, or a nested record. */
    private record Part(RecordComponent component, Field field, boolean occurredOn, Shape nested) {
    }

    private static final Map<String, Shape> SHAPES = EventTypes.STORED.stream()
            .collect(Collectors.toUnmodifiableMap(EventType::name, type -> shape(type.record(), true)));
    /** Each type's field names, built once: a rebuild reads a million events. */
    private static final Map<String, Set<String>> FIELD_NAMES = EventTypes.STORED.stream()
            .collect(Collectors.toUnmodifiableMap(EventType::name,
                    type -> fields(type).stream().map(Field::name).collect(Collectors.toUnmodifiableSet())));

    private EventData() {
    }

    /** The fields of the type's {@code data}, in the order they are written. */
    public static List<Field> fields(EventType type) {
        List<Field> fields = new ArrayList<>();
        collect(SHAPES.get(type.name()), fields);
        return fields;
    }

    /**
     * The event of {@code type} dated {@code occurredOn} with this {@code data}; null, with violations added,
     * when a field is unknown or of the wrong type.
     */
    public static ProjectEvent read(EventType type, LocalDate occurredOn, JsonNode data, List<FieldViolation> violations) {
        return (ProjectEvent) readStored(type, occurredOn, data, violations);
    }

    /** As {@link #read}, for any type the store holds ({@link EventTypes#STORED}). */
    public static StreamEvent readStored(EventType type, LocalDate occurredOn, JsonNode data,
                                         List<FieldViolation> violations) {
        int before = violations.size();
        JsonNode object = data == null || data.isNull() ? JsonNodeFactory.instance.objectNode() : data;
        if (!object.isObject()) {
            violations.add(FieldViolation.of("data", "json.object"));
            return null;
        }
        JsonFields f = new JsonFields(object, "data.", violations);
        f.allowOnly(FIELD_NAMES.get(type.name()));
        StreamEvent event = (StreamEvent) read(SHAPES.get(type.name()), f, occurredOn);
        return violations.size() == before ? event : null;
    }

    /** The event's {@code data}, fields in a fixed order and nulls left out, so equal events write equal JSON. */
    public static ObjectNode write(StreamEvent event) {
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        write(SHAPES.get(event.type()), event, data);
        return data;
    }

    private static Object read(Shape shape, JsonFields f, LocalDate occurredOn) {
        Object[] arguments = new Object[shape.parts().size()];
        for (int i = 0; i < arguments.length; i++) {
            Part part = shape.parts().get(i);
            arguments[i] = part.occurredOn() ? occurredOn
                    : part.nested() != null ? read(part.nested(), f, occurredOn)
                    : switch (part.field().kind()) {
                        case TEXT -> f.text(part.field().name());
                        case AMOUNT -> f.amount(part.field().name());
                        case DATE -> f.date(part.field().name());
                        case MONTH -> f.yearMonth(part.field().name());
                        case TEXT_LIST -> f.textList(part.field().name());
                        case INTEGER -> f.integer(part.field().name());
                    };
        }
        return shape.build(arguments);
    }

    private static void write(Shape shape, Object value, ObjectNode data) {
        for (Part part : shape.parts()) {
            if (part.occurredOn()) {
                continue;
            }
            Object component;
            try {
                component = part.component().getAccessor().invoke(value);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            if (component == null) {
                continue;
            }
            if (part.nested() != null) {
                write(part.nested(), component, data);
                continue;
            }
            String name = part.field().name();
            switch (part.field().kind()) {
                case AMOUNT -> data.put(name, (BigDecimal) component);
                case INTEGER -> data.put(name, (Long) component);
                case TEXT_LIST -> {
                    ArrayNode list = data.putArray(name);
                    ((List<?>) component).forEach(item -> list.add((String) item));
                }
                default -> data.put(name, component.toString());
            }
        }
    }

    private static void collect(Shape shape, List<Field> fields) {
        for (Part part : shape.parts()) {
            if (part.nested() != null) {
                collect(part.nested(), fields);
            } else if (!part.occurredOn()) {
                fields.add(part.field());
            }
        }
    }

    private static Shape shape(Class<?> record, boolean event) {
        RecordComponent[] components = record.getRecordComponents();
        List<Part> parts = new ArrayList<>(components.length);
        for (RecordComponent c : components) {
            if (event && c.getName().equals("occurredOn")) {
                parts.add(new Part(c, null, true, null));
            } else if (c.getType().isRecord()) {
                parts.add(new Part(c, null, false, shape(c.getType(), false)));
            } else {
                parts.add(new Part(c, new Field(c.getName(), kind(c)), false, null));
            }
        }
        try {
            Class<?>[] types = new Class<?>[components.length];
            for (int i = 0; i < components.length; i++) {
                types[i] = components[i].getType();
            }
            return new Shape(record.getDeclaredConstructor(types), parts);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(record + " has no canonical constructor", e);
        }
    }

    private static Kind kind(RecordComponent c) {
        Map<Class<?>, Kind> kinds = Map.of(String.class, Kind.TEXT, BigDecimal.class, Kind.AMOUNT,
                LocalDate.class, Kind.DATE, YearMonth.class, Kind.MONTH, Long.class, Kind.INTEGER);
        Kind kind = kinds.get(c.getType());
        if (kind != null) {
            return kind;
        }
        if (c.getType() == List.class && c.getGenericType() instanceof ParameterizedType list
                && list.getActualTypeArguments()[0] == String.class) {
            return Kind.TEXT_LIST;
        }
        throw new IllegalStateException(c.getDeclaringRecord().getSimpleName() + "." + c.getName()
                + " is of a type event data cannot carry: " + c.getGenericType());
    }
}
