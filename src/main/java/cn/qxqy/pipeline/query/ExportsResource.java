package cn.qxqy.pipeline.query;

import cn.qxqy.pipeline.campaign.CampaignWithTargets;
import cn.qxqy.pipeline.domain.FieldViolation;
import cn.qxqy.pipeline.domain.Stage;
import cn.qxqy.pipeline.domain.Wording;
import cn.qxqy.pipeline.problem.Problem;
import cn.qxqy.pipeline.problem.ProblemType;
import cn.qxqy.pipeline.projection.ProjectView;
import cn.qxqy.pipeline.reference.ReferenceData;
import cn.qxqy.pipeline.reference.ReferenceResource;
import cn.qxqy.pipeline.spreadsheet.FileSchemas;
import cn.qxqy.pipeline.spreadsheet.Tables;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.OutputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The project list and the campaign report as .xlsx and CSV files, the way campaign offices exchange them. Blocking
 * (a worker thread): the files are written as the rows are read, and POI writes to a blocking stream.
 */
@Path("/api/v1/campaigns/{campaignId}")
@Tag(name = "Exports")
@RolesAllowed({"viewer", "department", "admin"})
@Blocking
public class ExportsResource {

    /** Projects read per query while a list is written. */
    private static final int PAGE = 500;

    private final CampaignReads campaigns;
    private final ProjectViews views;
    private final KnownAtSearch knownAt;
    private final ReferenceData referenceData;
    /** In the campaign's zone: 数据截至 and the file's date are Beijing time. */
    private final Clock clock;

    public ExportsResource(CampaignReads campaigns, ProjectViews views, KnownAtSearch knownAt,
                           ReferenceData referenceData, Clock clock) {
        this.campaigns = campaigns;
        this.views = views;
        this.knownAt = knownAt;
        this.referenceData = referenceData;
        this.clock = clock;
    }

    @GET
    @Path("/projects.xlsx")
    @Produces(Tables.XLSX)
    @Operation(operationId = "exportProjectsXlsx", summary = "The campaign's projects as an .xlsx workbook",
            description = "The projects the search with the same filters finds (active ones unless includeWithdrawn), "
                    + "in projectId order, with a totals row; amounts in 万元. The sheet starts with its title (the "
                    + "campaign's name and 数据截至, Beijing time), its columns as wide as their content, the title and "
                    + "header frozen and printed on every page. Written as it is read, however long the list.")
    @APIResponse(responseCode = "200", description = "the workbook, one sheet 项目清单",
            content = @Content(mediaType = Tables.XLSX, schema = @Schema(implementation = FileSchemas.XlsxFile.class)))
    @APIResponse(responseCode = "400", description = "/problems/invalid-query: errors names each invalid filter")
    @APIResponse(responseCode = "404", description = "/problems/unknown-campaign")
    public Response projectsXlsx(@PathParam("campaignId") String campaignId, @QueryParam("stage") String stage,
                                 @QueryParam("regionCode") String regionCode,
                                 @QueryParam("industryChain") String industryChain,
                                 @QueryParam("category") String category, @QueryParam("q") String q,
                                 @Parameter(description = ProjectsResource.INCLUDE_WITHDRAWN,
                                         schema = @Schema(type = SchemaType.BOOLEAN, defaultValue = "false"))
                                 @QueryParam("includeWithdrawn") String includeWithdrawn,
                                 @Parameter(description = CampaignsResource.AS_OF) @QueryParam("asOf") String asOf,
                                 @Parameter(description = CampaignsResource.KNOWN_AT) @QueryParam("knownAt") String knownAt) {
        return projects(campaignId, stage, regionCode, industryChain, category, q, includeWithdrawn,
                TimeAxes.of(asOf, knownAt, clock), Tables::xlsx, "xlsx", Tables.XLSX);
    }

    @GET
    @Path("/projects.csv")
    @Produces(Tables.CSV)
    @Operation(operationId = "exportProjectsCsv",
            summary = "The campaign's projects as CSV", description = "As projects.xlsx, in UTF-8 with a BOM.")
    @APIResponse(responseCode = "200", description = "the list: its title line, its header, its rows, its totals",
            content = @Content(mediaType = Tables.CSV, schema = @Schema(implementation = FileSchemas.CsvFile.class)))
    @APIResponse(responseCode = "400", description = "/problems/invalid-query: errors names each invalid filter")
    @APIResponse(responseCode = "404", description = "/problems/unknown-campaign")
    public Response projectsCsv(@PathParam("campaignId") String campaignId, @QueryParam("stage") String stage,
                                @QueryParam("regionCode") String regionCode,
                                @QueryParam("industryChain") String industryChain,
                                @QueryParam("category") String category, @QueryParam("q") String q,
                                @Parameter(description = ProjectsResource.INCLUDE_WITHDRAWN,
                                        schema = @Schema(type = SchemaType.BOOLEAN, defaultValue = "false"))
                                @QueryParam("includeWithdrawn") String includeWithdrawn,
                                @Parameter(description = CampaignsResource.AS_OF) @QueryParam("asOf") String asOf,
                                @Parameter(description = CampaignsResource.KNOWN_AT) @QueryParam("knownAt") String knownAt) {
        return projects(campaignId, stage, regionCode, industryChain, category, q, includeWithdrawn,
                TimeAxes.of(asOf, knownAt, clock), Tables::csv, "csv", Tables.CSV);
    }

    @GET
    @Path("/report.xlsx")
    @Produces(Tables.XLSX)
    @Operation(operationId = "exportReportXlsx", summary = "The campaign's report as an .xlsx workbook",
            description = "Sheets 汇总, 目标进度, 分县, 分产业链, 分类别 and 月度进展: the figures of summary, progress, "
                    + "breakdown and timeline, with totals rows where the rows add up (not by category). Each sheet "
                    + "starts with its title (the campaign's name and 数据截至, Beijing time).")
    @APIResponse(responseCode = "200", description = "the workbook",
            content = @Content(mediaType = Tables.XLSX, schema = @Schema(implementation = FileSchemas.XlsxFile.class)))
    @APIResponse(responseCode = "404", description = "/problems/unknown-campaign")
    public Response reportXlsx(@PathParam("campaignId") String campaignId,
                               @Parameter(description = CampaignsResource.AS_OF) @QueryParam("asOf") String asOf,
                               @Parameter(description = CampaignsResource.KNOWN_AT) @QueryParam("knownAt") String knownAt) {
        return report(campaignId, TimeAxes.of(asOf, knownAt, clock), Tables::xlsx, "xlsx", Tables.XLSX);
    }

    @GET
    @Path("/report.csv")
    @Produces(Tables.CSV)
    @Operation(operationId = "exportReportCsv", summary = "The campaign's report as CSV",
            description = "The sheets of report.xlsx as sections of one file, one after another, each after its title "
                    + "on a line of its own and a blank line; UTF-8 with a BOM.")
    @APIResponse(responseCode = "200", description = "the report",
            content = @Content(mediaType = Tables.CSV, schema = @Schema(implementation = FileSchemas.CsvFile.class)))
    @APIResponse(responseCode = "404", description = "/problems/unknown-campaign")
    public Response reportCsv(@PathParam("campaignId") String campaignId,
                              @Parameter(description = CampaignsResource.AS_OF) @QueryParam("asOf") String asOf,
                              @Parameter(description = CampaignsResource.KNOWN_AT) @QueryParam("knownAt") String knownAt) {
        return report(campaignId, TimeAxes.of(asOf, knownAt, clock), Tables::csv, "csv", Tables.CSV);
    }

    private Response projects(String campaignId, String stage, String regionCode, String industryChain, String category,
                              String q, String includeWithdrawn, TimeAxes axes,
                              BiFunction<OutputStream, Tables.Title, Tables> format, String extension, String mediaType) {
        List<FieldViolation> violations = new ArrayList<>();
        ProjectViews.Filters filters = ProjectsResource.filters(campaignId, stage, regionCode, industryChain, category,
                q, includeWithdrawn, axes, violations);
        if (!violations.isEmpty()) {
            throw Problem.of(ProblemType.INVALID_QUERY, Wording.of("query.invalid"), violations).exception();
        }
        CampaignWithTargets campaign = await(() -> campaigns.campaign(campaignId));
        await(() -> campaigns.refuseBeforeStart(campaignId, axes));
        ProjectListExport.Names names = new ProjectListExport.Names(names("stages"), names("regions"),
                names("industry-chains"), names("categories"));
        // 数据截至 is the instant before the first read: whatever the read side had by then is in the list.
        Tables.Title title = axes.title(campaign.nameZh(), clock);
        if (axes.knownAt() != null) {
            // The store replayed as recorded then is in memory already: written whole.
            List<ProjectView> recorded = await(() -> knownAt.all(filters)).stream()
                    .filter(p -> !filters.activeOnly() || p.stage() != Stage.WITHDRAWN).toList();
            StreamingOutput body = out -> {
                try (Tables tables = format.apply(out, title)) {
                    ProjectListExport list = new ProjectListExport(tables, names);
                    recorded.forEach(list::add);
                    list.finish();
                }
            };
            return file(body, title, ProjectListExport.SHEET, campaignId + "-projects", extension, mediaType);
        }
        // Read before the answer starts, so that a failing read is still a problem, not a cut file.
        ProjectViews.Slice first = await(() -> views.slice(filters, PAGE, null));
        StreamingOutput body = out -> {
            try (Tables tables = format.apply(out, title)) {
                ProjectListExport list = new ProjectListExport(tables, names);
                ProjectViews.Slice slice = first;
                slice.items().forEach(list::add);
                while (slice.next() != null) {
                    ProjectViews.Cursor after = views.cursor(slice.next()).orElseThrow();
                    slice = await(() -> views.slice(filters, PAGE, after));
                    slice.items().forEach(list::add);
                }
                list.finish();
            }
        };
        return file(body, title, ProjectListExport.SHEET, campaignId + "-projects", extension, mediaType);
    }

    private Response report(String campaignId, TimeAxes axes, BiFunction<OutputStream, Tables.Title, Tables> format,
                            String extension, String mediaType) {
        CampaignWithTargets campaign = await(() -> campaigns.campaign(campaignId));
        await(() -> campaigns.refuseBeforeStart(campaignId, axes));
        // 数据截至 is the instant before the figures are read: whatever the read side had by then is in them.
        Tables.Title title = axes.title(campaign.nameZh(), clock);
        CampaignReport report = await(() -> Uni.combine().all().unis(campaigns.summary(campaignId, axes),
                        campaigns.progress(campaignId, axes), campaigns.breakdown(campaignId, "region", axes),
                        campaigns.breakdown(campaignId, "chain", axes), campaigns.breakdown(campaignId, "category", axes),
                        campaigns.timeline(campaignId, "month", axes)).asTuple()
                .map(t -> new CampaignReport(campaign, t.getItem1(), t.getItem2(), t.getItem3(), t.getItem4(),
                        t.getItem5(), t.getItem6())));
        Map<String, String> stageNames = names("stages");
        StreamingOutput body = out -> {
            try (Tables tables = format.apply(out, title)) {
                report.write(tables, stageNames);
            }
        };
        return file(body, title, CampaignReport.NAME, campaignId + "-report", extension, mediaType);
    }

    private Map<String, String> names(String list) {
        return await(() -> referenceData.list(list)).stream()
                .collect(Collectors.toMap(ReferenceResource.Entry::code, ReferenceResource.Entry::nameZh));
    }

    /**
     * The answer saved as {@code 2024年千项千亿项目大会战-项目清单-20241231.xlsx}, or under its ASCII name
     * ({@code 2024-qxqy-projects-20241231.xlsx}) by a client that reads no other.
     */
    private static Response file(StreamingOutput body, Tables.Title title, String what, String asciiName,
                                 String extension, String mediaType) {
        return Response.ok(body, mediaType).header(HttpHeaders.CONTENT_DISPOSITION, Tables.attachment(
                title.fileName(what, extension), asciiName + "-" + title.day() + "." + extension)).build();
    }

    /**
     * The item of a read, on this worker thread: on a Vert.x context of its own, as the reads through Hibernate
     * Reactive (the reference data, the campaigns) need.
     */
    static <T> T await(Supplier<Uni<T>> read) {
        try {
            return VertxContextSupport.subscribeAndAwait(read);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }
}
