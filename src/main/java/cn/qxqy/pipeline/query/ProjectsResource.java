package cn.qxqy.pipeline.query;

import cn.qxqy.pipeline.domain.FieldViolation;
import cn.qxqy.pipeline.domain.Stage;
import cn.qxqy.pipeline.eventstore.EventStore;
import cn.qxqy.pipeline.eventstore.HistoryEntry;
import cn.qxqy.pipeline.eventstore.RecordedEvent;
import cn.qxqy.pipeline.problem.Problem;
import cn.qxqy.pipeline.problem.ProblemType;
import cn.qxqy.pipeline.projection.FigureKey;
import cn.qxqy.pipeline.projection.ProjectView;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Projects")
public class ProjectsResource {

    /** One page of projects; {@code total} counts all that match. */
    public record Page(List<ProjectView> items,
                       @Schema(description = "the page number asked for; after a cursor, the number of projects "
                               + "before this page divided by size") int page,
                       int size,
                       long total,
                       @Schema(nullable = true, description = "opaque cursor of the projects after this page, for "
                               + "the cursor parameter of the same search; null on the last page") String next) {
    }

    private static final int MAX_SIZE = 200;
    private static final int MAX_QUERY_LENGTH = 100;
    /** Room for the longest cursor of ours: a 200-character name, every character escaped in JSON. */
    private static final int MAX_CURSOR_LENGTH = 2048;
    /** What pg_trgm makes trigrams of: 3 word characters in a row. */
    private static final Pattern TRIGRAM = Pattern.compile("[\\p{L}\\p{N}]{3}");

    /** The date of the current stage's milestone; V5 indexes this very expression. */
    private static final String STAGE_DATE = "coalesce(withdrawn_on, completed_on, started_on, signed_on, reserved_on)";

    /** The column a search selects its sort key into, for the cursor of its last project. */
    private static final String SORT_KEY = "sort_key";
    /** Amounts in a cursor are plain: an exponent (1E+999999999) would make a number PostgreSQL cannot take. */
    private static final Pattern PLAIN_DECIMAL = Pattern.compile("-?\\d{1,20}(\\.\\d{1,20})?");
    /** Dates in a cursor are ISO with a 4-digit year, within PostgreSQL's dates. */
    private static final Pattern ISO_DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Base64.Encoder BASE64 = Base64.getUrlEncoder().withoutPadding();

    /** How a sort key is written into a cursor (exactly: amounts as plain decimals, dates ISO) and read back. */
    private enum Kind {
        TEXT {
            @Override
            String read(Row row) {
                return row.getString(SORT_KEY);
            }

            @Override
            Object parse(String value) {
                return value;
            }
        },
        AMOUNT {
            @Override
            String read(Row row) {
                BigDecimal amount = row.getBigDecimal(SORT_KEY);
                return amount == null ? null : amount.toPlainString();
            }

            @Override
            Object parse(String value) {
                if (!PLAIN_DECIMAL.matcher(value).matches()) {
                    throw new IllegalArgumentException("not a plain decimal");
                }
                return new BigDecimal(value);
            }
        },
        DATE {
            @Override
            String read(Row row) {
                LocalDate date = row.getLocalDate(SORT_KEY);
                return date == null ? null : date.toString();
            }

            @Override
            Object parse(String value) {
                if (!ISO_DATE.matcher(value).matches()) {
                    throw new IllegalArgumentException("not an ISO date");
                }
                return LocalDate.parse(value);
            }
        };

        abstract String read(Row row);

        abstract Object parse(String value);
    }

    /**
     * A sort key: its SQL expression, its kind, and whether it may be null. Keys that are never null sort in plain
     * ASC/DESC with the project_id tie-break in the same direction, which their V5 indexes serve read forwards
     * or backwards; nullable dates put projects without the date last either way.
     */
    private record Sort(String expression, Kind kind, boolean nullable) {
        String orderBy(boolean descending) {
            String direction = descending ? " DESC" : " ASC";
            return " ORDER BY " + expression + direction + (nullable && descending ? " NULLS LAST" : "")
                    + ", project_id" + direction;
        }

        /**
         * The projects after ({@code key}, {@code projectId}) in {@link #orderBy} order, as a row comparison that
         * the sort's index serves as a range; appends the values to {@code params}.
         */
        String after(boolean descending, Object key, String projectId, List<Object> params) {
            String comparison = descending ? " < " : " > ";
            if (expression.equals("project_id")) {
                params.add(projectId);
                return "project_id" + comparison + "$" + params.size();
            }
            if (key == null) {
                // Past the last dated project: only undated ones remain, in project_id order.
                params.add(projectId);
                return "(" + expression + " IS NULL AND project_id" + comparison + "$" + params.size() + ")";
            }
            params.add(key);
            params.add(projectId);
            String rows = "(" + expression + ", project_id)" + comparison
                    + "($" + (params.size() - 1) + ", $" + params.size() + ")";
            // The comparison is null, not true, for an undated project; those all come after any dated one.
            return nullable ? "(" + rows + " OR " + expression + " IS NULL)" : rows;
        }
    }

    private static final Map<String, Sort> SORTS = Map.of(
            "name", new Sort("name", Kind.TEXT, false),
            "plannedInvestment", new Sort("planned_investment", Kind.AMOUNT, false),
            "stageDate", new Sort(STAGE_DATE, Kind.DATE, false),
            "reservedOn", new Sort("reserved_on", Kind.DATE, true),
            "signedOn", new Sort("signed_on", Kind.DATE, true),
            "startedOn", new Sort("started_on", Kind.DATE, true),
            "completedOn", new Sort("completed_on", Kind.DATE, true),
            "projectId", new Sort("project_id", Kind.TEXT, false));

    /** The sort a {@code sort} parameter names ('-' before it for descending), or null. */
    private static Sort sortNamed(String sort) {
        return SORTS.get(sort.startsWith("-") ? sort.substring(1) : sort);
    }

    /**
     * Where the next page starts: after the project {@code projectId} with sort key {@code key}, in the search with
     * the sort {@code sort} and the filters of digest {@code filters}; {@code position} projects come before it, to
     * number the page. It travels as URL-safe base64 of a JSON array. Nothing in it is trusted: decoding checks every
     * value, and one edited into another valid cursor is just another position in the same search.
     */
    private record Cursor(String sort, String filters, long position, Object key, String projectId) {

        static String encode(String sort, String filters, long position, String key, String projectId) {
            ArrayNode values = JsonNodeFactory.instance.arrayNode()
                    .add(sort).add(filters).add(position).add(key).add(projectId);
            return BASE64.encodeToString(values.toString().getBytes(StandardCharsets.UTF_8));
        }

        static Optional<Cursor> decode(String cursor, ObjectReader json) {
            if (cursor.length() > MAX_CURSOR_LENGTH) {
                return Optional.empty();
            }
            try {
                JsonNode values = json.readTree(Base64.getUrlDecoder().decode(cursor));
                if (values == null || !values.isArray() || values.size() != 5) {
                    return Optional.empty();
                }
                String sort = text(values.get(0));
                Sort order = sortNamed(sort);
                JsonNode position = values.get(2);
                JsonNode key = values.get(3);
                if (order == null || !position.isIntegralNumber() || !position.canConvertToLong()
                        || position.longValue() < 0 || (key.isNull() && !order.nullable())) {
                    return Optional.empty();
                }
                return Optional.of(new Cursor(sort, text(values.get(1)), position.longValue(),
                        key.isNull() ? null : order.kind().parse(text(key)), text(values.get(4))));
            } catch (IllegalArgumentException | DateTimeException | IOException e) {
                return Optional.empty();
            }
        }

        /** Text as a cursor of ours holds it: never a NUL (PostgreSQL refuses it), nor half a surrogate pair. */
        private static String text(JsonNode node) {
            if (!node.isTextual() || node.textValue().codePoints().anyMatch(c -> c == 0
                    || (c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE))) {
                throw new IllegalArgumentException("not text of a cursor");
            }
            return node.textValue();
        }
    }

    /** The rows of a page, and the cursor of the projects after it. */
    private record Slice(List<ProjectView> items, String next) {
    }

    private final Pool pool;
    private final EventStore store;
    private final ObjectMapper mapper;
    /** Reads cursors strictly: anything after the array makes it malformed. */
    private final ObjectReader cursorReader;

    public ProjectsResource(Pool pool, EventStore store, ObjectMapper mapper) {
        this.pool = pool;
        this.store = store;
        this.mapper = mapper;
        this.cursorReader = mapper.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    @GET
    @Path("/projects")
    @Operation(summary = "Search projects", description = "Filters combine with AND; q finds the text anywhere in the "
            + "name (case-insensitive). Ties in the sort are broken by projectId in the same direction. Deep pages: "
            + "pass each page's next as cursor instead of counting pages.")
    public Uni<Page> search(@QueryParam("campaignId") String campaignId,
                            @QueryParam("stage") String stage,
                            @QueryParam("regionCode") String regionCode,
                            @QueryParam("industryChain") String industryChain,
                            @QueryParam("category") String category,
                            @Parameter(description = "text anywhere in the name, at most " + MAX_QUERY_LENGTH
                                    + " characters; from 3 characters on the search is index-backed")
                            @QueryParam("q") String q,
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
                            @QueryParam("cursor") String cursor) {
        List<FieldViolation> violations = new ArrayList<>();
        int pageNumber = page == null ? 0 : number("page", page, 0, Integer.MAX_VALUE, violations);
        int pageSize = number("size", size, 1, MAX_SIZE, violations);
        boolean descending = sort.startsWith("-");
        Sort order = sortNamed(sort);
        if (order == null) {
            violations.add(new FieldViolation("sort", "must be one of " + SORTS.keySet() + ", optionally after '-'"));
        }
        if (stage != null && Arrays.stream(Stage.values()).noneMatch(s -> s.name().equals(stage))) {
            violations.add(new FieldViolation("stage", "must be one of " + List.of(Stage.values())));
        }
        if (q != null && q.strip().codePointCount(0, q.strip().length()) > MAX_QUERY_LENGTH) {
            violations.add(new FieldViolation("q", "must have at most " + MAX_QUERY_LENGTH + " characters"));
        }
        String filters = filtersDigest(campaignId, stage, regionCode, industryChain, category,
                q == null ? null : q.strip());
        Cursor after = null;
        if (cursor != null) {
            // Refused rather than ignored: a client sending both would otherwise get a page it did not ask for.
            if (page != null) {
                violations.add(new FieldViolation("page", "must not be given with cursor"));
            }
            after = Cursor.decode(cursor, cursorReader).orElse(null);
            if (after == null) {
                violations.add(new FieldViolation("cursor", "must be the next of a page of this search"));
            } else if (!after.sort().equals(sort)) {
                violations.add(new FieldViolation("cursor", "was made for sort " + after.sort() + ", not " + sort));
            } else if (!after.filters().equals(filters)) {
                violations.add(new FieldViolation("cursor", "was made for a search with other filters"));
            }
        }
        if (!violations.isEmpty()) {
            throw Problem.of(ProblemType.INVALID_QUERY, "the query has invalid parameters", violations).exception();
        }
        List<Object> params = new ArrayList<>();
        StringBuilder where = new StringBuilder(" WHERE true");
        filter(where, params, "campaign_id = $", campaignId);
        filter(where, params, "stage = $", stage);
        filter(where, params, "region_code = $", regionCode);
        filter(where, params, "industry_chain = $", industryChain);
        // Containment rather than = ANY(categories): only @> can use the GIN index on categories.
        filter(where, params, "categories @> ARRAY[$]::text[]", category);
        if (q != null && !q.isBlank()) {
            nameFilter(where, params, q.strip());
        }
        List<Object> pageParams = new ArrayList<>(params);
        StringBuilder select = new StringBuilder("SELECT " + ProjectView.COLUMNS + ", " + order.expression() + " AS "
                + SORT_KEY + " FROM project_view").append(where);
        if (after != null) {
            select.append(" AND ").append(order.after(descending, after.key(), after.projectId(), pageParams));
        }
        // One row more than the page tells whether a next page exists, whatever the total query says meanwhile.
        pageParams.add(pageSize + 1);
        select.append(order.orderBy(descending)).append(" LIMIT $").append(pageParams.size());
        long first = after == null ? (long) pageNumber * pageSize : after.position();
        if (after == null) {
            pageParams.add(first);
            select.append(" OFFSET $").append(pageParams.size());
        }
        Uni<Slice> items = pool.preparedQuery(select.toString()).execute(Tuple.from(pageParams)).map(rows -> {
            List<ProjectView> views = new ArrayList<>(Math.min(rows.size(), pageSize));
            Row last = null;
            for (Row row : rows) {
                if (views.size() == pageSize) {
                    return new Slice(views, Cursor.encode(sort, filters, first + pageSize, order.kind().read(last),
                            last.getString("project_id")));
                }
                views.add(ProjectView.fromRow(row));
                last = row;
            }
            return new Slice(views, null);
        });
        // The total in a query of its own, run alongside the page: a count(*) OVER () window would make PostgreSQL
        // fetch and sort every match (no top-N sort, no index order) before returning a page, 4 to 7 times slower
        // for broad filters at 100,000 projects (measured with ProjectSearchBenchmark).
        Uni<Long> count = figuresTotal(campaignId, stage, regionCode, industryChain, category, q)
                .orElseGet(() -> pool.preparedQuery("SELECT count(*) AS total FROM project_view" + where)
                        .execute(Tuple.from(params)))
                .map(rows -> rows.iterator().next().getLong("total"));
        int reportedPage = after == null ? pageNumber : (int) Math.min(Integer.MAX_VALUE, after.position() / pageSize);
        return Uni.combine().all().unis(items, count).asTuple()
                .map(t -> new Page(t.getItem1().items(), reportedPage, pageSize, t.getItem2(), t.getItem1().next()));
    }

    /**
     * A digest of the filters as the search applies them (a blank one filters nothing), which ties a cursor to its
     * search without making it as long as q.
     */
    private static String filtersDigest(String... filters) {
        ArrayNode applied = JsonNodeFactory.instance.arrayNode();
        for (String filter : filters) {
            applied.add(filter == null || filter.isBlank() ? null : filter);
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(applied.toString().getBytes(StandardCharsets.UTF_8));
            return BASE64.encodeToString(Arrays.copyOf(digest, 9));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /**
     * The total of a search by campaign and at most one of region, chain or category, read from the campaign
     * figures instead of counted: the projector writes them in the same transaction as the views, so they agree,
     * and a campaign-wide count would otherwise scan every project of the campaign.
     */
    private Optional<Uni<RowSet<Row>>> figuresTotal(String campaignId, String stage, String regionCode,
                                                    String industryChain, String category, String q) {
        if (campaignId == null || campaignId.isBlank() || stage != null || (q != null && !q.isBlank())) {
            return Optional.empty();
        }
        Map<String, String> dimensions = new HashMap<>();
        dimensions.put(FigureKey.REGION, regionCode);
        dimensions.put(FigureKey.CHAIN, industryChain);
        dimensions.put(FigureKey.CATEGORY, category);
        dimensions.values().removeIf(key -> key == null || key.isBlank());
        if (dimensions.size() > 1) {
            return Optional.empty();
        }
        Map.Entry<String, String> row = dimensions.isEmpty()
                ? Map.entry(FigureKey.ALL, "*") : dimensions.entrySet().iterator().next();
        return Optional.of(pool.preparedQuery("SELECT coalesce((SELECT projects + withdrawn FROM campaign_figures "
                        + "WHERE campaign_id = $1 AND dimension = $2 AND key = $3), 0) AS total")
                .execute(Tuple.of(campaignId, row.getKey(), row.getValue())));
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
    public Uni<List<HistoryEntry>> history(@PathParam("projectId") String projectId) {
        return store.history(projectId).map(events -> {
            if (events.isEmpty()) {
                throw unknownProject(projectId);
            }
            return events.stream().map(RecordedEvent::toEntry).toList();
        });
    }

    private static RuntimeException unknownProject(String projectId) {
        return Problem.of(ProblemType.UNKNOWN_PROJECT, "no project '" + projectId + "'").exception();
    }

    /**
     * Finds {@code text} anywhere in the name, ignoring case. With 3 letters or digits in a row it has trigrams, and
     * (I)LIKE uses the trigram index. Otherwise, from 2 characters on, the index of adjacent character pairs (V5)
     * finds the names holding all of the text's pairs, and strpos checks them; a single character is a scan. Each
     * form names its index in the SQL, so that a cached generic plan cannot pick the trigram index for a text that
     * has no trigram (it would read the whole index). Han characters and digits have no case: for them the
     * case-sensitive forms find the same names, several times faster.
     */
    private static void nameFilter(StringBuilder where, List<Object> params, String text) {
        boolean caseless = text.codePoints().allMatch(c -> Character.isIdeographic(c) || Character.isDigit(c));
        if (TRIGRAM.matcher(text).find()) {
            String pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
            filter(where, params, caseless ? "name LIKE $" : "name ILIKE $", pattern);
            return;
        }
        String contains = caseless ? "strpos(name, $) > 0" : "strpos(lower(name), lower($)) > 0";
        filter(where, params, text.codePointCount(0, text.length()) > 1
                ? "bigrams(name) @> bigrams($) AND " + contains : contains, text);
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
