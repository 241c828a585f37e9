package cn.qxqy.pipeline.projection;

import cn.qxqy.pipeline.domain.DatedState;
import cn.qxqy.pipeline.domain.ProjectFields;
import cn.qxqy.pipeline.domain.ProjectState;
import cn.qxqy.pipeline.domain.Stage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** A project's current state as the read side shows it (table {@code project_view}). */
@Schema(name = "Project", description = "A project's current state, milestone dates and amounts (万元)")
public record ProjectView(
        String projectId,
        long version,
        Stage stage,
        String name,
        String campaignId,
        String regionCode,
        String industryChain,
        List<String> categories,
        BigDecimal plannedInvestment,
        @Schema(nullable = true) BigDecimal annualPlannedInvestment,
        @Schema(nullable = true) String zone,
        @Schema(nullable = true) String owner,
        @Schema(nullable = true) String projectCode,
        @Schema(nullable = true, description = "计划开工日期: may lie ahead") LocalDate plannedStartOn,
        @Schema(nullable = true, description = "计划竣工日期: may lie ahead") LocalDate plannedCompletionOn,
        @Schema(nullable = true) BigDecimal signedInvestment,
        @Schema(nullable = true) String investor,
        LocalDate reservedOn,
        @Schema(nullable = true) LocalDate signedOn,
        @Schema(nullable = true) LocalDate startedOn,
        @Schema(nullable = true) LocalDate completedOn,
        @Schema(nullable = true) LocalDate withdrawnOn,
        @Schema(nullable = true) YearMonth reportedPeriod,
        @Schema(nullable = true) BigDecimal investmentToDate) {

    /** The columns of each project field, in {@link ProjectFields#ALL}'s order: the field's name in snake case. */
    static final List<String> FIELD_COLUMNS = ProjectFields.ALL.stream()
            .map(field -> field.name().replaceAll("([A-Z])", "_$1").toLowerCase(Locale.ROOT)).toList();

    public static final String COLUMNS = "project_id, version, stage, " + String.join(", ", FIELD_COLUMNS);

    /**
     * What a project's {@link DatedState} holds beyond its state (V14, V16): the last report of each period, the
     * placements and the day each period was first reported, as JSON; null in a view a release before them wrote. Select them beside {@link #COLUMNS} for
     * {@link #datedState(Row)}.
     */
    public static final String DATED_COLUMNS = "reports, placements, reported_on";

    /**
     * What the follow-up list reads to pass over, without a series of months, every project that reports on time
     * (V21): the most days after the 1st of the next month that a period since the start was first reported (null
     * without such reports), and the 1st of the first month since the start, up to the completion's, with no report
     * at all (null when not started, or none). A report item is open or closed late only where a report came after
     * its due day (the delay reaches the due day) or never came (the first month unreported is due).
     */
    static final String REPORTING_COLUMNS = "report_delay_max, first_unreported";

    // A rebuild turns a million rows back into states: no search of the list per field.
    private static final Map<ProjectFields.Field, Integer> FIELD_INDEX = IntStream.range(0, ProjectFields.ALL.size())
            .boxed().collect(Collectors.toUnmodifiableMap(ProjectFields.ALL::get, i -> i));

    /** The components before the project fields: id, version, stage. */
    private static final int FIRST_FIELD = 3;
    private static final RecordComponent[] COMPONENTS = ProjectView.class.getRecordComponents();
    private static final Constructor<ProjectView> CONSTRUCTOR = canonicalConstructor();

    public static ProjectView of(String projectId, ProjectState s) {
        Object[] components = new Object[COMPONENTS.length];
        components[0] = projectId;
        components[1] = s.version();
        components[2] = s.stage();
        for (int i = 0; i < ProjectFields.ALL.size(); i++) {
            components[FIRST_FIELD + i] = ProjectFields.ALL.get(i).of(s);
        }
        return create(components);
    }

    public static ProjectView fromRow(Row row) {
        Object[] components = new Object[COMPONENTS.length];
        components[0] = row.getString("project_id");
        components[1] = row.getLong("version");
        components[2] = Stage.valueOf(row.getString("stage"));
        for (int i = 0; i < ProjectFields.ALL.size(); i++) {
            String column = FIELD_COLUMNS.get(i);
            components[FIRST_FIELD + i] = switch (ProjectFields.ALL.get(i).kind()) {
                case TEXT -> row.getString(column);
                case AMOUNT -> row.getBigDecimal(column);
                case DATE -> row.getLocalDate(column);
                case MONTH -> {
                    String period = row.getString(column);
                    yield period == null ? null : YearMonth.parse(period);
                }
                case TEXT_LIST -> Arrays.asList(row.getArrayOfStrings(column));
            };
        }
        return create(components);
    }

    /**
     * The project's history folded for reads on any day, from a row of {@link #COLUMNS} and {@link #DATED_COLUMNS};
     * null when the row has no dated columns yet (written by an earlier release: replay the history instead).
     */
    public static DatedState datedState(Row row) {
        JsonObject reports = row.getJsonObject("reports");
        JsonArray placements = row.getJsonArray("placements");
        JsonObject reportedOn = row.getJsonObject("reported_on");
        if (reports == null || placements == null || reportedOn == null) {
            return null;
        }
        TreeMap<YearMonth, LocalDate> firstReports = new TreeMap<>();
        reportedOn.forEach(report -> firstReports.put(YearMonth.parse(report.getKey()), LocalDate.parse((String) report.getValue())));
        TreeMap<YearMonth, BigDecimal> byPeriod = new TreeMap<>();
        reports.forEach(report -> byPeriod.put(YearMonth.parse(report.getKey()), new BigDecimal((String) report.getValue())));
        List<DatedState.Placement> places = new ArrayList<>(placements.size());
        for (int i = 0; i < placements.size(); i++) {
            JsonObject place = placements.getJsonObject(i);
            String from = place.getString("from");
            places.add(new DatedState.Placement(from == null ? null : LocalDate.parse(from), place.getString("campaignId"),
                    place.getString("regionCode")));
        }
        return new DatedState(fromRow(row).toState(), byPeriod, firstReports, places);
    }

    /** The values of a view row ({@code ProjectionTables}' view columns) for a project in {@code state}. */
    static Tuple values(String projectId, DatedState state, long lastPosition) {
        JsonObject reports = new JsonObject();
        state.reports().forEach((period, amount) -> reports.put(period.toString(), amount.toPlainString()));
        JsonArray placements = new JsonArray();
        for (DatedState.Placement place : state.placements()) {
            placements.add(new JsonObject().put("from", place.from() == null ? null : place.from().toString())
                    .put("campaignId", place.campaignId()).put("regionCode", place.regionCode()));
        }
        JsonObject reportedOn = new JsonObject();
        state.reportedOn().forEach((period, day) -> reportedOn.put(period.toString(), day.toString()));
        return of(projectId, state.current()).values(lastPosition)
                .addString(reports.encode()).addString(placements.encode()).addString(reportedOn.encode())
                .addInteger(reportDelayMax(state)).addLocalDate(firstUnreported(state));
    }

    /** See {@link #REPORTING_COLUMNS}. */
    static Integer reportDelayMax(DatedState state) {
        LocalDate startedOn = state.current().milestones().startedOn();
        if (startedOn == null) {
            return null;
        }
        Integer most = null;
        for (Map.Entry<YearMonth, LocalDate> report : state.reportedOn().tailMap(YearMonth.from(startedOn)).entrySet()) {
            int delay = (int) ChronoUnit.DAYS.between(report.getKey().plusMonths(1).atDay(1), report.getValue());
            most = most == null ? delay : Math.max(most, delay);
        }
        return most;
    }

    /** See {@link #REPORTING_COLUMNS}. */
    static LocalDate firstUnreported(DatedState state) {
        LocalDate startedOn = state.current().milestones().startedOn();
        if (startedOn == null) {
            return null;
        }
        LocalDate completedOn = state.current().milestones().completedOn();
        YearMonth last = completedOn == null ? null : YearMonth.from(completedOn);
        YearMonth month = YearMonth.from(startedOn);
        while (state.reportedOn().containsKey(month) && (last == null || !month.isAfter(last))) {
            month = month.plusMonths(1);
        }
        return last != null && month.isAfter(last) ? null : month.atDay(1);
    }

    ProjectState toState() {
        return ProjectFields.state(version, stage, field -> component(FIELD_INDEX.get(field)));
    }

    Tuple values(long lastPosition) {
        List<Object> values = new ArrayList<>(COMPONENTS.length + 1);
        values.addAll(List.of(projectId, version, lastPosition, stage.name()));
        for (int i = 0; i < ProjectFields.ALL.size(); i++) {
            Object value = component(i);
            values.add(value == null ? null : switch (ProjectFields.ALL.get(i).kind()) {
                case TEXT_LIST -> ((List<?>) value).toArray(String[]::new);
                case MONTH -> value.toString();
                case TEXT, AMOUNT, DATE -> value;
            });
        }
        return Tuple.from(values);
    }

    /** The value of the project field at {@code index} in {@link ProjectFields#ALL}. */
    private Object component(int index) {
        try {
            return COMPONENTS[FIRST_FIELD + index].getAccessor().invoke(this);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ProjectView create(Object[] components) {
        try {
            return CONSTRUCTOR.newInstance(components);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The record's constructor, once its components after the stage are known to be the project fields in order. */
    private static Constructor<ProjectView> canonicalConstructor() {
        List<String> fields = Arrays.stream(COMPONENTS).skip(FIRST_FIELD).map(RecordComponent::getName).toList();
        if (!fields.equals(ProjectFields.ALL.stream().map(ProjectFields.Field::name).toList())) {
            throw new IllegalStateException("ProjectView's components " + fields + " are not the project fields in order");
        }
        try {
            return ProjectView.class.getDeclaredConstructor(
                    Arrays.stream(COMPONENTS).map(RecordComponent::getType).toArray(Class<?>[]::new));
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }
}
