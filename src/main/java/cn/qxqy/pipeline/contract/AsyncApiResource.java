package cn.qxqy.pipeline.contract;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The Kafka contract, beside {@code /q/openapi}: open like it, as it describes topics, not data. */
@Path("/q/asyncapi")
@PermitAll
@Tag(name = "Contract", description = "The documents that describe the service's interfaces")
public class AsyncApiResource {

    private static final ObjectNode DOCUMENT = KafkaContract.document();

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "getAsyncApi", summary = "The AsyncAPI 3.0 document of the Kafka topics",
            description = "Generated from the event-type registry: the intake envelope, project-events and their schemas.")
    @APIResponse(responseCode = "200", description = "the AsyncAPI document",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(name = "AsyncApiDocument",
                    description = "an AsyncAPI 3.0 document", type = SchemaType.OBJECT)))
    public ObjectNode get() {
        return DOCUMENT;
    }
}
