package cn.qxqy.pipeline.contract;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.media.Schema;

/**
 * A schema that allows null allows it in its enum too: {@code @Schema(enumeration, nullable = true)} makes the type
 * {@code [string, "null"]} but keeps the enum as written, and JSON Schema checks both, so null would be refused.
 */
@OpenApiFilter
public class NullableEnums implements OASFilter {

    @Override
    public Schema filterSchema(Schema schema) {
        if (schema.getType() != null && schema.getType().contains(Schema.SchemaType.NULL)
                && schema.getEnumeration() != null && !schema.getEnumeration().contains(null)) {
            schema.addEnumeration(null);
        }
        return schema;
    }
}
