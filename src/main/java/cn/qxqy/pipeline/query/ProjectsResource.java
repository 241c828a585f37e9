package cn.qxqy.pipeline.query;

import cn.qxqy.pipeline.campaign.Campaigns;
import cn.qxqy.pipeline.domain.FieldViolation;
import cn.qxqy.pipeline.domain.ProjectIds;
import cn.qxqy.pipeline.domain.ProjectState;
import cn.qxqy.pipeline.domain.Stage;
import cn.qxqy.pipeline.domain.Wording;
import cn.qxqy.pipeline.eventstore.Author;
import cn.qxqy.pipeline.eventstore.EventStore;
import cn.qxqy.pipeline.eventstore.HistoryEntry;
import cn.qxqy.pipeline.problem.Problem;
import cn.qxqy.pipeline.problem.ProblemType;
import cn.qxqy.pipeline.projection.ProjectView;
import cn.qxqy.pipeline.query.ProjectViews.Page;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Projects")
@RolesAllowed({"viewer", "department", "admin"})
public class ProjectsResource {

    private static final int MAX_SIZE = 200;
    private static final int MAX_QUERY_LENGTH = 100;
    /** The switch 含退出, as the search and the exports of the list describe it. */
    static final String INCLUDE_WITHDRAWN = "true: withdrawn projects too (含退出); by default only active ones, as "
            + "the campaign's figures count them. A stage, WITHDRAWN too, lists that stage whatever this says";

    private final ProjectViews views;
    private final KnownAtSearch recorded;
    private final EventStore store;
    private final KnownAtReplay replay;
    private final Campaigns campaigns;
    private final GenerationCache kept;
    private final Clock clock;

    public ProjectsResource(ProjectViews views, KnownAtSearch recorded, EventStore store, KnownAtReplay replay,
                            Campaigns campaigns, GenerationCache kept, Clock clock) {
        this.views = views;
        this.recorded = recorded;
        this.store = store;
        this.replay = replay;
        this.campaigns = campaigns;
        this.kept = kept;
        this.clock = clock;
    }

    @GET
    @Path("/projects")
    @Operation(operationId = "searchProjects",
            summary = "Search projects", description = "Filters combine with AND; q finds the text anywhere in the "
            + "name (case-insensitive). Active projects only, as the campaign's figures count them, unless "
            + "includeWithdrawn=true or a stage is asked for; withdrawn says how many withdrawn projects the other "
            + "filters match. Ties in the sort are broken by projectId in the same direction. Deep pages: "
            + "pass each page's next as cursor instead of counting pages. With asOf, the projects as they stood at "
            + "the end of that day (stage, county and campaign, dates and amounts then) and only those reserved by "
            + "then; with knownAt, as the events recorded by then tell it.")
    @APIResponse(responseCode = "200", description = "the page")
    @APIResponse(responseCode = "400", description = "/problems/invalid-query: errors names each invalid parameter; "
            + "asOf before the campaign's startsOn")
    public Uni<Page> search(@QueryParam("campaignId") String campaignId,
                            @QueryParam("stage") String stage,
                            @QueryParam("regionCode") String regionCode,
                            @QueryParam("industryChain") String industryChain,
                            @QueryParam("category") String category,
                            @Parameter(description = "text anywhere in the name, at most " + MAX_QUERY_LENGTH
                                    + " characters; from 3 characters on the search is index-backed")
                            @QueryParam("q") String q,
                            @Parameter(description = INCLUDE_WITHDRAWN, schema = @Schema(type = SchemaType.BOOLEAN,
                                    defaultValue = "false"))
                            @QueryParam("includeWithdrawn") String includeWithdrawn,
                            // No @DefaultValue: a page given with a cursor must be told from none.
                            @Parameter(description = "page number, from 0; not together with cursor",
                                    schema = @Schema(type = SchemaType.STRING, defaultValue = "0"))
                            @QueryParam("page") String page,
                            @Parameter(description = "page size, 1 to " + MAX_SIZE) @QueryParam("size") @DefaultValue("20") String size,
                            @Parameter(description = "one of name, plannedInvestment, stageDate (date of the current "
                                    + "stage's milestone), reservedOn, signedOn, startedOn, completedOn, projectId; "
                                    + "'-' before it sorts descending")
                            @QueryParam("sort") @DefaultValue("projectId") String sort,
                            @Parameter(description = "the next of an earlier page of this search (same sort and "
                                    + "filters; size may differ): the projects after that page, read in index order "
                                    + "whatever the depth, instead of page; an empty one is none")
                            @QueryParam("cursor") String cursor,
                            @Parameter(description = CampaignsResource.AS_OF) @QueryParam("asOf") String asOf,
                            @Parameter(description = CampaignsResource.KNOWN_AT) @QueryParam("knownAt") String knownAt,
                            @Context RoutingContext request) {
        TimeAxes axes = TimeAxes.of(asOf, knownAt, clock);
        List<FieldViolation> violations = new ArrayList<>();
        int pageNumber = page == null ? 0 : number("page", page, 0, Integer.MAX_VALUE, violations);
        int pageSize = number("size", size, 1, MAX_SIZE, violations);
        if (!ProjectViews.isSort(sort)) {
            violations.add(FieldViolation.of("sort", "query.sort", ProjectViews.sorts()));
        }
        ProjectViews.Filters filters = filters(campaignId, stage, regionCode, industryChain, category, q,
                includeWithdrawn, axes, violations);
        ProjectViews.Cursor after = null;
        if (cursor != null) {
            // Refused rather than ignored: a client sending both would otherwise get a page it did not ask for.
            if (page != null) {
                violations.add(FieldViolation.of("page", "query.page-with-cursor"));
            }
            after = views.cursor(cursor).orElse(null);
            if (after == null) {
                violations.add(FieldViolation.of("cursor", "query.cursor-unknown"));
            } else if (!after.sort().equals(sort)) {
                violations.add(FieldViolation.of("cursor", "query.cursor-sort", after.sort(), sort));
            } else if (!after.filters().equals(filters.digest())) {
                violations.add(FieldViolation.of("cursor", "query.cursor-filters"));
            }
        }
        if (!violations.isEmpty()) {
            throw Problem.of(ProblemType.INVALID_QUERY, Wording.of("query.invalid"), violations).exception();
        }
        ProjectViews.Cursor from = after;
        return kept.answer(request, axes, () -> refuseBeforeStart(campaigns, filters).flatMap(ignored ->
                        axes.knownAt() == null ? views.search(filters, sort, pageSize, pageNumber, from)
                                : recorded.search(filters, sort, pageSize, pageNumber, from)),
                "search", filters, sort, pageSize, pageNumber, cursor);
    }

    /**
     * A 400 naming asOf when it is before the start of the campaign searched: no project counted in it then. A
     * campaign of no such id is left to find nothing, as it always did.
     */
    static Uni<Void> refuseBeforeStart(Campaigns campaigns, ProjectViews.Filters filters) {
        if (filters.axes().asOf() == null || filters.campaignId() == null || filters.campaignId().isBlank()) {
            return Uni.createFrom().voidItem();
        }
        return campaigns.find(filters.campaignId()).invoke(campaign -> {
            if (campaign != null) {
                filters.axes().refuseBefore(campaign.startsOn());
            }
        }).replaceWithVoid();
    }

    @GET
    @Path("/projects/{projectId}")
    @Operation(operationId = "getProject", summary = "A project's current state, milestone dates and amounts",
            description = "From the read models; waitFor=projectId:version waits until that version is projected. "
                    + "With asOf or knownAt, from its history in the event store: the project as it stood at the end "
                    + "of asOf, as recorded by knownAt.")
    @APIResponse(responseCode = "200", description = "the project")
    @APIResponse(responseCode = "400", description = "/problems/invalid-query: asOf or knownAt is malformed or in the future")
    @APIResponse(responseCode = "404", description = "/problems/unknown-project: none of that id, or not yet reserved "
            + "on asOf, or not yet recorded at knownAt")
    public Uni<ProjectView> get(@PathParam("projectId") String projectId,
                                @Parameter(description = CampaignsResource.AS_OF) @QueryParam("asOf") String asOf,
                                @Parameter(description = CampaignsResource.KNOWN_AT) @QueryParam("knownAt") String knownAt) {
        TimeAxes axes = TimeAxes.of(asOf, knownAt, clock);
        refuseOtherStreams(projectId);
        if (axes.equals(TimeAxes.NOW)) {
            return views.find(projectId).onItem().ifNull().failWith(() -> unknownProject(projectId));
        }
        return replay.project(projectId, axes.knownAt()).map(project -> {
            ProjectState then = project.asOf(axes.day(clock)).state();
            if (!then.isKnown()) {
                throw unknownProject(projectId);
            }
            return ProjectView.of(projectId, then);
        });
    }

    @GET
    @Path("/projects/{projectId}/events")
    @Operation(operationId = "getProjectHistory", summary = "A project's history, from the event store",
            description = "Administrators also see who appended each event (author).")
    public Uni<List<HistoryEntry>> history(@PathParam("projectId") String projectId,
                                           @Context SecurityContext security) {
        refuseOtherStreams(projectId);
        Uni<Map<Long, Author>> authors = security.isUserInRole("admin") ? store.authors(projectId)
                : Uni.createFrom().item(Map.of());
        return Uni.combine().all().unis(store.history(projectId), authors).asTuple().map(found -> {
            if (found.getItem1().isEmpty()) {
                throw unknownProject(projectId);
            }
            return found.getItem1().stream()
                    .map(event -> event.toEntry().withAuthor(found.getItem2().get(event.version()))).toList();
        });
    }

    /** The filters of a search, as the search and the exports of the list take them; adds what is invalid. */
    static ProjectViews.Filters filters(String campaignId, String stage, String regionCode, String industryChain,
                                        String category, String q, String includeWithdrawn, TimeAxes axes,
                                        List<FieldViolation> violations) {
        // Refused rather than read as false: a misspelt switch would otherwise quietly hide the withdrawn projects.
        if (includeWithdrawn != null && !includeWithdrawn.equals("true") && !includeWithdrawn.equals("false")) {
            violations.add(FieldViolation.of("includeWithdrawn", "query.include-withdrawn"));
        }
        if (stage != null && Arrays.stream(Stage.values()).noneMatch(s -> s.name().equals(stage))) {
            violations.add(FieldViolation.of("stage", "field.one-of", List.of(Stage.values())));
        }
        if (q != null && q.strip().codePointCount(0, q.strip().length()) > MAX_QUERY_LENGTH) {
            violations.add(FieldViolation.of("q", "field.max-length", MAX_QUERY_LENGTH));
        }
        return new ProjectViews.Filters(campaignId, stage, regionCode, industryChain, category,
                q == null ? null : q.strip(), "true".equals(includeWithdrawn), axes);
    }

    /** A 404 for an id no project can have (a campaign's stream), before the store is asked about it. */
    private static void refuseOtherStreams(String projectId) {
        if (!ProjectIds.isProjectId(projectId)) {
            throw unknownProject(projectId);
        }
    }

    private static RuntimeException unknownProject(String projectId) {
        return Problem.of(ProblemType.UNKNOWN_PROJECT, Wording.of("project.unknown", projectId)).exception();
    }

    private static int number(String name, String value, int min, int max, List<FieldViolation> violations) {
        try {
            int n = Integer.parseInt(value.strip());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        violations.add(FieldViolation.of(name, "query.whole-number", min, max));
        return min;
    }
}
