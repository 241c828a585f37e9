package cn.qxqy.pipeline.reference;

import cn.qxqy.pipeline.domain.Wording;
import cn.qxqy.pipeline.problem.Problem;
import cn.qxqy.pipeline.problem.ProblemType;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

@Path("/api/v1/reference")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Reference data")
@RolesAllowed({"viewer", "department", "admin"})
public class ReferenceResource {

    /** One entry of a reference list. */
    public record Entry(String code, String nameZh, String nameEn) {
    }

    private final ReferenceData referenceData;

    public ReferenceResource(ReferenceData referenceData) {
        this.referenceData = referenceData;
    }

    @GET
    @Path("/{list}")
    @Operation(operationId = "getReferenceList",
            summary = "A reference list: regions, industry-chains, categories, stages or event-types",
            description = "Served from the codes every event is checked against, cached for pipeline.reference.ttl.")
    @APIResponse(responseCode = "200", description = "the list's entries, in their order")
    @APIResponse(responseCode = "404", description = "/problems/unknown-reference-list")
    public Uni<List<Entry>> list(@PathParam("list") String list) {
        return referenceData.list(list).map(entries -> {
            if (entries == null) {
                throw Problem.of(ProblemType.UNKNOWN_REFERENCE_LIST,
                        Wording.of("reference.unknown-list", list, ReferenceData.LISTS)).exception();
            }
            return entries;
        });
    }
}
