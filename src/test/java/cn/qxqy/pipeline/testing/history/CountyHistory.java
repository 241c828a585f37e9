package cn.qxqy.pipeline.testing.history;

import static cn.qxqy.pipeline.testing.history.ReferenceModel.COMPLETED;
import static cn.qxqy.pipeline.testing.history.ReferenceModel.CORRECTED;
import static cn.qxqy.pipeline.testing.history.ReferenceModel.REPORTED;
import static cn.qxqy.pipeline.testing.history.ReferenceModel.RESERVED;
import static cn.qxqy.pipeline.testing.history.ReferenceModel.RETRACTED;
import static cn.qxqy.pipeline.testing.history.ReferenceModel.SIGNED;
import static cn.qxqy.pipeline.testing.history.ReferenceModel.STARTED;
import static cn.qxqy.pipeline.testing.history.ReferenceModel.WITHDRAWN;

import cn.qxqy.pipeline.embedded.EmbeddedIssuer.Claims;
import cn.qxqy.pipeline.testing.Api;
import cn.qxqy.pipeline.testing.AuthorisationMatrix;
import io.restassured.response.Response;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import org.assertj.core.api.SoftAssertions;

/**
 * Issue 26's random history: two campaigns of this year over a few counties and the city level, with county shares
 * and follow-up settings set through the API (one campaign on the defaults, the other changed), projects whose
 * signings, reservations, planned dates and reports fall the day before, on and after their due days as seen from the
 * read days, moves between counties and campaigns, withdrawals and retractions; then answers posted by the counties'
 * own departments. Every event is posted singly and must be accepted: the models read what the service stored.
 *
 * <p>Answers are dated today by the service's clock, so a read of an earlier day must not count them, and a read of
 * today counts them as answered; an answer whose date has passed (overdue again) needs a later day than today, which
 * no read may ask for, so {@link FollowUpModelTest} shows that status and this history cannot.
 *
 * <p>Seeded: {@code -DcountyHistory.seed=N} replays another history (the seed is printed).
 */
public final class CountyHistory {

    public static final long DEFAULT_SEED = 20261206L;
    public static final String CITY = "141100";
    /** The counties projects are placed in; the other county units have none and are listed all the same. */
    private static final List<String> COUNTIES = List.of("141102", "141123", "141124", "141182");
    private static final int RANDOM_PROJECTS = 36;

    public final long seed;
    public final LocalDate today = Api.TODAY;
    public final LocalDate startsOn = today.minusMonths(11).withDayOfMonth(1);
    public final LocalDate endsOn = LocalDate.of(today.getYear(), 12, 31);
    /** The events the service accepted, in the order it stored them. */
    public final List<HistoryEvent> stored = new ArrayList<>();
    public final List<FollowUpModel.Answer> answers = new ArrayList<>();
    public final Map<String, RankingModel.Campaign> campaigns = new LinkedHashMap<>();
    public final Map<String, FollowUpModel.Settings> settings = new LinkedHashMap<>();
    /** The days the threshold projects are aimed at: each rule's due day falls one day before, on or after them. */
    public final List<LocalDate> aimedAt;
    private final Dice dice;
    private final List<String> countyUnits;
    private Instant midway;
    private int knownMidway;
    private int answersRefused;

    private CountyHistory(long seed) {
        this.seed = seed;
        this.dice = new Dice(seed);
        this.aimedAt = List.of(today, today.minusDays(1), today.minusDays(40 + dice.nextInt(60)));
        this.countyUnits = Api.given().get("/api/v1/reference/regions").then().statusCode(200).extract().jsonPath()
                .<String>getList("code").stream().filter(c -> c.startsWith("1411") && !c.equals(CITY)).toList();
    }

    public static CountyHistory seeded(String testName) {
        long seed = Long.getLong("countyHistory.seed", DEFAULT_SEED);
        System.out.println(testName + " seed = " + seed + " (replay with -DcountyHistory.seed=" + seed + ")");
        return new CountyHistory(seed);
    }

    /** The county units in the reference list's order, without the city level. */
    public List<String> countyUnits() {
        return countyUnits;
    }

    /** Both campaigns with targets, shares and settings; one keeps the default settings, never PUT. */
    public void defineCampaigns() {
        List<Map<String, Object>> targets = AsOfFigures.TARGETS.stream().map(AsOfFigures.Target::definition).toList();
        for (int i = 0; i < 2; i++) {
            String id = "c26-" + UUID.randomUUID().toString().substring(0, 8) + "-" + i;
            Api.admin().body(Map.of("nameZh", "比拼会战", "nameEn", "Rankings", "year", today.getYear(),
                            "cityCode", CITY, "startsOn", startsOn.toString(), "endsOn", endsOn.toString()))
                    .put("/api/v1/admin/campaigns/{id}", id).then().statusCode(201);
            Api.admin().body(Map.of("targets", targets)).put("/api/v1/admin/campaigns/{id}/targets", id)
                    .then().statusCode(200);
            Map<String, Map<String, BigDecimal>> shares = shares();
            List<Map<String, Object>> body = new ArrayList<>();
            shares.forEach((target, byCounty) -> byCounty.forEach((county, share) ->
                    body.add(Map.of("targetCode", target, "regionCode", county, "share", share))));
            Api.admin().body(Map.of("shares", body)).put("/api/v1/campaigns/{id}/county-shares", id)
                    .then().statusCode(200);
            BigDecimal[] bands = {new BigDecimal("1.1"), new BigDecimal("0.9"), new BigDecimal("0.7")};
            FollowUpModel.Settings followUps = FollowUpModel.Settings.DEFAULTS;
            if (i == 1) {
                bands = dice.chance(0.5) ? new BigDecimal[]{new BigDecimal("1.2"), BigDecimal.ONE, new BigDecimal("0.8")}
                        : new BigDecimal[]{new BigDecimal("1.5"), new BigDecimal("0.95"), new BigDecimal("0.5")};
                followUps = new FollowUpModel.Settings(dice.of(List.of(30, 45, 90)), dice.chance(0.3) ? null : 60,
                        dice.of(List.of(5, 10, 28)), dice.chance(0.7));
                Map<String, Object> rules = new LinkedHashMap<>();
                rules.put("signedNotStartedDays", followUps.signedNotStartedDays());
                rules.put("reservedNotSignedDays", followUps.reservedNotSignedDays());
                rules.put("reportDueDay", followUps.reportDueDay());
                rules.put("plannedDates", followUps.plannedDates());
                Api.admin().body(Map.of("bands", Map.of("leading", bands[0], "normal", bands[1], "lagging", bands[2]),
                        "followUps", rules)).put("/api/v1/campaigns/{id}/settings", id).then().statusCode(200);
            }
            settings.put(id, followUps);
            campaigns.put(id, new RankingModel.Campaign(id, CITY, countyUnits, startsOn, endsOn, AsOfFigures.TARGETS,
                    shares, bands[0], bands[1], bands[2]));
        }
    }

    /** Most counties have a share of most targets; a whole one of a count, up to 2 decimals of an amount. */
    private Map<String, Map<String, BigDecimal>> shares() {
        Map<String, Map<String, BigDecimal>> shares = new LinkedHashMap<>();
        for (AsOfFigures.Target t : AsOfFigures.TARGETS) {
            Map<String, BigDecimal> byCounty = new LinkedHashMap<>();
            for (String county : COUNTIES) {
                if (dice.chance(0.8)) {
                    byCounty.put(county, t.measure().equals("projects") ? BigDecimal.valueOf(1 + dice.nextInt(6))
                            : BigDecimal.valueOf(100_000 + dice.nextInt(900_000_00), 2));
                }
            }
            shares.put(t.code(), byCounty);
        }
        return shares;
    }

    /** Every project's events in date order, the threshold projects first; the instant halfway is kept for knownAt. */
    public void post(SoftAssertions softly) {
        List<List<HistoryEvent>> projects = new ArrayList<>();
        for (String campaign : campaigns.keySet()) {
            for (LocalDate aim : aimedAt) {
                for (int delta = -1; delta <= 1; delta++) {
                    projects.addAll(aimed(campaign, aim, delta));
                }
            }
        }
        for (int i = 0; i < RANDOM_PROJECTS; i++) {
            projects.add(randomProject());
        }
        for (int i = 0; i < projects.size(); i++) {
            if (i == projects.size() / 2) {
                Rebuilds.sleep(15);
                midway = Instant.now();
                knownMidway = stored.size();
                Rebuilds.sleep(15);
            }
            for (HistoryEvent e : projects.get(i)) {
                Response r = Api.department().body(e.json()).post("/api/v1/projects/{id}/events", e.projectId);
                if (r.statusCode() == 201) {
                    stored.add(e);
                } else {
                    softly.fail("not accepted (%d): %s -> %s", r.statusCode(), e, r.asString());
                    break;
                }
            }
        }
    }

    public Instant midway() {
        return midway;
    }

    public int knownMidway() {
        return knownMidway;
    }

    /**
     * Projects whose due day on each rule the campaign has on is {@code aim + delta}: signed N days before, reserved M
     * days before, planned to start on it; now and then closed on the aimed day itself.
     */
    private List<List<HistoryEvent>> aimed(String campaign, LocalDate aim, int delta) {
        FollowUpModel.Settings s = settings.get(campaign);
        List<List<HistoryEvent>> projects = new ArrayList<>();
        if (s.signedNotStartedDays() != null) {
            LocalDate signed = aim.plusDays(delta).minusDays(s.signedNotStartedDays());
            Timeline p = new Timeline(campaign, signed.minusDays(dice.nextInt(30)));
            p.add(signed, SIGNED, Map.of("signedInvestment", amount(), "investor", "甲"));
            if (dice.chance(0.3)) {
                p.add(aim, STARTED, Map.of());
            }
            projects.add(p.events);
        }
        if (s.reservedNotSignedDays() != null) {
            Timeline p = new Timeline(campaign, aim.plusDays(delta).minusDays(s.reservedNotSignedDays()));
            if (dice.chance(0.15)) {
                p.add(aim, SIGNED, Map.of("signedInvestment", amount(), "investor", "乙"));
            } else if (dice.chance(0.15)) {
                p.add(aim, STARTED, Map.of());
            }
            projects.add(p.events);
        }
        Timeline planned = new Timeline(campaign, aim.minusDays(100 + dice.nextInt(100)), aim.plusDays(delta),
                dice.chance(0.5) ? aim.plusDays(delta) : null);
        if (dice.chance(0.3)) {
            planned.add(aim, STARTED, Map.of());
        }
        projects.add(planned.events);
        return projects;
    }

    /**
     * A project reserved in the campaign's months: signed, started, reported (on time, on the due day, late,
     * twice, or not at all), completed, moved between counties or campaigns, withdrawn or retracted, each by chance.
     */
    private List<HistoryEvent> randomProject() {
        String campaign = dice.of(new ArrayList<>(campaigns.keySet()));
        LocalDate reserved = startsOn.minusDays(30).plusDays(dice.nextInt((int) (today.toEpochDay()
                - startsOn.toEpochDay()) + 30));
        LocalDate plannedStart = dice.chance(0.5) ? reserved.plusDays(10 + dice.nextInt(200)) : null;
        Timeline p = new Timeline(campaign, reserved, plannedStart,
                plannedStart != null && dice.chance(0.5) ? plannedStart.plusDays(30 + dice.nextInt(300)) : null);
        LocalDate last = reserved;
        if (dice.chance(0.6)) {
            LocalDate signed = p.addIfPast(last.plusDays(dice.nextInt(200)), SIGNED,
                    Map.of("signedInvestment", amount(), "investor", "丙"));
            last = signed != null ? signed : last;
        }
        LocalDate started = null;
        if (dice.chance(0.6)) {
            started = p.addIfPast(last.plusDays(dice.nextInt(150)), STARTED, Map.of());
            last = started != null ? started : last;
        }
        LocalDate end = today;
        if (started != null && dice.chance(0.25)) {
            LocalDate completed = p.addIfPast(started.plusDays(30 + dice.nextInt(200)), COMPLETED, Map.of());
            last = completed != null ? completed : last;
        }
        if (dice.chance(0.15)) {
            // A completed project is not withdrawn: its completion is retracted instead.
            LocalDate withdrawn = p.addIfPast(last.plusDays(dice.nextInt(90)), last.equals(p.completedOn) ? RETRACTED
                    : WITHDRAWN, Map.of("reason", "调整"));
            end = withdrawn != null ? withdrawn : end;
        } else if (!last.equals(reserved) && dice.chance(0.1)) {
            LocalDate retracted = p.addIfPast(last.plusDays(dice.nextInt(30)), RETRACTED, Map.of("reason", "误报"));
            end = retracted != null ? retracted : end;
        }
        if (started != null) {
            reports(p, started, end);
        }
        if (dice.chance(0.2)) {
            p.addIfPast(reserved.plusDays(dice.nextInt((int) (end.toEpochDay() - reserved.toEpochDay()) + 1)),
                    CORRECTED, Map.of("regionCode", dice.of(COUNTIES)));
        }
        if (dice.chance(0.15)) {
            String other = campaigns.keySet().stream().filter(c -> !c.equals(campaign)).findFirst().orElseThrow();
            p.addIfPast(reserved.plusDays(dice.nextInt((int) (end.toEpochDay() - reserved.toEpochDay()) + 1)),
                    CORRECTED, Map.of("campaignId", other));
        }
        p.events.sort(Comparator.comparing((HistoryEvent e) -> e.occurredOn).thenComparing(e -> order(e.type)));
        return p.events;
    }

    /** Reports while the project is under way (before {@code end}): most months, on varied days of the next. */
    private void reports(Timeline p, LocalDate started, LocalDate end) {
        Integer due = settings.get(p.campaign).reportDueDay();
        int dueDay = due == null ? 10 : due;
        BigDecimal toDate = BigDecimal.ZERO;
        for (YearMonth q = YearMonth.from(started); q.isBefore(YearMonth.from(today)); q = q.plusMonths(1)) {
            if (dice.chance(0.2)) {
                continue;
            }
            int day = switch (dice.nextInt(5)) {
                case 0 -> dueDay - 1;
                case 1 -> dueDay;
                case 2 -> dueDay + 1;
                default -> 1 + dice.nextInt(28);
            };
            LocalDate on = q.plusMonths(1).atDay(Math.max(1, Math.min(28, day)));
            if (!on.isBefore(end) || on.isAfter(today)) {
                break;
            }
            toDate = toDate.add(BigDecimal.valueOf(dice.nextInt(100_000), 2));
            p.add(on, REPORTED, Map.of("period", q.toString(), "investmentToDate", toDate));
            if (dice.chance(0.1)) {
                LocalDate again = on.plusDays(1 + dice.nextInt(10));
                if (again.isBefore(end) && !again.isAfter(today)) {
                    p.add(again, REPORTED, Map.of("period", q.toString(), "investmentToDate", toDate));
                }
            }
        }
    }

    /** Same-day events in the order the state machine takes them. */
    private static int order(String type) {
        return List.of(RESERVED, CORRECTED, SIGNED, STARTED, REPORTED, COMPLETED, RETRACTED, WITHDRAWN).indexOf(type);
    }

    private BigDecimal amount() {
        return BigDecimal.valueOf(100_000 + dice.nextInt(9_000_000), 2);
    }

    /** One project's events as they are generated; posted in date order. */
    private final class Timeline {
        final String campaign;
        final String id = "c26-" + Api.newProjectId();
        final List<HistoryEvent> events = new ArrayList<>();
        LocalDate completedOn;

        Timeline(String campaign, LocalDate reserved) {
            this(campaign, reserved, null, null);
        }

        Timeline(String campaign, LocalDate reserved, LocalDate plannedStart, LocalDate plannedCompletion) {
            this.campaign = campaign;
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("name", "比拼项目 " + id);
            data.put("campaignId", campaign);
            data.put("regionCode", dice.chance(0.15) ? CITY : dice.of(COUNTIES));
            data.put("industryChain", dice.of(Catalog.CHAINS));
            data.put("categories", new ArrayList<>(new TreeSet<>(List.of(dice.of(Catalog.CATEGORIES),
                    dice.of(Catalog.CATEGORIES)))));
            data.put("plannedInvestment", amount());
            data.put("annualPlannedInvestment", amount());
            if (plannedStart != null) {
                data.put("plannedStartOn", plannedStart.toString());
            }
            if (plannedCompletion != null && (plannedStart == null || !plannedCompletion.isBefore(plannedStart))) {
                data.put("plannedCompletionOn", plannedCompletion.toString());
            }
            add(reserved, RESERVED, data);
        }

        void add(LocalDate on, String type, Map<String, Object> data) {
            events.add(HistoryEvent.of("county history", 201, id, type, on, new LinkedHashMap<>(data)));
            if (type.equals(COMPLETED)) {
                completedOn = on;
            }
        }

        /** The event if its day has come; its day, or null when it is still ahead. */
        LocalDate addIfPast(LocalDate on, String type, Map<String, Object> data) {
            if (on.isAfter(today)) {
                return null;
            }
            add(on, type, data);
            return on;
        }
    }

    /**
     * Answers to some of today's open items of each campaign, by the department of the item's county (the city's for a
     * city-level item), some twice; and one refused answer each of an item closed late (409) and by another county's
     * department (403), which must store nothing.
     */
    public void answer(SoftAssertions softly) {
        for (String campaign : campaigns.keySet()) {
            List<FollowUpModel.Item> items = FollowUpModel.items(stored, campaign, startsOn, endsOn,
                    settings.get(campaign), answers, today);
            for (FollowUpModel.Item item : items) {
                if (item.status().equals(FollowUpModel.CLOSED_LATE)) {
                    if (answersRefused < 2) {
                        expectRefused(campaign, item, item.regionCode(), 409, softly);
                    }
                    continue;
                }
                if (dice.chance(0.1) && !item.regionCode().equals(CITY)) {
                    String other = COUNTIES.stream().filter(c -> !c.equals(item.regionCode())).findFirst().orElseThrow();
                    expectRefused(campaign, item, other, 403, softly);
                }
                if (dice.chance(0.5)) {
                    int times = dice.chance(0.25) ? 2 : 1;
                    for (int t = 0; t < times; t++) {
                        answer(campaign, item, softly);
                    }
                }
            }
        }
    }

    private void answer(String campaign, FollowUpModel.Item item, SoftAssertions softly) {
        String reason = "原因 " + dice.nextInt(1000);
        LocalDate expectedOn = today.plusDays(dice.nextInt(90));
        Response r = departmentOf(item.regionCode()).body(Map.of("reason", reason, "expectedOn", expectedOn.toString()))
                .post("/api/v1/campaigns/{id}/follow-ups/{item}/answers", campaign, item.itemId());
        if (r.statusCode() == 201) {
            answers.add(new FollowUpModel.Answer(item.itemId(), LocalDate.parse(r.jsonPath().getString("answeredOn")),
                    reason, expectedOn));
            softly.assertThat(r.jsonPath().getString("answeredOn")).as("an answer is dated today").isEqualTo(today.toString());
        } else {
            softly.fail("answer to %s of %s (%s) refused: %d %s", item.itemId(), campaign, item.status(),
                    r.statusCode(), r.asString());
        }
    }

    private void expectRefused(String campaign, FollowUpModel.Item item, String county, int status,
                               SoftAssertions softly) {
        answersRefused++;
        String stream = "follow-up:" + item.itemId();
        String before = Api.sqlValue("SELECT count(*) FROM events WHERE project_id = '" + stream + "'");
        Response r = departmentOf(county).body(Map.of("reason", "不应保存", "expectedOn", today.toString()))
                .post("/api/v1/campaigns/{id}/follow-ups/{item}/answers", campaign, item.itemId());
        softly.assertThat(r.statusCode()).as("answer to %s (%s) by %s: %s", item.itemId(), item.status(), county,
                r.asString()).isEqualTo(status);
        softly.assertThat(Api.sqlValue("SELECT count(*) FROM events WHERE project_id = '" + stream + "'"))
                .as("a refused answer to %s stores nothing", item.itemId()).isEqualTo(before);
    }

    private static io.restassured.specification.RequestSpecification departmentOf(String county) {
        return AuthorisationMatrix.bearer(AuthorisationMatrix.issuer().token(Claims.of("dept-" + county,
                List.of("department"), List.of(county))));
    }

    /** Days to read: the aimed days and the days around them, month ends, and the due days of recent months. */
    public List<LocalDate> readDays() {
        TreeSet<LocalDate> days = new TreeSet<>();
        for (LocalDate aim : aimedAt) {
            for (int d = -1; d <= 1; d++) {
                days.add(aim.plusDays(d));
            }
        }
        for (YearMonth m = YearMonth.from(startsOn); m.isBefore(YearMonth.from(today)); m = m.plusMonths(3)) {
            days.add(m.atEndOfMonth());
        }
        for (FollowUpModel.Settings s : settings.values()) {
            if (s.reportDueDay() != null) {
                LocalDate due = YearMonth.from(today).minusMonths(1 + dice.nextInt(3)).atDay(s.reportDueDay());
                days.add(due.minusDays(1));
                days.add(due);
                days.add(due.plusDays(1));
            }
        }
        days.removeIf(d -> d.isAfter(today) || d.isBefore(startsOn));
        return new ArrayList<>(days);
    }
}
