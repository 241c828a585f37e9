package cn.qxqy.pipeline.query;

import cn.qxqy.pipeline.domain.FieldViolation;
import cn.qxqy.pipeline.domain.Stage;
import cn.qxqy.pipeline.eventstore.EventStore;
import cn.qxqy.pipeline.eventstore.RecordedEvent;
import cn.qxqy.pipeline.problem.Problem;
import cn.qxqy.pipeline.projection.ProjectView;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Projects")
public class ProjectsResource {

    /** One page of projects; {@code total} counts all that match. */
    public record Page(List<ProjectView> items, int page, int size, long total) {
    }

    private static final int MAX_SIZE = 200;
    private static final Map<String, String> SORTS = Map.of(
            "name", "name", "plannedInvestment", "planned_investment", "reservedOn", "reserved_on",
            "signedOn", "signed_on", "startedOn", "started_on", "completedOn", "completed_on", "projectId", "project_id");

    private final Pool pool;
    private final EventStore store;
    private final ObjectMapper mapper;

    public ProjectsResource(Pool pool, EventStore store, ObjectMapper mapper) {
        this.pool = pool;
        this.store = store;
        this.mapper = mapper;
    }

    @GET
    @Path("/projects")
    @Operation(summary = "Search projects", description = "Filters combine with AND; q finds the text anywhere in the name.")
    public Uni<Page> search(@QueryParam("campaignId") String campaignId,
                            @QueryParam("stage") String stage,
                            @QueryParam("regionCode") String regionCode,
                            @QueryParam("industryChain") String industryChain,
                            @QueryParam("category") String category,
                            @QueryParam("q") String q,
                            @Parameter(description = "page number, from 0") @QueryParam("page") @DefaultValue("0") String page,
                            @QueryParam("size") @DefaultValue("20") String size,
                            @Parameter(description = "one of " + "name, plannedInvestment, reservedOn, signedOn, startedOn, "
                                    + "completedOn, projectId; '-' before it sorts descending")
                            @QueryParam("sort") @DefaultValue("projectId") String sort) {
        List<FieldViolation> violations = new ArrayList<>();
        int pageNumber = number("page", page, 0, Integer.MAX_VALUE, violations);
        int pageSize = number("size", size, 1, MAX_SIZE, violations);
        boolean descending = sort.startsWith("-");
        String sortColumn = SORTS.get(descending ? sort.substring(1) : sort);
        if (sortColumn == null) {
            violations.add(new FieldViolation("sort", "must be one of " + SORTS.keySet() + ", optionally after '-'"));
        }
        if (stage != null && java.util.Arrays.stream(Stage.values()).noneMatch(s -> s.name().equals(stage))) {
            violations.add(new FieldViolation("stage", "must be one of " + List.of(Stage.values())));
        }
        if (!violations.isEmpty()) {
            throw new Problem(null, "Invalid query", 400, "the query has invalid parameters", violations).exception();
        }
        List<Object> params = new ArrayList<>();
        StringBuilder where = new StringBuilder(" WHERE true");
        filter(where, params, "campaign_id = $", campaignId);
        filter(where, params, "stage = $", stage);
        filter(where, params, "region_code = $", regionCode);
        filter(where, params, "industry_chain = $", industryChain);
        filter(where, params, "$ = ANY(categories)", category);
        if (q != null && !q.isBlank()) {
            filter(where, params, "name ILIKE $", "%" + q.strip().replace("\\", "\\\\").replace("%", "\\%")
                    .replace("_", "\\_") + "%");
        }
        String order = " ORDER BY " + sortColumn + (descending ? " DESC NULLS LAST" : " ASC NULLS LAST")
                + ", project_id";
        List<Object> pageParams = new ArrayList<>(params);
        pageParams.add(pageSize);
        pageParams.add((long) pageNumber * pageSize);
        String select = "SELECT " + ProjectView.COLUMNS + ", count(*) OVER () AS total FROM project_view" + where + order
                + " LIMIT $" + (params.size() + 1) + " OFFSET $" + (params.size() + 2);
        return pool.preparedQuery(select).execute(Tuple.from(pageParams)).flatMap(rows -> {
            List<ProjectView> items = new ArrayList<>(rows.size());
            long total = 0;
            for (Row row : rows) {
                items.add(ProjectView.fromRow(row));
                total = row.getLong("total");
            }
            if (!items.isEmpty() || pageNumber == 0) {
                return Uni.createFrom().item(new Page(items, pageNumber, pageSize, total));
            }
            // Past the last page the window function has no row to report the total on.
            return pool.preparedQuery("SELECT count(*) AS total FROM project_view" + where).execute(Tuple.from(params))
                    .map(count -> new Page(items, pageNumber, pageSize, count.iterator().next().getLong("total")));
        });
    }

    @GET
    @Path("/projects/{projectId}")
    @Operation(summary = "A project's current state, milestone dates and amounts")
    public Uni<ProjectView> get(@PathParam("projectId") String projectId) {
        return pool.preparedQuery("SELECT " + ProjectView.COLUMNS + " FROM project_view WHERE project_id = $1")
                .execute(Tuple.of(projectId))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw unknownProject(projectId);
                    }
                    return ProjectView.fromRow(rows.iterator().next());
                });
    }

    @GET
    @Path("/projects/{projectId}/events")
    @Operation(summary = "A project's history, from the event store")
    public Uni<List<JsonNode>> history(@PathParam("projectId") String projectId) {
        return store.history(projectId).map(events -> {
            if (events.isEmpty()) {
                throw unknownProject(projectId);
            }
            List<JsonNode> json = new ArrayList<>(events.size());
            for (RecordedEvent event : events) {
                json.add(event.toJson(mapper));
            }
            return json;
        });
    }

    private static RuntimeException unknownProject(String projectId) {
        return Problem.of(404, "Unknown project", "no project '" + projectId + "'").exception();
    }

    private static void filter(StringBuilder where, List<Object> params, String condition, String value) {
        if (value != null && !value.isBlank()) {
            params.add(value);
            where.append(" AND ").append(condition.replace("$", "$" + params.size()));
        }
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
        violations.add(new FieldViolation(name, "must be a whole number from " + min + " to " + max));
        return min;
    }
}
