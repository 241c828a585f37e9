package cn.qxqy.pipeline.query;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.media.Schema;

/** The 304 of every conditional read ({@link ConditionalReads}) in {@code /q/openapi}, with the ETag it answers. */
@OpenApiFilter
public class NotModifiedAnswers implements OASFilter {

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().forEach((path, item) -> {
            if (item.getGET() != null && ConditionalReads.fromReadModels(path) && item.getGET().getResponses() != null
                    && !item.getGET().getResponses().hasAPIResponse("304")) {
                item.getGET().getResponses().addAPIResponse("304", OASFactory.createAPIResponse()
                        .description("not modified: If-None-Match names the ETag the read would answer now")
                        .addHeader("ETag", OASFactory.createHeader().description("the read models' generation, "
                                        + "W/\"<n>\"; for a settled knownAt, a strong tag of the request and the "
                                        + "store's epoch")
                                .schema(OASFactory.createSchema().addType(Schema.SchemaType.STRING))));
            }
        });
    }
}
