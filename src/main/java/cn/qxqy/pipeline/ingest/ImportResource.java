package cn.qxqy.pipeline.ingest;

import cn.qxqy.pipeline.PipelineConfig;
import cn.qxqy.pipeline.domain.FieldViolation;
import cn.qxqy.pipeline.eventstore.EventStore;
import cn.qxqy.pipeline.problem.BodyLimit;
import cn.qxqy.pipeline.problem.Problem;
import cn.qxqy.pipeline.problem.ProblemType;
import cn.qxqy.pipeline.reference.ReferenceData;
import cn.qxqy.pipeline.security.RateLimits;
import cn.qxqy.pipeline.security.Sender;
import cn.qxqy.pipeline.security.Senders;
import cn.qxqy.pipeline.spreadsheet.FileSchemas;
import cn.qxqy.pipeline.spreadsheet.Tables;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Vertx;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Projects imported from a filled template (项目导入): each row becomes a {@code ProjectReserved}, or a
 * {@code ProjectCorrected} of the existing project its projectId names, posted through {@link IngestService} as the
 * signed-in department, so the API's checks all apply: reference codes, region rights, the rate limit (one event per
 * row) and the stage machine. All or nothing, in one transaction of the event store.
 */
@Path("/api/v1/campaigns/{campaignId}")
@Tag(name = "Import")
public class ImportResource {

    /** The largest file taken, in bytes: some thousand rows of the template take a few hundred KB. */
    static final int MAX_BYTES = 2 * 1024 * 1024;

    /** What became of a file: stored, or why not, row by row. */
    @Schema(name = "ImportResult", description = "What became of an imported file: stored only if no row is refused")
    public record ImportResult(String campaignId,
                               @Schema(description = "true when only checked (dryRun)") boolean dryRun,
                               @Schema(description = "whether the rows' events are stored: no row refused and not a dry run")
                               boolean stored,
                               @Schema(description = "the filled rows of the file") int rows,
                               @Schema(description = "rows whose event is new: stored, or to be stored")
                               int created,
                               @Schema(description = "rows whose event was stored before (the same file uploaded again)")
                               int unchanged,
                               @Schema(description = "every refused row, in the file's order") List<RefusedRow> refused) {
    }

    @Schema(name = "ImportRefusedRow", description = "A row refused, with the problem the API answers for its event")
    public record RefusedRow(@Schema(description = "the row's number in the sheet (the header is row 1)") int row,
                             String projectId,
                             @Schema(description = "ProjectReserved or ProjectCorrected") String type,
                             @Schema(description = "the template's columns the problem's errors name") List<String> columns,
                             Problem problem) {
    }

    private final IngestService ingest;
    private final EventStore store;
    private final Senders senders;
    private final RateLimits rateLimits;
    private final ReferenceData referenceData;
    private final int maxRows;

    public ImportResource(IngestService ingest, EventStore store, Senders senders, RateLimits rateLimits,
                          ReferenceData referenceData, PipelineConfig config) {
        this.ingest = ingest;
        this.store = store;
        this.senders = senders;
        this.rateLimits = rateLimits;
        this.referenceData = referenceData;
        this.maxRows = config.ingest().maxBatchItems();
    }

    @GET
    @Path("/import-template.xlsx")
    @Produces(Tables.XLSX)
    @RolesAllowed({"viewer", "department", "admin"})
    @Operation(operationId = "getImportTemplate",
            summary = "The template of an import", description = "Sheet 项目清单 with the header row, sheet 填写说明 "
            + "explaining each column.")
    @APIResponse(responseCode = "200", description = "the template",
            content = @Content(mediaType = Tables.XLSX, schema = @Schema(implementation = FileSchemas.XlsxFile.class)))
    @APIResponse(responseCode = "404", description = "/problems/unknown-campaign")
    public Uni<Response> template(@PathParam("campaignId") String campaignId) {
        return referenceData.isCampaign(campaignId)
                .invoke(known -> {
                    if (!known) {
                        throw unknownCampaign(campaignId);
                    }
                })
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .map(known -> Response.ok(ImportSheet.template(campaignId), Tables.XLSX)
                        .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"import-template.xlsx\"")
                        .build());
    }

    @POST
    @Path("/projects.xlsx")
    @Consumes(Tables.XLSX)
    @Produces(MediaType.APPLICATION_JSON)
    @BodyLimit.Max(MAX_BYTES)
    // Rows become events, and events are written by departments, within their regions: an administrator holds none.
    @RolesAllowed("department")
    @Operation(operationId = "importProjects", summary = "Import projects from a filled template",
            description = "The body is the .xlsx file itself (not multipart). Each row reserves a project (no "
                    + "projectId, or a new one) or corrects the project its projectId names, as the signed-in "
                    + "department, through the same checks as POST /api/v1/events. All or nothing: if any row is "
                    + "refused nothing is stored, and refused lists every refused row. Event ids (and the projectIds "
                    + "of rows without one) derive from the campaign and the row's cells, so the same file uploaded "
                    + "again stores nothing new.")
    @RequestBody(content = @Content(mediaType = Tables.XLSX, schema = @Schema(implementation = FileSchemas.XlsxFile.class)))
    @APIResponse(responseCode = "200", description = "what was stored, or would be, and every refused row")
    @APIResponse(responseCode = "400", description = "/problems/invalid-request: not an .xlsx workbook, a header "
            + "other than the template's, or dryRun neither true nor false")
    @APIResponse(responseCode = "403", description = "/problems/forbidden: the token names no department")
    @APIResponse(responseCode = "404", description = "/problems/unknown-campaign")
    @APIResponse(responseCode = "413", description = "/problems/body-too-large (over " + MAX_BYTES + " bytes, or "
            + "parts holding over " + ImportSheet.MAX_UNZIPPED_BYTES + " bytes uncompressed) or "
            + "/problems/batch-too-large (more rows than a batch may have events; the reading stops at the first)")
    @APIResponse(responseCode = "415", description = "about:blank: the body is not declared Content-Type: " + Tables.XLSX)
    @APIResponse(responseCode = "429", description = "/problems/too-many-events: one event per row; Retry-After")
    public Uni<ImportResult> importProjects(@PathParam("campaignId") String campaignId,
                                            @Parameter(description = "true: check every row, store nothing")
                                            @QueryParam("dryRun") String dryRun,
                                            byte[] body, @Context SecurityContext security,
                                            @HeaderParam(EventsResource.REQUEST_ID) String requestId) {
        if (dryRun != null && !dryRun.equals("true") && !dryRun.equals("false")) {
            throw Problem.of(ProblemType.INVALID_REQUEST, "dryRun must be true or false",
                    List.of(new FieldViolation("dryRun", "must be true or false"))).exception();
        }
        boolean checkOnly = "true".equals(dryRun);
        Sender sender = senders.ofRequest(security, requestId);
        io.vertx.core.Context request = Vertx.currentContext();
        return referenceData.isCampaign(campaignId)
                .invoke(known -> {
                    if (!known) {
                        throw unknownCampaign(campaignId);
                    }
                })
                // Unzipping and reading the workbook takes a while: not on the event loop.
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .map(known -> ImportSheet.read(body, maxRows))
                // Back on the request's context: the checks read the reference data through Hibernate Reactive.
                .emitOn(task -> request.runOnContext(ignored -> task.run()))
                .flatMap(lines -> {
                    rateLimits.take(sender.writer().department(), lines.size());
                    List<Row> rows = lines.stream().map(line -> Row.of(campaignId, line)).toList();
                    if (rows.isEmpty()) {
                        return Uni.createFrom().item(new ImportResult(campaignId, checkOnly, false, 0, 0, 0, List.of()));
                    }
                    return Uni.combine().all().unis(
                                    store.knownProjects(rows.stream().map(Row::projectId).distinct().toList()),
                                    store.storedTypes(rows.stream().map(Row::eventId).toList())).asTuple()
                            .flatMap(found -> submit(campaignId, rows, found.getItem1(), found.getItem2(), sender,
                                    checkOnly));
                });
    }

    private Uni<ImportResult> submit(String campaignId, List<Row> rows, Set<String> knownProjects,
                                     Map<UUID, String> storedTypes, Sender sender, boolean checkOnly) {
        List<IngestService.Posted> batch = new ArrayList<>(rows.size());
        List<String> types = new ArrayList<>(rows.size());
        for (Row row : rows) {
            // The same file again: each row's event is the one stored, whatever the projects are now.
            String type = storedTypes.getOrDefault(row.eventId(),
                    row.givenProjectId() && knownProjects.contains(row.projectId()) ? "ProjectCorrected" : "ProjectReserved");
            types.add(type);
            batch.add(new IngestService.Posted(row.envelope(campaignId, type), sender));
        }
        return ingest.submitAll(batch, checkOnly ? EventStore.Commit.NONE : EventStore.Commit.ALL_OR_NOTHING)
                .map(outcomes -> {
                    List<RefusedRow> refused = new ArrayList<>();
                    int created = 0;
                    int unchanged = 0;
                    for (int i = 0; i < outcomes.size(); i++) {
                        IngestService.Outcome outcome = outcomes.get(i);
                        if (outcome.refusal() != null) {
                            Problem problem = outcome.refusal().problem();
                            refused.add(new RefusedRow(rows.get(i).line().row(), rows.get(i).projectId(), types.get(i),
                                    problem.errors().stream().map(e -> ImportSheet.Column.ofField(e.field()))
                                            .flatMap(Optional::stream).map(c -> c.title).distinct().toList(),
                                    problem));
                        } else if (outcome.result().created()) {
                            created++;
                        } else {
                            unchanged++;
                        }
                    }
                    return new ImportResult(campaignId, checkOnly, !checkOnly && refused.isEmpty(), rows.size(),
                            created, unchanged, refused);
                });
    }

    /** A row with its event id and project, both derived from the campaign and the row's cells. */
    private record Row(ImportSheet.Line line, UUID eventId, String projectId, boolean givenProjectId) {

        static Row of(String campaignId, ImportSheet.Line line) {
            ObjectNode cells = JsonNodeFactory.instance.objectNode();
            line.cells().forEach((column, value) -> put(cells, column.field, value));
            // Not the row's number: the same rows in another order are the same events.
            UUID eventId = UUID.nameUUIDFromBytes(("xlsx-import\n" + campaignId + "\n" + cells)
                    .getBytes(StandardCharsets.UTF_8));
            Object given = line.cells().get(ImportSheet.Column.PROJECT_ID);
            return new Row(line, eventId, given != null ? given.toString() : "XL-" + eventId, given != null);
        }

        ObjectNode envelope(String campaignId, String type) {
            ObjectNode envelope = JsonNodeFactory.instance.objectNode();
            envelope.put("eventId", eventId.toString());
            envelope.put("projectId", projectId);
            envelope.put("type", type);
            ObjectNode data = envelope.putObject("data");
            if (type.equals("ProjectReserved")) {
                data.put("campaignId", campaignId);
            }
            line.cells().forEach((column, value) -> {
                if (column == ImportSheet.Column.DATE) {
                    put(envelope, column.field, value);
                } else if (column != ImportSheet.Column.PROJECT_ID) {
                    put(data, column.field, value);
                }
            });
            return envelope;
        }

        private static void put(ObjectNode node, String field, Object value) {
            if (value instanceof BigDecimal amount) {
                node.put(field, amount);
            } else if (value instanceof List<?> list) {
                ArrayNode items = node.putArray(field);
                list.forEach(item -> items.add(item.toString()));
            } else {
                node.put(field, value.toString());
            }
        }
    }

    private static RuntimeException unknownCampaign(String campaignId) {
        return Problem.of(ProblemType.UNKNOWN_CAMPAIGN, "no campaign '" + campaignId + "'").exception();
    }
}
