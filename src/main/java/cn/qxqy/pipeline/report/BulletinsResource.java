package cn.qxqy.pipeline.report;

import cn.qxqy.pipeline.query.CampaignsResource;
import cn.qxqy.pipeline.query.TimeAxes;
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
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Clock;
import java.util.List;

/**
 * A campaign's 通报 (排名通报): the workbook on any date, and the issued ones, issued by the city or an administrator
 * and read by everybody with a role.
 */
@Path("/api/v1/campaigns/{campaignId}")
@Tag(name = "Bulletins")
@RolesAllowed({"viewer", "department", "admin"})
public class BulletinsResource {

    /** An issued revision never changes: a cache may keep it as long as it likes. */

    private final Bulletins bulletins;
    private final Senders senders;
    /** In the campaign's zone: 数据截至 and the file's date are Beijing time. */
    private final Clock clock;

    public BulletinsResource(Bulletins bulletins, Senders senders, Clock clock) {
        this.bulletins = bulletins;
        this.senders = senders;
        this.clock = clock;
    }

    @GET
    @Path("/bulletin.xlsx")
    @Produces(Tables.XLSX)
    @Operation(operationId = "exportBulletinXlsx", summary = "The campaign's 通报 as an .xlsx workbook",
            description = "Sheet 排名: 时序进度, then per target the counties in rank order against their shares "
                    + "(completion rate, ratio to 时序进度, the band as a word on its colour, rank, change against the "
                    + "previous month's last day), the city level shown not ranked, the shares' total against the "
                    + "city's target; then the investment rankings. Sheet 督办: each county's follow-up items with "
                    + "their answers, then its counts. Printable on A4 landscape, one page wide. The follow-ups have no "
                    + "record time: with knownAt they are the items of its day as known now.")
    @APIResponse(responseCode = "200", description = "the workbook, sheets 排名 and 督办",
            content = @Content(mediaType = Tables.XLSX, schema = @Schema(implementation = FileSchemas.XlsxFile.class)))
    @APIResponse(responseCode = "400", description = "/problems/invalid-query: errors names asOf or knownAt")
    @APIResponse(responseCode = "404", description = "/problems/unknown-campaign")
    public Uni<Response> liveXlsx(@PathParam("campaignId") String campaignId,
                                  @Parameter(description = CampaignsResource.AS_OF) @QueryParam("asOf") String asOf,
                                  @Parameter(description = CampaignsResource.KNOWN_AT) @QueryParam("knownAt") String knownAt) {
        return bulletins.live(campaignId, TimeAxes.of(asOf, knownAt, clock)).map(file -> Response
                .ok(file.bytes(), Tables.XLSX)
                .header(HttpHeaders.CONTENT_DISPOSITION, Tables.attachment(
                        file.title().fileName(BulletinWorkbook.NAME, "xlsx"),
                        campaignId + "-bulletin-" + file.title().day() + ".xlsx"))
                .build());
    }

    /** What a POST asks for: the month, yyyy-MM. */
    public record IssueRequest(@Schema(description = "the month of the bulletin, yyyy-MM", examples = "2024-06")
                               String period) {
    }

    @POST
    @Path("/bulletins")
    @RolesAllowed({"department", "admin"})
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "issueBulletin", summary = "Issue the campaign's 通报 for a month (通报发布)",
            description = "Freezes the rankings and the follow-up list at the month's last day once the read models "
                    + "hold everything stored when the request came, and records them (canonical JSON, its SHA-256 "
                    + "and the workbook) as an event of the campaign's own stream. Issuing a month again makes its "
                    + "next revision (修订); the earlier ones stay, with the ranks they printed. Only a department "
                    + "holding the campaign's whole city, or an administrator.")
    @APIResponse(responseCode = "201", description = "issued",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = IssuedBulletin.class)))
    @APIResponse(responseCode = "400", description = "/problems/invalid-request: errors names period (malformed, not "
            + "ended yet, or outside the campaign's months)")
    @APIResponse(responseCode = "403", description = "/problems/forbidden: the department does not hold the whole city")
    @APIResponse(responseCode = "404", description = "/problems/unknown-campaign")
    @APIResponse(responseCode = "413", description = "/problems/event-too-large: the bulletin (its follow-up list) "
            + "would take more than an event published on project-events may")
    @APIResponse(responseCode = "503", description = "/problems/not-yet-projected: the read models did not catch up in time")
    public Uni<Response> issue(@PathParam("campaignId") String campaignId, IssueRequest request,
                               @Context SecurityContext security,
                               @HeaderParam(IssuedReportsResource.REQUEST_ID) String requestId) {
        return bulletins.issue(campaignId, request == null ? null : request.period(),
                        senders.ofRequest(security, requestId), security.isUserInRole("admin"))
                .map(issued -> Response.status(Response.Status.CREATED).entity(issued)
                        .header(HttpHeaders.LOCATION, issued.links().json()).build());
    }

    @GET
    @Path("/bulletins")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "listIssuedBulletins", summary = "Every issued revision of the campaign's 通报, newest first")
    @APIResponse(responseCode = "200", description = "the issued bulletins")
    @APIResponse(responseCode = "404", description = "/problems/unknown-campaign")
    public Uni<List<IssuedBulletin>> list(@PathParam("campaignId") String campaignId) {
        return bulletins.list(campaignId);
    }

    @GET
    @Path("/bulletins/{period}/{revision}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "getIssuedBulletin", summary = "An issued 通报's JSON, byte for byte as issued",
            description = "Canonical JSON (keys sorted, no white space, decimals as strings with at least 2 decimals, "
                    + "unlike the live reads' numbers); the strong ETag is its SHA-256, and it never changes.")
    @APIResponse(responseCode = "200", description = "the bulletin as issued",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = IssuedBulletinJson.class)))
    @APIResponse(responseCode = "304", description = "If-None-Match names its digest")
    @APIResponse(responseCode = "404", description = "/problems/unknown-campaign or /problems/unknown-report")
    public Uni<Response> json(@PathParam("campaignId") String campaignId, @PathParam("period") String period,
                              @PathParam("revision") String revision,
                              @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        return bulletins.one(campaignId, period, revision)
                .map(issued -> Issuing.asIssued(issued.bulletin(), issued.digest(), ifNoneMatch));
    }

    @GET
    @Path("/bulletins/{period}/{revision}.xlsx")
    @Produces(Tables.XLSX)
    @Operation(operationId = "getIssuedBulletinXlsx", summary = "An issued 通报's workbook, byte for byte as issued")
    @APIResponse(responseCode = "200", description = "the workbook as issued",
            content = @Content(mediaType = Tables.XLSX, schema = @Schema(implementation = FileSchemas.XlsxFile.class)))
    @APIResponse(responseCode = "404", description = "/problems/unknown-campaign or /problems/unknown-report")
    public Uni<Response> xlsx(@PathParam("campaignId") String campaignId, @PathParam("period") String period,
                              @PathParam("revision") String revision) {
        return bulletins.one(campaignId, period, revision).map(issued -> Response.ok(Bulletins.workbook(issued),
                        Tables.XLSX)
                .header(HttpHeaders.CONTENT_DISPOSITION, Tables.attachment(
                        campaignId + "-通报-" + period + "-第" + revision + "版.xlsx",
                        campaignId + "-bulletin-" + period + "-r" + revision + ".xlsx"))
                .header(HttpHeaders.CACHE_CONTROL, Issuing.IMMUTABLE).build());
    }
}
