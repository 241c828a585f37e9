package cn.qxqy.pipeline.domain;

import static org.assertj.core.api.Assertions.assertThat;

import cn.qxqy.pipeline.domain.ProjectEvent.ProjectCorrected;
import cn.qxqy.pipeline.domain.ProjectEvent.ProjectReserved;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** 计划开工日期 and 计划竣工日期 on 储备 and corrections: any day from 2000 on, ahead of today too, completion not before start. */
class PlannedDatesTest {

    private static final LocalDate TODAY = LocalDate.of(2024, 6, 15);
    private static final LocalDate RESERVED_ON = LocalDate.of(2024, 3, 1);

    private static ProjectDetails reservation(LocalDate plannedStartOn, LocalDate plannedCompletionOn) {
        return new ProjectDetails("吕梁氢能产业园项目", "2024-qxqy", "141102", "氢能", List.of(), new BigDecimal("50000"),
                null, null, null, null, plannedStartOn, plannedCompletionOn);
    }

    private static ProjectDetails correction(String name, LocalDate plannedStartOn, LocalDate plannedCompletionOn) {
        return new ProjectDetails(name, null, null, null, null, null, null, null, null, null, plannedStartOn,
                plannedCompletionOn);
    }

    private static ProjectState reserved(LocalDate plannedStartOn, LocalDate plannedCompletionOn) {
        Decision reserved = ProjectStateMachine.decide(ProjectState.UNKNOWN,
                new ProjectReserved(RESERVED_ON, reservation(plannedStartOn, plannedCompletionOn)), TODAY);
        assertThat(reserved).isInstanceOf(Decision.Accepted.class);
        return ((Decision.Accepted) reserved).next();
    }

    /** The outcome in the table's words: the planned days the project has after the event, or the field refused. */
    private static String outcome(Decision decision) {
        if (decision instanceof Decision.Accepted accepted) {
            ProjectDetails d = accepted.next().details();
            return d.plannedStartOn() + " " + d.plannedCompletionOn();
        }
        Decision.Rejected rejected = (Decision.Rejected) decision;
        assertThat(rejected.kind()).isEqualTo(Rejection.INVALID_FIELD);
        assertThat(rejected.violations()).hasSize(1);
        FieldViolation violation = rejected.violations().get(0);
        return violation.field() + ": " + violation.message() + " / " + violation.wording().in(Language.CHINESE);
    }

    @ParameterizedTest(name = "储备 {0} – {1} -> {2}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            2024-07-01 | 2026-12-31 | 2024-07-01 2026-12-31
            2024-07-01 | 2024-07-01 | 2024-07-01 2024-07-01
            2030-01-01 | -          | 2030-01-01 null
            -          | 2024-05-31 | null 2024-05-31
            -          | -          | null null
            2000-01-01 | 2000-01-01 | 2000-01-01 2000-01-01
            2024-07-02 | 2024-07-01 | data.plannedCompletionOn: plannedCompletionOn 2024-07-01 must not be before plannedStartOn 2024-07-02 / 计划竣工日期 2024-07-01 不能早于计划开工日期 2024-07-02
            1999-12-31 | 2024-07-01 | data.plannedStartOn: must not be before 2000-01-01 / 不能早于 2000-01-01
            2024-07-01 | 1999-12-31 | data.plannedCompletionOn: must not be before 2000-01-01 / 不能早于 2000-01-01
            """)
    void aReservationMayPlanAheadFrom2000OnWithCompletionNotBeforeStart(LocalDate start, LocalDate completion,
                                                                         String expected) {
        Decision decision = ProjectStateMachine.decide(ProjectState.UNKNOWN,
                new ProjectReserved(RESERVED_ON, reservation(start, completion)), TODAY);

        assertThat(outcome(decision)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} – {1} corrected by {2} – {3} -> {4}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            2024-07-01 | 2025-06-30 | 2024-08-01 | -          | 2024-08-01 2025-06-30
            2024-07-01 | 2025-06-30 | -          | 2027-01-01 | 2024-07-01 2027-01-01
            2024-07-01 | 2025-06-30 | 2026-01-01 | 2026-12-31 | 2026-01-01 2026-12-31
            2024-07-01 | 2025-06-30 | 2025-06-30 | -          | 2025-06-30 2025-06-30
            -          | -          | 2030-01-01 | -          | 2030-01-01 null
            -          | -          | -          | 2024-01-31 | null 2024-01-31
            2024-07-01 | 2025-06-30 | 2025-07-01 | -          | data.plannedStartOn: plannedCompletionOn 2025-06-30 must not be before plannedStartOn 2025-07-01 / 计划竣工日期 2025-06-30 不能早于计划开工日期 2025-07-01
            2024-07-01 | 2025-06-30 | -          | 2024-06-30 | data.plannedCompletionOn: plannedCompletionOn 2024-06-30 must not be before plannedStartOn 2024-07-01 / 计划竣工日期 2024-06-30 不能早于计划开工日期 2024-07-01
            2024-07-01 | 2025-06-30 | 2026-01-01 | 2025-12-31 | data.plannedCompletionOn: plannedCompletionOn 2025-12-31 must not be before plannedStartOn 2026-01-01 / 计划竣工日期 2025-12-31 不能早于计划开工日期 2026-01-01
            2024-07-01 | 2025-06-30 | 1999-12-31 | -          | data.plannedStartOn: must not be before 2000-01-01 / 不能早于 2000-01-01
            """)
    void aCorrectionChangesOnlyThePlannedDaysItSendsAndNamesTheOneThatBreaksTheOrder(
            LocalDate start, LocalDate completion, LocalDate correctedStart, LocalDate correctedCompletion,
            String expected) {
        ProjectState state = reserved(start, completion);

        Decision decision = ProjectStateMachine.decide(state,
                new ProjectCorrected(TODAY, correction(null, correctedStart, correctedCompletion)), TODAY);

        assertThat(outcome(decision)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} – {1}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            2024-07-01 | 2025-06-30
            -          | 2025-06-30
            -          | -
            """)
    void aCorrectionOfSomethingElseKeepsThePlannedDays(LocalDate start, LocalDate completion) {
        ProjectState state = reserved(start, completion);

        Decision decision = ProjectStateMachine.decide(state,
                new ProjectCorrected(TODAY, correction("吕梁氢能产业园一期项目", null, null)), TODAY);

        assertThat(decision).isInstanceOfSatisfying(Decision.Accepted.class, accepted -> {
            assertThat(accepted.next().details().name()).isEqualTo("吕梁氢能产业园一期项目");
            assertThat(accepted.next().details().plannedStartOn()).isEqualTo(start);
            assertThat(accepted.next().details().plannedCompletionOn()).isEqualTo(completion);
        });
    }
}
