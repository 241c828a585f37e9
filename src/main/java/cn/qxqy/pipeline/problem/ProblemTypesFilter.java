package cn.qxqy.pipeline.problem;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.media.Schema;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Lists every {@link ProblemType} in {@code /q/openapi}: the {@code Problem} schema's {@code type} is one of their URIs
 * (or {@code about:blank} for a plain HTTP status), each described with its status and title.
 */
public class ProblemTypesFilter implements OASFilter {

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        Components components = openAPI.getComponents();
        List<Object> uris = new ArrayList<>(Arrays.stream(ProblemType.values()).map(ProblemType::uri).toList());
        uris.add("about:blank");
        Schema type = OASFactory.createSchema().addType(Schema.SchemaType.STRING).enumeration(uris)
                .description("What went wrong, one of: " + Arrays.stream(ProblemType.values())
                        .map(t -> t.uri() + " (" + t.status() + " " + t.title() + ")")
                        .collect(Collectors.joining(", ")) + "; about:blank for a plain HTTP status");
        Schema problem = OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .description("RFC 7807 problem detail (application/problem+json), with errors naming each bad field")
                .addProperty("type", type)
                .addProperty("title", OASFactory.createSchema().addType(Schema.SchemaType.STRING))
                .addProperty("status", OASFactory.createSchema().addType(Schema.SchemaType.INTEGER))
                .addProperty("detail", OASFactory.createSchema().addType(Schema.SchemaType.STRING))
                .addProperty("errors", OASFactory.createSchema().addType(Schema.SchemaType.ARRAY)
                        .items(OASFactory.createSchema().ref("FieldViolation")));
        components.addSchema("Problem", problem);
        if (components.getSchemas() == null || !components.getSchemas().containsKey("FieldViolation")) {
            components.addSchema("FieldViolation", OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                    .addProperty("field", OASFactory.createSchema().addType(Schema.SchemaType.STRING)
                            .description("the field's path in the request, e.g. data.period"))
                    .addProperty("message", OASFactory.createSchema().addType(Schema.SchemaType.STRING)));
        }
    }
}
