package cn.qxqy.pipeline.query;

import cn.qxqy.pipeline.domain.DatedState;
import cn.qxqy.pipeline.domain.Wording;
import cn.qxqy.pipeline.problem.Problem;
import cn.qxqy.pipeline.problem.ProblemType;
import cn.qxqy.pipeline.projection.FigureKey;
import cn.qxqy.pipeline.projection.ProjectView;
import cn.qxqy.pipeline.projection.ProjectionStatuses;
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
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

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
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The projects as the read side has them (table {@code project_view}): one project, and the search with its filters,
 * sorts and cursors. The SQL of each form is written for an index of V5; {@link ProjectsResource} checks the
 * parameters before they get here.
 */
@ApplicationScoped
public class ProjectViews {

    /** One page of projects; {@code total} counts all that match. */
    @Schema(name = "ProjectPage", description = "One page of a project search; total counts all that match")
    public record Page(List<ProjectView> items,
                       @Schema(description = "the page number asked for; after a cursor, the number of projects "
                               + "before this page divided by size") int page,
                       int size,
                       long total,
                       @Schema(description = "how many withdrawn projects match the other filters: what "
                               + "includeWithdrawn=true adds to the list (含退出), or added; with a stage, those of it "
                               + "that are withdrawn") long withdrawn,
                       @Schema(nullable = true, description = "opaque cursor of the projects after this page, for "
                               + "the cursor parameter of the same search; null on the last page") String next) {
    }

    /**
     * The filters of a search; a blank one filters nothing. {@code q} is the text to find in the name, stripped.
     * Without a stage, withdrawn projects are left out unless {@code includeWithdrawn}, as the campaign's figures
     * leave them out; a stage, WITHDRAWN too, is the stage asked for.
     */
    record Filters(String campaignId, String stage, String regionCode, String industryChain, String category,
                   String q, boolean includeWithdrawn, TimeAxes axes) {

        /** Whether the search leaves the withdrawn projects out. */
        boolean activeOnly() {
            return !includeWithdrawn && (stage == null || stage.isBlank());
        }

        /**
         * A digest of the filters as the search applies them (a blank one filters nothing), which ties a cursor to
         * its search without making it as long as q.
         */
        String digest() {
            ArrayNode applied = JsonNodeFactory.instance.arrayNode();
            for (String filter : Arrays.asList(campaignId, stage, regionCode, industryChain, category, q)) {
                applied.add(filter == null || filter.isBlank() ? null : filter);
            }
            applied.add(activeOnly());
            applied.add(String.valueOf(axes.asOf()));
            applied.add(String.valueOf(axes.knownAt()));
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256")
                        .digest(applied.toString().getBytes(StandardCharsets.UTF_8));
                return BASE64.encodeToString(Arrays.copyOf(digest, 9));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java platform has SHA-256", e);
            }
        }
    }

    /** Room for the longest cursor of ours: a 200-character name, every character escaped in JSON. */
    private static final int MAX_CURSOR_LENGTH = 2048;
    /** What pg_trgm makes trigrams of: 3 word characters in a row. */
    private static final Pattern TRIGRAM = Pattern.compile("[\\p{L}\\p{N}]{3}");

    /** The date of the current stage's milestone; V5 indexes this very expression. */
    private static final String STAGE_DATE = "coalesce(withdrawn_on, completed_on, started_on, signed_on, reserved_on)";

    /*
     * As of the day in $1 (DatedState's rules in SQL, so that SQL filters and sorts and Java shapes the rows): a
     * milestone counts from its date, the project where its latest placement begun by then puts it.
     */
    private static final String STAGE_AS_OF = "CASE WHEN withdrawn_on <= $1 THEN 'WITHDRAWN' "
            + "WHEN completed_on <= $1 THEN 'COMPLETED' WHEN started_on <= $1 THEN 'STARTED' "
            + "WHEN signed_on <= $1 THEN 'SIGNED' ELSE 'RESERVED' END";
    private static final String STAGE_DATE_AS_OF = "coalesce(" + String.join(", ", milestoneAsOf("withdrawn_on"),
            milestoneAsOf("completed_on"), milestoneAsOf("started_on"), milestoneAsOf("signed_on")) + ", reserved_on)";
    /** DatedState's rule: a move names only what it moved, so the county and the campaign are found each on its own. */
    private static String placeAsOf(String part) {
        return "(SELECT p->>'" + part + "' FROM jsonb_array_elements(placements) WITH ORDINALITY AS e(p, n) "
                + "WHERE (p->>'from' IS NULL OR (p->>'from')::date <= $1) AND p->>'" + part + "' IS NOT NULL "
                + "ORDER BY n DESC LIMIT 1)";
    }
    /** Only a project that moved can count elsewhere than its columns say: the rest are found by their indexes. */
    private static final String MOVED = "jsonb_array_length(placements) > 1";

    private static String milestoneAsOf(String column) {
        return "CASE WHEN " + column + " <= $1 THEN " + column + " END";
    }

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
    private record Sort(String expression, String asOf, Kind kind, boolean nullable) {

        Sort(String expression, Kind kind, boolean nullable) {
            this(expression, expression, kind, nullable);
        }

        /** The key as of the day in $1 when {@code dated}, else now. */
        Sort on(boolean dated) {
            return new Sort(dated ? asOf : expression, asOf, kind, nullable);
        }

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
            "stageDate", new Sort(STAGE_DATE, STAGE_DATE_AS_OF, Kind.DATE, false),
            "reservedOn", new Sort("reserved_on", Kind.DATE, true),
            "signedOn", new Sort("signed_on", milestoneAsOf("signed_on"), Kind.DATE, true),
            "startedOn", new Sort("started_on", milestoneAsOf("started_on"), Kind.DATE, true),
            "completedOn", new Sort("completed_on", milestoneAsOf("completed_on"), Kind.DATE, true),
            "projectId", new Sort("project_id", Kind.TEXT, false));

    /** The names a {@code sort} parameter may take, each optionally after '-' for descending. */
    static Set<String> sorts() {
        return SORTS.keySet();
    }

    /** The sort a {@code sort} parameter names ('-' before it for descending), or null. */
    private static Sort sortNamed(String sort) {
        return SORTS.get(sort.startsWith("-") ? sort.substring(1) : sort);
    }

    static boolean isSort(String sort) {
        return sortNamed(sort) != null;
    }

    /**
     * Where the next page starts: after the project {@code projectId} with sort key {@code key}, in the search with
     * the sort {@code sort} and the filters of digest {@code filters}; {@code position} projects come before it, to
     * number the page. It travels as URL-safe base64 of a JSON array. Nothing in it is trusted: decoding checks every
     * value, and one edited into another valid cursor is just another position in the same search.
     */
    record Cursor(String sort, String filters, long position, Object key, String projectId) {

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

    /** The rows of a page, and the cursor of the projects after it (null after the last). */
    record Slice(List<ProjectView> items, String next) {
    }

    private final Pool pool;
    private final ProjectionStatuses statuses;
    /** Reads cursors strictly: anything after the array makes it malformed. */
    private final ObjectReader cursorReader;

    public ProjectViews(Pool pool, ProjectionStatuses statuses, ObjectMapper mapper) {
        this.pool = pool;
        this.statuses = statuses;
        this.cursorReader = mapper.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /** The project's view, or null when there is no such project. */
    public Uni<ProjectView> find(String projectId) {
        return pool.preparedQuery("SELECT " + ProjectView.COLUMNS + " FROM project_view WHERE project_id = $1")
                .execute(Tuple.of(projectId))
                .map(rows -> rows.size() == 0 ? null : ProjectView.fromRow(rows.iterator().next()));
    }

    /** The cursor a {@code cursor} parameter holds, if it is one of ours. */
    Optional<Cursor> cursor(String cursor) {
        return Cursor.decode(cursor, cursorReader);
    }

    /**
     * A page of the projects that match {@code filters}, in the order {@code sort} names: the projects after
     * {@code after} when a cursor is given, else page {@code pageNumber}.
     */
    Uni<Page> search(Filters filters, String sort, int pageSize, int pageNumber, Cursor after) {
        List<Object> params = new ArrayList<>();
        String where = where(filters, true, params);
        Uni<Slice> items = slice(filters, sort, pageSize, pageNumber, after);
        // The counts in a query of their own, run alongside the page: a count(*) OVER () window would make PostgreSQL
        // fetch and sort every match (no top-N sort, no index order) before returning a page, 4 to 7 times slower
        // for broad filters at 100,000 projects (measured with ProjectSearchBenchmark). Counted with the withdrawn
        // ones, which are told apart in the same pass, to say what includeWithdrawn adds.
        Uni<Row> counts = figuresCounts(filters)
                .orElseGet(() -> pool.preparedQuery("SELECT count(*) FILTER (WHERE " + stage(filters.axes().asOf())
                                + " <> 'WITHDRAWN') AS projects, count(*) FILTER (WHERE " + stage(filters.axes().asOf())
                                + " = 'WITHDRAWN') AS withdrawn FROM project_view" + where)
                        .execute(Tuple.from(params)))
                .map(rows -> rows.iterator().next());
        int reportedPage = after == null ? pageNumber : (int) Math.min(Integer.MAX_VALUE, after.position() / pageSize);
        return Uni.combine().all().unis(items, counts).asTuple().map(t -> {
            long withdrawn = t.getItem2().getLong("withdrawn");
            long total = t.getItem2().getLong("projects") + (filters.activeOnly() ? 0 : withdrawn);
            return new Page(t.getItem1().items(), reportedPage, pageSize, total, withdrawn, t.getItem1().next());
        });
    }

    /** Every project that matches {@code filters}, in projectId order, a page at a time without counting them. */
    Uni<Slice> slice(Filters filters, int pageSize, Cursor after) {
        return slice(filters, "projectId", pageSize, 0, after);
    }

    /** The filters as SQL; {@code withdrawnToo}: whatever the filters say of withdrawn projects, for counting them. */
    private static String where(Filters filters, boolean withdrawnToo, List<Object> params) {
        LocalDate day = filters.axes().asOf();
        StringBuilder where = new StringBuilder(" WHERE true");
        if (day != null) {
            params.add(day);
            where.append(" AND reserved_on <= $1");
        }
        if (filters.activeOnly() && !withdrawnToo) {
            where.append(" AND ").append(stage(day)).append(" <> 'WITHDRAWN'");
        }
        filter(where, params, day == null ? "campaign_id = ?"
                : "(campaign_id = ? OR " + MOVED + ") AND " + placeAsOf("campaignId") + " = ?", filters.campaignId());
        filter(where, params, stage(day) + " = ?", filters.stage());
        filter(where, params, day == null ? "region_code = ?"
                : "(region_code = ? OR " + MOVED + ") AND " + placeAsOf("regionCode") + " = ?", filters.regionCode());
        filter(where, params, "industry_chain = ?", filters.industryChain());
        // Containment rather than = ANY(categories): only @> can use the GIN index on categories.
        filter(where, params, "categories @> ARRAY[?]::text[]", filters.category());
        if (filters.q() != null && !filters.q().isBlank()) {
            nameFilter(where, params, filters.q());
        }
        return where.toString();
    }

    /**
     * With an asOf, a 503 until the rebuild V14 requires has swapped, as the campaign reads answer
     * ({@link CampaignFigures}): the views written before have no dated columns to read a day from.
     */
    private Uni<Slice> slice(Filters filters, String sort, int pageSize, int pageNumber, Cursor after) {
        if (filters.axes().asOf() == null) {
            return sliceOf(filters, sort, pageSize, pageNumber, after);
        }
        return statuses.rebuildRequired().flatMap(required -> {
            if (required) {
                throw notYetRebuilt();
            }
            return sliceOf(filters, sort, pageSize, pageNumber, after);
        });
    }

    private static RuntimeException notYetRebuilt() {
        return Problem.of(ProblemType.NOT_YET_PROJECTED, Wording.of("query.rebuild-required")).exception();
    }

    private Uni<Slice> sliceOf(Filters filters, String sort, int pageSize, int pageNumber, Cursor after) {
        boolean descending = sort.startsWith("-");
        LocalDate day = filters.axes().asOf();
        Sort order = sortNamed(sort).on(day != null);
        String digest = filters.digest();
        List<Object> pageParams = new ArrayList<>();
        String where = where(filters, false, pageParams);
        StringBuilder select = new StringBuilder("SELECT " + ProjectView.COLUMNS
                + (day == null ? "" : ", " + ProjectView.DATED_COLUMNS) + ", " + order.expression() + " AS "
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
        return pool.preparedQuery(select.toString()).execute(Tuple.from(pageParams)).map(rows -> {
            List<ProjectView> views = new ArrayList<>(Math.min(rows.size(), pageSize));
            Row last = null;
            for (Row row : rows) {
                if (views.size() == pageSize) {
                    return new Slice(views, Cursor.encode(sort, digest, first + pageSize, order.kind().read(last),
                            last.getString("project_id")));
                }
                views.add(day == null ? ProjectView.fromRow(row) : asOf(row, day));
                last = row;
            }
            return new Slice(views, null);
        });
    }

    /** A row of the view as the project stood at the end of {@code day}. */
    private static ProjectView asOf(Row row, LocalDate day) {
        DatedState project = ProjectView.datedState(row);
        if (project == null) {
            // Only a view written before V14, which the rebuild it requires rewrites: not yet, as above.
            throw notYetRebuilt();
        }
        return ProjectView.of(row.getString("project_id"), project.asOf(day).state());
    }

    /**
     * The counts of a search by campaign and at most one of region, chain or category, read from the campaign
     * figures instead of counted: the projector writes them in the same transaction as the views, so they agree,
     * and a campaign-wide count would otherwise scan every project of the campaign.
     */
    private Optional<Uni<RowSet<Row>>> figuresCounts(Filters filters) {
        String campaignId = filters.campaignId();
        if (campaignId == null || campaignId.isBlank() || filters.axes().asOf() != null || filters.stage() != null
                || (filters.q() != null && !filters.q().isBlank())) {
            return Optional.empty();
        }
        Map<String, String> dimensions = new HashMap<>();
        dimensions.put(FigureKey.REGION, filters.regionCode());
        dimensions.put(FigureKey.CHAIN, filters.industryChain());
        dimensions.put(FigureKey.CATEGORY, filters.category());
        dimensions.values().removeIf(key -> key == null || key.isBlank());
        if (dimensions.size() > 1) {
            return Optional.empty();
        }
        Map.Entry<String, String> row = dimensions.isEmpty()
                ? Map.entry(FigureKey.ALL, "*") : dimensions.entrySet().iterator().next();
        return Optional.of(pool.preparedQuery("SELECT coalesce(sum(projects), 0)::bigint AS projects, "
                        + "coalesce(sum(withdrawn), 0)::bigint AS withdrawn FROM campaign_figures "
                        + "WHERE campaign_id = $1 AND dimension = $2 AND key = $3")
                .execute(Tuple.of(campaignId, row.getKey(), row.getValue())));
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
            filter(where, params, caseless ? "name LIKE ?" : "name ILIKE ?", pattern);
            return;
        }
        String contains = caseless ? "strpos(name, ?) > 0" : "strpos(lower(name), lower(?)) > 0";
        filter(where, params, text.codePointCount(0, text.length()) > 1
                ? "bigrams(name) @> bigrams(?) AND " + contains : contains, text);
    }

    /** The stage now, or as of the day in $1. */
    private static String stage(LocalDate day) {
        return day == null ? "stage" : STAGE_AS_OF;
    }

    /** Appends the condition with {@code value} for each {@code ?} in it, unless the value is blank. */
    private static void filter(StringBuilder where, List<Object> params, String condition, String value) {
        if (value != null && !value.isBlank()) {
            params.add(value);
            where.append(" AND ").append(condition.replace("?", "$" + params.size()));
        }
    }
}
