package cn.qxqy.pipeline.demo;

import cn.qxqy.pipeline.domain.DatedState;
import cn.qxqy.pipeline.domain.Decision;
import cn.qxqy.pipeline.domain.EventTypes;
import cn.qxqy.pipeline.domain.FieldViolation;
import cn.qxqy.pipeline.domain.FollowUpRule;
import cn.qxqy.pipeline.domain.FollowUpSettings;
import cn.qxqy.pipeline.domain.ProjectDetails;
import cn.qxqy.pipeline.domain.ProjectEvent;
import cn.qxqy.pipeline.domain.ProjectState;
import cn.qxqy.pipeline.domain.ProjectStateMachine;
import cn.qxqy.pipeline.domain.Stage;
import cn.qxqy.pipeline.wire.EventData;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The demo's two years as the service reads them (the stage machine accepts every event; {@link DatedState} places
 * each project as of a day): 2023's projects still under way at its end move to 2024 on New Year's Day, and 2024
 * unfolds month by month. That it loads through the API: {@link DemoCampaignTest}.
 */
class CampaignPlanTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final LocalDate NEW_YEARS_EVE = LocalDate.of(2023, 12, 31);
    private static final LocalDate MID_2024 = LocalDate.of(2024, 6, 30);
    private static final LocalDate END_2024 = LocalDate.of(2024, 12, 31);

    private static CampaignPlan.Plan plan;
    /** Each project's history folded as the service folds it, by projectId, in the plan's order. */
    private static Map<String, DatedState> projects;
    private static Map<String, List<DemoEvent>> events;

    @BeforeAll
    static void build() {
        plan = CampaignPlan.build(LocalDate.of(2026, 12, 6));
        projects = new LinkedHashMap<>();
        events = new LinkedHashMap<>();
        for (DemoEvent e : plan.events()) {
            events.computeIfAbsent(e.projectId(), id -> new ArrayList<>()).add(e);
            DatedState before = projects.getOrDefault(e.projectId(), DatedState.UNKNOWN);
            ProjectEvent event = read(e);
            Decision decision = ProjectStateMachine.decide(before.current(), event, LocalDate.of(2026, 12, 6));
            assertThat(decision).as("%s %s", e.projectId(), e.type()).isInstanceOf(Decision.Accepted.class);
            projects.put(e.projectId(), before.next(event));
        }
    }

    @Test
    void theSameDayBuildsTheSameEvents() {
        assertThat(CampaignPlan.build(LocalDate.of(2026, 12, 6)).events()).isEqualTo(plan.events());
    }

    @Test
    void the2023ProjectsAreReservedInto2023AndDatedIn2023() {
        List<String> firstYear = projects.keySet().stream().filter(id -> id.startsWith("LL-2023-")).toList();

        assertThat(firstYear).hasSize(CampaignPlan.FIRST_YEAR_GENERATED);
        for (String id : firstYear) {
            DemoEvent reservation = events.get(id).get(0);
            assertThat(reservation.data().get("campaignId")).as(id).isEqualTo(CampaignPlan.FIRST_CAMPAIGN);
            assertThat(reservation.occurredOn().getYear()).as(id).isEqualTo(2023);
        }
        assertThat(projects.keySet().stream().filter(id -> id.startsWith("LL-2024-")))
                .allSatisfy(id -> assertThat(events.get(id).get(0).data().get("campaignId")).isEqualTo("2024-qxqy"));
    }

    @Test
    void a2023ProjectUnderWayAtTheYearsEndCountsIn2023UntilNewYearsEveAndIn2024FromNewYearsDay() {
        List<String> stayed = new ArrayList<>();
        for (Map.Entry<String, DatedState> project : projects.entrySet()) {
            if (!project.getKey().startsWith("LL-2023-")) {
                continue;
            }
            ProjectState atYearsEnd = project.getValue().asOf(NEW_YEARS_EVE).state();
            boolean underWay = !Set.of(Stage.COMPLETED, Stage.WITHDRAWN).contains(atYearsEnd.stage());
            assertThat(atYearsEnd.details().campaignId()).as(project.getKey()).isEqualTo("2023-qxqy");
            assertThat(plan.carriedOver().contains(project.getKey())).as(project.getKey()).isEqualTo(underWay);
            if (underWay) {
                assertThat(project.getValue().asOf(CampaignPlan.CARRIED_OVER).state().details().campaignId())
                        .as(project.getKey()).isEqualTo("2024-qxqy");
                assertThat(events.get(project.getKey())).filteredOn(e -> e.data().containsKey("campaignId"))
                        .extracting(DemoEvent::type, DemoEvent::occurredOn).as(project.getKey()).containsExactly(
                                tuple("ProjectReserved", events.get(project.getKey())
                                        .get(0).occurredOn()),
                                tuple("ProjectCorrected", CampaignPlan.CARRIED_OVER));
            } else {
                stayed.add(project.getKey());
                assertThat(project.getValue().current().details().campaignId()).as(project.getKey())
                        .isEqualTo("2023-qxqy");
            }
        }
        assertThat(plan.carriedOver()).as("carried over").hasSizeGreaterThan(100);
        assertThat(stayed).as("completed or withdrawn in 2023").hasSizeGreaterThan(10);
    }

    @Test
    void carriedOverProjectsReportAcrossTheYearsEndSoThatTheYearsInvestmentIsLessThanTheCumulative() {
        long reportingAcross = plan.carriedOver().stream().map(projects::get)
                .filter(p -> {
                    BigDecimal toDate = p.asOf(MID_2024).state().report().investmentToDate();
                    BigDecimal thisYear = p.asOf(MID_2024).investmentThisYear();
                    return toDate != null && thisYear.signum() > 0 && thisYear.compareTo(toDate) < 0;
                })
                .count();

        assertThat(reportingAcross).isGreaterThan(50);
    }

    @Test
    void the2024CampaignIsAboutHalfWayOnThe30thOfJune() {
        Map<String, Long> middle = figures(MID_2024);
        Map<String, Long> end = figures(END_2024);

        assertThat(end.get("active")).as("the target of 1,000 projects met at the year's end").isGreaterThanOrEqualTo(1000);
        assertThat((double) middle.get("active") / end.get("active")).isBetween(0.5, 0.8);
        assertThat((double) middle.get("started") / end.get("started")).isBetween(0.35, 0.7);
        assertThat((double) middle.get("completed") / end.get("completed")).isBetween(0.2, 0.6);
        assertThat(figures(LocalDate.of(2024, 3, 31)).get("active")).isLessThan(middle.get("active"));
    }

    @Test
    void onTheLastDayOf2024EachFollowUpRuleHasStalledProjectsInSeveralCounties() {
        Map<FollowUpRule, Set<String>> counties = new EnumMap<>(FollowUpRule.class);
        for (DatedState project : projects.values()) {
            for (FollowUpRule rule : overdue(project, END_2024)) {
                counties.computeIfAbsent(rule, r -> new TreeSet<>()).add(project.placedOn(END_2024).regionCode());
            }
        }

        assertThat(counties).containsOnlyKeys(FollowUpRule.values());
        counties.forEach((rule, where) -> assertThat(where).as(rule.code()).hasSizeGreaterThanOrEqualTo(3));
        assertThat(counties.get(FollowUpRule.REPORT_MISSING)).as("the months left unreported")
                .contains("141121", "141125", "141181");
        assertThat(counties.get(FollowUpRule.PLANNED_DATE_PASSED)).contains("141123", "141182", "141102");
    }

    /**
     * The rules an active 2024-qxqy project is overdue on at the end of {@code day}, with the default settings (the
     * issue's rules as the demo needs them, the whole item list being the follow-up read's and its tests').
     */
    private static Set<FollowUpRule> overdue(DatedState project, LocalDate day) {
        ProjectState.Milestones m = project.current().milestones();
        Set<FollowUpRule> rules = EnumSet.noneOf(FollowUpRule.class);
        if (m.reservedOn() == null || m.reservedOn().isAfter(day) || m.withdrawnOn() != null && !m.withdrawnOn().isAfter(day)
                || !"2024-qxqy".equals(project.placedOn(day).campaignId())) {
            return rules;
        }
        FollowUpSettings settings = FollowUpSettings.DEFAULTS;
        LocalDate signed = before(m.signedOn(), day);
        LocalDate started = before(m.startedOn(), day);
        LocalDate completed = before(m.completedOn(), day);
        if (signed != null && started == null && day.isAfter(signed.plusDays(settings.signedNotStartedDays()))) {
            rules.add(FollowUpRule.SIGNED_NOT_STARTED);
        }
        if (signed == null && started == null && day.isAfter(m.reservedOn().plusDays(settings.reservedNotSignedDays()))) {
            rules.add(FollowUpRule.RESERVED_NOT_SIGNED);
        }
        if (started != null) {
            for (YearMonth q = YearMonth.of(2024, 1); !q.isAfter(YearMonth.from(day)); q = q.plusMonths(1)) {
                LocalDate due = q.plusMonths(1).atDay(settings.reportDueDay());
                LocalDate reported = project.reportedOn().get(q);
                if (!started.isAfter(q.atEndOfMonth()) && (completed == null || !completed.isBefore(q.atDay(1)))
                        && day.isAfter(due) && (reported == null || reported.isAfter(day))) {
                    rules.add(FollowUpRule.REPORT_MISSING);
                }
            }
        }
        ProjectDetails details = project.current().details();
        if (details.plannedStartOn() != null && started == null && day.isAfter(details.plannedStartOn())
                || details.plannedCompletionOn() != null && completed == null && day.isAfter(details.plannedCompletionOn())) {
            rules.add(FollowUpRule.PLANNED_DATE_PASSED);
        }
        return rules;
    }

    private static LocalDate before(LocalDate date, LocalDate day) {
        return date == null || date.isAfter(day) ? null : date;
    }

    /** 2024-qxqy's active projects, those started (completed ones too) and those completed, as of {@code day}. */
    private static Map<String, Long> figures(LocalDate day) {
        List<ProjectState> in2024 = projects.values().stream().map(p -> p.asOf(day).state())
                .filter(s -> s.isKnown() && s.details().campaignId().equals("2024-qxqy") && s.stage() != Stage.WITHDRAWN)
                .toList();
        return Map.of("active", (long) in2024.size(),
                "started", in2024.stream().filter(s -> s.milestones().startedOn() != null).count(),
                "completed", in2024.stream().filter(s -> s.stage() == Stage.COMPLETED).count());
    }

    private static ProjectEvent read(DemoEvent e) {
        List<FieldViolation> violations = new ArrayList<>();
        ProjectEvent event = EventData.read(EventTypes.named(e.type()).orElseThrow(), e.occurredOn(),
                JSON.valueToTree(e.data()), violations);
        assertThat(violations).as("%s %s", e.projectId(), e.type()).isEmpty();
        return event;
    }
}
