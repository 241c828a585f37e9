package cn.qxqy.pipeline.domain;

import static cn.qxqy.pipeline.testing.history.GeneratedHistories.toDomain;
import static cn.qxqy.pipeline.testing.history.ReferenceModel.RETRACTED;
import static cn.qxqy.pipeline.testing.history.ReferenceModel.RESERVED;
import static cn.qxqy.pipeline.testing.history.ReferenceModel.SIGNED;
import static cn.qxqy.pipeline.testing.history.ReferenceModel.STARTED;
import static cn.qxqy.pipeline.testing.history.ReferenceModel.TYPES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import cn.qxqy.pipeline.testing.history.GeneratedHistories;
import cn.qxqy.pipeline.testing.history.HistoryEvent;
import cn.qxqy.pipeline.testing.history.ModelProject;
import cn.qxqy.pipeline.testing.history.ReferenceModel;
import cn.qxqy.pipeline.testing.history.ReferenceModel.Verdict;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * {@link ProjectStateMachine#decide} against the reference model that the random history over HTTP checks the
 * service with ({@code testing.history.ReferenceModel}), on generated histories of one project: each event must get the
 * verdict the model predicts, and each accepted one must lead to the state the model computes. A history on which they
 * disagree is shrunk to a shortest one that still does, and that one is reported, event by event.
 *
 * <p>Seeded: {@code -DdecideProperty.seed=N} draws other histories (the seed is printed).
 */
class ProjectStateMachinePropertyTest {

    private static final long DEFAULT_SEED = 20240615L;
    private static final LocalDate TODAY = LocalDate.of(2024, 6, 15);
    private static final int HISTORIES = 2_000;
    /** Each verdict at least this often over all histories, for the agreement to mean much. */
    private static final int MIN_PER_VERDICT = 100;
    private static final List<String> STAGES = List.of("none", "RESERVED", "SIGNED", "STARTED", "COMPLETED",
            "WITHDRAWN");
    /** A state's fields after version and stage, as both sides list them. */
    private static final List<String> FIELD_NAMES = List.of("name", "campaignId", "regionCode", "industryChain",
            "categories", "plannedInvestment", "annualPlannedInvestment", "zone", "owner", "projectCode",
            "signedInvestment", "investor", "reservedOn", "signedOn", "startedOn", "completedOn", "withdrawnOn",
            "reportedPeriod", "investmentToDate");

    /** What the generated histories exercised: verdicts, and events of each type met in each stage. */
    private static final class Coverage {
        final Map<Verdict, Integer> verdicts = new EnumMap<>(Verdict.class);
        final Set<String> stageAndType = new TreeSet<>();
        final Set<String> accepted = new TreeSet<>();
        int events;
    }

    @Test
    void decideGivesTheReferenceModelsVerdictAndStateOnEveryGeneratedHistory() {
        long seed = Long.getLong("decideProperty.seed", DEFAULT_SEED);
        System.out.println("ProjectStateMachinePropertyTest seed = " + seed + " (replay with -DdecideProperty.seed="
                + seed + ")");
        GeneratedHistories generated = new GeneratedHistories(new Random(seed), TODAY);
        Coverage coverage = new Coverage();
        for (int i = 0; i < HISTORIES; i++) {
            List<HistoryEvent> history = generated.next();
            if (disagreement(history, coverage) != null) {
                List<HistoryEvent> shrunk = GeneratedHistories.shrink(history,
                        h -> disagreement(h, new Coverage()) != null, generated.start());
                fail("decide disagrees with the reference model on history " + i + " of seed " + seed + " ("
                        + history.size() + " events), shrunk to " + shrunk.size() + " events:\n" + replay(shrunk)
                        + disagreement(shrunk, new Coverage()));
            }
        }
        System.out.printf("ProjectStateMachinePropertyTest seed=%d: %d histories, %d events; verdicts %s%n", seed,
                HISTORIES, coverage.events, coverage.verdicts);
        assertCoverage(coverage);
    }

    @Test
    void aHistoryThatFailsShrinksToTheEventsThatMakeItFail() {
        // A stand-in for a failure: an accepted retraction that takes a started project back to its signing.
        Predicate<List<HistoryEvent>> retractsASignedStart = history -> {
            ProjectState state = ProjectState.UNKNOWN;
            for (HistoryEvent e : history) {
                Stage before = state.stage();
                if (ProjectStateMachine.decide(state, toDomain(e), TODAY) instanceof Decision.Accepted accepted) {
                    state = accepted.next();
                    if (e.type.equals(RETRACTED) && before == Stage.STARTED && state.stage() == Stage.SIGNED) {
                        return true;
                    }
                }
            }
            return false;
        };
        GeneratedHistories generated = new GeneratedHistories(new Random(DEFAULT_SEED), TODAY);
        List<HistoryEvent> failing = generated.next();
        while (!retractsASignedStart.test(failing) || failing.size() < 10) {
            failing = generated.next();
        }

        List<HistoryEvent> shrunk = GeneratedHistories.shrink(failing, retractsASignedStart, generated.start());

        assertThat(shrunk).extracting(e -> e.type).containsExactly(RESERVED, SIGNED, STARTED, RETRACTED);
        assertThat(shrunk.get(0).data()).as("the reservation keeps only its required fields").containsOnlyKeys(
                "name", "campaignId", "regionCode", "industryChain", "plannedInvestment");
        assertThat(shrunk).extracting(e -> e.occurredOn).containsOnly(generated.start());
    }

    /**
     * Plays the history through {@code decide} and the reference model side by side; the first step at which they
     * disagree, described, or null when they agree throughout.
     */
    private static String disagreement(List<HistoryEvent> history, Coverage coverage) {
        ProjectState state = ProjectState.UNKNOWN;
        ModelProject model = null;
        for (int i = 0; i < history.size(); i++) {
            HistoryEvent e = history.get(i);
            Verdict expected = ReferenceModel.verdict(model, e, TODAY);
            Decision decision = ProjectStateMachine.decide(state, toDomain(e), TODAY);
            count(coverage, model, e, expected);
            if (status(decision) != expected.status) {
                return "step " + i + ": the model says " + expected + " (" + expected.status + "), decide " + decision;
            }
            if (decision instanceof Decision.Accepted accepted) {
                model = ReferenceModel.apply(model, e);
                state = accepted.next();
                if (!fields(state).equals(fields(model))) {
                    return "step " + i + ": the state after it differs: decide " + fields(state) + ", the model "
                            + fields(model);
                }
            }
        }
        return null;
    }

    private static void count(Coverage coverage, ModelProject model, HistoryEvent e, Verdict verdict) {
        String stage = model == null ? "none" : model.stage;
        coverage.events++;
        coverage.verdicts.merge(verdict, 1, Integer::sum);
        coverage.stageAndType.add(stage + " " + e.type);
        if (verdict == Verdict.ACCEPTED && model != null) {
            String detail = switch (e.type) {
                case RETRACTED -> "STARTED".equals(stage) ? (model.signedOn != null ? " signed" : " unsigned") : "";
                case ReferenceModel.REPORTED -> model.period == null ? " first"
                        : ReferenceModel.period(e.data().get("period")).compareTo(model.period) < 0 ? " older period"
                        : " same or later period";
                case ReferenceModel.CORRECTED -> " " + new TreeSet<>(e.data().keySet()).stream()
                        .filter(k -> k.equals("projectCode") || k.equals("regionCode"))
                        .collect(Collectors.joining("+"));
                default -> "";
            };
            coverage.accepted.add(stage + " " + e.type + detail);
        }
    }

    /** Fails when the histories did not meet every type in every stage, or some verdict too seldom. */
    private static void assertCoverage(Coverage coverage) {
        SoftAssertions softly = new SoftAssertions();
        String poor = "the generated histories prove too little: ";
        for (Verdict verdict : Verdict.values()) {
            softly.assertThat(coverage.verdicts.getOrDefault(verdict, 0)).as(poor + "events judged " + verdict)
                    .isGreaterThanOrEqualTo(MIN_PER_VERDICT);
        }
        List<String> everyPair = STAGES.stream().flatMap(s -> TYPES.stream().map(t -> s + " " + t)).toList();
        softly.assertThat(coverage.stageAndType).as(poor + "event types met in each stage").containsAll(everyPair);
        softly.assertThat(coverage.accepted).as(poor + "accepted events of the kinds whose effect is subtle")
                .contains("STARTED MilestoneRetracted signed", "STARTED MilestoneRetracted unsigned",
                        "COMPLETED MilestoneRetracted", "SIGNED MilestoneRetracted",
                        "STARTED InvestmentReported older period", "COMPLETED InvestmentReported same or later period",
                        "RESERVED ProjectCorrected projectCode", "SIGNED ProjectCorrected regionCode",
                        "STARTED ProjectCorrected projectCode+regionCode", "COMPLETED ProjectWithdrawn");
        softly.assertAll();
    }

    /** The HTTP status the edge gives a decision: each rejection kind maps to one. */
    private static int status(Decision decision) {
        if (decision instanceof Decision.Rejected rejected) {
            return switch (rejected.kind()) {
                case INVALID_FIELD -> 400;
                case UNKNOWN_PROJECT -> 404;
                case ILLEGAL_TRANSITION -> 409;
            };
        }
        return 201;
    }

    /** The state's fields by name, amounts by value (100.50 is 100.5). */
    private static Map<String, Object> fields(ProjectState s) {
        ProjectDetails d = s.details();
        return fields(s.version(), s.stage().name(), Arrays.asList(d.name(), d.campaignId(), d.regionCode(),
                d.industryChain(), d.categories(), d.plannedInvestment(), d.annualPlannedInvestment(), d.zone(),
                d.owner(), d.projectCode(), s.signing().signedInvestment(), s.signing().investor(),
                s.milestones().reservedOn(), s.milestones().signedOn(), s.milestones().startedOn(),
                s.milestones().completedOn(), s.milestones().withdrawnOn(), s.report().period(),
                s.report().investmentToDate()));
    }

    private static Map<String, Object> fields(ModelProject p) {
        return fields(p.version, p.stage, Arrays.asList(p.name, p.campaignId, p.regionCode, p.chain, p.categories,
                p.planned, p.annual, p.zone, p.owner, p.projectCode, p.signedInvestment, p.investor, p.reservedOn,
                p.signedOn, p.startedOn, p.completedOn, p.withdrawnOn, p.period, p.investmentToDate));
    }

    private static Map<String, Object> fields(long version, String stage, List<Object> values) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("version", version);
        fields.put("stage", stage);
        for (int i = 0; i < FIELD_NAMES.size(); i++) {
            Object value = values.get(i);
            fields.put(FIELD_NAMES.get(i), value instanceof BigDecimal b ? b.stripTrailingZeros() : value);
        }
        return fields;
    }

    /** The history event by event, with the model's verdict and decide's decision on each, up to where they part. */
    private static String replay(List<HistoryEvent> history) {
        StringBuilder out = new StringBuilder();
        ProjectState state = ProjectState.UNKNOWN;
        ModelProject model = null;
        for (int i = 0; i < history.size(); i++) {
            HistoryEvent e = history.get(i);
            Verdict expected = ReferenceModel.verdict(model, e, TODAY);
            Decision decision = ProjectStateMachine.decide(state, toDomain(e), TODAY);
            out.append(String.format("  %d. %s %s %s%n     model: %s; decide: %s%n", i, e.type, e.occurredOn,
                    e.data(), expected, decision instanceof Decision.Accepted accepted
                            ? "ACCEPTED, " + accepted.next().stage() : decision));
            if (status(decision) != expected.status) {
                break;
            }
            if (decision instanceof Decision.Accepted accepted) {
                model = ReferenceModel.apply(model, e);
                state = accepted.next();
            }
        }
        return out.toString();
    }
}
