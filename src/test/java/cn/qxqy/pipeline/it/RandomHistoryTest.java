package cn.qxqy.pipeline.it;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A long random history of valid, invalid and illegal events, posted singly and in batches: the campaign figures
 * the service derives must equal what this test recomputes on its own, from DESIGN.md's rules, out of the events
 * the service accepted.
 *
 * <p>The test keeps its own model of every project. Before each post it predicts the answer (201, 200 for a
 * re-post, 400, 404 or 409); after it, the model follows what the service actually did, so a wrong verdict is
 * reported once and the figures are still checked against the history the service really holds.
 *
 * <p>Seeded: {@code -DrandomHistory.seed=N} replays another history (the seed is printed). The Kafka broker and
 * PostgreSQL come from {@code cn.qxqy.pipeline.testing.PipelineInfrastructure}, a global test resource.
 */
@QuarkusTest
class RandomHistoryTest {

    private static final long DEFAULT_SEED = 20240219L;
    /** Events generated for single posts; batches come on top. */
    private static final int SINGLE_STEPS = 480;
    private static final int[] BATCH_AT = {120, 290, 430};
    private static final int BATCH_SIZE = 36;
    /** Valid reservations to aim for: issue 3 asks for a history over at least 100 projects. */
    private static final int TARGET_PROJECTS = 112;
    private static final int MIN_PROJECTS = 100;
    /** Chance that a step reserves a new project while fewer than TARGET_PROJECTS have been. */
    private static final double NEW_PROJECT_RATE = 0.36;
    /** Reads the reader must have made while rebuilds ran, for "never saw a half-built figure" to mean much. */
    private static final int MIN_READS_DURING_REBUILD = 20;
    /** Rebuilds are repeated, up to this many, until they have seen enough reads, or enough writes. */
    private static final int MAX_REBUILD_ROUNDS = 6;
    /** Events posted during each rebuild with writes: at least these, then on until it is done. */
    private static final int MIN_WRITES_PER_REBUILD = 6;
    private static final int MIN_WRITES_DURING_REBUILD = 20;
    /** Events accepted while a rebuild was still RUNNING that the rounds aim for. */
    private static final int MIN_ACCEPTED_DURING_REBUILD = 8;
    /** Chance that an event for an existing active project is made invalid or illegal on purpose. */
    private static final double INVALID_RATE = 0.24;

    private static final List<String> REGIONS = List.of("141100", "141102", "141121", "141122", "141123", "141124",
            "141125", "141126", "141127", "141128", "141129", "141130", "141181", "141182");
    private static final List<String> CHAINS = List.of("coal", "hydrogen", "aluminium-magnesium", "baijiu",
            "coal-chemical", "special-steel", "equipment", "unconventional-gas", "solid-waste", "culture-tourism",
            "infrastructure", "livelihood", "other");
    private static final List<String> CATEGORIES = List.of("central-budget", "special-bond", "chain-extension",
            "private-capital", "patent-technology");
    private static final List<String> ZONES = List.of("吕梁经济技术开发区", "兴县经济开发区", "交城经济开发区",
            "岚县经济技术开发区", "交口县经济技术开发区");
    private static final List<String> STAGES = List.of("RESERVED", "SIGNED", "STARTED", "COMPLETED");
    /** The timeline's milestones: the stages, and WITHDRAWN. */
    private static final List<String> MILESTONES = List.of("RESERVED", "SIGNED", "STARTED", "COMPLETED", "WITHDRAWN");
    private static final Map<String, List<String>> REFERENCE = Map.of(
            "region", REGIONS, "chain", CHAINS, "category", CATEGORIES);

    private static final String RESERVED = "ProjectReserved";
    private static final String SIGNED = "ProjectSigned";
    private static final String STARTED = "ConstructionStarted";
    private static final String COMPLETED = "ProjectCompleted";
    private static final String REPORTED = "InvestmentReported";
    private static final String CORRECTED = "ProjectCorrected";
    private static final String RETRACTED = "MilestoneRetracted";
    private static final String WITHDRAWN = "ProjectWithdrawn";
    private static final List<String> TYPES = List.of(RESERVED, SIGNED, STARTED, COMPLETED, REPORTED, CORRECTED,
            RETRACTED, WITHDRAWN);
    private static final Set<String> MILESTONE_TYPES = Set.of(SIGNED, STARTED, COMPLETED, WITHDRAWN);

    private static final Set<String> DETAIL_FIELDS = Set.of("name", "campaignId", "regionCode", "industryChain",
            "categories", "plannedInvestment", "annualPlannedInvestment", "zone", "owner", "projectCode");
    private static final Map<String, Set<String>> DATA_FIELDS = Map.of(
            RESERVED, DETAIL_FIELDS, CORRECTED, DETAIL_FIELDS,
            SIGNED, Set.of("signedInvestment", "investor"),
            STARTED, Set.of(), COMPLETED, Set.of(),
            REPORTED, Set.of("period", "investmentToDate"),
            RETRACTED, Set.of("reason"), WITHDRAWN, Set.of("reason"));
    private static final Set<String> AMOUNT_FIELDS = Set.of("plannedInvestment", "annualPlannedInvestment",
            "signedInvestment", "investmentToDate");
    private static final Set<String> ENVELOPE_FIELDS = Set.of("eventId", "type", "occurredOn", "expectedVersion",
            "data", "projectId");

    /** DESIGN.md's "allowed when" column, for a known project. */
    private static final Map<String, Set<String>> ALLOWED_FROM = Map.of(
            RESERVED, Set.of(),
            SIGNED, Set.of("RESERVED"),
            STARTED, Set.of("RESERVED", "SIGNED"),
            COMPLETED, Set.of("STARTED"),
            REPORTED, Set.of("STARTED", "COMPLETED"),
            CORRECTED, Set.of("RESERVED", "SIGNED", "STARTED", "COMPLETED"),
            RETRACTED, Set.of("SIGNED", "STARTED", "COMPLETED"),
            WITHDRAWN, Set.of("RESERVED", "SIGNED", "STARTED", "COMPLETED"));

    private static final Pattern PROJECT_ID = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$");
    private static final Pattern PROJECT_CODE = Pattern.compile("^\\d{4}-(\\d{6})-\\d{2}-\\d{2}-\\d{6}$");
    private static final BigDecimal AMOUNT_LIMIT = BigDecimal.TEN.pow(12);

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final ObjectMapper CANONICAL = new ObjectMapper()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    // --- the test's own model of the service ---------------------------------------------------------------

    /** A project as the accepted history makes it, by DESIGN.md; plus the generator's date cursor. */
    static final class Proj {
        final String id;
        long version;
        String stage;
        String name;
        String campaignId;
        String regionCode;
        String chain;
        List<String> categories = List.of();
        BigDecimal planned;
        BigDecimal annual;
        String zone;
        String owner;
        String projectCode;
        BigDecimal signedInvestment;
        LocalDate reservedOn;
        LocalDate signedOn;
        LocalDate startedOn;
        LocalDate completedOn;
        LocalDate withdrawnOn;
        YearMonth period;
        BigDecimal investmentToDate;
        /** Latest date used in an accepted event of the project: the generator's cursor, not a domain field. */
        LocalDate clock;

        Proj(String id) {
            this.id = id;
        }

        Proj copy() {
            Proj p = new Proj(id);
            p.version = version;
            p.stage = stage;
            p.name = name;
            p.campaignId = campaignId;
            p.regionCode = regionCode;
            p.chain = chain;
            p.categories = categories;
            p.planned = planned;
            p.annual = annual;
            p.zone = zone;
            p.owner = owner;
            p.projectCode = projectCode;
            p.signedInvestment = signedInvestment;
            p.reservedOn = reservedOn;
            p.signedOn = signedOn;
            p.startedOn = startedOn;
            p.completedOn = completedOn;
            p.withdrawnOn = withdrawnOn;
            p.period = period;
            p.investmentToDate = investmentToDate;
            p.clock = clock;
            return p;
        }

        boolean active() {
            return !"WITHDRAWN".equals(stage);
        }

        /** The latest milestone still in effect. */
        LocalDate lastMilestone() {
            for (LocalDate d : new LocalDate[]{withdrawnOn, completedOn, startedOn, signedOn}) {
                if (d != null) {
                    return d;
                }
            }
            return reservedOn;
        }
    }

    /** One event as posted. */
    static final class Ev {
        final String projectId;
        final String type;
        final LocalDate occurredOn;
        final Map<String, Object> envelope;
        final String intent;
        final int intended;
        boolean batch;
        boolean omitProjectId;
        int predicted;

        Ev(String projectId, Map<String, Object> envelope, String intent, int intended) {
            this.projectId = projectId;
            this.envelope = envelope;
            this.type = (String) envelope.get("type");
            Object on = envelope.get("occurredOn");
            this.occurredOn = on == null ? null : LocalDate.parse((String) on);
            this.intent = intent;
            this.intended = intended;
        }

        String eventId() {
            return (String) envelope.get("eventId");
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> data() {
            Object d = envelope.get("data");
            return d == null ? Map.of() : (Map<String, Object>) d;
        }

        Long expectedVersion() {
            Object v = envelope.get("expectedVersion");
            return v == null ? null : ((Number) v).longValue();
        }

        /** What the service hashes to tell a re-post from a reuse of the eventId. */
        String contentKey() {
            Map<String, Object> content = new TreeMap<>(envelope);
            content.remove("eventId");
            content.remove("projectId");
            return projectId + "|" + write(CANONICAL, content);
        }

        String json() {
            if (!batch) {
                return write(JSON, envelope);
            }
            Map<String, Object> item = new LinkedHashMap<>();
            if (!omitProjectId) {
                item.put("projectId", projectId);
            }
            item.putAll(envelope);
            return write(JSON, item);
        }

        @Override
        public String toString() {
            return intent + " " + type + " on " + projectId + " " + write(JSON, envelope);
        }
    }

    record Acc(Ev event, long version, String contentKey) {
    }

    /** The summary's figures for one row (a campaign, or one region, chain or category of it). */
    static final class Fig {
        long projects;
        long withdrawn;
        BigDecimal planned = BigDecimal.ZERO;
        BigDecimal annual = BigDecimal.ZERO;
        BigDecimal signed = BigDecimal.ZERO;
        BigDecimal investmentToDate = BigDecimal.ZERO;
        final long[] current = new long[4];
        final long[] reached = new long[4];
        final BigDecimal[] stagePlanned = {BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO};

        void add(Proj p) {
            if (!p.active()) {
                withdrawn++;
                return;
            }
            projects++;
            planned = planned.add(nz(p.planned));
            annual = annual.add(nz(p.annual));
            if (p.signedOn != null) {
                signed = signed.add(nz(p.signedInvestment));
            }
            investmentToDate = investmentToDate.add(nz(p.investmentToDate));
            int i = STAGES.indexOf(p.stage);
            if (i >= 0) {
                current[i]++;
                stagePlanned[i] = stagePlanned[i].add(nz(p.planned));
            }
            reached[0]++;
            reached[1] += p.signedOn != null ? 1 : 0;
            reached[2] += p.startedOn != null ? 1 : 0;
            reached[3] += p.completedOn != null ? 1 : 0;
        }
    }

    private Dice rnd;
    private String campaignA;
    private String campaignB;
    private String runTag;
    private String codeNonce;
    private final Map<String, Proj> model = new LinkedHashMap<>();
    private final Map<String, List<Ev>> acceptedByProject = new LinkedHashMap<>();
    private final Map<String, Acc> acceptedById = new HashMap<>();
    private final List<Ev> accepted = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private final Map<Integer, Integer> byStatus = new TreeMap<>();
    private final Map<String, Integer> refusedByIntent = new TreeMap<>();
    private final Set<String> coverage = new TreeSet<>();
    private int posted;
    private int batchItems;
    private int projectSeq;
    private int codeSeq;
    private int ghostSeq;
    private int reservationsMade;
    /** Which round of checks a problem was found in: live, after a rebuild, ... */
    private String phase = "live";

    /** The seeded random source, with the few draws the generator needs. */
    static final class Dice extends java.util.Random {
        Dice(long seed) {
            super(seed);
        }

        <T> T of(List<T> list) {
            return list.get(nextInt(list.size()));
        }

        boolean chance(double p) {
            return nextDouble() < p;
        }

        /** Picks a name by weight: "a", 3, "b", 1, ... */
        String weighted(Object... namesAndWeights) {
            int total = 0;
            for (int i = 1; i < namesAndWeights.length; i += 2) {
                total += (Integer) namesAndWeights[i];
            }
            int r = nextInt(total);
            for (int i = 0; i < namesAndWeights.length; i += 2) {
                r -= (Integer) namesAndWeights[i + 1];
                if (r < 0) {
                    return (String) namesAndWeights[i];
                }
            }
            throw new IllegalStateException();
        }
    }

    @Test
    void figuresEqualAnIndependentRecomputationOfTheAcceptedHistory() {
        long seed = Long.getLong("randomHistory.seed", DEFAULT_SEED);
        System.out.println("RandomHistoryTest seed = " + seed + " (replay with -DrandomHistory.seed=" + seed + ")");
        rnd = new Dice(seed);
        long started = System.nanoTime();
        campaignA = Api.newCampaign();
        campaignB = Api.newCampaign();
        runTag = campaignA.substring(campaignA.length() - 8);
        codeNonce = String.format("%02d", Math.floorMod(campaignA.hashCode(), 100));

        int batchIndex = 0;
        for (int step = 0; step < SINGLE_STEPS; step++) {
            if (batchIndex < BATCH_AT.length && step == BATCH_AT[batchIndex]) {
                postBatch(BATCH_SIZE);
                batchIndex++;
            }
            Ev e = generate();
            predict(e);
            postSingle(e);
        }

        List<String> log = new ArrayList<>();
        log.add(String.format("history of %d events (%d accepted) posted in %.1f s", posted, accepted.size(),
                seconds(started)));
        Map<String, Proj> recomputed = recompute();
        try {
            // 1. The live read models, once they have caught up, against the test's own recomputation.
            awaitProjected("live");
            checkModelAgreesWithRecomputation(recomputed);
            checkCoverage(recomputed);
            checkEverything("live", recomputed, true);
            // 2. The service's own consistency check: its read models equal its recomputation from the store.
            checkConsistency("live", recomputed);
            log.add(String.format("live checks done at %.1f s", seconds(started)));

            // 3. Rebuilds while a reader polls the figures: no writes meanwhile, so before == after, and the reader
            //    must never see anything else; after the swaps, the figures still equal the recomputation.
            RebuildRun quiet = rebuildWhileReading();
            checkEverything("after rebuild", recomputed, false);
            checkConsistency("after rebuild", recomputed);
            log.add(String.format("rebuild while reading: %s; checks after it done at %.1f s", quiet, seconds(started)));

            // 4. Rebuilds while events keep coming: the catch-up and the swap must lose none of them.
            RebuildRun busy = rebuildWhileWriting();
            awaitProjected("after rebuild with writes");
            recomputed = recompute();
            checkModelAgreesWithRecomputation(recomputed);
            checkEverything("after rebuild with writes", recomputed, true);
            checkConsistency("after rebuild with writes", recomputed);
            log.add(String.format("rebuild while writing: %s; checks after it done at %.1f s", busy, seconds(started)));
        } catch (AssertionError | RuntimeException e) {
            // Keep what was found so far: an abort (a timeout, say) must not hide the problems before it.
            problems.add("aborted in phase '" + phase + "': " + e);
        }

        long refused = byStatus.entrySet().stream().filter(s -> s.getKey() >= 400).mapToLong(Map.Entry::getValue).sum();
        System.out.printf("RandomHistoryTest seed=%d: %d events posted (%d in %d batches), %d accepted (201), "
                        + "%d re-posts (200), %d refused; by status %s; projects %d (campaign A %d, B %d); "
                        + "refused by intent %s%n",
                seed, posted, batchItems, BATCH_AT.length, accepted.size(), byStatus.getOrDefault(200, 0), refused,
                byStatus, recomputed.size(), countIn(recomputed, campaignA), countIn(recomputed, campaignB),
                refusedByIntent);
        System.out.printf("RandomHistoryTest seed=%d: %s; %d problem(s); total %.1f s%n", seed,
                String.join("; ", log), problems.size(), seconds(started));

        if (!problems.isEmpty()) {
            fail(problems.size() + " problem(s) with seed " + seed + ":\n" + problems.stream().limit(60)
                    .collect(Collectors.joining("\n")));
        }
    }

    /**
     * Waits until the read models include every stored event; if they never do (events lost), says so with the
     * projector's status and goes on, so that the checks after it show what is missing.
     */
    private void awaitProjected(String phase) {
        try {
            Api.awaitProjected();
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            Response status = Api.admin().accept("application/json").get("/api/v1/admin/projections");
            problems.add(phase + ": the read models never caught up with the event store within 60 s (events lost?): "
                    + "GET /api/v1/admin/projections -> " + abbreviate(status.asString(), 1200));
        }
    }

    /** Summary, the three breakdowns and the timeline of both campaigns, and every project's view. */
    private void checkEverything(String phase, Map<String, Proj> recomputed, boolean withHistories) {
        this.phase = phase;
        for (String campaign : List.of(campaignA, campaignB)) {
            checkSummary(campaign, recomputed);
            for (String by : List.of("region", "chain", "category")) {
                checkBreakdown(campaign, by, recomputed);
            }
            checkTimeline(campaign, recomputed);
        }
        for (Proj p : recomputed.values()) {
            checkProject(p, withHistories);
        }
    }

    private static long countIn(Map<String, Proj> projects, String campaign) {
        return projects.values().stream().filter(p -> campaign.equals(p.campaignId)).count();
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    // --- posting and recording ------------------------------------------------------------------------------

    private void postSingle(Ev e) {
        Response r = Api.department().body(e.json()).post("/api/v1/projects/{id}/events", e.projectId);
        JsonNode body = parse(r.asString());
        record(e, r.statusCode(), body, body, "single");
    }

    /** A batch of generated events; their outcomes are predicted in order, each on the state the earlier leave. */
    private void postBatch(int size) {
        Map<String, Proj> snapshot = new LinkedHashMap<>();
        model.forEach((id, p) -> snapshot.put(id, p.copy()));
        List<Ev> items = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            Ev e = i == size / 2 ? withoutProjectId() : generate();
            e.batch = true;
            predict(e);
            if (e.predicted == 201) {
                model.put(e.projectId, apply(model.get(e.projectId), e));
            }
            items.add(e);
        }
        // The outcomes as the service gives them are replayed on the state before the batch.
        model.clear();
        model.putAll(snapshot);
        String body = items.stream().map(Ev::json).collect(Collectors.joining(",", "[", "]"));
        Response r = Api.department().body(body).post("/api/v1/events");
        JsonNode json = parse(r.asString());
        JsonNode results = json.path("results");
        if (r.statusCode() != 200 || !results.isArray() || results.size() != items.size()) {
            problems.add("batch of " + items.size() + ": expected 200 with " + items.size() + " results, got "
                    + r.statusCode() + " " + r.asString());
            posted += items.size();
            return;
        }
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = results.get(i);
            int status = item.path("status").asInt(-1);
            record(items.get(i), status, item.path("result"), item.path("problem"), "batch item " + i);
        }
        batchItems += items.size();
    }

    private void record(Ev e, int status, JsonNode result, JsonNode problem, String where) {
        posted++;
        byStatus.merge(status, 1, Integer::sum);
        Proj before = model.get(e.projectId);
        if (status >= 500 || status < 200) {
            problems.add(where + ": status " + status + " (never 5xx for what a client sends) for " + e
                    + " -> " + problem);
        } else if (status != e.predicted) {
            problems.add(where + ": expected " + e.predicted + " but got " + status + " for " + e
                    + " (model: stage " + (before == null ? "unknown" : before.stage) + ", version "
                    + (before == null ? 0 : before.version) + ", last milestone "
                    + (before == null ? null : before.lastMilestone()) + ") -> " + (status < 300 ? result : problem));
        }
        if (status == 201 && before == null && !RESERVED.equals(e.type)) {
            problems.add(where + ": accepted an event for a project never reserved: " + e + " -> " + result);
        } else if (status == 201) {
            Proj after = apply(before, e);
            long version = after.version;
            if (result.path("version").asLong(-1) != version || !e.projectId.equals(result.path("projectId").asText())
                    || !e.eventId().equals(result.path("eventId").asText())) {
                problems.add(where + ": 201 should name project " + e.projectId + ", version " + version
                        + " and eventId " + e.eventId() + ", got " + result);
            }
            model.put(e.projectId, after);
            acceptedByProject.computeIfAbsent(e.projectId, k -> new ArrayList<>()).add(e);
            acceptedById.put(e.eventId(), new Acc(e, version, e.contentKey()));
            accepted.add(e);
            cover(before, e);
        } else if (status == 200) {
            Acc original = acceptedById.get(e.eventId());
            if (original == null) {
                problems.add(where + ": 200 for an event never accepted: " + e + " -> " + result);
            } else if (result.path("version").asLong(-1) != original.version()
                    || !original.event().projectId.equals(result.path("projectId").asText())) {
                problems.add(where + ": a re-post should answer the original result (project "
                        + original.event().projectId + ", version " + original.version() + "), got " + result);
            }
        } else if (status >= 400 && status < 500) {
            refusedByIntent.merge(e.intent, 1, Integer::sum);
            if (problem.path("status").asInt(-1) != status) {
                problems.add(where + ": a " + status + " should come with a problem of that status, got " + problem);
            }
        }
    }

    /** What the history exercised, so that a seed too poor to test much is noticed. */
    private void cover(Proj before, Ev e) {
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

    // --- the model: DESIGN.md's rules, written here again ---------------------------------------------------

    /** The project after an accepted event. */
    private static Proj apply(Proj before, Ev e) {
        Proj p = before == null ? new Proj(e.projectId) : before.copy();
        p.version++;
        Map<String, Object> d = e.data();
        LocalDate on = e.occurredOn;
        switch (e.type) {
            case RESERVED -> {
                p.stage = "RESERVED";
                p.name = null;
                p.zone = null;
                p.owner = null;
                p.projectCode = null;
                p.annual = null;
                p.categories = List.of();
                p.signedInvestment = null;
                p.signedOn = p.startedOn = p.completedOn = p.withdrawnOn = null;
                p.period = null;
                p.investmentToDate = null;
                details(p, d);
                p.reservedOn = on;
            }
            case SIGNED -> {
                p.stage = "SIGNED";
                p.signedInvestment = dec(d.get("signedInvestment"));
                p.signedOn = on;
            }
            case STARTED -> {
                p.stage = "STARTED";
                p.startedOn = on;
            }
            case COMPLETED -> {
                p.stage = "COMPLETED";
                p.completedOn = on;
            }
            case REPORTED -> {
                YearMonth period = YearMonth.parse((String) d.get("period"));
                if (p.period == null || !period.isBefore(p.period)) {
                    p.period = period;
                    p.investmentToDate = dec(d.get("investmentToDate"));
                }
            }
            case CORRECTED -> details(p, d);
            case RETRACTED -> {
                switch (String.valueOf(p.stage)) {
                    case "SIGNED" -> {
                        p.stage = "RESERVED";
                        p.signedOn = null;
                        p.signedInvestment = null;
                    }
                    case "STARTED" -> {
                        p.stage = p.signedOn != null ? "SIGNED" : "RESERVED";
                        p.startedOn = null;
                    }
                    case "COMPLETED" -> {
                        p.stage = "STARTED";
                        p.completedOn = null;
                    }
                    default -> {
                        // nothing to retract: only reachable if the service accepted what it should not
                    }
                }
            }
            case WITHDRAWN -> {
                p.stage = "WITHDRAWN";
                p.withdrawnOn = on;
            }
            default -> {
                // an unknown type the service accepted: reported as a mismatch already
            }
        }
        if (on != null && (p.clock == null || on.isAfter(p.clock))) {
            p.clock = on;
        }
        return p;
    }

    /** Puts every field present in a reservation's or correction's data in place. */
    @SuppressWarnings("unchecked")
    private static void details(Proj p, Map<String, Object> d) {
        if (d.containsKey("name")) {
            p.name = (String) d.get("name");
        }
        if (d.containsKey("campaignId")) {
            p.campaignId = (String) d.get("campaignId");
        }
        if (d.containsKey("regionCode")) {
            p.regionCode = (String) d.get("regionCode");
        }
        if (d.containsKey("industryChain")) {
            p.chain = (String) d.get("industryChain");
        }
        if (d.containsKey("categories")) {
            p.categories = List.copyOf((List<String>) d.get("categories"));
        }
        if (d.containsKey("plannedInvestment")) {
            p.planned = dec(d.get("plannedInvestment"));
        }
        if (d.containsKey("annualPlannedInvestment")) {
            p.annual = dec(d.get("annualPlannedInvestment"));
        }
        if (d.containsKey("zone")) {
            p.zone = (String) d.get("zone");
        }
        if (d.containsKey("owner")) {
            p.owner = (String) d.get("owner");
        }
        if (d.containsKey("projectCode")) {
            p.projectCode = (String) d.get("projectCode");
        }
    }

    /** The answer DESIGN.md calls for, given what the service has accepted so far. */
    private void predict(Ev e) {
        e.predicted = expectedStatus(e);
        if (e.predicted != e.intended) {
            throw new IllegalStateException("test generator bug: meant " + e.intended + " but the model predicts "
                    + e.predicted + " for " + e);
        }
    }

    private int expectedStatus(Ev e) {
        // The envelope and the types of its fields.
        if (e.batch && e.omitProjectId || !PROJECT_ID.matcher(e.projectId).matches()) {
            return 400;
        }
        if (!ENVELOPE_FIELDS.containsAll(e.envelope.keySet()) || !TYPES.contains(e.type) || e.occurredOn == null) {
            return 400;
        }
        Map<String, Object> d = e.data();
        if (!DATA_FIELDS.get(e.type).containsAll(d.keySet())) {
            return 400;
        }
        for (String field : AMOUNT_FIELDS) {
            if (d.containsKey(field) && dec(d.get(field)) == null) {
                return 400;
            }
        }
        if (d.get("period") != null && period(d.get("period")) == null) {
            return 400;
        }
        // Reference data.
        if (e.type.equals(RESERVED) || e.type.equals(CORRECTED)) {
            if (unknown(d.get("campaignId"), Set.of(campaignA, campaignB, Api.CAMPAIGN))
                    || unknown(d.get("regionCode"), REGIONS) || unknown(d.get("industryChain"), CHAINS)
                    || unknown(d.get("zone"), ZONES)) {
                return 400;
            }
            if (d.get("categories") instanceof List<?> list && list.stream().anyMatch(c -> unknown(c, CATEGORIES))) {
                return 400;
            }
        }
        // The same eventId again: the original result, or a conflict when the content differs.
        Acc original = acceptedById.get(e.eventId());
        if (original != null) {
            return original.contentKey().equals(e.contentKey()) ? 200 : 409;
        }
        Proj p = model.get(e.projectId);
        long version = p == null ? 0 : p.version;
        if (e.expectedVersion() != null && e.expectedVersion() != version) {
            return 409;
        }
        if (invalidFields(e)) {
            return 400;
        }
        if (p == null && !e.type.equals(RESERVED)) {
            return 404;
        }
        if (p != null && !ALLOWED_FROM.get(e.type).contains(p.stage)) {
            return 409;
        }
        // Rules against the project's state.
        if (p != null && MILESTONE_TYPES.contains(e.type) && e.occurredOn.isBefore(p.lastMilestone())) {
            return 400;
        }
        String code = p == null ? null : p.projectCode;
        if (e.type.equals(RESERVED) || e.type.equals(CORRECTED)) {
            Proj after = apply(p, e);
            boolean touchesCode = e.type.equals(RESERVED) || d.containsKey("projectCode") || d.containsKey("regionCode");
            if (touchesCode && after.projectCode != null && !codeRegion(after.projectCode).equals(after.regionCode)) {
                return 400;
            }
            code = after.projectCode;
        }
        if (code != null && holderOf(code, e.projectId) != null) {
            return 409;
        }
        return 201;
    }

    /** The rules each event's own fields must keep, occurredOn included. */
    private static boolean invalidFields(Ev e) {
        if (e.occurredOn.isAfter(Api.TODAY)) {
            return true;
        }
        Map<String, Object> d = e.data();
        return switch (e.type) {
            case RESERVED -> badDetails(d, true);
            case CORRECTED -> d.isEmpty() || badDetails(d, false);
            case SIGNED -> badAmount(d.get("signedInvestment"), true, false) || badText(d.get("investor"), true, 200);
            case REPORTED -> d.get("period") == null || period(d.get("period")).isAfter(YearMonth.from(Api.TODAY))
                    || badAmount(d.get("investmentToDate"), true, true);
            case RETRACTED, WITHDRAWN -> badText(d.get("reason"), true, 500);
            default -> false;
        };
    }

    private static boolean badDetails(Map<String, Object> d, boolean required) {
        boolean bad = badText(d.get("name"), required, 200) || badText(d.get("campaignId"), required, Integer.MAX_VALUE)
                || badText(d.get("regionCode"), required, Integer.MAX_VALUE)
                || badText(d.get("industryChain"), required, Integer.MAX_VALUE)
                || badAmount(d.get("plannedInvestment"), required, false)
                || badAmount(d.get("annualPlannedInvestment"), false, false)
                || badText(d.get("zone"), false, 100) || badText(d.get("owner"), false, 200);
        if (d.get("categories") instanceof List<?> categories) {
            Set<String> seen = new HashSet<>();
            for (Object c : categories) {
                if (((String) c).isBlank() || !seen.add(((String) c).strip())) {
                    bad = true;
                }
            }
        }
        Object code = d.get("projectCode");
        return bad || code != null && !PROJECT_CODE.matcher((String) code).matches();
    }

    private static boolean badText(Object value, boolean required, int maxLength) {
        if (value == null) {
            return required;
        }
        String s = (String) value;
        return s.isBlank() || s.codePointCount(0, s.length()) > maxLength;
    }

    private static boolean badAmount(Object value, boolean required, boolean zeroAllowed) {
        if (value == null) {
            return required;
        }
        BigDecimal v = dec(value);
        return (zeroAllowed ? v.signum() < 0 : v.signum() <= 0)
                || Math.max(0, v.stripTrailingZeros().scale()) > 2 || v.compareTo(AMOUNT_LIMIT) >= 0;
    }

    private static boolean unknown(Object code, List<String> known) {
        return unknown(code, Set.copyOf(known));
    }

    private static boolean unknown(Object code, Set<String> known) {
        return code instanceof String s && !s.isBlank() && !known.contains(s);
    }

    private String holderOf(String code, String except) {
        return model.values().stream().filter(q -> !q.id.equals(except) && code.equals(q.projectCode))
                .map(q -> q.id).findFirst().orElse(null);
    }

    // --- the generator ------------------------------------------------------------------------------------

    private Ev generate() {
        double r = rnd.nextDouble();
        if (r < 0.025 && !accepted.isEmpty()) {
            return repost();
        }
        if (r < 0.033 && !accepted.isEmpty()) {
            return reuseEventId();
        }
        if (r < 0.043) {
            return ghostEvent();
        }
        boolean wantNew = model.size() < 6 || reservationsMade < TARGET_PROJECTS && rnd.chance(NEW_PROJECT_RATE);
        if (wantNew) {
            return rnd.chance(0.15) ? invalidReservation() : reservation(newProjectId(), null);
        }
        List<Proj> all = new ArrayList<>(model.values());
        List<Proj> active = all.stream().filter(Proj::active).toList();
        Proj p = active.isEmpty() || rnd.chance(0.06) ? rnd.of(all) : rnd.of(active);
        if (!p.active() || rnd.chance(INVALID_RATE)) {
            return invalidFor(p);
        }
        return validFor(p);
    }

    private String newProjectId() {
        return "RH-" + runTag + "-" + (++projectSeq);
    }

    private Ev ev(String intent, int intended, String projectId, String type, LocalDate on, Map<String, Object> data) {
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("eventId", UUID.randomUUID().toString());
        envelope.put("type", type);
        envelope.put("occurredOn", on.toString());
        envelope.put("data", data);
        return new Ev(projectId, envelope, intent, intended);
    }

    /** The same event with its envelope changed; the eventId stays unless the change replaces it. */
    private static Ev with(Ev e, String intent, int intended, String field, Object value) {
        Map<String, Object> envelope = new LinkedHashMap<>(e.envelope);
        envelope.put("data", new LinkedHashMap<>(e.data()));
        envelope.put(field, value);
        return new Ev(e.projectId, envelope, intent, intended);
    }

    private static Ev withData(Ev e, String intent, int intended, String field, Object value) {
        Map<String, Object> data = new LinkedHashMap<>(e.data());
        if (value == null) {
            data.remove(field);
        } else {
            data.put(field, value);
        }
        return with(e, intent, intended, "data", data);
    }

    private LocalDate reservationDate() {
        return LocalDate.of(2024, 1, 2).plusDays(rnd.nextInt(240));
    }

    /** A date for the project's next event: never before anything it has seen, a few days on. */
    private LocalDate nextDate(Proj p) {
        LocalDate base = p.clock.isBefore(p.lastMilestone()) ? p.lastMilestone() : p.clock;
        return base.plusDays(rnd.nextInt(21));
    }

    private Ev reservation(String projectId, String campaign) {
        Map<String, Object> d = new LinkedHashMap<>();
        String region = rnd.of(REGIONS);
        d.put("name", "随机项目 " + projectId);
        d.put("campaignId", campaign != null ? campaign : rnd.chance(0.1) ? campaignB : campaignA);
        d.put("regionCode", region);
        d.put("industryChain", rnd.of(CHAINS));
        d.put("categories", someCategories());
        d.put("plannedInvestment", amount());
        if (rnd.chance(0.6)) {
            d.put("annualPlannedInvestment", amount());
        }
        if (rnd.chance(0.3)) {
            d.put("zone", rnd.of(ZONES));
        }
        if (rnd.chance(0.3)) {
            d.put("owner", "建设单位 " + rnd.nextInt(100));
        }
        if (rnd.chance(0.3)) {
            d.put("projectCode", newCode(region));
        }
        reservationsMade++;
        Ev e = ev("reserve", 201, projectId, RESERVED, reservationDate(), d);
        return rnd.chance(0.15) ? with(e, "reserve", 201, "expectedVersion", 0) : e;
    }

    private List<String> someCategories() {
        List<String> shuffled = new ArrayList<>(CATEGORIES);
        java.util.Collections.shuffle(shuffled, rnd);
        return List.copyOf(shuffled.subList(0, rnd.nextInt(4)));
    }

    private String newCode(String region) {
        return String.format("2024-%s-%s-01-%06d", region, codeNonce, ++codeSeq);
    }

    private static String codeRegion(String code) {
        Matcher m = PROJECT_CODE.matcher(code);
        return m.matches() ? m.group(1) : "";
    }

    private String otherThan(List<String> list, String current) {
        String pick;
        do {
            pick = rnd.of(list);
        } while (pick.equals(current));
        return pick;
    }

    /** An amount in 万元 with at most 2 decimals, sent as a JSON number or a string. */
    private Object amount() {
        BigDecimal v = rnd.chance(0.1) ? BigDecimal.valueOf(1 + rnd.nextInt(50_000))
                : BigDecimal.valueOf(1 + rnd.nextInt(10_000_000), 2);
        return encode(v);
    }

    private Object encode(BigDecimal v) {
        return switch (rnd.nextInt(5)) {
            case 0 -> v.toPlainString();
            case 1 -> v.stripTrailingZeros().toPlainString();
            default -> v;
        };
    }

    private Ev validFor(Proj p) {
        String action = switch (p.stage) {
            case "RESERVED" -> rnd.weighted("sign", 40, "start", 20, "correct", 22, "withdraw", 4);
            case "SIGNED" -> rnd.weighted("start", 45, "retract", 10, "correct", 15, "withdraw", 6);
            case "STARTED" -> rnd.weighted("complete", 25, "report", 35, "retract", 10, "correct", 12, "withdraw", 6);
            case "COMPLETED" -> rnd.weighted("report", 30, "retract", 12, "correct", 12, "withdraw", 3);
            default -> throw new IllegalStateException(p.stage);
        };
        Ev e = switch (action) {
            case "sign" -> ev("sign", 201, p.id, SIGNED, nextDate(p), signing());
            case "start" -> ev("start", 201, p.id, STARTED, nextDate(p), new LinkedHashMap<>());
            case "complete" -> ev("complete", 201, p.id, COMPLETED, nextDate(p), new LinkedHashMap<>());
            case "report" -> ev("report", 201, p.id, REPORTED, otherDate(p), report(p));
            case "correct" -> ev("correct", 201, p.id, CORRECTED, otherDate(p), correction(p));
            case "retract" -> ev("retract", 201, p.id, RETRACTED, nextDate(p), reason("录入错误"));
            case "withdraw" -> ev("withdraw from " + p.stage, 201, p.id, WITHDRAWN, nextDate(p), reason("项目终止"));
            default -> throw new IllegalStateException(action);
        };
        return rnd.chance(0.12) ? with(e, e.intent, 201, "expectedVersion", p.version) : e;
    }

    /** Reports and corrections are no milestones: sometimes dated before the last one, which is allowed. */
    private LocalDate otherDate(Proj p) {
        return rnd.chance(0.2) ? p.lastMilestone().minusDays(1 + rnd.nextInt(20)) : nextDate(p);
    }

    private Map<String, Object> signing() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("signedInvestment", amount());
        d.put("investor", "投资方 " + rnd.nextInt(1000));
        return d;
    }

    /** A report for the project: now and then for the period it last reported, which the new figure replaces. */
    private Map<String, Object> report(Proj p) {
        Map<String, Object> d = report();
        if (p.period != null && rnd.chance(0.3)) {
            d.put("period", p.period.toString());
        }
        return d;
    }

    private Map<String, Object> report() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("period", YearMonth.of(2024, 1 + rnd.nextInt(12)).toString());
        d.put("investmentToDate", rnd.chance(0.05) ? (Object) BigDecimal.ZERO : amount());
        return d;
    }

    private static Map<String, Object> reason(String reason) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("reason", reason);
        return d;
    }

    /** A valid correction of a random subset of the reservation fields. */
    private Map<String, Object> correction(Proj p) {
        Map<String, Object> d = new LinkedHashMap<>();
        String region = p.regionCode;
        if (rnd.chance(0.3)) {
            region = otherThan(REGIONS, p.regionCode);
            d.put("regionCode", region);
        }
        if (rnd.chance(0.3)) {
            d.put("industryChain", otherThan(CHAINS, p.chain));
        }
        if (rnd.chance(0.3)) {
            d.put("categories", someCategories());
        }
        if (rnd.chance(0.35)) {
            d.put("plannedInvestment", amount());
        }
        if (rnd.chance(0.15)) {
            d.put("annualPlannedInvestment", amount());
        }
        if (rnd.chance(0.12)) {
            d.put("name", "更正项目 " + p.id + " " + rnd.nextInt(100));
        }
        if (rnd.chance(0.08)) {
            d.put("zone", rnd.of(ZONES));
        }
        if (rnd.chance(0.05)) {
            d.put("owner", "建设单位 " + rnd.nextInt(100));
        }
        if (rnd.chance(0.08)) {
            d.put("campaignId", campaignA.equals(p.campaignId) ? campaignB : campaignA);
        }
        boolean recode = rnd.chance(0.08);
        if (recode || p.projectCode != null && !region.equals(p.regionCode)) {
            d.put("projectCode", newCode(region));
        }
        if (d.isEmpty()) {
            d.put("plannedInvestment", amount());
        }
        return d;
    }

    /** Some refused event for an existing project: illegal in its stage, or with a field that is wrong. */
    private Ev invalidFor(Proj p) {
        if (!p.active()) {
            return illegal(p);
        }
        String kind = rnd.weighted("illegal", 30, "future date", 8, "early milestone", 10, "bad amount", 10,
                "unknown field", 6, "unknown reference", 8, "code mismatch", 5, "duplicate code", 4,
                "wrong expectedVersion", 6, "missing field", 6, "future period", 5, "duplicate categories", 4,
                "blank name", 3, "long name", 1, "empty correction", 3, "unknown type", 2);
        Map<String, Object> d;
        switch (kind) {
            case "illegal":
                return illegal(p);
            case "future date": {
                Ev v = validFor(p);
                return with(v, kind, 400, "occurredOn", Api.TODAY.plusDays(1 + rnd.nextInt(30)).toString());
            }
            case "early milestone": {
                List<String> legal = switch (p.stage) {
                    case "RESERVED" -> List.of(SIGNED, STARTED);
                    case "SIGNED" -> List.of(STARTED);
                    case "STARTED" -> List.of(COMPLETED);
                    default -> List.of();
                };
                if (legal.isEmpty()) {
                    return illegal(p);
                }
                String type = rnd.of(legal);
                LocalDate early = p.lastMilestone().minusDays(1 + rnd.nextInt(10));
                return ev(kind, 400, p.id, type, early, type.equals(SIGNED) ? signing() : new LinkedHashMap<>());
            }
            case "bad amount": {
                Object bad = rnd.of(List.of("-" + BigDecimal.valueOf(1 + rnd.nextInt(100_000), 2),
                        BigDecimal.valueOf(10L * rnd.nextInt(1_000_000) + 1 + rnd.nextInt(9), 3),
                        BigDecimal.valueOf(10L * rnd.nextInt(1_000_000) + 1 + rnd.nextInt(9), 3).toPlainString(),
                        "十万", new BigDecimal("1000000000000.00")));
                boolean zeroOk = false;
                String field;
                String type;
                if (p.stage.equals("RESERVED") && rnd.chance(0.5)) {
                    type = SIGNED;
                    field = "signedInvestment";
                } else if ((p.stage.equals("STARTED") || p.stage.equals("COMPLETED")) && rnd.chance(0.5)) {
                    type = REPORTED;
                    field = "investmentToDate";
                    zeroOk = true;
                } else {
                    type = CORRECTED;
                    field = rnd.chance(0.7) ? "plannedInvestment" : "annualPlannedInvestment";
                }
                if (!zeroOk && rnd.chance(0.15)) {
                    bad = BigDecimal.ZERO;
                }
                d = type.equals(SIGNED) ? signing() : type.equals(REPORTED) ? report() : new LinkedHashMap<>();
                d.put(field, bad);
                return ev(kind, 400, p.id, type, nextDate(p), d);
            }
            case "unknown field": {
                Ev v = validFor(p);
                return rnd.chance(0.7) ? withData(v, kind, 400, "remark", "备注")
                        : with(v, kind, 400, "comment", "not part of the envelope");
            }
            case "unknown reference": {
                d = new LinkedHashMap<>();
                switch (rnd.nextInt(5)) {
                    case 0 -> d.put("regionCode", "141199");
                    case 1 -> d.put("industryChain", "steel");
                    case 2 -> d.put("categories", List.of("central-budget", "tourism"));
                    case 3 -> d.put("zone", "吕梁高新区");
                    default -> d.put("campaignId", "no-such-campaign-" + runTag);
                }
                return ev(kind, 400, p.id, CORRECTED, nextDate(p), d);
            }
            case "code mismatch": {
                d = new LinkedHashMap<>();
                if (p.projectCode != null) {
                    d.put("regionCode", otherThan(REGIONS, codeRegion(p.projectCode)));
                } else {
                    d.put("projectCode", newCode(otherThan(REGIONS, p.regionCode)));
                }
                return ev(kind, 400, p.id, CORRECTED, nextDate(p), d);
            }
            case "duplicate code": {
                List<Proj> holders = model.values().stream()
                        .filter(q -> q.projectCode != null && !q.id.equals(p.id)).toList();
                if (holders.isEmpty()) {
                    return illegal(p);
                }
                String code = rnd.of(holders).projectCode;
                d = new LinkedHashMap<>();
                d.put("regionCode", codeRegion(code));
                d.put("projectCode", code);
                return ev(kind, 409, p.id, CORRECTED, nextDate(p), d);
            }
            case "wrong expectedVersion": {
                Ev v = validFor(p);
                long wrong = p.version > 1 && rnd.chance(0.5) ? p.version - 1 : p.version + 1 + rnd.nextInt(3);
                return with(v, kind, 409, "expectedVersion", wrong);
            }
            case "missing field": {
                switch (p.stage) {
                    case "RESERVED" -> {
                        d = signing();
                        d.remove(rnd.chance(0.5) ? "investor" : "signedInvestment");
                        return ev(kind, 400, p.id, SIGNED, nextDate(p), d);
                    }
                    case "STARTED", "COMPLETED" -> {
                        if (rnd.chance(0.5)) {
                            d = report();
                            d.remove(rnd.chance(0.5) ? "period" : "investmentToDate");
                            return ev(kind, 400, p.id, REPORTED, nextDate(p), d);
                        }
                        return ev(kind, 400, p.id, RETRACTED, nextDate(p), new LinkedHashMap<>());
                    }
                    default -> {
                        return ev(kind, 400, p.id, rnd.chance(0.5) ? RETRACTED : WITHDRAWN, nextDate(p),
                                new LinkedHashMap<>());
                    }
                }
            }
            case "future period": {
                if (!p.stage.equals("STARTED") && !p.stage.equals("COMPLETED")) {
                    return illegal(p);
                }
                d = report();
                d.put("period", rnd.chance(0.7) ? YearMonth.from(Api.TODAY).plusMonths(1 + rnd.nextInt(3)).toString()
                        : "2024-13");
                return ev(kind, 400, p.id, REPORTED, nextDate(p), d);
            }
            case "duplicate categories": {
                String c = rnd.of(CATEGORIES);
                d = new LinkedHashMap<>();
                d.put("categories", List.of(c, c));
                return ev(kind, 400, p.id, CORRECTED, nextDate(p), d);
            }
            case "blank name":
                d = new LinkedHashMap<>();
                d.put("name", "   ");
                return ev(kind, 400, p.id, CORRECTED, nextDate(p), d);
            case "long name":
                d = new LinkedHashMap<>();
                d.put("name", "项".repeat(201));
                return ev(kind, 400, p.id, CORRECTED, nextDate(p), d);
            case "empty correction":
                return ev(kind, 400, p.id, CORRECTED, nextDate(p), new LinkedHashMap<>());
            case "unknown type":
                return ev(kind, 400, p.id, "ProjectPaused", nextDate(p), new LinkedHashMap<>());
            default:
                throw new IllegalStateException(kind);
        }
    }

    /** An event of a type the project's stage does not allow, its fields all fine: 409. */
    private Ev illegal(Proj p) {
        List<String> types = TYPES.stream().filter(t -> !ALLOWED_FROM.get(t).contains(p.stage)).toList();
        String type = rnd.of(types);
        LocalDate on = nextDate(p);
        Map<String, Object> d = switch (type) {
            case RESERVED -> {
                Map<String, Object> r = new LinkedHashMap<>(reservation(p.id, p.campaignId).data());
                reservationsMade--;
                r.remove("projectCode");
                yield r;
            }
            case SIGNED -> signing();
            case REPORTED -> report();
            case CORRECTED -> {
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("plannedInvestment", amount());
                yield c;
            }
            case RETRACTED -> reason("录入错误");
            case WITHDRAWN -> reason("项目终止");
            default -> new LinkedHashMap<>();
        };
        return ev("illegal " + type + " in " + p.stage, 409, p.id, type, on, d);
    }

    /** A reservation that must be refused. */
    private Ev invalidReservation() {
        String id = newProjectId();
        Ev v = reservation(id, null);
        reservationsMade--;
        String kind = rnd.weighted("unknown region", 3, "unknown chain", 2, "unknown category", 2, "unknown zone", 1,
                "unknown campaign", 2, "duplicate categories", 1, "bad planned", 3, "missing planned", 1,
                "missing name", 1, "missing region", 1, "code mismatch", 2, "duplicate code", 2, "unknown field", 2,
                "future date", 2, "bad project id", 1, "wrong expectedVersion", 1);
        return switch (kind) {
            case "unknown region" -> withData(v, kind, 400, "regionCode", "149999");
            case "unknown chain" -> withData(v, kind, 400, "industryChain", "tea");
            case "unknown category" -> withData(v, kind, 400, "categories", List.of("special-bond", "unknown-cat"));
            case "unknown zone" -> withData(v, kind, 400, "zone", "吕梁不存在开发区");
            case "unknown campaign" -> withData(v, kind, 400, "campaignId", "2099-none");
            case "duplicate categories" -> withData(v, kind, 400, "categories", List.of("special-bond", "special-bond"));
            case "bad planned" -> withData(v, kind, 400, "plannedInvestment", rnd.of(List.of(
                    (Object) new BigDecimal("100.125"), "-20.00", BigDecimal.ZERO, "12.3.4")));
            case "missing planned" -> withData(v, kind, 400, "plannedInvestment", null);
            case "missing name" -> withData(v, kind, 400, "name", null);
            case "missing region" -> withData(v, kind, 400, "regionCode", null);
            case "code mismatch" -> withData(v, kind, 400, "projectCode",
                    newCode(otherThan(REGIONS, (String) v.data().get("regionCode"))));
            case "duplicate code" -> {
                List<Proj> holders = model.values().stream().filter(q -> q.projectCode != null).toList();
                if (holders.isEmpty()) {
                    yield withData(v, "unknown region", 400, "regionCode", "149999");
                }
                String code = rnd.of(holders).projectCode;
                yield withData(withData(v, kind, 409, "regionCode", codeRegion(code)), kind, 409, "projectCode", code);
            }
            case "unknown field" -> withData(v, kind, 400, "investor", "投资方");
            case "future date" -> with(v, kind, 400, "occurredOn", Api.TODAY.plusDays(1 + rnd.nextInt(10)).toString());
            case "bad project id" -> new Ev("_" + id, v.envelope, kind, 400);
            case "wrong expectedVersion" -> with(v, kind, 409, "expectedVersion", 1 + rnd.nextInt(3));
            default -> throw new IllegalStateException(kind);
        };
    }

    /** A valid event for a project that was never reserved: 404. */
    private Ev ghostEvent() {
        String id = "RH-" + runTag + "-ghost-" + (++ghostSeq);
        String type = rnd.of(List.of(SIGNED, STARTED, COMPLETED, REPORTED, CORRECTED, RETRACTED, WITHDRAWN));
        Map<String, Object> d = switch (type) {
            case SIGNED -> signing();
            case REPORTED -> report();
            case CORRECTED -> {
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("plannedInvestment", amount());
                yield c;
            }
            case RETRACTED -> reason("录入错误");
            case WITHDRAWN -> reason("项目终止");
            default -> new LinkedHashMap<>();
        };
        return ev("unknown project", 404, id, type, reservationDate(), d);
    }

    /** An accepted envelope posted again unchanged: 200 with the original result, not counted twice. */
    private Ev repost() {
        Ev original = rnd.of(accepted);
        return new Ev(original.projectId, original.envelope, "re-post", 200);
    }

    /** An accepted eventId with other content: 409. */
    private Ev reuseEventId() {
        Ev original = rnd.of(accepted);
        return with(original, "eventId reused", 409, "occurredOn", original.occurredOn.minusDays(1).toString());
    }

    /** A batch item that does not name its project: 400 for it alone. */
    private Ev withoutProjectId() {
        Ev e = ghostEvent();
        Ev missing = new Ev(e.projectId, e.envelope, "batch item without projectId", 400);
        missing.omitProjectId = true;
        return missing;
    }

    // --- recomputation and comparison -----------------------------------------------------------------------

    /** Every project's state, folded again from scratch out of the accepted events alone. */
    private Map<String, Proj> recompute() {
        Map<String, Proj> projects = new LinkedHashMap<>();
        acceptedByProject.forEach((id, events) -> {
            Proj p = null;
            for (Ev e : events) {
                p = apply(p, e);
            }
            projects.put(id, p);
        });
        return projects;
    }

    private void checkModelAgreesWithRecomputation(Map<String, Proj> recomputed) {
        if (!recomputed.keySet().equals(model.keySet())) {
            throw new IllegalStateException("test bug: the live model and the recomputation differ");
        }
        recomputed.forEach((id, p) -> {
            Proj live = model.get(id);
            if (live.version != p.version || !Objects.equals(live.stage, p.stage)) {
                throw new IllegalStateException("test bug: the live model and the recomputation differ for " + id);
            }
        });
    }

    /** The history must exercise what the figures depend on, or the comparison proves little. */
    private void checkCoverage(Map<String, Proj> recomputed) {
        long refused = byStatus.entrySet().stream().filter(s -> s.getKey() >= 400).mapToLong(Map.Entry::getValue).sum();
        List<String> poor = new ArrayList<>();
        if (posted < 400) {
            poor.add("only " + posted + " events posted");
        }
        if (recomputed.size() < MIN_PROJECTS) {
            poor.add("only " + recomputed.size() + " projects");
        }
        double refusedShare = (double) refused / posted;
        if (refusedShare < 0.18 || refusedShare > 0.35) {
            poor.add("refused share " + refusedShare);
        }
        if (byStatus.getOrDefault(200, 0) < 3) {
            poor.add("fewer than 3 re-posts answered 200");
        }
        for (String needed : List.of(RESERVED, SIGNED, COMPLETED, "start from RESERVED", "start from SIGNED",
                "report later period", "report older period", "report same period", "retract SIGNED",
                "retract STARTED signed", "retract STARTED unsigned", "retract COMPLETED", "withdraw RESERVED",
                "withdraw SIGNED", "withdraw STARTED", "correct regionCode", "correct industryChain",
                "correct categories", "correct plannedInvestment", "correct annualPlannedInvestment",
                "correct campaignId", "correct projectCode", "batch accepted")) {
            if (!coverage.contains(needed)) {
                poor.add("no accepted '" + needed + "'");
            }
        }
        Fig a = figures(recomputed, campaignA, p -> List.of("*")).getOrDefault("*", new Fig());
        for (int i = 0; i < 4; i++) {
            if (a.current[i] == 0) {
                poor.add("no project of campaign A ends " + STAGES.get(i));
            }
        }
        if (a.withdrawn == 0) {
            poor.add("no withdrawn project in campaign A");
        }
        if (recomputed.values().stream().noneMatch(p -> campaignB.equals(p.campaignId))) {
            poor.add("no project in campaign B");
        }
        if (!poor.isEmpty()) {
            problems.add("the generated history is too poor to prove much (try another seed, or the service refused "
                    + "what it should accept): " + poor + "; covered " + coverage);
        }
    }

    private static Map<String, Fig> figures(Map<String, Proj> projects, String campaign,
                                            java.util.function.Function<Proj, List<String>> keys) {
        Map<String, Fig> rows = new LinkedHashMap<>();
        for (Proj p : projects.values()) {
            if (campaign.equals(p.campaignId)) {
                for (String key : keys.apply(p)) {
                    rows.computeIfAbsent(key, k -> new Fig()).add(p);
                }
            }
        }
        return rows;
    }

    private void checkSummary(String campaign, Map<String, Proj> recomputed) {
        Fig expected = figures(recomputed, campaign, p -> List.of("*")).getOrDefault("*", new Fig());
        JsonNode summary = get("/api/v1/campaigns/" + campaign + "/summary");
        String where = phase + ": summary of " + campaign;
        if (!campaign.equals(summary.path("campaignId").asText())) {
            problems.add(where + ": campaignId " + summary.path("campaignId"));
        }
        compare(where, expected, summary);
    }

    private void checkBreakdown(String campaign, String by, Map<String, Proj> recomputed) {
        Map<String, Fig> expected = figures(recomputed, campaign, p -> switch (by) {
            case "region" -> List.of(p.regionCode);
            case "chain" -> List.of(p.chain);
            default -> p.categories;
        });
        String where = phase + ": breakdown of " + campaign + " by " + by;
        JsonNode breakdown = get("/api/v1/campaigns/" + campaign + "/breakdown?by=" + by);
        if (!campaign.equals(breakdown.path("campaignId").asText()) || !by.equals(breakdown.path("by").asText())) {
            problems.add(where + ": campaignId/by " + breakdown.path("campaignId") + "/" + breakdown.path("by"));
        }
        Map<String, JsonNode> items = new LinkedHashMap<>();
        for (JsonNode item : breakdown.path("items")) {
            if (items.put(item.path("key").asText(), item) != null) {
                problems.add(where + ": key " + item.path("key") + " listed twice");
            }
            if (item.path("name").asText("").isBlank() || item.path("nameEn").asText("").isBlank()) {
                problems.add(where + ": item " + item.path("key") + " lacks name or nameEn: " + item);
            }
        }
        if (!new TreeSet<>(items.keySet()).equals(new TreeSet<>(REFERENCE.get(by)))) {
            problems.add(where + ": keys " + items.keySet() + ", expected every reference entry " + REFERENCE.get(by));
        }
        for (String key : REFERENCE.get(by)) {
            JsonNode item = items.get(key);
            if (item != null) {
                compare(where + " [" + key + "]", expected.getOrDefault(key, new Fig()), item);
            }
        }
    }

    private void compare(String where, Fig f, JsonNode actual) {
        eqLong(where + " projects", f.projects, actual.path("projects"));
        eqLong(where + " withdrawn", f.withdrawn, actual.path("withdrawn"));
        eqDec(where + " plannedInvestment", f.planned, actual.path("plannedInvestment"));
        eqDec(where + " annualPlannedInvestment", f.annual, actual.path("annualPlannedInvestment"));
        eqDec(where + " signedInvestment", f.signed, actual.path("signedInvestment"));
        eqDec(where + " investmentToDate", f.investmentToDate, actual.path("investmentToDate"));
        for (int i = 0; i < 4; i++) {
            JsonNode stage = actual.path("stages").path(STAGES.get(i));
            String s = where + " stages." + STAGES.get(i);
            eqLong(s + ".current", f.current[i], stage.path("current"));
            eqLong(s + ".reached", f.reached[i], stage.path("reached"));
            eqDec(s + ".plannedInvestment", f.stagePlanned[i], stage.path("plannedInvestment"));
        }
    }

    /** One month's figure of one milestone in the timeline. */
    static final class Tl {
        long projects;
        BigDecimal investment = BigDecimal.ZERO;

        void add(BigDecimal amount) {
            projects++;
            investment = investment.add(nz(amount));
        }
    }

    /**
     * The timeline by DESIGN.md and issue 3, recomputed from the projects' milestone dates: per month of a milestone's
     * date, over active projects (a retraction has unset the date of the milestone it undid); a withdrawn project
     * counts only under WITHDRAWN in the month of its withdrawal, with its planned investment. Investment is the
     * signed investment for SIGNED, the planned investment otherwise.
     */
    private static Map<String, Map<String, Tl>> timeline(Map<String, Proj> projects, String campaign) {
        Map<String, Map<String, Tl>> months = new TreeMap<>();
        java.util.function.BiConsumer<LocalDate, Object[]> put = (on, milestoneAndAmount) -> {
            if (on != null) {
                months.computeIfAbsent(YearMonth.from(on).toString(), m -> new TreeMap<>())
                        .computeIfAbsent((String) milestoneAndAmount[0], k -> new Tl())
                        .add((BigDecimal) milestoneAndAmount[1]);
            }
        };
        for (Proj p : projects.values()) {
            if (!campaign.equals(p.campaignId)) {
                continue;
            }
            if (!p.active()) {
                put.accept(p.withdrawnOn, new Object[]{"WITHDRAWN", p.planned});
                continue;
            }
            put.accept(p.reservedOn, new Object[]{"RESERVED", p.planned});
            put.accept(p.signedOn, new Object[]{"SIGNED", p.signedInvestment});
            put.accept(p.startedOn, new Object[]{"STARTED", p.planned});
            put.accept(p.completedOn, new Object[]{"COMPLETED", p.planned});
        }
        return months;
    }

    private void checkTimeline(String campaign, Map<String, Proj> recomputed) {
        Map<String, Map<String, Tl>> expected = timeline(recomputed, campaign);
        String where = phase + ": timeline of " + campaign;
        JsonNode timeline = get("/api/v1/campaigns/" + campaign + "/timeline?granularity=month");
        if (!campaign.equals(timeline.path("campaignId").asText())
                || !"month".equals(timeline.path("granularity").asText())) {
            problems.add(where + ": campaignId/granularity " + timeline.path("campaignId") + "/"
                    + timeline.path("granularity"));
        }
        JsonNode periods = timeline.path("periods");
        if (!periods.isArray()) {
            problems.add(where + ": no periods array: " + timeline);
            return;
        }
        List<String> months = new ArrayList<>();
        periods.forEach(period -> months.add(period.path("period").asText()));
        if (!months.equals(new ArrayList<>(expected.keySet()))) {
            problems.add(where + ": months " + months + ", expected (ascending, only months with a milestone) "
                    + expected.keySet());
        }
        for (JsonNode period : periods) {
            String month = period.path("period").asText();
            Map<String, Tl> want = expected.getOrDefault(month, Map.of());
            for (String milestone : MILESTONES) {
                Tl tl = want.getOrDefault(milestone, new Tl());
                JsonNode cell = period.path(milestone);
                eqLong(where + " [" + month + "] " + milestone + ".projects", tl.projects, cell.path("projects"));
                eqDec(where + " [" + month + "] " + milestone + ".investment", tl.investment, cell.path("investment"));
            }
        }
    }

    /** The service's own check: its read models equal its recomputation from the event store, nothing pending. */
    private void checkConsistency(String phase, Map<String, Proj> recomputed) {
        String where = phase + ": consistency check";
        Response r = Api.admin().accept("application/json").get("/api/v1/admin/projections/check");
        JsonNode check = parse(r.asString());
        if (r.statusCode() != 200) {
            problems.add(where + ": expected 200, got " + r.statusCode() + " " + r.asString());
            return;
        }
        if (!check.path("consistent").isBoolean() || !check.path("consistent").booleanValue()
                || check.path("differenceCount").asLong(-1) != 0 || check.path("pendingProjects").asLong(-1) != 0
                || !check.path("differences").isArray() || check.path("differences").size() != 0) {
            problems.add(where + ": expected consistent, no difference, nothing pending; got consistent="
                    + check.path("consistent") + ", differenceCount=" + check.path("differenceCount")
                    + ", pendingProjects=" + check.path("pendingProjects") + ", first differences "
                    + abbreviate(check.path("differences").toString(), 1500));
        }
        // Other tests' events count too (one store, one JVM): at least this test's, not exactly.
        if (check.path("checkedEvents").asLong(-1) < accepted.size()) {
            problems.add(where + ": checkedEvents " + check.path("checkedEvents") + ", but this test alone had "
                    + accepted.size() + " events accepted");
        }
        if (check.path("checkedProjects").asLong(-1) < recomputed.size()) {
            problems.add(where + ": checkedProjects " + check.path("checkedProjects") + ", but this test alone has "
                    + recomputed.size() + " projects");
        }
    }

    // --- rebuilds -----------------------------------------------------------------------------------------------

    /** What the rebuilds of one part of this test reported, and what went on around them. */
    record RebuildRun(int rounds, double seconds, JsonNode last, long reads, int distinctBodies, int writes,
                      int acceptedWhileRunning) {
        @Override
        public String toString() {
            return String.format("%d round(s), %.2f s in all (last: %s, projects %s/%s, events %s, %s events/s); "
                            + "reader %d reads during them, %d distinct answers; %d events posted during them, %d "
                            + "accepted while one ran", rounds, seconds, last.path("state").asText(),
                    last.path("projectsDone"), last.path("projectsTotal"), last.path("eventsDone"),
                    last.path("eventsPerSecond"), reads, distinctBodies, writes, acceptedWhileRunning);
        }
    }

    /** The rebuild's row of {@code GET /api/v1/admin/projections}. */
    private JsonNode rebuildStatus() {
        Response r = Api.admin().accept("application/json").get("/api/v1/admin/projections");
        JsonNode list = parse(r.asString());
        if (r.statusCode() == 200 && list.isArray()) {
            for (JsonNode row : list) {
                if ("rebuild".equals(row.path("name").asText())) {
                    return row;
                }
            }
        }
        throw new AssertionError("GET /api/v1/admin/projections: no rebuild row in " + r.statusCode() + " "
                + r.asString());
    }

    /** Starts a rebuild; returns the startedAt of the rebuild before it, to tell this run's end from an earlier one's. */
    private String startRebuild(String where) {
        String startedBefore = rebuildStatus().path("startedAt").asText("");
        Response r = Api.admin().post("/api/v1/admin/projections/rebuild");
        if (r.statusCode() != 202) {
            throw new AssertionError(where + ": POST /api/v1/admin/projections/rebuild: expected 202, got "
                    + r.statusCode() + " " + r.asString());
        }
        return startedBefore;
    }

    /** Whether the status shows that this run (not an earlier one) has ended, well or not. */
    private static boolean finished(JsonNode status, String startedBefore) {
        String state = status.path("state").asText();
        return ("DONE".equals(state) || "FAILED".equals(state))
                && !startedBefore.equals(status.path("startedAt").asText(""));
    }

    /**
     * A run's final status: DONE without error, every project and event of the store at its start replayed (the
     * store holds other tests' too, so at least this test's).
     */
    private void checkFinished(String where, JsonNode status, int projectsAtStart, int eventsAtStart) {
        if (!"DONE".equals(status.path("state").asText())
                || !status.path("lastError").isNull() && !status.path("lastError").isMissingNode()) {
            problems.add(where + ": the rebuild ended " + status);
        }
        long projectsDone = status.path("projectsDone").asLong(-1);
        long projectsTotal = status.path("projectsTotal").asLong(-1);
        if (projectsTotal < projectsAtStart || projectsDone < projectsTotal) {
            problems.add(where + ": the rebuild replayed " + projectsDone + " of " + projectsTotal
                    + " projects, this test alone had " + projectsAtStart + " when it started: " + status);
        }
        if (status.path("eventsDone").asLong(-1) < eventsAtStart) {
            problems.add(where + ": the rebuild replayed " + status.path("eventsDone") + " events, this test alone had "
                    + eventsAtStart + " accepted when it started: " + status);
        }
    }

    private Reader startReader(List<String> paths) {
        String basePath = RestAssured.basePath == null ? "" : RestAssured.basePath.replaceAll("/+$", "");
        Reader reader = new Reader(RestAssured.baseURI + ":" + RestAssured.port + basePath, paths);
        reader.thread.start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (reader.reads.get() < paths.size() && System.nanoTime() < deadline) {
            sleep(2);
        }
        return reader;
    }

    /** Every answer the reader got must be a 200 with a JSON body, and with {@code expected} when given. */
    private void checkReads(String where, Reader reader, Map<String, String> expected) {
        for (Map.Entry<String, java.util.concurrent.atomic.LongAdder> seen : reader.seen.entrySet()) {
            String[] parts = seen.getKey().split("\n", 3);
            String path = parts[0];
            String status = parts[1];
            String body = parts[2];
            long times = seen.getValue().sum();
            if (!"200".equals(status) || parse(body).isMissingNode()) {
                problems.add(where + ": GET " + path + " answered " + status + " (" + times + " time(s)) while "
                        + "rebuilds ran: " + abbreviate(body, 600));
            } else if (expected != null && !body.equals(expected.get(path))
                    && !parse(body).equals(parse(expected.get(path)))) {
                List<String> differences = new ArrayList<>();
                diff("", parse(expected.get(path)), parse(body), differences);
                problems.add(where + ": GET " + path + " showed, " + times + " time(s), a body that is neither the "
                        + "figures before nor after the rebuild (they are equal): " + differences.stream().limit(8)
                        .collect(Collectors.joining("; ")) + (differences.size() > 8 ? "; ..." : ""));
            }
        }
    }

    /**
     * Rebuilds while a reader polls summary, a breakdown and the timeline of campaign A as fast as it can. Nothing is
     * written meanwhile, so the figures before and after are the same (they have just been checked against the
     * recomputation), and every body the reader sees must be that one: a half-built figure, an error during the swap
     * or an empty table would show as another body. A rebuild of this small store takes a fraction of a second, so
     * it is repeated until the reader has made enough reads while one ran.
     */
    private RebuildRun rebuildWhileReading() {
        String where = "rebuild while reading";
        phase = where;
        List<String> paths = List.of("/api/v1/campaigns/" + campaignA + "/summary",
                "/api/v1/campaigns/" + campaignA + "/breakdown?by=category",
                "/api/v1/campaigns/" + campaignA + "/summary",
                "/api/v1/campaigns/" + campaignA + "/timeline?granularity=month");
        Map<String, String> before = new HashMap<>();
        for (String path : new TreeSet<>(paths)) {
            Response r = RestAssured.given().accept("application/json").get(path);
            if (r.statusCode() != 200) {
                throw new AssertionError(where + ": GET " + path + " before the rebuild: " + r.statusCode() + " "
                        + r.asString());
            }
            before.put(path, r.asString());
        }
        Reader reader = startReader(paths);
        int rounds = 0;
        long readsDuring = 0;
        double seconds = 0;
        JsonNode status;
        try {
            do {
                rounds++;
                long readsAtStart = reader.reads.get();
                long t = System.nanoTime();
                status = awaitRebuild(where, startRebuild(where));
                readsDuring += reader.reads.get() - readsAtStart;
                seconds += seconds(t);
                checkFinished(where + " (round " + rounds + ")", status, model.size(), accepted.size());
            } while (rounds < MAX_REBUILD_ROUNDS && readsDuring < 3L * MIN_READS_DURING_REBUILD);
        } finally {
            reader.stop();
        }
        if (reader.thread.isAlive()) {
            problems.add(where + ": the reader did not stop within 15 s");
        }
        checkReads(where, reader, before);
        if (readsDuring < MIN_READS_DURING_REBUILD) {
            problems.add(where + ": the reader made only " + readsDuring + " reads while " + rounds + " rebuild(s) ran ("
                    + reader.reads.get() + " in all), too few to show much");
        }
        return new RebuildRun(rounds, seconds, status, readsDuring, reader.seen.size(), 0, 0);
    }

    /**
     * Rebuilds while this test goes on posting generated events (valid and refused), a few and then until the
     * rebuild reports it is done, so that events land before the replay reads their project, after it (for the
     * catch-up) and around the swap; a reader polls meanwhile and must never get an error. Repeated until enough
     * events were accepted while a rebuild ran. Afterwards the read models must hold every accepted event, as the
     * caller checks.
     */
    private RebuildRun rebuildWhileWriting() {
        String where = "rebuild while writing";
        phase = where;
        Reader reader = startReader(List.of("/api/v1/campaigns/" + campaignA + "/summary",
                "/api/v1/campaigns/" + campaignA + "/timeline?granularity=month"));
        int rounds = 0;
        int writes = 0;
        int acceptedWhileRunning = 0;
        long readsDuring = 0;
        double seconds = 0;
        JsonNode status;
        try {
            do {
                rounds++;
                int projectsAtStart = model.size();
                int eventsAtStart = accepted.size();
                long readsAtStart = reader.reads.get();
                long t = System.nanoTime();
                String startedBefore = startRebuild(where);
                status = rebuildStatus();
                for (int w = 0; w < MIN_WRITES_PER_REBUILD || !finished(status, startedBefore) && w < 100; w++) {
                    Ev e = generate();
                    predict(e);
                    int acceptedBefore = accepted.size();
                    postSingle(e);
                    writes++;
                    status = rebuildStatus();
                    if ("RUNNING".equals(status.path("state").asText())) {
                        acceptedWhileRunning += accepted.size() - acceptedBefore;
                    }
                }
                if (!finished(status, startedBefore)) {
                    status = awaitRebuild(where, startedBefore);
                }
                readsDuring += reader.reads.get() - readsAtStart;
                seconds += seconds(t);
                checkFinished(where + " (round " + rounds + ")", status, projectsAtStart, eventsAtStart);
            } while (rounds < MAX_REBUILD_ROUNDS
                    && (writes < MIN_WRITES_DURING_REBUILD || acceptedWhileRunning < MIN_ACCEPTED_DURING_REBUILD)
                    || acceptedWhileRunning == 0 && rounds < 3 * MAX_REBUILD_ROUNDS);
        } finally {
            reader.stop();
        }
        checkReads(where, reader, null);
        if (acceptedWhileRunning == 0) {
            problems.add(where + ": no event was accepted while a rebuild ran (" + writes + " posted in " + rounds
                    + " rounds), so this shows nothing about writes during a rebuild");
        }
        return new RebuildRun(rounds, seconds, status, readsDuring, reader.seen.size(), writes, acceptedWhileRunning);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    private JsonNode awaitRebuild(String where, String startedBefore) {
        long deadline = System.nanoTime() + 90_000_000_000L;
        while (true) {
            JsonNode status = rebuildStatus();
            if (finished(status, startedBefore)) {
                return status;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(where + ": the rebuild did not finish within 90 s: " + status);
            }
            sleep(10);
        }
    }

    /** Reads the given paths in turn, as fast as it can, and keeps every distinct answer (path, status, body). */
    static final class Reader implements Runnable {
        final java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1)
                .connectTimeout(java.time.Duration.ofSeconds(5)).build();
        final String base;
        final List<String> paths;
        final java.util.concurrent.atomic.AtomicLong reads = new java.util.concurrent.atomic.AtomicLong();
        final Map<String, java.util.concurrent.atomic.LongAdder> seen = new java.util.concurrent.ConcurrentHashMap<>();
        final Thread thread = new Thread(this, "random-history-reader");
        volatile boolean stop;

        Reader(String base, List<String> paths) {
            this.base = base;
            this.paths = paths;
            thread.setDaemon(true);
        }

        void stop() {
            stop = true;
            try {
                thread.join(15_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void run() {
            for (int i = 0; !stop; i++) {
                String path = paths.get(i % paths.size());
                String key;
                try {
                    java.net.http.HttpResponse<String> r = http.send(java.net.http.HttpRequest
                                    .newBuilder(java.net.URI.create(base + path)).header("Accept", "application/json")
                                    .timeout(java.time.Duration.ofSeconds(10)).GET().build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString(java.nio.charset.StandardCharsets.UTF_8));
                    key = path + "\n" + r.statusCode() + "\n" + r.body();
                } catch (java.io.IOException e) {
                    key = path + "\n-1\n" + e;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                reads.incrementAndGet();
                seen.computeIfAbsent(key, k -> new java.util.concurrent.atomic.LongAdder()).increment();
            }
        }
    }

    /** Where two JSON documents differ, as path: expected -> actual. */
    private static void diff(String path, JsonNode expected, JsonNode actual, List<String> out) {
        if (expected.equals(actual)) {
            return;
        }
        if (expected.isObject() && actual.isObject()) {
            Set<String> names = new TreeSet<>();
            expected.fieldNames().forEachRemaining(names::add);
            actual.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                diff(path + "." + name, expected.path(name), actual.path(name), out);
            }
        } else if (expected.isArray() && actual.isArray() && expected.size() == actual.size()) {
            for (int i = 0; i < expected.size(); i++) {
                diff(path + "[" + i + "]", expected.get(i), actual.get(i), out);
            }
        } else {
            out.add((path.isEmpty() ? "body" : path) + ": " + abbreviate(expected.toString(), 200) + " -> "
                    + abbreviate(actual.toString(), 200));
        }
    }

    private static String abbreviate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max) + "...";
    }

    /** A project's view and history against the model: stage, version, amounts, dates, accepted events. */
    private void checkProject(Proj p, boolean withHistory) {
        String where = phase + ": project " + p.id;
        JsonNode view = get("/api/v1/projects/" + p.id);
        eqText(where + " stage", p.stage, view.path("stage"));
        eqLong(where + " version", p.version, view.path("version"));
        eqText(where + " campaignId", p.campaignId, view.path("campaignId"));
        eqText(where + " regionCode", p.regionCode, view.path("regionCode"));
        eqText(where + " industryChain", p.chain, view.path("industryChain"));
        Set<String> categories = new TreeSet<>();
        view.path("categories").forEach(c -> categories.add(c.asText()));
        if (!categories.equals(new TreeSet<>(p.categories))) {
            problems.add(where + " categories: expected " + p.categories + ", got " + view.path("categories"));
        }
        eqDecOrNull(where + " plannedInvestment", p.planned, view.path("plannedInvestment"));
        eqDecOrNull(where + " annualPlannedInvestment", p.annual, view.path("annualPlannedInvestment"));
        eqDecOrNull(where + " signedInvestment", p.signedInvestment, view.path("signedInvestment"));
        eqDecOrNull(where + " investmentToDate", p.investmentToDate, view.path("investmentToDate"));
        eqText(where + " reportedPeriod", p.period == null ? null : p.period.toString(), view.path("reportedPeriod"));
        eqText(where + " projectCode", p.projectCode, view.path("projectCode"));
        eqText(where + " reservedOn", str(p.reservedOn), view.path("reservedOn"));
        eqText(where + " signedOn", str(p.signedOn), view.path("signedOn"));
        eqText(where + " startedOn", str(p.startedOn), view.path("startedOn"));
        eqText(where + " completedOn", str(p.completedOn), view.path("completedOn"));
        eqText(where + " withdrawnOn", str(p.withdrawnOn), view.path("withdrawnOn"));
        if (!withHistory) {
            return;
        }

        JsonNode history = get("/api/v1/projects/" + p.id + "/events");
        List<Ev> events = acceptedByProject.get(p.id);
        if (!history.isArray() || history.size() != events.size()) {
            problems.add(where + " history: expected the " + events.size() + " accepted events, got "
                    + (history.isArray() ? history.size() + " events" : history.toString()));
            return;
        }
        for (int i = 0; i < events.size(); i++) {
            JsonNode h = history.get(i);
            if (!events.get(i).eventId().equals(h.path("eventId").asText()) || h.path("version").asLong() != i + 1
                    || !events.get(i).type.equals(h.path("type").asText())) {
                problems.add(where + " history[" + i + "]: expected " + events.get(i).type + " "
                        + events.get(i).eventId() + " as version " + (i + 1) + ", got " + h);
            }
        }
    }

    // --- helpers ---------------------------------------------------------------------------------------------

    private JsonNode get(String path) {
        Response r = RestAssured.given().accept("application/json").get(path);
        JsonNode json = parse(r.asString());
        if (r.statusCode() != 200) {
            problems.add("GET " + path + ": expected 200, got " + r.statusCode() + " " + r.asString());
            return MissingNode.getInstance();
        }
        return json;
    }

    private void eqLong(String where, long expected, JsonNode actual) {
        if (!actual.isIntegralNumber() || actual.longValue() != expected) {
            problems.add(where + ": expected " + expected + ", got " + actual);
        }
    }

    private void eqDec(String where, BigDecimal expected, JsonNode actual) {
        BigDecimal value = actual.isNumber() ? actual.decimalValue() : actual.isTextual() ? dec(actual.asText()) : null;
        if (value == null || value.compareTo(expected) != 0) {
            problems.add(where + ": expected " + expected + ", got " + actual);
        }
    }

    private void eqDecOrNull(String where, BigDecimal expected, JsonNode actual) {
        if (expected == null) {
            if (!actual.isMissingNode() && !actual.isNull()) {
                problems.add(where + ": expected none, got " + actual);
            }
        } else {
            eqDec(where, expected, actual);
        }
    }

    private void eqText(String where, String expected, JsonNode actual) {
        String value = actual.isMissingNode() || actual.isNull() ? null : actual.asText();
        if (!Objects.equals(expected, value)) {
            problems.add(where + ": expected " + expected + ", got " + actual);
        }
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }

    private static BigDecimal nz(BigDecimal v) {
        return v == null ? BigDecimal.ZERO : v;
    }

    /** An amount as sent: a number, or a numeric string; null when it is neither. */
    private static BigDecimal dec(Object value) {
        if (value instanceof BigDecimal b) {
            return b;
        }
        if (value instanceof Number n) {
            return new BigDecimal(n.toString());
        }
        if (value instanceof String s) {
            try {
                return new BigDecimal(s.trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private static YearMonth period(Object value) {
        try {
            return YearMonth.parse((String) value);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? MissingNode.getInstance() : JSON.readTree(body);
        } catch (JsonProcessingException e) {
            return MissingNode.getInstance();
        }
    }

    private static String write(ObjectMapper mapper, Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
