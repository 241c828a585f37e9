package cn.qxqy.pipeline.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.qxqy.pipeline.domain.ProjectEvent.ConstructionStarted;
import cn.qxqy.pipeline.domain.ProjectEvent.InvestmentReported;
import cn.qxqy.pipeline.domain.ProjectEvent.MilestoneRetracted;
import cn.qxqy.pipeline.domain.ProjectEvent.ProjectCompleted;
import cn.qxqy.pipeline.domain.ProjectEvent.ProjectCorrected;
import cn.qxqy.pipeline.domain.ProjectEvent.ProjectReserved;
import cn.qxqy.pipeline.domain.ProjectEvent.ProjectSigned;
import cn.qxqy.pipeline.domain.ProjectEvent.ProjectWithdrawn;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ProjectStateMachineTest {

    private static final LocalDate TODAY = LocalDate.of(2024, 6, 15);
    private static final LocalDate RESERVED_ON = LocalDate.of(2024, 3, 1);
    private static final LocalDate SIGNED_ON = LocalDate.of(2024, 3, 20);
    private static final LocalDate STARTED_ON = LocalDate.of(2024, 4, 10);
    private static final LocalDate COMPLETED_ON = LocalDate.of(2024, 5, 30);

    private static final String REGION = "141102"; // 离石区
    private static final String CODE = "2024-141102-30-01-123456";

    // ---- fixtures -------------------------------------------------------------------------------------------

    private static ProjectDetails details(String name, BigDecimal planned, String regionCode, String projectCode) {
        return new ProjectDetails(name, "2024-qxqy", regionCode, "氢能", List.of("延链补链", "专项债券"), planned,
                new BigDecimal("12000"), "吕梁经济技术开发区", "吕梁市氢能产业有限公司", projectCode, null, null);
    }

    private static ProjectDetails details() {
        return details("吕梁氢能产业园项目", new BigDecimal("50000"), REGION, CODE);
    }

    private static ProjectReserved reserve(LocalDate on) {
        return new ProjectReserved(on, details());
    }

    private static ProjectSigned sign(LocalDate on) {
        return new ProjectSigned(on, new BigDecimal("30000"), "山西示例投资集团");
    }

    private static InvestmentReported report(String period, String figure) {
        return new InvestmentReported(TODAY, YearMonth.parse(period), new BigDecimal(figure));
    }

    private static ProjectDetails correction(String name, String campaignId, String regionCode,
            List<String> categories, String projectCode) {
        return new ProjectDetails(name, campaignId, regionCode, null, categories, null, null, null, null,
                projectCode, null, null);
    }

    private static ProjectCorrected correct(ProjectDetails correction) {
        return new ProjectCorrected(TODAY, correction);
    }

    private static MilestoneRetracted retract() {
        return new MilestoneRetracted(TODAY, "录入错误");
    }

    /** One valid event of each type, dated today. */
    private static ProjectEvent sample(String type) {
        return sample(type, TODAY);
    }

    private static ProjectEvent sample(String type, LocalDate on) {
        return switch (type) {
            case "ProjectReserved" -> reserve(on);
            case "ProjectSigned" -> sign(on);
            case "ConstructionStarted" -> new ConstructionStarted(on);
            case "ProjectCompleted" -> new ProjectCompleted(on);
            case "InvestmentReported" -> new InvestmentReported(on, YearMonth.of(2024, 5), new BigDecimal("8000"));
            case "ProjectCorrected" -> new ProjectCorrected(on, correction("吕梁氢能产业园一期项目", null, null, null, null));
            case "MilestoneRetracted" -> new MilestoneRetracted(on, "录入错误");
            case "ProjectWithdrawn" -> new ProjectWithdrawn(on, "项目终止");
            default -> throw new IllegalArgumentException(type);
        };
    }

    /** A project brought to the stage through decide, so the history itself is known to be valid. */
    private static ProjectState stateIn(String stage) {
        return switch (stage) {
            case "UNKNOWN" -> ProjectState.UNKNOWN;
            case "RESERVED" -> play(reserve(RESERVED_ON));
            case "SIGNED" -> play(reserve(RESERVED_ON), sign(SIGNED_ON));
            case "STARTED" -> play(reserve(RESERVED_ON), sign(SIGNED_ON), new ConstructionStarted(STARTED_ON));
            case "COMPLETED" -> play(reserve(RESERVED_ON), sign(SIGNED_ON), new ConstructionStarted(STARTED_ON),
                    new ProjectCompleted(COMPLETED_ON));
            case "WITHDRAWN" -> play(reserve(RESERVED_ON), new ProjectWithdrawn(SIGNED_ON, "投资方撤资"));
            default -> throw new IllegalArgumentException(stage);
        };
    }

    private static ProjectState play(ProjectEvent... events) {
        return play(ProjectState.UNKNOWN, events);
    }

    private static ProjectState play(ProjectState state, ProjectEvent... events) {
        for (ProjectEvent event : events) {
            state = accept(state, event);
        }
        return state;
    }

    private static ProjectState accept(ProjectState state, ProjectEvent event) {
        Decision decision = ProjectStateMachine.decide(state, event, TODAY);
        return assertInstanceOf(Decision.Accepted.class, decision, () -> "expected acceptance, got " + decision)
                .next();
    }

    private static Decision.Rejected reject(ProjectState state, ProjectEvent event) {
        Decision decision = ProjectStateMachine.decide(state, event, TODAY);
        return assertInstanceOf(Decision.Rejected.class, decision, () -> "expected rejection, got " + decision);
    }

    /** The violations of an INVALID_FIELD rejection, field path to message. */
    private static Map<String, String> violations(ProjectState state, ProjectEvent event) {
        Decision.Rejected rejected = reject(state, event);
        assertEquals(Rejection.INVALID_FIELD, rejected.kind(), rejected::toString);
        Map<String, String> byField = rejected.violations().stream()
                .collect(Collectors.toMap(FieldViolation::field, FieldViolation::message, (a, b) -> a + " | " + b));
        assertEquals(rejected.violations().size(), byField.size(), "one violation per field: " + rejected);
        return byField;
    }

    private static void assertOnlyViolation(ProjectState state, ProjectEvent event, String field, String message) {
        Map<String, String> violations = violations(state, event);
        assertEquals(Map.of(field, message), violations);
    }

    // ---- stage × event --------------------------------------------------------------------------------------

    /** Written from the design's table, not from the production code: a stage name means accepted, leading there. */
    @ParameterizedTest(name = "{0} + {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            # stage   | event               | outcome
            UNKNOWN   | ProjectReserved     | RESERVED
            UNKNOWN   | ProjectSigned       | UNKNOWN_PROJECT
            UNKNOWN   | ConstructionStarted | UNKNOWN_PROJECT
            UNKNOWN   | ProjectCompleted    | UNKNOWN_PROJECT
            UNKNOWN   | InvestmentReported  | UNKNOWN_PROJECT
            UNKNOWN   | ProjectCorrected    | UNKNOWN_PROJECT
            UNKNOWN   | MilestoneRetracted  | UNKNOWN_PROJECT
            UNKNOWN   | ProjectWithdrawn    | UNKNOWN_PROJECT
            RESERVED  | ProjectReserved     | ILLEGAL_TRANSITION
            RESERVED  | ProjectSigned       | SIGNED
            RESERVED  | ConstructionStarted | STARTED
            RESERVED  | ProjectCompleted    | ILLEGAL_TRANSITION
            RESERVED  | InvestmentReported  | ILLEGAL_TRANSITION
            RESERVED  | ProjectCorrected    | RESERVED
            RESERVED  | MilestoneRetracted  | ILLEGAL_TRANSITION
            RESERVED  | ProjectWithdrawn    | WITHDRAWN
            SIGNED    | ProjectReserved     | ILLEGAL_TRANSITION
            SIGNED    | ProjectSigned       | ILLEGAL_TRANSITION
            SIGNED    | ConstructionStarted | STARTED
            SIGNED    | ProjectCompleted    | ILLEGAL_TRANSITION
            SIGNED    | InvestmentReported  | ILLEGAL_TRANSITION
            SIGNED    | ProjectCorrected    | SIGNED
            SIGNED    | MilestoneRetracted  | RESERVED
            SIGNED    | ProjectWithdrawn    | WITHDRAWN
            STARTED   | ProjectReserved     | ILLEGAL_TRANSITION
            STARTED   | ProjectSigned       | ILLEGAL_TRANSITION
            STARTED   | ConstructionStarted | ILLEGAL_TRANSITION
            STARTED   | ProjectCompleted    | COMPLETED
            STARTED   | InvestmentReported  | STARTED
            STARTED   | ProjectCorrected    | STARTED
            STARTED   | MilestoneRetracted  | SIGNED
            STARTED   | ProjectWithdrawn    | WITHDRAWN
            COMPLETED | ProjectReserved     | ILLEGAL_TRANSITION
            COMPLETED | ProjectSigned       | ILLEGAL_TRANSITION
            COMPLETED | ConstructionStarted | ILLEGAL_TRANSITION
            COMPLETED | ProjectCompleted    | ILLEGAL_TRANSITION
            COMPLETED | InvestmentReported  | COMPLETED
            COMPLETED | ProjectCorrected    | COMPLETED
            COMPLETED | MilestoneRetracted  | STARTED
            COMPLETED | ProjectWithdrawn    | WITHDRAWN
            WITHDRAWN | ProjectReserved     | ILLEGAL_TRANSITION
            WITHDRAWN | ProjectSigned       | ILLEGAL_TRANSITION
            WITHDRAWN | ConstructionStarted | ILLEGAL_TRANSITION
            WITHDRAWN | ProjectCompleted    | ILLEGAL_TRANSITION
            WITHDRAWN | InvestmentReported  | ILLEGAL_TRANSITION
            WITHDRAWN | ProjectCorrected    | ILLEGAL_TRANSITION
            WITHDRAWN | MilestoneRetracted  | ILLEGAL_TRANSITION
            WITHDRAWN | ProjectWithdrawn    | ILLEGAL_TRANSITION
            """)
    void everyStageAllowsExactlyTheEventsOfTheDesignTable(String stage, String eventType, String outcome) {
        ProjectState state = stateIn(stage);
        ProjectEvent event = sample(eventType);
        assertEquals(eventType, event.type());
        boolean accepted = Arrays.stream(Stage.values()).anyMatch(s -> s.name().equals(outcome));
        if (accepted) {
            ProjectState next = accept(state, event);
            assertEquals(Stage.valueOf(outcome), next.stage());
            assertEquals(state.version() + 1, next.version());
        } else {
            Decision.Rejected rejected = reject(state, event);
            assertEquals(Rejection.valueOf(outcome), rejected.kind());
            assertTrue(rejected.violations().isEmpty(), rejected::toString);
            assertTrue(rejected.detail().contains(eventType), rejected::detail);
            if (state.isKnown()) {
                assertTrue(rejected.detail().contains(stage), rejected::detail);
            }
        }
    }

    /** A new event type is not done until the design table above says what it does in every stage. */
    @Test
    void theDesignTableHasARowForEveryRegisteredEventTypeInEveryStage() throws NoSuchMethodException {
        String table = getClass().getDeclaredMethod("everyStageAllowsExactlyTheEventsOfTheDesignTable", String.class,
                String.class, String.class).getAnnotation(CsvSource.class).textBlock();
        Set<String> rows = table.lines().filter(line -> !line.isBlank() && !line.strip().startsWith("#"))
                .map(line -> line.split("\\|")[0].strip() + " " + line.split("\\|")[1].strip())
                .collect(Collectors.toSet());
        Set<String> expected = new HashSet<>();
        Stream.concat(Stream.of("UNKNOWN"), Arrays.stream(Stage.values()).map(Stage::name)).forEach(stage ->
                EventTypes.NAMES.forEach(type -> expected.add(stage + " " + type)));
        assertEquals(expected, rows);
    }

    @Test
    void signingIsRefusedOnceConstructionStarted() {
        Decision.Rejected rejected = reject(stateIn("STARTED"), sign(TODAY));
        assertEquals(Rejection.ILLEGAL_TRANSITION, rejected.kind());
        assertEquals("ProjectSigned is not allowed in stage STARTED", rejected.detail());
    }

    @Test
    void reservingAnExistingProjectIsAnIllegalTransition() {
        Decision.Rejected rejected = reject(stateIn("SIGNED"), reserve(TODAY));
        assertEquals(Rejection.ILLEGAL_TRANSITION, rejected.kind());
        assertTrue(rejected.detail().contains("already exists"), rejected::detail);
    }

    @Test
    void governmentProjectStartsWithoutSigning() {
        ProjectState started = play(reserve(RESERVED_ON), new ConstructionStarted(STARTED_ON));
        assertEquals(Stage.STARTED, started.stage());
        assertNull(started.milestones().signedOn());
        assertNull(started.signing().signedInvestment());
        assertEquals(STARTED_ON, started.milestones().startedOn());
    }

    @Test
    void eachMilestoneRecordsWhatItSets() {
        ProjectState reserved = stateIn("RESERVED");
        assertEquals(details(), reserved.details());
        assertEquals(RESERVED_ON, reserved.milestones().reservedOn());
        ProjectState signed = accept(reserved, sign(SIGNED_ON));
        assertEquals(new BigDecimal("30000"), signed.signing().signedInvestment());
        assertEquals("山西示例投资集团", signed.signing().investor());
        assertEquals(SIGNED_ON, signed.milestones().signedOn());
        ProjectState completed = play(signed, new ConstructionStarted(STARTED_ON), new ProjectCompleted(COMPLETED_ON));
        assertEquals(STARTED_ON, completed.milestones().startedOn());
        assertEquals(COMPLETED_ON, completed.milestones().completedOn());
        ProjectState withdrawn = accept(completed, new ProjectWithdrawn(TODAY, "项目终止"));
        assertEquals(Stage.WITHDRAWN, withdrawn.stage());
        assertEquals(TODAY, withdrawn.milestones().withdrawnOn());
        assertEquals(COMPLETED_ON, withdrawn.milestones().completedOn());
    }

    // ---- retraction -----------------------------------------------------------------------------------------

    @Test
    void retractedSigningReturnsToReservedWithoutSignedInvestment() {
        ProjectState state = accept(stateIn("SIGNED"), retract());
        assertEquals(Stage.RESERVED, state.stage());
        assertNull(state.signing().signedInvestment());
        assertNull(state.signing().investor());
        assertNull(state.milestones().signedOn());
        assertEquals(RESERVED_ON, state.milestones().reservedOn());
    }

    @Test
    void retractedStartAfterSigningReturnsToSignedAndKeepsTheSigning() {
        ProjectState state = accept(stateIn("STARTED"), retract());
        assertEquals(Stage.SIGNED, state.stage());
        assertNull(state.milestones().startedOn());
        assertEquals(SIGNED_ON, state.milestones().signedOn());
        assertEquals(new BigDecimal("30000"), state.signing().signedInvestment());
    }

    @Test
    void retractedStartOfUnsignedProjectReturnsToReserved() {
        ProjectState started = play(reserve(RESERVED_ON), new ConstructionStarted(STARTED_ON));
        ProjectState state = accept(started, retract());
        assertEquals(Stage.RESERVED, state.stage());
        assertNull(state.milestones().startedOn());
        assertNull(state.milestones().signedOn());
    }

    @Test
    void retractedCompletionReturnsToStarted() {
        ProjectState state = accept(stateIn("COMPLETED"), retract());
        assertEquals(Stage.STARTED, state.stage());
        assertNull(state.milestones().completedOn());
        assertEquals(STARTED_ON, state.milestones().startedOn());
    }

    @Test
    void repeatedRetractionWalksBackToReservedAndStopsThere() {
        ProjectState state = stateIn("COMPLETED");
        state = accept(state, retract());
        assertEquals(Stage.STARTED, state.stage());
        state = accept(state, retract());
        assertEquals(Stage.SIGNED, state.stage());
        state = accept(state, retract());
        assertEquals(Stage.RESERVED, state.stage());
        assertNull(state.milestones().completedOn());
        assertNull(state.milestones().startedOn());
        assertNull(state.milestones().signedOn());
        assertNull(state.signing().signedInvestment());
        assertEquals(7, state.version());
        assertEquals(Rejection.ILLEGAL_TRANSITION, reject(state, retract()).kind());
    }

    @Test
    void retractedMilestoneNoLongerBoundsTheDateOfTheNextOne() {
        ProjectState state = accept(stateIn("SIGNED"), retract());
        ProjectState resigned = accept(state, sign(SIGNED_ON.minusDays(5)));
        assertEquals(SIGNED_ON.minusDays(5), resigned.milestones().signedOn());
        assertOnlyViolation(state, sign(RESERVED_ON.minusDays(1)), "occurredOn",
                "must not be before the previous milestone (" + RESERVED_ON + ")");
    }

    @Test
    void retractionNeedsAReason() {
        assertOnlyViolation(stateIn("SIGNED"), new MilestoneRetracted(TODAY, " "), "data.reason", "must not be blank");
        assertOnlyViolation(stateIn("SIGNED"), new MilestoneRetracted(TODAY, null), "data.reason", "is required");
        assertOnlyViolation(stateIn("SIGNED"), new MilestoneRetracted(TODAY, "错".repeat(501)), "data.reason",
                "at most 500 characters");
    }

    @Test
    void withdrawalNeedsAReason() {
        assertOnlyViolation(stateIn("RESERVED"), new ProjectWithdrawn(TODAY, ""), "data.reason", "must not be blank");
        assertEquals(Stage.WITHDRAWN, accept(stateIn("RESERVED"), new ProjectWithdrawn(TODAY, "撤".repeat(500))).stage());
    }

    // ---- investment reports ---------------------------------------------------------------------------------

    @Test
    void laterPeriodReplacesTheReportedFigure() {
        ProjectState state = play(stateIn("STARTED"), report("2024-04", "5000"), report("2024-05", "8000"));
        assertEquals(YearMonth.of(2024, 5), state.report().period());
        assertEquals(new BigDecimal("8000"), state.report().investmentToDate());
    }

    @Test
    void laterReportForTheSamePeriodReplacesTheFigure() {
        ProjectState state = play(stateIn("STARTED"), report("2024-05", "8000"), report("2024-05", "7500.50"));
        assertEquals(YearMonth.of(2024, 5), state.report().period());
        assertEquals(new BigDecimal("7500.50"), state.report().investmentToDate());
    }

    @Test
    void reportForAnOlderPeriodChangesNothingButTheVersion() {
        ProjectState before = play(stateIn("STARTED"), report("2024-05", "8000"));
        ProjectState after = accept(before, report("2024-04", "9000"));
        assertEquals(YearMonth.of(2024, 5), after.report().period());
        assertEquals(new BigDecimal("8000"), after.report().investmentToDate());
        assertEquals(before.version() + 1, after.version());
    }

    @Test
    void investmentReportsSurviveRetractions() {
        ProjectState completed = play(stateIn("STARTED"), report("2024-05", "8000"), new ProjectCompleted(TODAY));
        ProjectState started = accept(completed, retract());
        assertEquals(Stage.STARTED, started.stage());
        assertEquals(YearMonth.of(2024, 5), started.report().period());
        assertEquals(new BigDecimal("8000"), started.report().investmentToDate());
        ProjectState signed = accept(started, retract());
        assertEquals(Stage.SIGNED, signed.stage());
        assertEquals(new BigDecimal("8000"), signed.report().investmentToDate());
        // back in STARTED, only a newer or same-period report counts
        ProjectState restarted = play(signed, new ConstructionStarted(TODAY), report("2024-04", "100"));
        assertEquals(new BigDecimal("8000"), restarted.report().investmentToDate());
    }

    @Test
    void futurePeriodIsRefusedAndTheCurrentMonthAccepted() {
        assertOnlyViolation(stateIn("STARTED"), report("2024-07", "8000"), "data.period", "must not be in the future");
        assertEquals(YearMonth.of(2024, 6), accept(stateIn("STARTED"), report("2024-06", "8000")).report().period());
    }

    @Test
    void reportNeedsPeriodAndFigure() {
        Map<String, String> violations = violations(stateIn("STARTED"), new InvestmentReported(TODAY, null, null));
        assertEquals(Map.of("data.period", "is required", "data.investmentToDate", "is required"), violations);
    }

    // ---- corrections ----------------------------------------------------------------------------------------

    @Test
    void correctionMovesTheProjectToAnotherCampaignAndKeepsTheRest() {
        ProjectState state = accept(stateIn("STARTED"), correct(correction(null, "2025-qxqy", null, null, null)));
        assertEquals("2025-qxqy", state.details().campaignId());
        assertEquals(details().name(), state.details().name());
        assertEquals(details().plannedInvestment(), state.details().plannedInvestment());
        assertEquals(Stage.STARTED, state.stage());
        assertEquals(STARTED_ON, state.milestones().startedOn());
    }

    @Test
    void correctedCategoriesReplaceTheWholeList() {
        ProjectState state = accept(stateIn("RESERVED"),
                correct(correction(null, null, null, List.of("民间资本推介"), null)));
        assertEquals(List.of("民间资本推介"), state.details().categories());
        ProjectState cleared = accept(state, correct(correction(null, null, null, List.of(), null)));
        assertEquals(List.of(), cleared.details().categories());
    }

    @Test
    void emptyCorrectionIsRefused() {
        assertOnlyViolation(stateIn("RESERVED"), correct(correction(null, null, null, null, null)), "data",
                "must correct at least one field");
        assertOnlyViolation(stateIn("RESERVED"), correct(null), "data", "must correct at least one field");
    }

    @Test
    void correctedFieldsFollowTheReservationRules() {
        ProjectDetails bad = new ProjectDetails(" ", null, null, "", List.of("专项债券", "专项债券"),
                BigDecimal.ZERO, new BigDecimal("1.001"), "区".repeat(101), null, "2024-1411-02", null, null);
        assertEquals(Map.of(
                "data.name", "must not be blank",
                "data.industryChain", "must not be blank",
                "data.categories", "must not contain duplicates: 专项债券",
                "data.plannedInvestment", "must be greater than 0",
                "data.annualPlannedInvestment", "at most 2 fraction digits",
                "data.zone", "at most 100 characters",
                "data.projectCode", "must match ^\\d{4}-(\\d{6})-\\d{2}-\\d{2}-\\d{6}$"),
                violations(stateIn("RESERVED"), correct(bad)));
    }

    @Test
    void correctedProjectCodeMustNameTheProjectsRegion() {
        assertOnlyViolation(stateIn("RESERVED"), correct(correction(null, null, null, null, "2024-141121-30-01-000001")),
                "data.projectCode", "projectCode region 141121 does not match regionCode 141102");
        ProjectState same = accept(stateIn("RESERVED"),
                correct(correction(null, null, null, null, "2024-141102-30-01-000001")));
        assertEquals("2024-141102-30-01-000001", same.details().projectCode());
    }

    @Test
    void correctedProjectCodeIsCheckedAgainstTheCorrectedRegion() {
        ProjectState moved = accept(stateIn("SIGNED"),
                correct(correction(null, null, "141121", null, "2024-141121-30-01-000001")));
        assertEquals("141121", moved.details().regionCode());
        assertEquals("2024-141121-30-01-000001", moved.details().projectCode());
        assertOnlyViolation(stateIn("SIGNED"), correct(correction(null, null, "141121", null, CODE)),
                "data.projectCode", "projectCode region 141102 does not match regionCode 141121");
    }

    @Test
    void regionCorrectionMayNotContradictTheExistingProjectCode() {
        assertOnlyViolation(stateIn("RESERVED"), correct(correction(null, null, "141121", null, null)),
                "data.regionCode", "projectCode region 141102 does not match regionCode 141121");
        ProjectState withoutCode = play(new ProjectReserved(RESERVED_ON,
                details("无代码项目", new BigDecimal("100"), REGION, null)));
        assertEquals("141121",
                accept(withoutCode, correct(correction(null, null, "141121", null, null))).details().regionCode());
    }

    @Test
    void correctionsSurviveRetraction() {
        ProjectState corrected = accept(stateIn("STARTED"), correct(correction("更正后的名称", null, null, null, null)));
        ProjectState retracted = accept(corrected, retract());
        assertEquals(Stage.SIGNED, retracted.stage());
        assertEquals("更正后的名称", retracted.details().name());
    }

    // ---- dates ----------------------------------------------------------------------------------------------


    @ParameterizedTest(name = "{0} in {1}")
    @CsvSource({
        "ProjectReserved, UNKNOWN", "ProjectSigned, RESERVED", "ConstructionStarted, RESERVED",
        "ProjectCompleted, STARTED", "InvestmentReported, STARTED", "ProjectCorrected, RESERVED",
        "MilestoneRetracted, SIGNED", "ProjectWithdrawn, RESERVED"})
    void futureDatedEventIsRefused(String eventType, String stage) {
        ProjectState state = stateIn(stage);
        assertOnlyViolation(state, sample(eventType, TODAY.plusDays(1)), "occurredOn", "must not be in the future");
        assertEquals(state.version() + 1, accept(state, sample(eventType, TODAY)).version());
    }

    @Test
    void eventWithoutDateIsRefused() {
        assertOnlyViolation(stateIn("RESERVED"), new ConstructionStarted(null), "occurredOn", "is required");
    }

    @ParameterizedTest(name = "{0} in {1}")
    @CsvSource({
        "ProjectSigned, RESERVED, 2024-03-01", "ConstructionStarted, RESERVED, 2024-03-01",
        "ConstructionStarted, SIGNED, 2024-03-20", "ProjectCompleted, STARTED, 2024-04-10",
        "ProjectWithdrawn, COMPLETED, 2024-05-30"})
    void milestoneMayShareButNotPrecedeThePreviousMilestonesDate(String eventType, String stage, LocalDate last) {
        ProjectState state = stateIn(stage);
        assertEquals(last, state.lastMilestoneOn());
        assertOnlyViolation(state, sample(eventType, last.minusDays(1)), "occurredOn",
                "must not be before the previous milestone (" + last + ")");
        ProjectState next = accept(state, sample(eventType, last));
        assertEquals(last, next.lastMilestoneOn());
    }

    @Test
    void nonMilestoneEventsMayBeDatedBeforeTheLastMilestone() {
        ProjectState completed = stateIn("COMPLETED");
        LocalDate early = STARTED_ON.minusDays(1);
        ProjectState reported = accept(completed, new InvestmentReported(early, YearMonth.of(2024, 3), BigDecimal.ONE));
        assertEquals(YearMonth.of(2024, 3), reported.report().period());
        ProjectState corrected = accept(reported, new ProjectCorrected(early, correction("新名称", null, null, null, null)));
        assertEquals("新名称", corrected.details().name());
    }

    @Test
    void dateOrderViolationIsListedWithTheOtherFieldViolations() {
        Map<String, String> violations = violations(stateIn("RESERVED"),
                new ProjectSigned(RESERVED_ON.minusDays(1), new BigDecimal("-5"), ""));
        assertEquals(Map.of(
                "occurredOn", "must not be before the previous milestone (" + RESERVED_ON + ")",
                "data.signedInvestment", "must be greater than 0",
                "data.investor", "must not be blank"), violations);
    }

    @Test
    void stageRulesWinOverTheDateOrder() {
        Decision.Rejected rejected = reject(stateIn("STARTED"), sign(RESERVED_ON.minusDays(1)));
        assertEquals(Rejection.ILLEGAL_TRANSITION, rejected.kind());
    }

    @Test
    void fieldRulesOfTheEventItselfWinOverTheStageRules() {
        assertOnlyViolation(stateIn("WITHDRAWN"), sign(TODAY.plusDays(1)), "occurredOn", "must not be in the future");
        assertOnlyViolation(ProjectState.UNKNOWN, new ProjectSigned(TODAY, new BigDecimal("1"), " "),
                "data.investor", "must not be blank");
    }

    // ---- amounts --------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "0, must be greater than 0",
        "0.00, must be greater than 0",
        "-1, must be greater than 0",
        "1.234, at most 2 fraction digits",
        "0.001, at most 2 fraction digits",
        "1000000000000, at most 12 integer digits"})
    void plannedInvestmentOutsideTheRulesIsRefused(String amount, String message) {
        ProjectReserved event = new ProjectReserved(TODAY, details("项目", new BigDecimal(amount), REGION, CODE));
        assertOnlyViolation(ProjectState.UNKNOWN, event, "data.plannedInvestment", message);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"0.01", "1.23", "100.50", "100.500", "1E+3", "999999999999.99"})
    void plannedInvestmentWithinTheRulesIsAccepted(String amount) {
        ProjectReserved event = new ProjectReserved(TODAY, details("项目", new BigDecimal(amount), REGION, CODE));
        assertEquals(new BigDecimal(amount), accept(ProjectState.UNKNOWN, event).details().plannedInvestment());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"0, must be greater than 0", "-0.01, must be greater than 0", "1.005, at most 2 fraction digits"})
    void signedInvestmentOutsideTheRulesIsRefused(String amount, String message) {
        assertOnlyViolation(stateIn("RESERVED"), new ProjectSigned(TODAY, new BigDecimal(amount), "投资方"),
                "data.signedInvestment", message);
    }

    @Test
    void signedInvestmentWithTrailingZeroIsAccepted() {
        ProjectState signed = accept(stateIn("RESERVED"), new ProjectSigned(TODAY, new BigDecimal("100.50"), "投资方"));
        assertEquals(new BigDecimal("100.50"), signed.signing().signedInvestment());
    }

    @Test
    void annualPlannedInvestmentIsOptionalButPositive() {
        ProjectDetails withoutAnnual = new ProjectDetails("项目", "2024-qxqy", REGION, "文旅", List.of(),
                new BigDecimal("10"), null, null, null, null, null, null);
        assertNull(accept(ProjectState.UNKNOWN, new ProjectReserved(TODAY, withoutAnnual))
                .details().annualPlannedInvestment());
        ProjectDetails zeroAnnual = new ProjectDetails("项目", "2024-qxqy", REGION, "文旅", List.of(),
                new BigDecimal("10"), BigDecimal.ZERO, null, null, null, null, null);
        assertOnlyViolation(ProjectState.UNKNOWN, new ProjectReserved(TODAY, zeroAnnual),
                "data.annualPlannedInvestment", "must be greater than 0");
    }

    @Test
    void investmentToDateMayBeZeroButNotNegativeOrTooPrecise() {
        assertEquals(BigDecimal.ZERO, accept(stateIn("STARTED"), report("2024-05", "0")).report().investmentToDate());
        assertOnlyViolation(stateIn("STARTED"), report("2024-05", "-0.01"), "data.investmentToDate",
                "must not be negative");
        assertOnlyViolation(stateIn("STARTED"), report("2024-05", "1.005"), "data.investmentToDate",
                "at most 2 fraction digits");
    }

    // ---- reservation fields ---------------------------------------------------------------------------------

    @Test
    void reservationWithBlankNameAndNegativeInvestmentListsBothViolations() {
        ProjectReserved event = new ProjectReserved(TODAY, details(" ", new BigDecimal("-100"), REGION, CODE));
        assertEquals(Map.of("data.name", "must not be blank", "data.plannedInvestment", "must be greater than 0"),
                violations(ProjectState.UNKNOWN, event));
    }

    @Test
    void reservationListsEveryMissingRequiredField() {
        ProjectDetails empty = new ProjectDetails(null, "", null, " ", null, null, null, null, null, CODE, null, null);
        assertEquals(Map.of(
                "data.name", "is required",
                "data.campaignId", "must not be blank",
                "data.regionCode", "is required",
                "data.industryChain", "must not be blank",
                "data.plannedInvestment", "is required"),
                violations(ProjectState.UNKNOWN, new ProjectReserved(TODAY, empty)));
        assertOnlyViolation(ProjectState.UNKNOWN, new ProjectReserved(TODAY, null), "data", "is required");
    }

    @Test
    void reservationWithoutCategoriesIsAcceptedButBlankOrDuplicateCategoriesAreNot() {
        ProjectDetails none = new ProjectDetails("项目", "2024-qxqy", REGION, "煤炭", List.of(),
                new BigDecimal("10"), null, null, null, null, null, null);
        assertEquals(List.of(), accept(ProjectState.UNKNOWN, new ProjectReserved(TODAY, none)).details().categories());
        ProjectDetails blank = new ProjectDetails("项目", "2024-qxqy", REGION, "煤炭", List.of("专利技术", " "),
                new BigDecimal("10"), null, null, null, null, null, null);
        assertOnlyViolation(ProjectState.UNKNOWN, new ProjectReserved(TODAY, blank), "data.categories",
                "must not contain blank entries");
        ProjectDetails twice = new ProjectDetails("项目", "2024-qxqy", REGION, "煤炭", List.of("专利技术", "专利技术 "),
                new BigDecimal("10"), null, null, null, null, null, null);
        assertOnlyViolation(ProjectState.UNKNOWN, new ProjectReserved(TODAY, twice), "data.categories",
                "must not contain duplicates: 专利技术");
    }

    @Test
    void textLengthsAreCountedInCodePoints() {
        String longest = "𠀀".repeat(200); // outside the BMP: 400 chars, 200 code points
        ProjectDetails atLimit = new ProjectDetails(longest, "2024-qxqy", REGION, "特钢", List.of(),
                new BigDecimal("10"), null, "区".repeat(100), "单".repeat(200), null, null, null);
        assertEquals(longest, accept(ProjectState.UNKNOWN, new ProjectReserved(TODAY, atLimit)).details().name());
        ProjectDetails overLimit = new ProjectDetails(longest + "项", "2024-qxqy", REGION, "特钢", List.of(),
                new BigDecimal("10"), null, "区".repeat(101), "单".repeat(201), null, null, null);
        assertEquals(Map.of(
                "data.name", "at most 200 characters",
                "data.zone", "at most 100 characters",
                "data.owner", "at most 200 characters"),
                violations(ProjectState.UNKNOWN, new ProjectReserved(TODAY, overLimit)));
        assertOnlyViolation(stateIn("RESERVED"), new ProjectSigned(TODAY, BigDecimal.TEN, "投".repeat(201)),
                "data.investor", "at most 200 characters");
    }

    @Test
    void optionalTextMayBeAbsentButNotBlank() {
        ProjectDetails blankZone = new ProjectDetails("项目", "2024-qxqy", REGION, "铝镁", List.of(),
                new BigDecimal("10"), null, " ", "", null, null, null);
        assertEquals(Map.of("data.zone", "must not be blank", "data.owner", "must not be blank"),
                violations(ProjectState.UNKNOWN, new ProjectReserved(TODAY, blankZone)));
    }

    @Test
    void signingNeedsAnAmountAndAnInvestor() {
        assertEquals(Map.of("data.signedInvestment", "is required", "data.investor", "is required"),
                violations(stateIn("RESERVED"), new ProjectSigned(TODAY, null, null)));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"2024-141102-30-01-12345", "2024141102300112345x", "2024-141102-30-01-12345a",
        "24-141102-30-01-123456", "2024-141102-30-01-123456 ", "２０２４-141102-30-01-123456"})
    void malformedProjectCodeIsRefused(String code) {
        ProjectReserved event = new ProjectReserved(TODAY, details("项目", BigDecimal.TEN, REGION, code));
        assertOnlyViolation(ProjectState.UNKNOWN, event, "data.projectCode",
                "must match ^\\d{4}-(\\d{6})-\\d{2}-\\d{2}-\\d{6}$");
    }

    @Test
    void reservedProjectCodeMustNameTheProjectsRegion() {
        ProjectReserved event = new ProjectReserved(TODAY,
                details("项目", BigDecimal.TEN, REGION, "2024-141100-30-01-123456"));
        assertOnlyViolation(ProjectState.UNKNOWN, event, "data.projectCode",
                "projectCode region 141100 does not match regionCode 141102");
        ProjectReserved optional = new ProjectReserved(TODAY, details("项目", BigDecimal.TEN, REGION, null));
        assertNull(accept(ProjectState.UNKNOWN, optional).details().projectCode());
    }

    // ---- versions -------------------------------------------------------------------------------------------

    @Test
    void versionCountsEveryEventIncludingOnesThatChangeNothingElse() {
        ProjectState reserved = accept(ProjectState.UNKNOWN, reserve(RESERVED_ON));
        assertEquals(1, reserved.version());
        ProjectState state = play(reserved, new ConstructionStarted(STARTED_ON), report("2024-05", "10"),
                report("2024-04", "5"), retract(), correct(correction("名称", null, null, null, null)),
                new ProjectWithdrawn(TODAY, "项目终止"));
        assertEquals(7, state.version());
        assertEquals(new BigDecimal("10"), state.report().investmentToDate());
    }
}
