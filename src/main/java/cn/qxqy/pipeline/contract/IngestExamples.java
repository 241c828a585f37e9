package cn.qxqy.pipeline.contract;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.smallrye.openapi.OpenApiFilter;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.parameters.RequestBody;

import java.util.List;
import java.util.Map;

/** An example of every event type on the ingest operations of {@code /q/openapi} ({@link EventExamples}). */
@OpenApiFilter
public class IngestExamples implements OASFilter {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null) {
            return;
        }
        PathItem single = openAPI.getPaths().getPathItem("/api/v1/projects/{projectId}/events");
        if (single != null && single.getPOST() != null) {
            MediaType body = jsonBody(single.getPOST());
            for (EventExamples.Example example : EventExamples.ALL) {
                body.addExample(example.type(), OASFactory.createExample().summary(example.summary())
                        .value(JSON.convertValue(example.envelope(), Map.class)));
            }
        }
        PathItem batch = openAPI.getPaths().getPathItem("/api/v1/events");
        if (batch != null && batch.getPOST() != null) {
            List<Object> lifecycle = EventExamples.ALL.stream()
                    .map(example -> (Object) JSON.convertValue(example.envelope(), Map.class)).toList();
            jsonBody(batch.getPOST()).addExample("lifecycle", OASFactory.createExample()
                    .summary("A project's lifecycle, every event type once").value(lifecycle));
        }
    }

    private static MediaType jsonBody(Operation operation) {
        if (operation.getRequestBody() == null) {
            operation.setRequestBody(OASFactory.createRequestBody());
        }
        RequestBody body = operation.getRequestBody();
        if (body.getContent() == null) {
            body.setContent(OASFactory.createContent());
        }
        MediaType json = body.getContent().getMediaType("application/json");
        if (json == null) {
            json = OASFactory.createMediaType();
            body.getContent().addMediaType("application/json", json);
        }
        return json;
    }
}
