package cn.qxqy.pipeline.report;

import cn.qxqy.pipeline.security.Senders;
import cn.qxqy.pipeline.spreadsheet.FileSchemas;
import cn.qxqy.pipeline.spreadsheet.Tables;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/** A campaign's issued monthly reports (月报): issued by the city or an administrator, read by everybody with a role. */
@Path("/api/v1/campaigns/{campaignId}/reports")
@Tag(name = "Issued reports")
@RolesAllowed({"viewer", "department", "admin"})
public class IssuedReportsResource {

    /** An issued revision never changes: a cache may keep it as long as it likes. */
    static final String REQUEST_ID = "X-Request-Id";

    private final IssuedReports reports;
    private final Senders senders;

    public IssuedReportsResource(IssuedReports reports, Senders senders) {
        this.reports = reports;
        this.senders = senders;
    }

    /** What a POST asks for: the month, yyyy-MM. */
    public record IssueRequest(@Schema(description = "the month reported, yyyy-MM", examples = "2024-06") String period) {
    }

    @POST
    @RolesAllowed({"department", "admin"})
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "issueReport", summary = "Issue the campaign's report for a month (月报发布)",
            description = "Freezes the figures at the month's last day once the read models hold everything stored when "
                    + "the request came, and records them (canonical JSON, its SHA-256 and the workbook) as an event "
                    + "of the campaign's own stream. Issuing a month again makes its next revision (修订); the earlier "
                    + "ones stay. Only a department holding the campaign's whole city, or an administrator.")
    @APIResponse(responseCode = "201", description = "issued",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = IssuedReport.class)))
    @APIResponse(responseCode = "400", description = "/problems/invalid-request: errors names period (malformed, not "
            + "ended yet, or before the campaign's first month)")
    @APIResponse(responseCode = "403", description = "/problems/forbidden: the department does not hold the whole city")
    @APIResponse(responseCode = "404", description = "/problems/unknown-campaign")
    @APIResponse(responseCode = "503", description = "/problems/not-yet-projected: the read models did not catch up in time")
    public Uni<Response> issue(@PathParam("campaignId") String campaignId, IssueRequest request,
                               @Context SecurityContext security, @HeaderParam(REQUEST_ID) String requestId) {
        return reports.issue(campaignId, request == null ? null : request.period(),
                        senders.ofRequest(security, requestId), security.isUserInRole("admin"))
                .map(issued -> Response.status(Response.Status.CREATED).entity(issued)
                        .header(HttpHeaders.LOCATION, issued.links().json()).build());
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "listIssuedReports", summary = "Every issued revision of the campaign's reports, newest first")
    @APIResponse(responseCode = "200", description = "the issued reports")
    @APIResponse(responseCode = "404", description = "/problems/unknown-campaign")
    public Uni<List<IssuedReport>> list(@PathParam("campaignId") String campaignId) {
        return reports.list(campaignId);
    }

    @GET
    @Path("/{period}/{revision}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "getIssuedReport", summary = "An issued report's JSON, byte for byte as issued",
            description = "Canonical JSON (keys sorted, no white space, amounts as strings with at least 2 decimals, "
                    + "unlike the live reads' numbers); the strong ETag is its SHA-256, and it never changes.")
    @APIResponse(responseCode = "200", description = "the report as issued",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = IssuedReportJson.class)))
    @APIResponse(responseCode = "304", description = "If-None-Match names its digest")
    @APIResponse(responseCode = "404", description = "/problems/unknown-campaign or /problems/unknown-report")
    public Uni<Response> json(@PathParam("campaignId") String campaignId, @PathParam("period") String period,
                              @PathParam("revision") String revision, @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        return reports.one(campaignId, period, revision)
                .map(issued -> Issuing.asIssued(issued.report(), issued.digest(), ifNoneMatch));
    }

    @GET
    @Path("/{period}/{revision}.xlsx")
    @Produces(Tables.XLSX)
    @Operation(operationId = "getIssuedReportXlsx", summary = "An issued report's workbook, byte for byte as issued")
    @APIResponse(responseCode = "200", description = "the workbook as issued",
            content = @Content(mediaType = Tables.XLSX, schema = @Schema(implementation = FileSchemas.XlsxFile.class)))
    @APIResponse(responseCode = "404", description = "/problems/unknown-campaign or /problems/unknown-report")
    public Uni<Response> xlsx(@PathParam("campaignId") String campaignId, @PathParam("period") String period,
                              @PathParam("revision") String revision) {
        return reports.one(campaignId, period, revision).map(issued -> Response.ok(IssuedReports.workbook(issued),
                        Tables.XLSX)
                .header(HttpHeaders.CONTENT_DISPOSITION, Tables.attachment(
                        campaignId + "-月报-" + period + "-第" + revision + "版.xlsx",
                        campaignId + "-report-" + period + "-r" + revision + ".xlsx"))
                .header(HttpHeaders.CACHE_CONTROL, Issuing.IMMUTABLE).build());
    }

    @GET
    @Path("/{period}/{revision}/restatement")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "getReportRestatement", summary = "The figures of an issued report that differ now (重述)",
            description = "Each figure of the issued JSON whose value, read now for the same asOf, differs: its path, "
                    + "the issued value, the value now and the difference.")
    @APIResponse(responseCode = "200", description = "the restatement")
    @APIResponse(responseCode = "404", description = "/problems/unknown-campaign or /problems/unknown-report")
    public Uni<Restatement> restatement(@PathParam("campaignId") String campaignId, @PathParam("period") String period,
                                        @PathParam("revision") String revision) {
        return reports.restatement(campaignId, period, revision);
    }
}
