package cn.qxqy.pipeline.contract;

import cn.qxqy.pipeline.domain.EventTypes;
import cn.qxqy.pipeline.domain.EventTypes.EventType;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.smallrye.openapi.OpenApiFilter;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Discriminator;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.RequestBody;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The bodies of the ingest operations in {@code /q/openapi}: the resources read them as text (to check their size and
 * parse them strictly), so their schema is written here, from the event-type registry. An envelope is one of
 * {@code <Type>Envelope}, told apart by its {@code type}, whose {@code data} is that type's {@code <Type>Data}; a batch
 * is an array of envelopes that name their projectId. With an example of every event type ({@link EventExamples}).
 */
@OpenApiFilter
public class IngestBodies implements OASFilter {

    static final String ENVELOPE = "EventEnvelope";
    static final String BATCH_ITEM = "BatchEventEnvelope";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCHEMAS = "#/components/schemas/";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null) {
            return;
        }
        addEnvelopes(openAPI);
        PathItem single = openAPI.getPaths().getPathItem("/api/v1/projects/{projectId}/events");
        if (single != null && single.getPOST() != null) {
            MediaType body = jsonBody(single.getPOST()).schema(OASFactory.createSchema().ref(ENVELOPE));
            for (EventExamples.Example example : EventExamples.ALL) {
                body.addExample(example.type(), OASFactory.createExample().summary(example.summary())
                        .value(JSON.convertValue(example.envelope(), Map.class)));
            }
        }
        PathItem batch = openAPI.getPaths().getPathItem("/api/v1/events");
        if (batch != null && batch.getPOST() != null) {
            List<Object> lifecycle = EventExamples.ALL.stream()
                    .map(example -> (Object) JSON.convertValue(example.envelope(), Map.class)).toList();
            jsonBody(batch.getPOST()).schema(OASFactory.createSchema().addType(Schema.SchemaType.ARRAY)
                            .items(OASFactory.createSchema().ref(BATCH_ITEM))
                            .description("Events appended each on its own, in order (at most pipeline.ingest.max-batch-items)"))
                    .addExample("lifecycle", OASFactory.createExample()
                            .summary("A project's lifecycle, every event type once").value(lifecycle));
        }
    }

    private static void addEnvelopes(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        Components components = openAPI.getComponents();
        Discriminator byType = OASFactory.createDiscriminator().propertyName("type");
        List<Schema> variants = new ArrayList<>();
        for (EventType type : EventTypes.ALL) {
            String name = type.name() + "Envelope";
            components.addSchema(name, envelope(type));
            variants.add(OASFactory.createSchema().ref(name));
            byType.addMapping(type.name(), SCHEMAS + name);
        }
        components.addSchema(ENVELOPE, OASFactory.createSchema().oneOf(variants).discriminator(byType)
                .description("A lifecycle event as a department posts it; its type names the shape of its data"));
        components.addSchema(BATCH_ITEM, OASFactory.createSchema().addAllOf(OASFactory.createSchema().ref(ENVELOPE))
                .addRequired("projectId").description("An event of a batch, naming its project"));
    }

    private static Schema envelope(EventType type) {
        return OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .description("A " + type.name() + " event as a department posts it")
                .additionalPropertiesBoolean(false)
                .required(List.of("eventId", "type", "occurredOn"))
                .addProperty("projectId", OASFactory.createSchema().addType(Schema.SchemaType.STRING)
                        .pattern("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
                        .description("required in a batch; in a project's URL, the same as the URL's if given"))
                .addProperty("eventId", OASFactory.createSchema().addType(Schema.SchemaType.STRING).format("uuid")
                        .description("chosen by the sender; the same eventId again is the same event (idempotent)"))
                .addProperty("type", OASFactory.createSchema().addType(Schema.SchemaType.STRING)
                        .enumeration(List.of(type.name())))
                .addProperty("occurredOn", OASFactory.createSchema().addType(Schema.SchemaType.STRING).format("date"))
                .addProperty("expectedVersion", OASFactory.createSchema().addType(Schema.SchemaType.INTEGER)
                        .minimum(BigDecimal.ZERO)
                        .description("the project's version the sender saw; refused if the project moved on"))
                .addProperty("data", OASFactory.createSchema().ref(type.name() + "Data"));
    }

    private static MediaType jsonBody(Operation operation) {
        if (operation.getRequestBody() == null) {
            operation.setRequestBody(OASFactory.createRequestBody());
        }
        RequestBody body = operation.getRequestBody().required(true);
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
