package cn.qxqy.pipeline.wire;

import cn.qxqy.pipeline.domain.EventTypes.EventType;
import cn.qxqy.pipeline.domain.EventTypes;
import io.quarkus.smallrye.openapi.OpenApiFilter;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.media.Schema;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code data} of each event type in {@code /q/openapi}, from {@link EventTypes} and {@link EventData}'s fields:
 * a schema {@code <Type>Data} each, and {@code EventData}, any of them. A history entry's {@code type} names which.
 */
@OpenApiFilter
public class EventDataSchemas implements OASFilter {

    public static final String EVENT_DATA = "EventData";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        Components components = openAPI.getComponents();
        List<Schema> variants = new ArrayList<>();
        for (EventType type : EventTypes.ALL) {
            Schema data = OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                    .description("The data of " + type.name() + " (schema version " + type.schemaVersion() + ")")
                    .additionalPropertiesBoolean(false);
            for (EventData.Field field : EventData.fields(type)) {
                data.addProperty(field.name(), schema(field.kind()));
            }
            components.addSchema(type.name() + "Data", data);
            variants.add(OASFactory.createSchema().ref(type.name() + "Data"));
        }
        components.addSchema(EVENT_DATA, OASFactory.createSchema().anyOf(variants)
                .description("An event's data, of the shape its type names"));
        Schema entry = components.getSchemas().get("HistoryEntry");
        if (entry != null && entry.getProperties() != null && entry.getProperties().get("type") != null) {
            entry.getProperties().get("type").enumeration(new ArrayList<>(EventTypes.NAMES));
        }
    }

    private static Schema schema(EventData.Kind kind) {
        return switch (kind) {
            case TEXT -> OASFactory.createSchema().addType(Schema.SchemaType.STRING);
            // Answered as a JSON number; a sender may also give a numeric string.
            case AMOUNT -> OASFactory.createSchema().addType(Schema.SchemaType.NUMBER).addType(Schema.SchemaType.STRING)
                    .pattern("^" + JsonFields.DECIMAL.pattern() + "$").description("万元, at most 2 fraction digits");
            case DATE -> OASFactory.createSchema().addType(Schema.SchemaType.STRING).format("date");
            case MONTH -> OASFactory.createSchema().addType(Schema.SchemaType.STRING).pattern("^\\d{4}-\\d{2}$")
                    .description("a month, yyyy-MM");
            case TEXT_LIST -> OASFactory.createSchema().addType(Schema.SchemaType.ARRAY)
                    .items(OASFactory.createSchema().addType(Schema.SchemaType.STRING));
            case INTEGER -> OASFactory.createSchema().addType(Schema.SchemaType.INTEGER).minimum(BigDecimal.ONE);
        };
    }
}
