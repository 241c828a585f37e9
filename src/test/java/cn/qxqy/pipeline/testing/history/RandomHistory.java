package cn.qxqy.pipeline.testing.history;

import static cn.qxqy.pipeline.testing.history.BodyFields.assertFields;
import static cn.qxqy.pipeline.testing.history.ReferenceModel.COMPLETED;
import static cn.qxqy.pipeline.testing.history.ReferenceModel.CORRECTED;
import static cn.qxqy.pipeline.testing.history.ReferenceModel.REPORTED;
import static cn.qxqy.pipeline.testing.history.ReferenceModel.RESERVED;
import static cn.qxqy.pipeline.testing.history.ReferenceModel.RETRACTED;
import static cn.qxqy.pipeline.testing.history.ReferenceModel.SIGNED;
import static cn.qxqy.pipeline.testing.history.ReferenceModel.STARTED;
import static cn.qxqy.pipeline.testing.history.ReferenceModel.WITHDRAWN;
import static org.junit.jupiter.api.Assertions.fail;

import cn.qxqy.pipeline.testing.Api;
import com.fasterxml.jackson.databind.JsonNode;
import io.restassured.response.Response;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.assertj.core.api.SoftAssertions;

/**
 * A long random history of valid, invalid and illegal events, posted singly and in batches to the service under
 * test, in two campaigns of its own. Before each post the {@link ServiceModel} predicts the answer (201, 200 for a
 * re-post, 400, 404 or 409); after it, the model follows what the service actually did, so a wrong verdict is
 * reported once and the figures are still checked against the history the service really holds.
 *
 * <p>Seeded: {@code -DrandomHistory.seed=N} replays another history (the seed is printed).
 */
public final class RandomHistory {

    public static final long DEFAULT_SEED = 20240219L;
    /** Events generated for single posts; batches come on top. */
    private static final int SINGLE_STEPS = 480;
    private static final int[] BATCH_AT = {120, 290, 430};
    private static final int BATCH_SIZE = 36;
    /** Issue 3 asks for a history over at least 100 projects. */
    private static final int MIN_PROJECTS = 100;
    private static final int MIN_POSTED = 400;
    private static final double MIN_REFUSED_SHARE = 0.18;
    private static final double MAX_REFUSED_SHARE = 0.35;
    private static final int MIN_REPOSTS = 3;
    /** What the accepted events must include for the figures' comparison to prove much. */
    private static final List<String> MUST_COVER = List.of(RESERVED, SIGNED, COMPLETED, "start from RESERVED",
            "start from SIGNED", "report later period", "report older period", "report same period",
            "retract SIGNED", "retract STARTED signed", "retract STARTED unsigned", "retract COMPLETED",
            "withdraw RESERVED", "withdraw SIGNED", "withdraw STARTED", "correct regionCode", "correct industryChain",
            "correct categories", "correct plannedInvestment", "correct annualPlannedInvestment",
            "correct campaignId", "correct projectCode", "batch accepted");
    /** At most this many problems are listed when the test fails; all of them are counted. */
    private static final int PROBLEMS_SHOWN = 60;

    public final long seed;
    public final String campaignA;
    public final String campaignB;
    final ServiceModel service;
    private final HistoryGenerator generator;
    private final String testName;
    private final long started = System.nanoTime();
    private final Map<Integer, Integer> byStatus = new TreeMap<>();
    private final Map<String, Integer> refusedByIntent = new TreeMap<>();
    /** What the accepted events exercised, so that a seed too poor to test much is noticed. */
    private final Set<String> coverage = new TreeSet<>();
    private int posted;
    private int batchItems;

    private RandomHistory(String testName, long seed) {
        this.testName = testName;
        this.seed = seed;
        this.campaignA = Api.newCampaign();
        this.campaignB = Api.newCampaign();
        this.service = new ServiceModel(Set.of(campaignA, campaignB, Api.CAMPAIGN));
        this.generator = new HistoryGenerator(seed, service, campaignA, campaignB);
    }

    /** A history for the test, seeded by {@code -DrandomHistory.seed} or the default; nothing posted yet. */
    public static RandomHistory seeded(String testName) {
        return seeded(testName, "randomHistory.seed", DEFAULT_SEED);
    }

    /** A history seeded by the system property {@code seedProperty}, or {@code defaultSeed}; nothing posted yet. */
    public static RandomHistory seeded(String testName, String seedProperty, long defaultSeed) {
        long seed = Long.getLong(seedProperty, defaultSeed);
        System.out.println(testName + " seed = " + seed + " (replay with -D" + seedProperty + "=" + seed + ")");
        return new RandomHistory(testName, seed);
    }

    /** Posts the whole history: single events, with batches at fixed steps. */
    public void post(SoftAssertions softly) {
        int batchIndex = 0;
        for (int step = 0; step < SINGLE_STEPS; step++) {
            if (batchIndex < BATCH_AT.length && step == BATCH_AT[batchIndex]) {
                postBatch(BATCH_SIZE, softly);
                batchIndex++;
            }
            postNext(softly);
        }
    }

    /** One more generated event, posted on its own. */
    public void postNext(SoftAssertions softly) {
        post(generator.generate(), softly);
    }

    /** An event of the caller's own, predicted by the model and posted on its own like a generated one. */
    public void post(HistoryEvent e, SoftAssertions softly) {
        predict(e);
        postSingle(e, softly);
    }

    /** Every project's state, folded again from scratch out of the accepted events alone. */
    public Map<String, ModelProject> recompute() {
        return service.recompute();
    }

    public int projectCount() {
        return service.projects.size();
    }

    public int acceptedCount() {
        return service.accepted.size();
    }

    public int postedCount() {
        return posted;
    }

    private void predict(HistoryEvent e) {
        e.predicted = service.expectedStatus(e);
        if (e.predicted != e.intended) {
            throw new IllegalStateException("test generator bug: meant " + e.intended + " but the model predicts "
                    + e.predicted + " for " + e);
        }
    }

    private void postSingle(HistoryEvent e, SoftAssertions softly) {
        Response r = Api.department().body(e.json()).post("/api/v1/projects/{id}/events", e.projectId);
        JsonNode body = Json.parse(r.asString());
        record(e, r.statusCode(), body, body, "single", softly);
    }

    /** A batch of generated events; their outcomes are predicted in order, each on the state the earlier leave. */
    public void postBatch(int size, SoftAssertions softly) {
        Map<String, ModelProject> before = service.snapshot();
        List<HistoryEvent> items = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            HistoryEvent e = i == size / 2 ? generator.withoutProjectId() : generator.generate();
            e.batch = true;
            predict(e);
            if (e.predicted == 201) {
                service.projects.put(e.projectId, ReferenceModel.apply(service.projects.get(e.projectId), e));
            }
            items.add(e);
        }
        // The outcomes as the service gives them are replayed on the state before the batch.
        service.restore(before);
        String body = items.stream().map(HistoryEvent::json).collect(Collectors.joining(",", "[", "]"));
        Response r = Api.department().body(body).post("/api/v1/events");
        JsonNode results = Json.parse(r.asString()).path("results");
        if (r.statusCode() != 200 || !results.isArray() || results.size() != items.size()) {
            softly.fail("batch of " + items.size() + ": expected 200 with " + items.size() + " results, got "
                    + r.statusCode() + " " + r.asString());
            posted += items.size();
            return;
        }
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = results.get(i);
            int status = item.path("status").asInt(-1);
            record(items.get(i), status, item.path("result"), item.path("problem"), "batch item " + i, softly);
        }
        batchItems += items.size();
    }

    /** The service's answer against the prediction; the model then follows what the service did. */
    private void record(HistoryEvent e, int status, JsonNode result, JsonNode problem, String where,
                        SoftAssertions softly) {
        posted++;
        byStatus.merge(status, 1, Integer::sum);
        ModelProject before = service.projects.get(e.projectId);
        if (status >= 500 || status < 200) {
            softly.fail(where + ": status " + status + " (never 5xx for what a client sends) for " + e + " -> "
                    + problem);
        } else {
            softly.assertThat(status).as(() -> where + ": the status for " + e + " (model: stage "
                    + (before == null ? "unknown" : before.stage) + ", version " + (before == null ? 0 : before.version)
                    + ", last milestone " + (before == null ? null : before.lastMilestone()) + ") -> "
                    + (status < 300 ? result : problem)).isEqualTo(e.predicted);
        }
        if (status == 201 && before == null && !RESERVED.equals(e.type)) {
            softly.fail(where + ": accepted an event for a project never reserved: " + e + " -> " + result);
        } else if (status == 201) {
            ModelProject after = ReferenceModel.apply(before, e);
            assertFields(softly, where + ": a 201 names the project, its new version and the eventId", result,
                    Map.of("projectId", e.projectId, "version", after.version, "eventId", e.eventId()));
            service.accept(e, after);
            cover(before, e);
        } else if (status == 200) {
            ServiceModel.Accepted original = service.acceptedById.get(e.eventId());
            if (original == null) {
                softly.fail(where + ": 200 for an event never accepted: " + e + " -> " + result);
            } else {
                assertFields(softly, where + ": a re-post answers the original result", result,
                        Map.of("projectId", original.event().projectId, "version", original.version()));
            }
        } else if (status >= 400 && status < 500) {
            refusedByIntent.merge(e.intent, 1, Integer::sum);
            assertFields(softly, where + ": a " + status + " comes with a problem of that status", problem,
                    Map.of("status", (long) status));
        }
    }

    private void cover(ModelProject before, HistoryEvent e) {
        if (before == null) {
            coverage.add(e.type);
            return;
        }
        switch (e.type) {
            case RETRACTED -> coverage.add("retract " + before.stage
                    + ("STARTED".equals(before.stage) ? (before.signedOn != null ? " signed" : " unsigned") : ""));
            case CORRECTED -> e.data().keySet().forEach(k -> coverage.add("correct " + k));
            case WITHDRAWN -> coverage.add("withdraw " + before.stage);
            case REPORTED -> {
                YearMonth period = YearMonth.parse((String) e.data().get("period"));
                coverage.add(before.period == null || period.isAfter(before.period) ? "report later period"
                        : period.equals(before.period) ? "report same period" : "report older period");
            }
            case STARTED -> coverage.add("start from " + before.stage);
            default -> coverage.add(e.type);
        }
        if (e.batch) {
            coverage.add("batch accepted");
        }
    }

    /** The history must exercise what the figures depend on, or the comparison proves little. */
    public void checkCoverage(Map<String, ModelProject> recomputed, SoftAssertions softly) {
        String poor = "the generated history is too poor to prove much (try another seed, or the service refused "
                + "what it should accept): ";
        softly.assertThat(posted).as(poor + "events posted").isGreaterThanOrEqualTo(MIN_POSTED);
        softly.assertThat(recomputed.size()).as(poor + "projects").isGreaterThanOrEqualTo(MIN_PROJECTS);
        softly.assertThat((double) refused() / posted).as(poor + "share of the events refused")
                .isBetween(MIN_REFUSED_SHARE, MAX_REFUSED_SHARE);
        softly.assertThat(byStatus.getOrDefault(200, 0)).as(poor + "re-posts answered 200")
                .isGreaterThanOrEqualTo(MIN_REPOSTS);
        softly.assertThat(coverage).as(poor + "what the accepted events exercised").containsAll(MUST_COVER);
        ExpectedFigures.Row a = ExpectedFigures.summary(recomputed, campaignA);
        for (int i = 0; i < Catalog.STAGES.size(); i++) {
            softly.assertThat(a.current[i]).as(poor + "projects of campaign A that end " + Catalog.STAGES.get(i))
                    .isPositive();
        }
        softly.assertThat(a.withdrawn).as(poor + "withdrawn projects in campaign A").isPositive();
        softly.assertThat(ExpectedFigures.countIn(recomputed, campaignB)).as(poor + "projects in campaign B")
                .isPositive();
    }

    private long refused() {
        return byStatus.entrySet().stream().filter(s -> s.getKey() >= 400).mapToLong(Map.Entry::getValue).sum();
    }

    /** Prints what the history posted and what the checks found, with the seed, for a run's log. */
    public void report(Map<String, ModelProject> recomputed, List<String> log, SoftAssertions softly) {
        System.out.printf("%s seed=%d: %d events posted (%d in %d batches), %d accepted (201), %d re-posts (200), "
                        + "%d refused; by status %s; projects %d (campaign A %d, B %d); refused by intent %s%n",
                testName, seed, posted, batchItems, BATCH_AT.length, acceptedCount(), byStatus.getOrDefault(200, 0),
                refused(), byStatus, recomputed.size(), ExpectedFigures.countIn(recomputed, campaignA),
                ExpectedFigures.countIn(recomputed, campaignB), refusedByIntent);
        System.out.printf("%s seed=%d: %s; %d problem(s); total %.1f s%n", testName, seed, String.join("; ", log),
                softly.errorsCollected().size(), seconds(started));
    }

    /** Fails with every problem found (the first ones listed) and the seed that replays them. */
    public void assertNoProblems(SoftAssertions softly) {
        List<Throwable> problems = softly.errorsCollected();
        if (!problems.isEmpty()) {
            fail(problems.size() + " problem(s) with seed " + seed + " (replay with -DrandomHistory.seed=" + seed
                    + "):\n" + problems.stream().limit(PROBLEMS_SHOWN).map(Throwable::getMessage)
                    .collect(Collectors.joining("\n")));
        }
    }

    public double secondsSinceStart() {
        return seconds(started);
    }

    static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
