package cn.qxqy.pipeline.domain;

import java.util.List;
import java.util.function.Function;

/**
 * The fields of a project's state besides its version and stage, in the one order every copy of a state keeps: the
 * stream head's JSON, the {@code project_view} columns and the {@code Project} answer all derive from this list.
 */
public final class ProjectFields {

    /** What a field holds: how each copy writes and reads it. */
    public enum Kind {
        TEXT, AMOUNT, DATE, MONTH, TEXT_LIST
    }

    /** One field: its name (the JSON property; the column is its snake case), what it holds, and where it is kept. */
    public record Field(String name, Kind kind, Function<ProjectState, Object> value) {

        public Object of(ProjectState state) {
            return value.apply(state);
        }
    }

    /** A field's value in the copy being read. */
    @FunctionalInterface
    public interface Values {
        Object of(Field field);
    }

    public static final Field NAME = detail("name", Kind.TEXT, ProjectDetails::name);
    public static final Field CAMPAIGN_ID = detail("campaignId", Kind.TEXT, ProjectDetails::campaignId);
    public static final Field REGION_CODE = detail("regionCode", Kind.TEXT, ProjectDetails::regionCode);
    public static final Field INDUSTRY_CHAIN = detail("industryChain", Kind.TEXT, ProjectDetails::industryChain);
    public static final Field CATEGORIES = detail("categories", Kind.TEXT_LIST, ProjectDetails::categories);
    public static final Field PLANNED_INVESTMENT =
            detail("plannedInvestment", Kind.AMOUNT, ProjectDetails::plannedInvestment);
    public static final Field ANNUAL_PLANNED_INVESTMENT =
            detail("annualPlannedInvestment", Kind.AMOUNT, ProjectDetails::annualPlannedInvestment);
    public static final Field ZONE = detail("zone", Kind.TEXT, ProjectDetails::zone);
    public static final Field OWNER = detail("owner", Kind.TEXT, ProjectDetails::owner);
    public static final Field PROJECT_CODE = detail("projectCode", Kind.TEXT, ProjectDetails::projectCode);
    public static final Field PLANNED_START_ON = detail("plannedStartOn", Kind.DATE, ProjectDetails::plannedStartOn);
    public static final Field PLANNED_COMPLETION_ON =
            detail("plannedCompletionOn", Kind.DATE, ProjectDetails::plannedCompletionOn);
    public static final Field SIGNED_INVESTMENT =
            new Field("signedInvestment", Kind.AMOUNT, s -> s.signing().signedInvestment());
    public static final Field INVESTOR = new Field("investor", Kind.TEXT, s -> s.signing().investor());
    public static final Field RESERVED_ON = new Field("reservedOn", Kind.DATE, s -> s.milestones().reservedOn());
    public static final Field SIGNED_ON = new Field("signedOn", Kind.DATE, s -> s.milestones().signedOn());
    public static final Field STARTED_ON = new Field("startedOn", Kind.DATE, s -> s.milestones().startedOn());
    public static final Field COMPLETED_ON = new Field("completedOn", Kind.DATE, s -> s.milestones().completedOn());
    public static final Field WITHDRAWN_ON = new Field("withdrawnOn", Kind.DATE, s -> s.milestones().withdrawnOn());
    public static final Field REPORTED_PERIOD = new Field("reportedPeriod", Kind.MONTH, s -> s.report().period());
    public static final Field INVESTMENT_TO_DATE =
            new Field("investmentToDate", Kind.AMOUNT, s -> s.report().investmentToDate());

    public static final List<Field> ALL = List.of(NAME, CAMPAIGN_ID, REGION_CODE, INDUSTRY_CHAIN, CATEGORIES,
            PLANNED_INVESTMENT, ANNUAL_PLANNED_INVESTMENT, ZONE, OWNER, PROJECT_CODE, PLANNED_START_ON,
            PLANNED_COMPLETION_ON, SIGNED_INVESTMENT, INVESTOR, RESERVED_ON, SIGNED_ON, STARTED_ON, COMPLETED_ON, WITHDRAWN_ON, REPORTED_PERIOD, INVESTMENT_TO_DATE);

    private ProjectFields() {
    }

    /** The state of this version and stage whose fields have the values read. */
    public static ProjectState state(long version, Stage stage, Values v) {
        return new ProjectState(version, stage,
                new ProjectDetails(get(v, NAME), get(v, CAMPAIGN_ID), get(v, REGION_CODE), get(v, INDUSTRY_CHAIN),
                        get(v, CATEGORIES), get(v, PLANNED_INVESTMENT), get(v, ANNUAL_PLANNED_INVESTMENT),
                        get(v, ZONE), get(v, OWNER), get(v, PROJECT_CODE), get(v, PLANNED_START_ON),
                        get(v, PLANNED_COMPLETION_ON)),
                new ProjectState.Milestones(get(v, RESERVED_ON), get(v, SIGNED_ON), get(v, STARTED_ON),
                        get(v, COMPLETED_ON), get(v, WITHDRAWN_ON)),
                new ProjectState.Signing(get(v, SIGNED_INVESTMENT), get(v, INVESTOR)),
                new ProjectState.Report(get(v, REPORTED_PERIOD), get(v, INVESTMENT_TO_DATE)));
    }

    private static Field detail(String name, Kind kind, Function<ProjectDetails, Object> value) {
        return new Field(name, kind, s -> value.apply(s.details()));
    }

    // Safe as long as every reader returns the Java type of the field's kind; ProjectFieldsTest reads each kind.
    @SuppressWarnings("unchecked")
    private static <T> T get(Values v, Field field) {
        return (T) v.of(field);
    }
}
