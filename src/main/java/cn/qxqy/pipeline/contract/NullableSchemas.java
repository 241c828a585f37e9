package cn.qxqy.pipeline.contract;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.media.Schema;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What {@code @Schema(nullable = true)} leaves half said. With an enum, the type becomes {@code [string, "null"]} but the
 * enum stays as written, and JSON Schema checks both, so null would be refused: null joins the enum. On a field of a
 * named schema, SmallRye writes {@code anyOf: [$ref, {type: null}]} and also the type {@code [object, "null"]}, an
 * object that names no field: the anyOf alone says it.
 */
@OpenApiFilter
public class NullableSchemas implements OASFilter {

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() != null && openAPI.getComponents().getSchemas() != null) {
            Set<Schema> seen = Collections.newSetFromMap(new IdentityHashMap<>());
            openAPI.getComponents().getSchemas().values().forEach(schema -> complete(schema, seen));
        }
    }

    private static void complete(Schema schema, Set<Schema> seen) {
        if (schema == null || !seen.add(schema)) {
            return;
        }
        boolean nullable = schema.getType() != null && schema.getType().contains(Schema.SchemaType.NULL);
        if (nullable && schema.getEnumeration() != null && !schema.getEnumeration().contains(null)) {
            List<Object> values = new ArrayList<>(schema.getEnumeration());
            values.add(null);
            schema.setEnumeration(values);
        }
        if (nullable && schema.getAnyOf() != null && schema.getAnyOf().stream().anyMatch(part -> part.getRef() != null)) {
            schema.setType(null);
        }
        Stream.of(schema.getAllOf(), schema.getAnyOf(), schema.getOneOf()).filter(parts -> parts != null)
                .forEach(parts -> parts.forEach(part -> complete(part, seen)));
        if (schema.getProperties() != null) {
            schema.getProperties().values().forEach(property -> complete(property, seen));
        }
        complete(schema.getItems(), seen);
    }
}
