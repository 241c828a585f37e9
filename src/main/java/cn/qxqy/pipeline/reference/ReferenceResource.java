package cn.qxqy.pipeline.reference;

import cn.qxqy.pipeline.PipelineConfig;
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
import java.util.Map;

@Path("/api/v1/reference")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Reference data")
@RolesAllowed({"viewer", "department", "admin"})
public class ReferenceResource {

    /** One entry of a reference list. */
    public record Entry(String code, String nameZh, String nameEn) {
    }

    /** The list of the departments known by name, which configuration holds rather than the database. */
    static final String DEPARTMENTS = "departments";

    private final ReferenceData referenceData;
    private final List<Entry> departments;

    public ReferenceResource(ReferenceData referenceData, PipelineConfig config) {
        this.referenceData = referenceData;
        this.departments = config.departments().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(d -> new Entry(d.getKey(), d.getValue().nameZh().orElse(d.getKey()),
                        d.getValue().nameEn().orElse(d.getKey())))
                .toList();
    }

    @GET
    @Path("/{list}")
    @Operation(operationId = "getReferenceList",
            summary = "A reference list: regions, industry-chains, categories, stages, event-types or departments",
            description = "Served from the codes every event is checked against, cached for pipeline.reference.ttl; "
                    + "event-types from the registry of event types; "
                    + "departments (报送单位, the source of history entries) from pipeline.departments.<id>.name-zh "
                    + "and name-en, the id where no name is set.")
    @APIResponse(responseCode = "200", description = "the list's entries, in their order")
    @APIResponse(responseCode = "404", description = "/problems/unknown-reference-list")
    public Uni<List<Entry>> list(@PathParam("list") String list) {
        if (list.equals(DEPARTMENTS)) {
            return Uni.createFrom().item(departments);
        }
        return referenceData.list(list).map(entries -> {
            if (entries == null) {
                throw Problem.of(ProblemType.UNKNOWN_REFERENCE_LIST,
                        Wording.of("reference.unknown-list", list, ReferenceData.LISTS + " or " + DEPARTMENTS))
                        .exception();
            }
            return entries;
        });
    }
}
